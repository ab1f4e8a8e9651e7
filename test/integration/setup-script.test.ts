import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dependencyVersion, projectRoot } from "../../orchestrator/engine";

// The engine selection in scripts/engine.sh, run for real in bash with a controlled PATH.
const scratch = mkdtempSync(path.join(tmpdir(), "setup-script-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ensureCli(pathDirs: string[]) {
  const script = `source "${projectRoot}/scripts/toolchain.sh" && ensure_cli && echo "chose $STACKLINE_PULUMI"`;
  const run = spawnSync("bash", ["-c", script], {
    env: { HOME: scratch, PATH: pathDirs.join(":"), STACKLINE_CACHE: path.join(scratch, "cache") },
    encoding: "utf8",
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A `pulumi` that only answers `pulumi version`, to exercise the version rule without a real install. */
function cliReporting(version: string): string {
  const dir = mkdtempSync(path.join(scratch, "bin-"));
  writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo v${version}\n`);
  chmodSync(path.join(dir, "pulumi"), 0o755);
  return dir;
}

describe("set-up's choice of Pulumi engine", () => {
  const sdk = dependencyVersion("@pulumi/pulumi");

  it("with neither a suitable pulumi nor Go, stops and says how to install Pulumi", () => {
    const { code, out } = ensureCli(["/usr/bin", "/bin"]);
    expect(code).toBe(1);
    expect(out).toContain(`no Pulumi CLI >= ${sdk} on PATH and no Go to build one.`);
    expect(out).toContain("Install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.26");
  });

  it("ignores a pulumi on PATH older than @pulumi/pulumi", () => {
    const { code, out } = ensureCli([cliReporting("3.100.0"), "/usr/bin", "/bin"]);
    expect(out).toContain(`ignoring ${scratch}`);
    expect(out).toContain(`(version '3.100.0' is older than @pulumi/pulumi ${sdk})`);
    expect(code).toBe(1);
  });

  it("uses a pulumi on PATH at least as new as @pulumi/pulumi, building nothing", () => {
    const dir = cliReporting(sdk);
    mkdirSync(path.join(scratch, "cache"), { recursive: true });
    const { code, out } = ensureCli([dir, "/usr/bin", "/bin"]);
    expect(code).toBe(0);
    expect(out).toContain(`chose ${dir}/pulumi`);
    expect(out).not.toContain("building");
  });
});
