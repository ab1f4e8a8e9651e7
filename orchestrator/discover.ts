import { readdirSync } from "node:fs";
import * as path from "node:path";
import { type LayerDefinition, layers } from "../stacks/layers";
import { parseStackName } from "../stacks/stack-name";
import { projectRoot } from "./engine";
import { buildGraph, StackGraphError } from "./graph";

/** Layers by name: Stackline's own (stacks/layers.ts) unless a caller runs another project. */
export type LayerRegistry = Readonly<Record<string, LayerDefinition>>;

export interface StackEntry {
  stack: string;
  environment: string;
  layer: string;
  /** Upstream stacks of the same environment, from the layer's declared dependencies. */
  dependsOn: string[];
}

/**
 * The stacks of an environment: one per `stacks/Pulumi.<env>-<layer>.yaml`, with dependencies from the
 * layers' declarations, checked (unknown layers, missing upstream stacks, cycles) and ordered so every
 * stack comes after its upstream stacks.
 */
export function discoverStacks(
  environment: string,
  stacksDir = path.join(projectRoot, "stacks"),
  layerDefs: LayerRegistry = layers,
): StackEntry[] {
  const entries = new Map<string, StackEntry>();
  for (const file of readdirSync(stacksDir).sort()) {
    const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
    if (!match?.[1]) continue;
    const name = parseStackName(match[1]);
    if (name.environment !== environment) continue;
    const definition = Object.hasOwn(layerDefs, name.layer) ? layerDefs[name.layer] : undefined;
    if (!definition) {
      throw new StackGraphError(
        `stacks/${file} names layer '${name.layer}', which does not exist (known: ${Object.keys(layerDefs).join(", ")}).`,
      );
    }
    const layer = name.layer;
    entries.set(match[1], {
      stack: match[1],
      environment,
      layer,
      dependsOn: Object.keys(definition.reads).map((upstream) => `${environment}-${upstream}`),
    });
  }
  if (entries.size === 0) {
    throw new StackGraphError(
      `Environment '${environment}' has no stacks: no stacks/Pulumi.${environment}-<layer>.yaml files.`,
    );
  }
  const graph = buildGraph([...entries.values()]);
  return graph.order.map((stack) => entries.get(stack) as StackEntry);
}
