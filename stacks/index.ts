// The one program behind every stack: `<environment>-<layer>` picks the layer's program.
import * as pulumi from "@pulumi/pulumi";
import { isLayerName, type LayerProgram, layers } from "./layers";
import { parseStackName } from "./stack-name";

export = async (): Promise<Record<string, unknown>> => {
  const stack = pulumi.getStack();
  const { environment, layer } = parseStackName(stack);
  if (!isLayerName(layer)) {
    throw new pulumi.RunError(
      `Stack '${stack}' names layer '${layer}', which does not exist. Known layers: ${Object.keys(layers).join(", ")}.`,
    );
  }
  // Loaded by name so a stack only loads its own layer's code (and, for AWS layers, the AWS SDK).
  const program = (require(`./${layer}`) as { default: LayerProgram }).default;
  return program({ stack, environment, layer });
};
