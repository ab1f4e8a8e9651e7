import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateEngine } from "../../orchestrator/engine";
import { findLocks } from "../../orchestrator/locks";
import {
  assertNoInterruptedRuns,
  formatFindings,
  type Inspection,
  InterruptedRunError,
  inspectStacks,
  type RecoveryScope,
  recoverStacks,
} from "../../orchestrator/recovery";
import { updateEnvironment } from "../../orchestrator/update";
import { pipelineLayers } from "../fixtures/pipeline/layers";
import { type CliSandbox, makeCliSandbox, runCliInTerminal, runCliWithoutTerminal } from "./cli-sandbox";
import { sandboxStack } from "./support";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process's parent, process group and state, from /proc (Linux). */
function procStat(pid: number): { ppid: number; pgid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state as string, ppid: Number(ppid), pgid: Number(pgid) };
  } catch {
    return undefined;
  }
}

const allPids = () =>
  readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);

/** The process and all its descendants. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const ppid = procStat(pid)?.ppid;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/**
 * SIGKILLs the CLI and everything it started. The CLI starts each plugin (language host, providers) in
 * a process group of its own, so killing the CLI's group alone would leave them running: kill every
 * group led by a process of the tree.
 */
function killTree(root: number): number[] {
  const tree = processTree(root);
  const groups = [...new Set(tree.map((pid) => procStat(pid)?.pgid))].filter(
    (g): g is number => g !== undefined && tree.includes(g),
  );
  for (const group of groups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return groups;
}

/** Processes (not zombies) in these groups, or whose working directory is inside `dir`. */
function survivors(groups: readonly number[], dir: string): number[] {
  return allPids().filter((pid) => {
    const stat = procStat(pid);
    if (!stat || stat.state === "Z" || pid === process.pid) return false;
    if (groups.includes(stat.pgid)) return true;
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
    } catch {
      return false;
    }
  });
}

