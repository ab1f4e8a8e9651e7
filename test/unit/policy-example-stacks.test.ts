import { describe, expect, it } from "vitest";
import type { LayerContext, LayerName, LayerProgram } from "../../stacks/layers";
import { AWS_LAYERS, ENVIRONMENTS, exampleConfig, upstreamOutputs } from "./support/example-stacks";
import { checkPolicies, formatViolations, mandatoryViolations, recordPolicyResources } from "./support/policy-harness";
import { mockEngine } from "./support/pulumi-mocks";

/** Each layer's program, loaded as stacks/index.ts loads it. */
async function programOf(layer: LayerName): Promise<LayerProgram> {
  return ((await import(`../../stacks/${layer}/index.ts`)) as { default: LayerProgram }).default;
}

// The policy pack over every resource each example stack registers: what `pulumi preview --policy-pack
// policy` would judge on a user's machine, here under mocks since the AWS provider cannot run.
describe("the stackline-aws policy pack over every example stack", () => {
  for (const env of ENVIRONMENTS) {
    for (const layer of AWS_LAYERS) {
      it(`${env}-${layer}: no mandatory violation`, async () => {
        const stack = `${env}-${layer}`;
        const engine = await mockEngine(stack, exampleConfig(env, layer), upstreamOutputs(env));
        const recorder = recordPolicyResources();
        const context: LayerContext = { stack, environment: env, layer };
        await (await programOf(layer))(context);
        await engine.settle();
        // A layer that registered next to nothing would pass vacuously.
        expect(recorder.resources.filter((r) => r.type.startsWith("aws:")).length).toBeGreaterThan(5);
        const violations = await checkPolicies(recorder.resources);
        expect(mandatoryViolations(violations), formatViolations(violations)).toEqual([]);
      });
    }
  }
});
