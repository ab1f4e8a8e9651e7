import * as pulumi from "@pulumi/pulumi";
import { type LayerContext, type LayerName, layers } from "./layers";

/** Reads declared outputs of one upstream stack. */
export interface UpstreamStack {
  /** The output, or undefined while the upstream stack has not produced it yet. */
  output(name: string): pulumi.Output<unknown>;
}

/**
 * The same environment's stack of an upstream layer. Only the layers and outputs the current layer
 * declares in `reads` (stacks/layers.ts) may be read, so the orchestrator's graph and its stale-preview
 * check (both built from those declarations) stay true.
 */
export function upstreamStack(context: LayerContext, layer: LayerName): UpstreamStack {
  const reads: Readonly<Record<string, readonly string[]>> = layers[context.layer].reads;
  const declared = reads[layer];
  if (!declared) {
    throw new Error(
      `Layer '${context.layer}' reads layer '${layer}' but does not declare it: add it to reads in stacks/layers.ts.`,
    );
  }
  const stack = `${context.environment}-${layer}`;
  const reference = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${stack}`);
  return {
    output(name) {
      if (!declared.includes(name)) {
        throw new Error(
          `Layer '${context.layer}' reads output '${name}' of '${layer}' but declares only ${declared.join(", ")}: add it to reads in stacks/layers.ts.`,
        );
      }
      return reference.getOutput(name);
    },
  };
}
