import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { releaseStoreFor } from "../../orchestrator/releases/store";
import { type CliSandbox, makeCliSandbox, runCliInTerminal, runCliWithoutTerminal } from "./cli-sandbox";
import { pipelineUpdates } from "./pipeline-runs";
import { sandboxStack } from "./support";

const SOLO_URN = "urn:pulumi:t-solo::pipeline::pulumi-nodejs:dynamic/stackline-test:LocalFile:Resource::solo";

/** Every file under `dir` (recursively) with a hash of its content: any write, new file or removal shows. */
function filesOf(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const found: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found[path.relative(dir, file)] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  return found;
}

// The confirmation of `stackline rollback` as a person meets it: the real command on a pseudo-terminal,
// over the pipeline fixture's t-solo stack on the real engine, with a file backend.
describe("stackline rollback --env t --to <tag> on a terminal", () => {
  let sandbox: CliSandbox;
  /** The release of the first update: recorded before t-solo existed. */
  let beforeSolo: string;
  /** The release of the second update: t-solo at "solo", before the label "v2" changed it. */
  let beforeV2: string;
  const configure = (config: Record<string, unknown>) =>
    writeFileSync(
      path.join(sandbox.workDir, "stacks", "Pulumi.t-solo.yaml"),
      stringify({ config: { "pipeline:delayMs": 0, ...config } }),
    );
  const update = pipelineUpdates(() => sandbox, { selection: { stacks: ["t-solo"] } });
  const up = async (name: string) => {
    const report = await update({ runDir: path.join(sandbox.workDir, name) });
    expect(report.stacks.map((s) => [s.stack, s.status, s.errors])).toEqual([["t-solo", "succeeded", []]]);
    return report.release?.tag as string;
  };
  const rollPrompt = () => `Roll 't' back to ${beforeV2}? [y/N] `;
  /** `stackline rollback --env t --to <beforeV2>` on a terminal, answering its prompt with `typed`. */
  const rollBackTyping = (typed: string) =>
    runCliInTerminal(sandbox, ["rollback", "--env", "t", "--to", beforeV2], [{ prompt: rollPrompt(), type: typed }]);
  const soloFile = () => readFileSync(path.join(sandbox.programDir, "out", "t-solo.txt"), "utf8");
  const soloOutput = async () => (await (await sandboxStack(sandbox, "t-solo")).outputs()).value?.value;
  /** What a declined rollback must leave as it was: the backend (state, history, releases), stack files, output files. */
  const everything = () => ({
    backend: filesOf(sandbox.backendDir),
    stackFiles: filesOf(path.join(sandbox.workDir, "stacks")),
    out: filesOf(path.join(sandbox.programDir, "out")),
  });

  beforeAll(async () => {
    sandbox = makeCliSandbox();
    configure({});
    beforeSolo = await up("up1");
    configure({ "pipeline:label": "v2" });
    beforeV2 = await up("up2");
    expect(soloFile()).toBe("solo@v2");
  });
  afterAll(() => sandbox?.cleanup());

  it("without a terminal and without --yes: shows the plan, refuses naming --yes, changes nothing", () => {
    const before = everything();
    const run = runCliWithoutTerminal(sandbox, ["rollback", "--env", "t", "--to", beforeV2]);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toContain(`Rolling back to ${beforeV2} would`);
    expect(run.out).toContain("  t-solo: 1 to update");
    expect(run.out).toContain("stackline: stdin is not a terminal, so nothing was changed; run again with --yes.");
    expect(run.out).not.toContain("[y/N]");
    expect(everything()).toEqual(before);
  });

  it("answered n: shows the plan, asks once, says nothing was changed, and nothing was", async () => {
    const before = everything();
    const prompt = rollPrompt();
    const run = await rollBackTyping("n\r");
    expect(run.code, run.out).toBe(0);
    const [shown, after] = run.out.split(prompt);
    expect(shown).toContain("  t-solo: 1 to update");
    expect(after).toBe("n\nNothing was changed.\n");
    expect(run.out.split(prompt)).toHaveLength(2);
    expect(everything()).toEqual(before);
    expect(await soloOutput()).toBe("solo@v2");
  });

  it.each([
    ["an answer that is not yes", "yess\r", 0, "yess\nNothing was changed.\n"],
    // Ctrl-D aborts the command (readline's AbortError) rather than answering.
    ["Ctrl-D", "\u0004", 1, "\nstackline: Aborted with Ctrl+D\n"],
  ])("--state-only, %s: lists what state would stop tracking, and changes nothing", async (_, typed, code, after) => {
    const before = everything();
    const prompt = `Replace the state of 't' with ${beforeSolo}? [y/N] `;
    const run = await runCliInTerminal(
      sandbox,
      ["rollback", "--env", "t", "--to", beforeSolo, "--state-only"],
      [{ prompt, type: typed }],
    );
    expect(run.code, run.out).toBe(code);
    const [shown, rest] = run.out.split(prompt);
    // t-solo's file did not exist at that tag: the restored state would no longer track it.
    expect(shown).toContain(`no longer tracked (still exists): ${SOLO_URN}`);
    expect(shown).toContain("Warning: a state-only restore changes no resource.");
    expect(rest).toBe(after);
    expect(everything()).toEqual(before);
  });

  it("answered y: rolls back after the answer, outputs and file back at the tag, the replaced state a release", async () => {
    const prompt = rollPrompt();
    const run = await rollBackTyping("y\r");
    expect(run.code, run.out).toBe(0);
    const [shown, after] = run.out.split(prompt);
    expect(shown).toContain("  t-solo: 1 to update");
    expect(shown).not.toContain("rolling back");
    expect(after).toMatch(/^y\n/);
    expect(after).toContain(`Rolled back to release ${beforeV2}`);
    expect(after).toMatch(/ {2}t-solo {2}rolled-back in \d+\.\ds, outputs match the release/);
    expect(await soloOutput()).toBe("solo");
    expect(soloFile()).toBe("solo");
    const undo = /The state before this rollback is release (\S+)\.\n$/.exec(after ?? "")?.[1];
    expect(undo).toMatch(/^t-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    const store = releaseStoreFor(sandbox.envVars.PULUMI_BACKEND_URL, "pipeline", "t");
    const releases = await store?.list();
    expect(releases?.map((r) => r.tag).sort()).toEqual([beforeSolo, beforeV2, undo].sort());
    const undone = releases?.find((r) => r.tag === undo);
    expect(undone?.stacks["t-solo"]?.outputs.value).toEqual({ secret: false, value: "solo@v2" });
  });
});
