import { describe, expect, it } from "vitest";
import { buildGraph } from "../../orchestrator/graph";
import { schedule } from "../../orchestrator/scheduler";

// network -> data -> compute; network -> edge; storage independent.
const graph = buildGraph([
  { stack: "network", dependsOn: [] },
  { stack: "data", dependsOn: ["network"] },
  { stack: "compute", dependsOn: ["data"] },
  { stack: "edge", dependsOn: ["network"] },
  { stack: "storage", dependsOn: [] },
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that records how many run at once and can be told to fail. */
function recorder(failing: string[] = [], ms = 20) {
  let active = 0;
  let peak = 0;
  const started: string[] = [];
  const task = async (stack: string) => {
    started.push(stack);
    active++;
    peak = Math.max(peak, active);
    await sleep(ms);
    active--;
    if (failing.includes(stack)) throw new Error(`${stack} failed`);
    return stack.toUpperCase();
  };
  return { task, started, peak: () => peak };
}

describe("schedule", () => {
  it("pipeline: each stack starts only after all its upstream stacks ended, within the bound", async () => {
    const r = recorder();
    const results = await schedule(graph, r.task, { parallel: 2, mode: "pipeline" });
    expect(results.map((x) => x.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(r.peak()).toBe(2);
    const at = Object.fromEntries(results.map((x) => [x.stack, x]));
    for (const [stack, ups] of graph.upstream) {
      for (const up of ups) expect(at[stack]?.startedAt ?? 0).toBeGreaterThanOrEqual(at[up]?.endedAt ?? Infinity);
    }
    expect(at.compute?.value).toBe("COMPUTE");
  });

  it("pipeline: a runner pool, not waves: edge starts while data still runs", async () => {
    const r = recorder();
    await schedule(graph, r.task, { parallel: 3, mode: "pipeline" });
    // network and storage first; when network ends, data and edge start together.
    expect(r.started.slice(0, 2).sort()).toEqual(["network", "storage"]);
    expect(r.started.slice(2, 4).sort()).toEqual(["data", "edge"]);
  });

  it("fail-fast: running stacks finish, dependents and not-started stacks are skipped", async () => {
    const r = recorder(["network"]);
    const results = await schedule(graph, r.task, { parallel: 2, mode: "pipeline" });
    const by = Object.fromEntries(results.map((x) => [x.stack, x]));
    expect(by.network?.status).toBe("failed");
    expect(by.storage?.status).toBe("succeeded"); // was already running
    expect(by.data).toMatchObject({ status: "skipped", skippedBecause: "network" });
    expect(by.compute).toMatchObject({ status: "skipped", skippedBecause: "data" });
    expect(by.edge).toMatchObject({ status: "skipped", skippedBecause: "network" });
  });

  it("continue-on-error: independent branches keep going, only dependents are skipped", async () => {
    const r = recorder(["data"]);
    const results = await schedule(graph, r.task, { parallel: 1, mode: "pipeline", continueOnError: true });
    const by = Object.fromEntries(results.map((x) => [x.stack, x.status]));
    expect(by).toEqual({
      network: "succeeded",
      data: "failed",
      compute: "skipped",
      edge: "succeeded",
      storage: "succeeded",
    });
    const failFast = await schedule(graph, recorder(["data"]).task, { parallel: 1, mode: "pipeline" });
    expect(failFast.map((x) => x.status)).toEqual(["succeeded", "failed", "skipped", "skipped", "skipped"]);
    expect(failFast[3]?.skippedBecause).toBe("an earlier failure (fail-fast)");
  });

  it("fanout: every stack runs regardless of dependencies and failures, within the bound", async () => {
    const r = recorder(["network"]);
    const results = await schedule(graph, r.task, { parallel: 5, mode: "fanout" });
    expect(r.peak()).toBe(5);
    expect(results.filter((x) => x.status === "failed").map((x) => x.stack)).toEqual(["network"]);
    expect(results.filter((x) => x.status === "succeeded")).toHaveLength(4);
  });

  it("an abort stops new starts; running tasks finish and the rest are reported as cancelled", async () => {
    const controller = new AbortController();
    const r = recorder([], 40);
    const run = schedule(graph, r.task, { parallel: 1, mode: "pipeline", signal: controller.signal });
    await sleep(10);
    controller.abort();
    const results = await run;
    expect(results[0]).toMatchObject({ stack: "network", status: "succeeded" });
    expect(results.slice(1).map((x) => x.skippedBecause)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
  });
});
