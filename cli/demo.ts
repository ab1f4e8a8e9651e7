import { readdirSync } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type OpMap } from "@pulumi/pulumi/automation";
import { discoverStacks } from "../orchestrator/discover";
import { locateEngine, projectRoot, pulumiCommand } from "../orchestrator/engine";

const DEMO_ENVIRONMENT = "local";

const PAST_TENSE: Record<string, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
};

/** "2 to create, 1 to update" for a preview; "2 created, 1 updated" once applied. */
function summarize(changes: OpMap | Record<string, number> | undefined, applied = false): string {
  const parts = Object.entries(changes ?? {})
    .filter(([op, count]) => op !== "same" && (count ?? 0) > 0)
    .map(([op, count]) => (applied ? `${count} ${PAST_TENSE[op] ?? op}` : `${count} to ${op}`));
  return parts.length > 0 ? parts.join(", ") : "no changes";
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)));
  } catch {
    return [];
  }
}

/**
 * The main job on the embedded default: preview and update every stack of the local environment,
 * in dependency order, on the local file backend. Needs no cloud account and no cluster.
 */
export async function runDemo(): Promise<number> {
  const started = Date.now();
  const engine = locateEngine();
  const command = await pulumiCommand(engine);
  const stacks = discoverStacks(DEMO_ENVIRONMENT);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Stackline demo: the '${DEMO_ENVIRONMENT}' environment on the embedded default`);
  out(`  engine:  pulumi ${engine.version} (${engine.path})`);
  out(`  backend: ${process.env.PULUMI_BACKEND_URL ?? "(unset)"}`);
  out(`  stacks:  ${stacks.map((s) => s.stack).join(", ")}`);
  for (const [index, entry] of stacks.entries()) {
    const tag = `[${index + 1}/${stacks.length}] ${entry.stack}`;
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: entry.stack, workDir: projectRoot },
      { pulumiCommand: command },
    );
    let since = Date.now();
    const preview = await stack.preview();
    out(`${tag}: preview: ${summarize(preview.changeSummary)} (${seconds(since)})`);
    since = Date.now();
    const up = await stack.up();
    out(`${tag}: up: ${up.summary.result}, ${summarize(up.summary.resourceChanges, true)} (${seconds(since)})`);
    for (const [key, output] of Object.entries(up.outputs)) {
      out(`${" ".repeat(tag.length)}  output ${key} = ${output.secret ? "[secret]" : JSON.stringify(output.value)}`);
    }
    const rendered = up.outputs.renderDirectory?.value;
    if (typeof rendered === "string") {
      const files = listFiles(path.join(projectRoot, rendered));
      out(`${" ".repeat(tag.length)}  rendered ${files.length} manifest file(s) under ${rendered}/`);
    }
  }
  out(`Done: ${stacks.length} stack(s) previewed and updated in ${seconds(started)}.`);
  return 0;
}
