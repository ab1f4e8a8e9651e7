import { readdirSync } from "node:fs";
import * as path from "node:path";
import { isLayerName, type LayerName, layers, upstreamLayers } from "../stacks/layers";
import { parseStackName } from "../stacks/stack-name";
import { projectRoot } from "./engine";
import { buildGraph, StackGraphError } from "./graph";

export interface StackEntry {
  stack: string;
  environment: string;
  layer: LayerName;
  /** Upstream stacks of the same environment, from the layer's declared dependencies. */
  dependsOn: string[];
}

/**
 * The stacks of an environment: one per `stacks/Pulumi.<env>-<layer>.yaml`, with dependencies from the
 * layers' declarations, checked (unknown layers, missing upstream stacks, cycles) and ordered so every
 * stack comes after its upstream stacks.
 */
export function discoverStacks(environment: string, stacksDir = path.join(projectRoot, "stacks")): StackEntry[] {
  const entries = new Map<string, StackEntry>();
  for (const file of readdirSync(stacksDir).sort()) {
    const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
    if (!match?.[1]) continue;
    const name = parseStackName(match[1]);
    if (name.environment !== environment) continue;
    if (!isLayerName(name.layer)) {
      throw new StackGraphError(
        `stacks/${file} names layer '${name.layer}', which does not exist (known: ${Object.keys(layers).join(", ")}).`,
      );
    }
    const layer: LayerName = name.layer;
    entries.set(match[1], {
      stack: match[1],
      environment,
      layer,
      dependsOn: upstreamLayers(layer).map((upstream) => `${environment}-${upstream}`),
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
