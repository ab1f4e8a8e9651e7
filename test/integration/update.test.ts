import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatUpdateSummary, updateEnvironment } from "../../orchestrator/update";
import { makeSandbox, type Sandbox } from "./support";

// The pipelined update over the local environment, on the real engine and a sandbox backend.
describe("stackline up (pipelined)", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox("project");
  });
  afterAll(() => sandbox?.cleanup());

  it("updates upstream first: local-apps starts only after local-platform ended", async () => {
    const report = await updateEnvironment({
      environment: "local",
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      runDir: path.join(sandbox.workDir, "up1"),
      parallel: 2,
    });
    const [platform, apps] = report.stacks;
    expect([platform?.status, apps?.status]).toEqual(["succeeded", "succeeded"]);
    expect(apps?.startedAt).toBeGreaterThanOrEqual(platform?.endedAt ?? Number.POSITIVE_INFINITY);
    expect(apps?.update?.outputs.services?.value).toEqual({ podinfo: "http://podinfo.web.svc.cluster.local" });
    expect(formatUpdateSummary(report)).toMatch(/local-platform {2}succeeded in \d+\.\ds/);
  });

  it("fail-fast: a failed upstream stack skips its dependents, and the summary says why", async () => {
    const config = path.join(sandbox.workDir, "stacks", "Pulumi.local-platform.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("- name: web", "- name: Web_Bad"));
    const report = await updateEnvironment({
      environment: "local",
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      runDir: path.join(sandbox.workDir, "up2"),
    });
    const [platform, apps] = report.stacks;
    expect(platform?.status).toBe("failed");
    expect(platform?.errors.join("\n")).toContain("stackline:namespaces[0].name: expected a DNS-1123 label");
    expect(apps).toMatchObject({ status: "skipped", skippedBecause: "local-platform" });
    const summary = formatUpdateSummary(report);
    expect(summary).toContain("1 failed");
    expect(summary).toContain("local-apps      skipped (because of local-platform)");
  });
});
