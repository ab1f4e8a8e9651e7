import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateEngine } from "../../orchestrator/engine";
import { makeSandbox, type Sandbox } from "./support";

/**
 * Runs the CLI inside a fresh network namespace that has only a loopback interface: any attempt to
 * reach the network (update check, plugin download, a cluster) fails there, so a success proves the
 * embedded default needs none.
 */
function pulumiWithoutNetwork(sandbox: Sandbox, args: string[]): string {
  const engine = locateEngine();
  const script = 'ip link set lo up && exec "$@"';
  return execFileSync("unshare", ["--net", "sh", "-c", script, "sh", engine.path, ...args, "--non-interactive"], {
    cwd: sandbox.workDir,
    env: { ...process.env, ...sandbox.envVars },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

describe("offline mode: the engine needs no network", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox("project");
  });
  afterAll(() => sandbox?.cleanup());

  it("pulumi up of a local stack succeeds with no network interface but loopback", () => {
    pulumiWithoutNetwork(sandbox, ["stack", "init", "local-platform"]);
    const out = pulumiWithoutNetwork(sandbox, ["up", "--yes", "--stack", "local-platform"]);
    expect(out).toMatch(/Resources:\s+\+ \d+ created/);
    expect(existsSync(path.join(sandbox.workDir, "out", "local-platform", "1-manifest"))).toBe(true);
  });
});
