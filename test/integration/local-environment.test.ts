import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { projectRoot } from "../../orchestrator/engine";
import { checkov, checkovFailures, kubeScore, validateSchema, yamlFiles } from "./manifest-checkers";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function readManifests(dir: string): Manifest[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml"))
    .flatMap((entry) => parseAllDocuments(readFileSync(path.join(entry.parentPath, entry.name), "utf8")))
    .map((doc) => doc.toJS() as Manifest)
    .filter((doc) => doc !== null);
}

const SECRET = "tok-8d1f2c9a-never-in-state";

// The local environment on the real engine and the real Kubernetes provider, rendering YAML to disk.
describe("the local environment renders manifests with no cluster", () => {
  let sandbox: Sandbox;
  let platform: Stack;
  let apps: Stack;

  beforeAll(async () => {
    sandbox = makeSandbox("project");
    platform = await sandboxStack(sandbox, "local-platform");
    apps = await sandboxStack(sandbox, "local-apps");
  });

  afterAll(() => sandbox?.cleanup());

  it("local-platform renders a restricted namespace with quota, defaults and policies", async () => {
    const up = await platform.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.renderDirectory?.value).toBe("out/local-platform");
    const manifests = readManifests(path.join(sandbox.workDir, "out", "local-platform"));
    const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
    expect(byKind("Namespace").map((m) => m.metadata.name)).toEqual(["web"]);
    expect(byKind("Namespace")[0]?.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      team: "web",
    });
    expect(byKind("ResourceQuota").map((m) => m.metadata.namespace)).toEqual(["web"]);
    expect(byKind("LimitRange").map((m) => m.metadata.namespace)).toEqual(["web"]);
    expect(
      byKind("NetworkPolicy")
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(["web-allow-dns", "web-default-deny"]);
  });

  it("local-apps reads the platform's outputs and renders the sample web service", async () => {
    await apps.setConfig("stackline:appSecrets", {
      value: JSON.stringify({ podinfo: { API_TOKEN: SECRET } }),
      secret: true,
    });
    const logged: string[] = [];
    const up = await apps.up({ onOutput: (line) => logged.push(line) });
    expect(up.summary.result).toBe("succeeded");
    // The secret reaches the app's Secret but never state, outputs or the engine's output.
    const state = readFileSync(
      path.join(sandbox.backendDir, ".pulumi", "stacks", "stackline", "local-apps.json"),
      "utf8",
    );
    expect(state).not.toContain(SECRET);
    expect(state).toContain("ciphertext");
    expect(JSON.stringify(up.outputs)).not.toContain(SECRET);
    expect(logged.join("")).not.toContain(SECRET);
    expect(up.outputs.services?.value).toEqual({ podinfo: "http://podinfo.web.svc.cluster.local" });
    const manifests = readManifests(path.join(sandbox.workDir, "out", "local-apps"));
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      "ConfigMap",
      "Deployment",
      "HorizontalPodAutoscaler",
      "Ingress",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "Secret",
      "Service",
      "ServiceAccount",
    ]);
    for (const m of manifests) expect(m.metadata.namespace).toBe("web");
    const deployment = manifests.find((m) => m.kind === "Deployment");
    expect(deployment?.spec?.replicas).toBeUndefined();
  });

  it("the rendered manifests pass strict schema validation, kube-score and checkov", () => {
    const out = path.join(sandbox.workDir, "out");
    const files = yamlFiles(out);
    expect(files.length).toBeGreaterThanOrEqual(14);
    const schema = validateSchema(files);
    expect(schema.output).not.toMatch(/ERROR|failed validation/);
    expect(schema.code).toBe(0);
    const score = kubeScore(files);
    expect(score.output.split("\n").filter((l) => l.startsWith("[CRITICAL]"))).toEqual([]);
    expect(score.code).toBe(0);
    const lint = checkov(files);
    expect(checkovFailures(lint.output)).toEqual([]);
    expect(lint.output).toMatch(/Passed checks: \d+, Failed checks: 0/);
    expect(lint.code).toBe(0);
  });

  it("each checker fails on a manifest that breaks it", () => {
    const bad = (name: string) => path.join(projectRoot, "test", "fixtures", "bad-manifests", name);
    const schema = validateSchema([bad("schema.yaml")]);
    expect(schema.code).not.toBe(0);
    expect(schema.output).toContain("imagePullPolcy");
    const score = kubeScore([bad("score.yaml")]);
    expect(score.code).toBe(1);
    expect(score.output).toMatch(/\[CRITICAL\].*Image with latest tag/);
    const lint = checkov([bad("privileged.yaml")]);
    expect(lint.code).toBe(1);
    expect(checkovFailures(lint.output)).toContain(
      'CKV_K8S_16: "Container should not be privileged" -> Pod.web.privileged',
    );
  });

  it("a second run changes nothing", async () => {
    for (const stack of [platform, apps]) {
      const preview = await stack.preview();
      expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
    }
  });
});
