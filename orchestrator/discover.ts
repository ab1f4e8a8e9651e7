import { readdirSync } from "node:fs";
import * as path from "node:path";
import { isLayerName, type LayerName, layers } from "../stacks/layers";
import { parseStackName } from "../stacks/stack-name";
import { projectRoot } from "./engine";

export interface StackEntry {
  stack: string;
  environment: string;
  layer: LayerName;
  /** Upstream stacks of the same environment, from the layer's declared dependencies. */
  dependsOn: string[];
}

/**
 * The stacks of an environment: one per `stacks/Pulumi.<env>-<layer>.yaml`, in an order where every
 * stack comes after its upstream stacks (the layers' declaration order respects dependencies).
 */
export function discoverStacks(environment: string, stacksDir = path.join(projectRoot, "stacks")): StackEntry[] {
  const found = new Set<string>();
  for (const file of readdirSync(stacksDir)) {
    const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
    if (!match?.[1]) continue;
    const name = parseStackName(match[1]);
    if (name.environment !== environment) continue;
    if (!isLayerName(name.layer)) {
      throw new Error(
        `stacks/${file} names layer '${name.layer}', which does not exist (known: ${Object.keys(layers).join(", ")})`,
      );
    }
    found.add(name.layer);
  }
  return (Object.keys(layers) as LayerName[])
    .filter((layer) => found.has(layer))
    .map((layer) => ({
      stack: `${environment}-${layer}`,
      environment,
      layer,
      dependsOn: layers[layer].dependsOn.map((upstream) => `${environment}-${upstream}`),
    }));
}
