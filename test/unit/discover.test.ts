import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverStacks } from "../../orchestrator/discover";

function stacksDir(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "stacks-"));
  for (const file of files) writeFileSync(path.join(dir, file), "config: {}\n");
  return dir;
}

describe("discoverStacks", () => {
  it("finds an environment's stacks from its config files, upstream first", () => {
    const dir = stacksDir(["Pulumi.local-apps.yaml", "Pulumi.local-platform.yaml", "Pulumi.dev-platform.yaml"]);
    expect(discoverStacks("local", dir)).toEqual([
      { stack: "local-platform", environment: "local", layer: "platform", dependsOn: [] },
      { stack: "local-apps", environment: "local", layer: "apps", dependsOn: ["local-platform"] },
    ]);
  });

  it("refuses a stack whose upstream stack has no config file", () => {
    expect(() => discoverStacks("dev", stacksDir(["Pulumi.dev-apps.yaml"]))).toThrow(
      "Stack 'dev-apps' depends on 'dev-platform', which does not exist",
    );
  });

  it("refuses unknown layers and empty environments", () => {
    expect(() => discoverStacks("dev", stacksDir(["Pulumi.dev-databse.yaml"]))).toThrow(
      "stacks/Pulumi.dev-databse.yaml names layer 'databse', which does not exist (known: platform, apps, network, data, storage, compute, edge).",
    );
    expect(() => discoverStacks("qa", stacksDir(["Pulumi.dev-platform.yaml"]))).toThrow(
      "Environment 'qa' has no stacks",
    );
  });
});
