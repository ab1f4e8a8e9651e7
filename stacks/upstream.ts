import * as pulumi from "@pulumi/pulumi";
import { type LayerContext, type LayerName, layers } from "./layers";

/**
 * The same environment's stack of an upstream layer. Only layers the current one declares in
 * `dependsOn` may be read, so the orchestrator's graph (built from those declarations) stays true.
 */
export function upstreamStack(context: LayerContext, layer: LayerName): pulumi.StackReference {
  const declared: readonly string[] = layers[context.layer].dependsOn;
  if (!declared.includes(layer)) {
    throw new Error(
      `Layer '${context.layer}' reads layer '${layer}' but does not declare it: add it to dependsOn in stacks/layers.ts.`,
    );
  }
  const stack = `${context.environment}-${layer}`;
  return new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${stack}`);
}
