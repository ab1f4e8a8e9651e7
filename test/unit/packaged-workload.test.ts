import { describe, expect, it } from "vitest";
import { PackagedWorkload } from "../../components/kubernetes/packaged-workload";
import { ComponentArgsError } from "../../components/validation";
import { mockEngine } from "./support/pulumi-mocks";

describe("PackagedWorkload", () => {
  it("installs a local chart through Chart v4 inside a guarded namespace", async () => {
    const engine = await mockEngine("test-apps");
    new PackagedWorkload("shop", {
      namespace: { name: "shop" },
      source: { helm: { chart: "./charts/shop", values: { a: 1 } } },
    });
    await engine.settle();
    const [chart] = engine.ofType("kubernetes:helm.sh/v4:Chart");
    expect(chart?.inputs).toMatchObject({ chart: "./charts/shop", namespace: "shop", values: { a: 1 } });
    expect(engine.ofType("stackline:k8s:TenantNamespace")).toHaveLength(1);
    expect(engine.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toHaveLength(2);
  });

  it("applies a Kustomize directory through Kustomize v2 into an existing namespace", async () => {
    const engine = await mockEngine("test-apps");
    new PackagedWorkload("ops", {
      namespace: { name: "ops", create: false },
      source: { kustomize: { directory: "./k" } },
    });
    await engine.settle();
    expect(engine.ofType("kubernetes:kustomize/v2:Directory")[0]?.inputs).toMatchObject({
      directory: "./k",
      namespace: "ops",
    });
    expect(engine.ofType("stackline:k8s:TenantNamespace")).toHaveLength(0);
  });

  it("refuses a source that is neither or both, before creating anything", async () => {
    const engine = await mockEngine("test-apps");
    const attempt = (source: unknown) => () =>
      new PackagedWorkload("bad", { namespace: { name: "x" }, source } as never);
    expect(attempt({})).toThrow(ComponentArgsError);
    expect(attempt({ helm: { chart: "c" }, kustomize: { directory: "d" } })).toThrow(ComponentArgsError);
    expect(attempt({ helm: { chart: "" } })).toThrow(/source\.helm\.chart: expected length at least 1/);
    expect(await engine.settle()).toHaveLength(0);
  });
});
