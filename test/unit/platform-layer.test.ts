import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../stacks/config";
import program from "../../stacks/platform";
import { isSecretInput, mockEngine, outputValue } from "./support/pulumi-mocks";

const context = { stack: "local-platform", environment: "local", layer: "platform" } as const;

describe("the platform layer", () => {
  it("renders to out/<stack> by default and creates each namespace", async () => {
    const engine = await mockEngine("local-platform", {
      "stackline:namespaces": [{ name: "web" }, { name: "jobs", podSecurity: "baseline" }],
    });
    const outputs = await program(context);
    await engine.settle();
    const [provider] = engine.ofType("pulumi:providers:kubernetes");
    expect(provider?.inputs).toMatchObject({ renderYamlToDirectory: "out/local-platform" });
    expect(provider?.inputs.kubeconfig).toBeUndefined();
    expect(engine.ofType("stackline:k8s:TenantNamespace").map((r) => r.name)).toEqual(["web", "jobs"]);
    const names = await Promise.all((outputs.namespaces as never[]).map(outputValue));
    expect(names).toEqual(["web", "jobs"]);
    expect(outputs.renderDirectory).toBe("out/local-platform");
    // Every Kubernetes object goes through the stack's provider, never an ambient default one.
    for (const r of engine.resources.filter((r) => r.type.startsWith("kubernetes:"))) {
      expect(r.provider).toContain("pulumi:providers:kubernetes::kubernetes");
    }
  });

  it("deploys to a cluster when a kubeconfig is configured, keeping it secret", async () => {
    const engine = await mockEngine("local-platform", {
      "stackline:kubernetes": { kubeconfig: "/home/me/.kube/config", context: "kind-dev" },
      "stackline:namespaces": [{ name: "web" }],
    });
    const outputs = await program(context);
    await engine.settle();
    const [provider] = engine.ofType("pulumi:providers:kubernetes");
    expect(provider?.inputs).toMatchObject({ context: "kind-dev", enableServerSideApply: "true" });
    expect(provider?.inputs.renderYamlToDirectory).toBeUndefined();
    expect(isSecretInput(provider?.inputs.kubeconfig)).toBe(true);
    expect(outputs.renderDirectory).toBeUndefined();
  });

  it("stops on bad config before registering any resource", async () => {
    const engine = await mockEngine("local-platform", {
      "stackline:namespaces": [{ name: "web", podSecurity: "strict" }],
      "stackline:kubernetes": { renderDir: "elsewhere" },
    });
    const error = await program(context).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:kubernetes.renderDir",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: '"elsewhere"',
      },
      {
        key: "stackline:namespaces[0].podSecurity",
        expected: 'one of "restricted", "baseline", "privileged"',
        found: '"strict"',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