// A run killed mid-create, like a lost CI runner or `kill -9`, on the real engine and a file backend:
// the stack keeps the dead process's lock and a pending create in its checkpoint.
describe("stackline recover after an interrupted update", () => {
  // Laid out for the real `stackline` command too, which the test runs at the confirmation.
  let sandbox: CliSandbox;
  let scope: RecoveryScope;
  const setDelay = (stack: string, ms: number) =>
    writeFileSync(path.join(sandbox.workDir, "stacks", `Pulumi.${stack}.yaml`), `config:\n  pipeline:delayMs: ${ms}\n`);

  beforeAll(() => {
    sandbox = makeCliSandbox();
    scope = { environment: "t", layers: pipelineLayers, workDir: sandbox.workDir, envVars: sandbox.envVars };
  });
  afterAll(() => {
    // Whatever a failed assertion left running, by the sandbox it runs in (ours alone).
    if (sandbox) for (const pid of survivors([], path.dirname(sandbox.backendDir))) process.kill(pid, "SIGKILL");
    sandbox?.cleanup();
  });

  it("finds the dead process's lock and the pending create, clears both, and the next update loses nothing", async () => {
    // An environment with history: t-base exists before the interrupted run.
    const first = await updateEnvironment({
      ...scope,
      selection: { stacks: ["t-base"] },
      runDir: path.join(sandbox.workDir, "up1"),
    });
    expect(first.stacks.map((s) => s.status)).toEqual(["succeeded"]);

    // The interrupted run: t-solo's create takes two minutes; kill -9 the CLI and its plugins during it.
    setDelay("t-solo", 120_000);
    await sandboxStack(sandbox, "t-solo");
    const cliLog = openSync(path.join(sandbox.workDir, "killed-up.log"), "w");
    const running = spawn(
      locateEngine().path,
      ["up", "--yes", "--non-interactive", "--skip-preview", "--stack", "t-solo"],
      {
        cwd: sandbox.workDir,
        env: { ...process.env, ...sandbox.envVars },
        detached: true,
        stdio: ["ignore", cliLog, cliLog],
      },
    );
    closeSync(cliLog);
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    const checkpoint = path.join(sandbox.backendDir, ".pulumi", "stacks", "pipeline", "t-solo.json");
    const pendingInFile = () =>
      existsSync(checkpoint)
        ? ((JSON.parse(readFileSync(checkpoint, "utf8")).checkpoint.latest?.pending_operations ?? []) as unknown[])
        : [];
    // Wait for the slow LocalFile's create: the stack resource's own create is pending for a moment
    // before it, and a kill then would leave nothing pending.
    const fileCreatePending = () =>
      pendingInFile().some((op) => JSON.stringify(op).includes("stackline-test:LocalFile:Resource::solo"));
    for (let i = 0; i < 600 && !fileCreatePending() && running.exitCode === null; i++) await sleep(200);
    expect(pendingInFile(), readFileSync(path.join(sandbox.workDir, "killed-up.log"), "utf8")).toHaveLength(1);
    const groups = killTree(running.pid as number);
    expect(groups.length).toBeGreaterThan(1); // the CLI's group and its plugins' own groups
    await exited;
    let left = survivors(groups, path.dirname(sandbox.backendDir));
    for (let i = 0; i < 50 && left.length > 0; i++, left = survivors(groups, path.dirname(sandbox.backendDir))) {
      await sleep(100);
    }
    expect(left).toEqual([]);
    expect(existsSync(path.join(sandbox.programDir, "out", "t-solo.txt"))).toBe(false);

    // What is left: a lock of a pid that is gone, and the create the engine had started.
    const inspection = await inspectStacks(scope);
    expect([...inspection.inspected].sort()).toEqual(["t-base", "t-solo"]);
    expect(inspection.findings).toHaveLength(1);
    const [solo] = inspection.findings;
    expect(solo?.stack).toBe("t-solo");
    expect(solo?.locks).toHaveLength(1);
    expect(solo?.locks[0]?.lock).toMatchObject({ pid: running.pid, hostname: os.hostname() });
    expect(solo?.locks[0]).toMatchObject({ state: "stale", why: `pid ${running.pid} is not running on this host` });
    expect(solo?.locks[0]?.ageMs).toBeLessThan(180_000);
    expect(solo?.pending).toEqual([
      {
        type: "creating",
        urn: "urn:pulumi:t-solo::pipeline::pulumi-nodejs:dynamic/stackline-test:LocalFile:Resource::solo",
      },
    ]);
    const shown = formatFindings(inspection.findings);
    expect(shown).toMatch(
      new RegExp(`^t-solo \\(interrupted\\)\\n {2}lock {5}\\S+@${os.hostname()} \\(pid ${running.pid}\\), for \\d+s`),
    );
    expect(shown).toContain("  pending  create of urn:pulumi:t-solo::pipeline::");
    expect(shown).not.toContain("120000"); // the resource's inputs are never shown

    // `stackline up` stops before touching anything, naming the stack and the way out.
    await expect(assertNoInterruptedRuns(scope)).rejects.toThrow(InterruptedRunError);
    await expect(assertNoInterruptedRuns(scope)).rejects.toThrow(
      /t-solo: locked by .*1 pending create[\s\S]*stackline recover --env t/,
    );
    await expect(assertNoInterruptedRuns({ ...scope, selection: { stacks: ["t-base"] } })).resolves.toBeUndefined();

    // A "no" changes nothing.
    const declined = await recoverStacks(scope, {
      confirm: () => false,
      runDir: path.join(sandbox.workDir, "recover1"),
    });
    expect(declined.confirmed).toBe(false);
    expect(await findLocks(sandbox.envVars.PULUMI_BACKEND_URL, "pipeline", "t-solo")).toHaveLength(1);

    // The command itself: with no terminal and no --yes it shows what it found and refuses, naming --yes.
    const refused = runCliWithoutTerminal(sandbox, ["recover", "--env", "t"]);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain(`t-solo (interrupted)`);
    expect(refused.out).toContain("stackline: stdin is not a terminal, so nothing was changed; run again with --yes.");
    expect(refused.out).not.toContain("[y/N]");
    // On a terminal it asks after showing the plan and the pending create's warning; "n" changes nothing.
    const prompt = "Recover these stacks? [y/N] ";
    const onTerminal = await runCliInTerminal(sandbox, ["recover", "--env", "t"], [{ prompt, type: "n\r" }]);
    expect(onTerminal.code, onTerminal.out).toBe(0);
    const [asked, answered] = onTerminal.out.split(prompt);
    expect(asked).toContain(`pid ${running.pid}`);
    expect(asked).toContain("Recovery will:");
    expect(asked).toContain("A pending create is dropped from the state");
    expect(answered).toBe("n\nNothing changed.\n");
    expect(await findLocks(sandbox.envVars.PULUMI_BACKEND_URL, "pipeline", "t-solo")).toHaveLength(1);
    expect(pendingInFile()).toHaveLength(1);

    let shownToConfirm: Inspection | undefined;
    const report = await recoverStacks(scope, {
      confirm: (found) => {
        shownToConfirm = found;
        return true;
      },
      runDir: path.join(sandbox.workDir, "recover2"),
    });
    expect(shownToConfirm?.findings.map((f) => f.stack)).toEqual(["t-solo"]);
    expect(report.stacks.map(({ stack, actions, error, after }) => ({ stack, actions, error, after }))).toEqual([
      {
        stack: "t-solo",
        actions: ["removed 1 stale lock(s)", "refreshed, clearing 1 pending create"],
        error: undefined,
        after: { stack: "t-solo", locks: [], pending: [] },
      },
    ]);
    expect(await findLocks(sandbox.envVars.PULUMI_BACKEND_URL, "pipeline", "t-solo")).toEqual([]);
    expect(pendingInFile()).toEqual([]);
    expect((await inspectStacks(scope)).findings).toEqual([]);
    await expect(assertNoInterruptedRuns(scope)).resolves.toBeUndefined();

    // The next update of the environment completes: t-solo is created, t-base is untouched.
    setDelay("t-solo", 0);
    const next = await updateEnvironment({ ...scope, runDir: path.join(sandbox.workDir, "up2") });
    expect(Object.fromEntries(next.stacks.map((s) => [s.stack, s.status]))).toEqual({
      "t-base": "unchanged",
      "t-left": "succeeded",
      "t-right": "succeeded",
      "t-solo": "succeeded",
      "t-top": "succeeded",
    });
    expect(readFileSync(path.join(sandbox.programDir, "out", "t-solo.txt"), "utf8")).toBe("solo");
    expect(readFileSync(path.join(sandbox.programDir, "out", "t-base.txt"), "utf8")).toBe("base");
    const solState = await (await sandboxStack(sandbox, "t-solo")).exportStack();
    const urns = (solState.deployment.resources as { urn: string }[]).map((r) => r.urn);
    expect(urns).toContain(
      "urn:pulumi:t-solo::pipeline::pulumi-nodejs:dynamic/stackline-test:LocalFile:Resource::solo",
    );
    expect(solState.deployment.pending_operations ?? []).toEqual([]);
  });
});
