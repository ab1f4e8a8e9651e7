import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import program from "../../stacks/apps";
import { StackConfigError } from "../../stacks/config";
import { upstreamStack } from "../../stacks/upstream";
import { isSecretInput, mockEngine, outputValue } from "./support/pulumi-mocks";

const context = { stack: "local-apps", environment: "local", layer: "apps" } as const;
const podinfo = { namespace: "web", image: "ghcr.io/stefanprodan/podinfo:6.7.1", port: 9898 };
const platformOutputs = { "organization/stackline/local-platform": { namespaces: ["web"] } };

describe("the apps layer", () => {
  it("reads the same environment's platform stack and runs each app in an existing namespace", async () => {
    const engine = await mockEngine("local-apps", { "stackline:apps": { podinfo } }, platformOutputs);
    const outputs = await program(context);
    await engine.settle();
    const [reference] = engine.ofType("pulumi:pulumi:StackReference");
    expect(reference?.name).toBe("organization/stackline/local-platform");
    expect(engine.ofType("stackline:k8s:Workload").map((w) => w.name)).toEqual(["podinfo"]);
    expect(engine.ofType("stackline:k8s:TenantNamespace")).toHaveLength(0);
    const services = outputs.services as Record<string, pulumi.Output<string>>;
    expect(await outputValue(services.podinfo as pulumi.Output<string>)).toBe("http://podinfo.web.svc.cluster.local");
    expect(outputs.renderDirectory).toBe("out/local-apps");
  });

  it("passes secret config to the app as a Kubernetes Secret marked secret", async () => {
    const engine = await mockEngine(
      "local-apps",
      {
        "stackline:apps": { podinfo },
        "stackline:appSecrets": { podinfo: { API_TOKEN: "not-for-logs" } },
      },
      platformOutputs,
    );
    await program(context);
    await engine.settle();
    const [secret] = engine.ofType("kubernetes:core/v1:Secret");
    expect(secret?.name).toBe("podinfo-secrets");
    expect(isSecretInput(secret?.inputs.stringData)).toBe(true);
    expect(JSON.stringify(engine.ofType("pulumi:pulumi:Stack"))).not.toContain("not-for-logs");
  });

  it("refuses an app with an unpinned image before registering anything", async () => {
    const engine = await mockEngine("local-apps", {
      "stackline:apps": { podinfo: { ...podinfo, image: "podinfo:latest" } },
    });
    const error = await program(context).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems[0]?.key).toBe("stackline:apps.podinfo.image");
    expect(await engine.settle()).toHaveLength(0);
  });

  it("may read only the outputs it declares", async () => {
    await mockEngine("local-apps");
    const platform = upstreamStack(context, "platform");
    expect(() => platform.output("kubeconfig")).toThrow(
      "Layer 'apps' reads output 'kubeconfig' of 'platform' but declares only namespaces: add it to reads in stacks/layers.ts.",
    );
  });

  it("may read only the upstream layers it declares", async () => {
    await mockEngine("local-platform");
    expect(() => upstreamStack({ stack: "local-platform", environment: "local", layer: "platform" }, "apps")).toThrow(
      "Layer 'platform' reads layer 'apps' but does not declare it: add it to reads in stacks/layers.ts.",
    );
  });
});
