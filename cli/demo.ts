import { mkdirSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { locateEngine, projectRoot } from "../orchestrator/engine";
import { newRunDir, previewEnvironment } from "../orchestrator/preview";
import type { SmokeCheck } from "../orchestrator/smoke";
import { formatUpdateSummary, updateEnvironment } from "../orchestrator/update";
import { writePreviewReports } from "./preview-command";
import { StatusLines } from "./status-lines";

const DEMO_ENVIRONMENT = "local";

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

/**
 * The main job on the embedded default: a fan-out preview of every stack of the local environment,
 * then a pipelined update in dependency order, on the local file backend, then a labelled demonstration
 * of the automatic rollback (a smoke check that fails on purpose). No cloud account, no cluster.
 */
export async function runDemo(): Promise<number> {
  const engine = locateEngine();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Stackline demo: the '${DEMO_ENVIRONMENT}' environment on the embedded default`);
  out(`  engine:  pulumi ${engine.version} (${engine.path})`);
  out(`  backend: ${process.env.PULUMI_BACKEND_URL ?? "(unset)"}`);

  out("\n1. Fan-out preview (all stacks at once)");
  const previewDir = newRunDir("demo-preview");
  mkdirSync(previewDir, { recursive: true });
  const previewLines = new StatusLines();
  const preview = await previewEnvironment({
    environment: DEMO_ENVIRONMENT,
    runDir: previewDir,
    onStatus: (stack, status) => previewLines.update(stack, status),
  });
  out(`\n${writePreviewReports(preview, previewDir)}`);
  if (preview.stacks.some((s) => s.status === "failed")) return 1;

  out("2. Pipelined update (each stack once its upstream stacks succeed)");
  const upLines = new StatusLines();
  const update = await updateEnvironment({
    environment: DEMO_ENVIRONMENT,
    runDir: newRunDir("demo-up"),
    onStatus: (stack, status) => upLines.update(stack, status),
  });
  out(`\n${formatUpdateSummary(update)}`);
  for (const s of update.stacks) {
    const rendered = s.update?.outputs.renderDirectory?.value;
    if (typeof rendered === "string")
      out(`  ${s.stack}: ${countFiles(path.join(projectRoot, rendered))} manifest file(s) in ${rendered}/`);
  }
  if (update.stacks.some((s) => s.status === "failed" || s.status === "skipped")) return 1;

  out("\n3. Rollback (a DEMONSTRATION: a smoke check that fails on purpose after local-apps' update)");
  const rollbackLines = new StatusLines();
  const demo = await updateEnvironment({
    environment: DEMO_ENVIRONMENT,
    selection: { stacks: ["local-apps"] },
    runDir: newRunDir("demo-rollback"),
    extraSmokeChecks: { "local-apps": [DEMONSTRATION_CHECK] },
    onStatus: (stack, status) => rollbackLines.update(stack, status),
    onRollbackStatus: (stack, status) => rollbackLines.update(stack, status),
  });
  out(`\n${formatUpdateSummary(demo)}`);
  out("  (expected: the demonstration check fails, and local-apps is rolled back to the release taken before.)");
  return demo.rollback?.ok ? 0 : 1;
}

/** Fails on purpose, to show the automatic rollback; not a real check of anything. */
const DEMONSTRATION_CHECK: SmokeCheck = {
  name: "demonstration: fails on purpose",
  command: ["sh", "-c", "echo 'this demonstration check always fails' >&2; exit 1"],
  timeoutSeconds: 5,
  attempts: 1,
  intervalSeconds: 0,
};
