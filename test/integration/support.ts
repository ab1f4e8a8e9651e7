import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { projectRoot, pulumiCommand } from "../../orchestrator/engine";

/** A throwaway copy of a fixture program with its own file backend, inside the repo so node_modules resolves. */
export interface Sandbox {
  /** The copied program's folder. */
  workDir: string;
  /** The file backend's folder. */
  backendDir: string;
  /** Environment for the engine: this sandbox's backend, a test passphrase, offline mode. */
  envVars: Record<string, string>;
  cleanup(): void;
}

/** The files that make up Stackline's own Pulumi program. */
const PROJECT_PROGRAM = [
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "tsconfig.program.json",
  "stacks",
  "components",
];

/**
 * A fresh copy of Stackline's program in the repository's layout, so tests can set config and write
 * files without touching the repository. With `"project"` the program is Stackline's own; otherwise it
 * is the fixture `test/fixtures/<name>`, which may import `../../../components/...` as in the repo.
 */
export function makeSandbox(fixture: string): Sandbox {
  const base = path.join(projectRoot, ".stackline", "test");
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, `${fixture}-`));
  const copy = path.join(root, "copy");
  const backendDir = path.join(root, "state");
  for (const entry of PROJECT_PROGRAM) {
    cpSync(path.join(projectRoot, entry), path.join(copy, entry), { recursive: true });
  }
  let workDir = copy;
  if (fixture !== "project") {
    // All fixtures, since one may use another's files (charts, kustomizations).
    cpSync(path.join(projectRoot, "test", "fixtures"), path.join(copy, "test", "fixtures"), { recursive: true });
    workDir = path.join(copy, "test", "fixtures", fixture);
  }
  mkdirSync(backendDir);
  return {
    workDir,
    backendDir,
    envVars: sandboxEnvVars(backendDir),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The engine's environment in a sandbox: its own file backend, a test passphrase, offline mode. */
export function sandboxEnvVars(backendDir: string): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    // The embedded default's local-only passphrase: the local stacks' committed encryptionsalt is for it.
    PULUMI_CONFIG_PASSPHRASE: "stackline-local-only",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/**
 * Creates a stack of the sandboxed program on the real engine. A missing engine throws
 * EngineNotFoundError, so the test fails rather than skips.
 */
export async function sandboxStack(sandbox: Sandbox, stackName: string): Promise<Stack> {
  return LocalWorkspace.createOrSelectStack(
    { stackName, workDir: sandbox.workDir },
    { pulumiCommand: await pulumiCommand(), envVars: sandbox.envVars },
  );
}
