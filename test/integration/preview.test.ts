import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewEnvironment } from "../../orchestrator/preview";
import { detailedExitCode, renderMarkdown } from "../../orchestrator/report";
import { updateEnvironment } from "../../orchestrator/update";
import { makeSandbox, type Sandbox } from "./support";

// The fan-out preview over the local environment, on the real engine and a sandbox backend.
describe("stackline preview (fan-out)", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox("project");
  });
  afterAll(() => sandbox?.cleanup());

  it("previews every stack at once, one log per stack, and reports creates", async () => {
    const runDir = path.join(sandbox.workDir, "run1");
    const statuses: string[] = [];
    const report = await previewEnvironment({
      environment: "local",
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      runDir,
      parallel: 2,
      onStatus: (stack, status) => statuses.push(`${stack}:${status}`),
    });
    expect(report.stacks.map((s) => [s.stack, s.status])).toEqual([
      ["local-platform", "changes"],
      ["local-apps", "changes"],
    ]);
    expect(report.stacks[0]?.changes.create).toBe(8);
    expect(detailedExitCode(report)).toBe(2);
    // Both ran at once: the second started before the first ended.
    expect(statuses.indexOf("local-apps:running")).toBeLessThan(statuses.indexOf("local-platform:changes"));
    for (const stack of ["local-platform", "local-apps"]) {
      expect(readFileSync(path.join(runDir, `${stack}.log`), "utf8")).toContain("Previewing update");
    }
    const markdown = renderMarkdown(report);
    expect(markdown).toContain("| local-platform | 🟡 changes | 8 | 0 | 0 | 0 |");
  });

  it("flags a downstream preview as stale when the upstream preview changes an output it reads", async () => {
    const deployed = await updateEnvironment({
      environment: "local",
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
    });
    expect(deployed.stacks.map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
    const config = path.join(sandbox.workDir, "stacks", "Pulumi.local-platform.yaml");
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace("    - name: web\n", "    - name: web\n    - name: jobs\n"),
    );
    const report = await previewEnvironment({
      environment: "local",
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      runDir: path.join(sandbox.workDir, "run-stale"),
    });
    const [platform, apps] = report.stacks;
    expect(platform?.status).toBe("changes");
    expect(platform?.stale).toBeUndefined();
    expect(apps?.stale).toEqual([{ upstream: "local-platform", outputs: ["namespaces"] }]);
    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(/\| local-apps \| 🟢 no changes ⚠️ stale \|/);
    expect(markdown).toContain("⚠️ **Stale**: reads `namespaces` of local-platform, which its preview changes");
  });

  it("reports a failing stack with its error lines, and still previews the others", async () => {
    const config = path.join(sandbox.workDir, "stacks", "Pulumi.local-apps.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("port: 9898", "port: 99999"));
    const report = await previewEnvironment({
      environment: "local",
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      runDir: path.join(sandbox.workDir, "run2"),
    });
    const [platform, apps] = report.stacks;
    expect(platform?.status).toBe("changes");
    expect(apps?.status).toBe("failed");
    expect(apps?.errors.join("\n")).toContain("stackline:apps.podinfo.port: expected at most 65535, found 99999");
    expect(detailedExitCode(report)).toBe(1);
    expect(existsSync(path.join(sandbox.workDir, "run2", "local-apps.log"))).toBe(true);
    expect(renderMarkdown(report)).toContain("### 🔴 local-apps");
  });
});
