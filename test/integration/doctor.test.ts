import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { dependencyVersion, locateEngine, projectRoot } from "../../orchestrator/engine";

function doctor(env: NodeJS.ProcessEnv) {
  const tsx = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const run = spawnSync(process.execPath, [tsx, path.join(projectRoot, "cli", "main.ts"), "doctor"], {
    env,
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

describe("stackline doctor", () => {
  it("reports Node.js, the engine at the pinned version, plugins, backend and offline mode", () => {
    const { code, out } = doctor(process.env);
    const engine = locateEngine();
    expect(code).toBe(0);
    expect(out).toContain(`[ok  ] Node.js                ${process.versions.node}`);
    expect(out).toContain(`[ok  ] Pulumi CLI             ${engine.version} at ${engine.path}`);
    expect(out).toContain(`[ok  ] Plugin kubernetes      ${dependencyVersion("@pulumi/kubernetes")} installed`);
    expect(out).toMatch(/\[ok {2}\] Backend {16}file:\/\//);
    expect(out).toContain("Everything Stackline needs is in place.");
  });

  it("names what is missing with the fix, and exits 1", () => {
    const env = {
      HOME: process.env.HOME,
      PATH: path.dirname(process.execPath),
      PULUMI_HOME: process.env.PULUMI_HOME,
    };
    const { code, out } = doctor(env);
    expect(code).toBe(1);
    expect(out).toContain("[MISS] Pulumi CLI             none");
    expect(out).toContain("fix: No Pulumi CLI found");
    expect(out).toContain("install Pulumi from https://www.pulumi.com/docs/install/");
    expect(out).toContain("[MISS] Backend");
    expect(out).toMatch(/\d thing\(s\) missing; see the fixes above\./);
  });
});
