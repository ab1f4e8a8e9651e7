import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { pulumiCommand } from "../../orchestrator/engine";
import { rollbackTo } from "../../orchestrator/releases/rollback-to";
import { releaseStoreFor } from "../../orchestrator/releases/store";
import { formatUpdateSummary, recordRelease } from "../../orchestrator/update";
import { pipelineLayers } from "../fixtures/pipeline/layers";
import { pipelineUpdates } from "./pipeline-runs";
import { makeSandbox, type Sandbox } from "./support";

const STACKS = ["t-base", "t-left", "t-right", "t-solo", "t-top"] as const;
/** What each stack's `value` output (and its file) holds after the first, good run. */
const GOOD = {
  "t-base": "base",
  "t-left": "left<base",
  "t-right": "right<base",
  "t-solo": "solo",
  "t-top": "top<left<base",
};

// Automatic rollback on the real engine over the branching fixture (t-base -> t-left -> t-top,
// t-base -> t-right, t-solo): wherever the pipeline fails, every stack the run changed ends back at the
// outputs and resources of the release taken before the run.
describe("automatic rollback after a failed stackline up", () => {
  let sandbox: Sandbox;
  const up = pipelineUpdates(() => sandbox, { parallel: 1 });
  const configFile = (stack: string) => path.join(sandbox.workDir, "stacks", `Pulumi.${stack}.yaml`);
  /** Rewrites a stack's config as a user would edit it before running `stackline up`. */
  const configure = (stack: string, config: Record<string, unknown>) =>
    writeFileSync(configFile(stack), stringify({ config: { "pipeline:delayMs": 0, ...config } }));
  const resetConfig = () => {
    for (const stack of STACKS) configure(stack, {});
  };
  /** Every stack's outputs as the backend holds them, and the file each stack's resource wrote. */
  const actual = async () => {
    const state: Record<string, { output: unknown; file: string }> = {};
    for (const stack of STACKS) {
      const selected = await LocalWorkspace.selectStack(
        { stackName: stack, workDir: sandbox.workDir },
        { pulumiCommand: await pulumiCommand(), envVars: sandbox.envVars },
      );
      state[stack] = {
        output: (await selected.outputs()).value?.value,
        file: readFileSync(path.join(sandbox.workDir, "out", `${stack}.txt`), "utf8"),
      };
    }
    return state;
  };
  const goodState = Object.fromEntries(
    Object.entries(GOOD).map(([stack, value]) => [stack, { output: value, file: value }]),
  );

  beforeAll(async () => {
    sandbox = makeSandbox("pipeline");
    resetConfig();
    const first = await up({ parallel: 2 });
    expect(first.stacks.every((s) => s.status === "succeeded")).toBe(true);
  });
  afterAll(() => sandbox?.cleanup());

  it("failure at the first stack: it alone changed, and it is rolled back", async () => {
    for (const stack of STACKS) configure(stack, { "pipeline:label": "v2" });
    configure("t-base", { "pipeline:label": "v2", "pipeline:failWith": "injected failure in t-base" });
    const report = await up();
    expect(report.rollback?.stacks.map((s) => [s.stack, s.status, s.differences])).toEqual([
      ["t-base", "rolled-back", []],
    ]);
    expect(report.rollback?.ok).toBe(true);
    expect(await actual()).toEqual(goodState);
    // The user's edited config is left as it was: the rollback re-applied the stored config only.
    const left = parse(readFileSync(configFile("t-base"), "utf8")) as { config: Record<string, unknown> };
    expect(left.config).toMatchObject({ "pipeline:label": "v2", "pipeline:failWith": "injected failure in t-base" });
    expect(formatUpdateSummary(report)).toContain(`Rolled back to release ${report.release?.tag}`);
  });

  it("failure in the middle: the failed stack and the upstream stack it changed, dependents first", async () => {
    resetConfig();
    for (const stack of STACKS) configure(stack, { "pipeline:label": "v2" });
    configure("t-left", { "pipeline:label": "v2", "pipeline:failWith": "injected failure in t-left" });
    const report = await up();
    expect(report.stacks.find((s) => s.stack === "t-base")?.status).toBe("succeeded");
    expect(report.rollback?.stacks.map((s) => [s.stack, s.status, s.differences])).toEqual([
      ["t-left", "rolled-back", []],
      ["t-base", "rolled-back", []],
    ]);
    expect(report.rollback?.ok).toBe(true);
    expect(await actual()).toEqual(goodState);
  });

  it("failure at the last stack: every stack changed, all rolled back in reverse order", async () => {
    resetConfig();
    for (const stack of STACKS) configure(stack, { "pipeline:label": "v3" });
    configure("t-top", { "pipeline:label": "v3", "pipeline:failWith": "injected failure in t-top" });
    const report = await up();
    expect(report.stacks.filter((s) => s.status === "succeeded").map((s) => s.stack)).toEqual([
      "t-base",
      "t-left",
      "t-right",
      "t-solo",
    ]);
    expect(report.rollback?.stacks.map((s) => s.stack)).toEqual(["t-top", "t-solo", "t-right", "t-left", "t-base"]);
    expect(report.rollback?.ok).toBe(true);
    expect(await actual()).toEqual(goodState);
    // The release of the failed run says how it ended.
    const store = releaseStoreFor(sandbox.envVars.PULUMI_BACKEND_URL, "pipeline", "t");
    expect((await store?.load(report.release?.tag as string))?.status).toBe("rolled-back");
  });

  it("a failing smoke check fails the stack and triggers the rollback", async () => {
    resetConfig();
    configure("t-solo", {
      "pipeline:label": "v4",
      "smoke:checks": [
        { name: "solo's file is the new one", command: ["grep", "-q", "v4", "out/t-solo.txt"], attempts: 1 },
        { name: "always fails", command: ["sh", "-c", "echo no answer >&2; exit 7"], attempts: 1 },
      ],
    });
    const report = await up();
    const solo = report.stacks.find((s) => s.stack === "t-solo");
    expect(solo?.status).toBe("failed");
    expect(solo?.errors).toEqual(["smoke check 'always fails' failed after 1 attempt(s): exit 7: no answer"]);
    expect(report.rollback?.stacks.map((s) => [s.stack, s.status])).toEqual([["t-solo", "rolled-back"]]);
    expect(await actual()).toEqual(goodState);
    const config = parse(readFileSync(configFile("t-solo"), "utf8")) as { config: Record<string, unknown> };
    expect(config.config["smoke:checks"]).toHaveLength(2);
  });

  it("stackline rollback --to: previews the way back to an older release, then returns to it", async () => {
    resetConfig();
    configure("t-solo", { "pipeline:label": "v5" });
    const goodRun = await up();
    expect(goodRun.stacks.find((s) => s.stack === "t-solo")?.status).toBe("succeeded");
    const tag = goodRun.release?.tag as string;
    const scope = {
      environment: "t",
      layers: pipelineLayers,
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      tag,
      runDir: path.join(sandbox.workDir, "rollback-to"),
    };
    const preview = await rollbackTo({ ...scope, previewOnly: true });
    const plans = Object.fromEntries(preview.report.stacks.map((s) => [s.stack, s.plan?.changes]));
    expect(plans["t-solo"]).toMatchObject({ update: 1 });
    expect(plans["t-base"]).toEqual({ same: 2 });
    expect((await actual())["t-solo"]?.output).toBe("solo@v5");
    const applied = await rollbackTo({
      ...scope,
      previewOnly: false,
      recordCurrent: (stacks, order) => recordRelease(stacks, order, { environment: "t" }),
    });
    expect(applied.report.ok).toBe(true);
    expect(await actual()).toEqual(goodState);
    // The state the rollback replaced is a release of its own, so the rollback can be undone.
    expect(applied.undo?.stacks["t-solo"]?.outputs.value).toEqual({ secret: false, value: "solo@v5" });
  });
});
