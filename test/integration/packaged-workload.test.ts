import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { replicas?: number };
}

// A local Helm chart and a Kustomize directory through the provider's Chart v4 and Kustomize v2.
describe("PackagedWorkload on the real Kubernetes provider", () => {
  let sandbox: Sandbox;
  let manifests: Manifest[];

  beforeAll(async () => {
    sandbox = makeSandbox("packaged");
    const stack = await sandboxStack(sandbox, "render");
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const dir = path.join(sandbox.workDir, "out");
    manifests = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
      .flatMap((e) => parseAllDocuments(readFileSync(path.join(e.parentPath, e.name), "utf8")))
      .map((d) => d.toJS() as Manifest);
  });
  afterAll(() => sandbox?.cleanup());

  it("renders the chart with its values into the guarded namespace", () => {
    const deployment = manifests.find((m) => m.kind === "Deployment");
    expect(deployment?.metadata.namespace).toBe("charts");
    expect(deployment?.spec?.replicas).toBe(3);
    const namespace = manifests.find((m) => m.kind === "Namespace" && m.metadata.name === "charts");
    expect(namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const policies = manifests.filter((m) => m.kind === "NetworkPolicy" && m.metadata.namespace === "charts");
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(["charts-allow-dns", "charts-default-deny"]);
  });

  it("renders the kustomization into its own guarded namespace", () => {
    const configMap = manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name === "hello-settings");
    expect(configMap?.metadata.namespace).toBe("kustomized");
    expect(manifests.some((m) => m.kind === "Namespace" && m.metadata.name === "kustomized")).toBe(true);
  });
});
