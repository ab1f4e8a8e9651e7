import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { StackUpdateEntry } from "../../orchestrator/update";
import { pipelineUpdates } from "./pipeline-runs";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

/** The most stacks that were running at one instant, from their start and end times. */
function peakConcurrency(entries: StackUpdateEntry[]): number {
  const edges = entries
    .filter((e) => e.startedAt !== undefined && e.endedAt !== undefined)
    .flatMap((e) => [
      { at: e.startedAt as number, delta: 1 },
      { at: e.endedAt as number, delta: -1 },
    ])
    // An end and a start at the same millisecond do not overlap.
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const edge of edges) {
    running += edge.delta;
    peak = Math.max(peak, running);
  }
  return peak;
}

const statuses = (entries: StackUpdateEntry[]) => Object.fromEntries(entries.map((e) => [e.stack, e.status]));

// The pipelined update on the real engine over a fixture with branches: t-base -> t-left -> t-top,
// t-base -> t-right, and t-solo on its own.
describe("stackline up over a branching graph", () => {
  let sandbox: Sandbox;
  const up = pipelineUpdates(() => sandbox);
  const setFailure = (stack: string, message: string | undefined) => {
    const file = path.join(sandbox.workDir, "stacks", `Pulumi.${stack}.yaml`);
    const settings = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    if (message) settings.config["pipeline:failWith"] = message;
    else delete settings.config["pipeline:failWith"];
    writeFileSync(file, stringify(settings));
  };

  beforeAll(() => {
    sandbox = makeSandbox("pipeline");
  });
  afterAll(() => sandbox?.cleanup());

  it("never runs more stacks than --parallel, and starts each only after its upstream stacks ended", async () => {
    const report = await up({ parallel: 2 });
    const byStack = new Map(report.stacks.map((e) => [e.stack, e]));
    expect(statuses(report.stacks)).toEqual({
      "t-base": "succeeded",
      "t-left": "succeeded",
      "t-right": "succeeded",
      "t-solo": "succeeded",
      "t-top": "succeeded",
    });
    // Two roots (t-base, t-solo) are ready at once, so the bound is reached, and never exceeded.
    expect(peakConcurrency(report.stacks)).toBe(2);
    for (const [stack, upstream] of [
      ["t-left", "t-base"],
      ["t-right", "t-base"],
      ["t-top", "t-left"],
    ] as const) {
      expect(byStack.get(stack)?.startedAt).toBeGreaterThanOrEqual(byStack.get(upstream)?.endedAt ?? Infinity);
    }
    // Each stack read its upstream's output through a StackReference.
    expect(byStack.get("t-top")?.update?.outputs.value?.value).toBe("top<left<base");
  });

  it("with room for all, starts sibling stacks together as soon as their shared upstream ends", async () => {
    const report = await up({ parallel: 5 });
    const [left, right] = ["t-left", "t-right"].map((name) => report.stacks.find((e) => e.stack === name));
    // Both waited only for t-base, so they ran side by side.
    expect(left?.startedAt).toBeLessThan(right?.endedAt ?? 0);
    expect(right?.startedAt).toBeLessThan(left?.endedAt ?? 0);
    expect(new Set(report.stacks.map((e) => e.status))).toEqual(new Set(["unchanged"]));
  });

  it("fail-fast: skips exactly the failed stack's dependents; stacks already running finish", async () => {
    setFailure("t-left", "injected failure in t-left");
    const report = await up({ parallel: 3 });
    const left = report.stacks.find((e) => e.stack === "t-left");
    expect(left?.errors.join("\n")).toContain("injected failure in t-left");
    expect(statuses(report.stacks)).toEqual({
      "t-base": "unchanged",
      "t-left": "failed",
      // Started together with t-left (both waited only for t-base), so it finished.
      "t-right": "unchanged",
      "t-solo": "unchanged",
      "t-top": "skipped",
    });
    expect(report.stacks.find((e) => e.stack === "t-top")?.skippedBecause).toBe("t-left");
  });

  it("fail-fast with one slot: stacks not yet started are skipped too, and say why", async () => {
    const report = await up({ parallel: 1 });
    const skipped = report.stacks.filter((e) => e.status === "skipped");
    expect(skipped.map((e) => [e.stack, e.skippedBecause])).toEqual([
      ["t-right", "an earlier failure (fail-fast)"],
      ["t-solo", "an earlier failure (fail-fast)"],
      ["t-top", "t-left"],
    ]);
  });

  it("--continue-on-error keeps independent branches going and still skips the dependents", async () => {
    setFailure("t-right", undefined);
    const report = await up({ parallel: 1, continueOnError: true });
    expect(statuses(report.stacks)).toEqual({
      "t-base": "unchanged",
      "t-left": "failed",
      "t-right": "unchanged",
      "t-solo": "unchanged",
      "t-top": "skipped",
    });
    expect(report.stacks.find((e) => e.stack === "t-top")?.skippedBecause).toBe("t-left");
  });

  it("a stack another operation holds fails as locked, and is not rolled back (nothing changed there)", async () => {
    const holder = await sandboxStack(sandbox, "t-solo");
    await holder.setConfig("pipeline:delayMs", { value: "15000" });
    await holder.setConfig("pipeline:label", { value: "held" });
    const running = holder.up();
    const lockDir = path.join(sandbox.backendDir, ".pulumi", "locks", "organization", "pipeline", "t-solo");
    for (let i = 0; i < 100 && !existsSync(lockDir); i++) await new Promise((r) => setTimeout(r, 100));
    const report = await up({ parallel: 1, selection: { stacks: ["t-solo"] } });
    expect(report.stacks).toMatchObject([{ stack: "t-solo", status: "failed", locked: true }]);
    expect(report.rollback).toBeUndefined();
    expect((await running).summary.result).toBe("succeeded");
  });
});
