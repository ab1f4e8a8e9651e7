import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { restoreState } from "../../orchestrator/releases/state-restore";
import { pipelineLayers } from "../fixtures/pipeline/layers";
import { pipelineUpdates } from "./pipeline-runs";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

const FILE_URN = "urn:pulumi:t-solo::pipeline::pulumi-nodejs:dynamic/stackline-test:LocalFile:Resource::solo";

// The expert's restore on the real engine: state only, nothing deployed, with what it stops tracking.
describe("stackline rollback --state-only", () => {
  let sandbox: Sandbox;
  const up = pipelineUpdates(() => sandbox, { selection: { stacks: ["t-solo"] } });
  let restores = 0;
  const restore = (tag: string, previewOnly: boolean) =>
    restoreState({
      environment: "t",
      layers: pipelineLayers,
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      tag,
      previewOnly,
      runDir: path.join(sandbox.workDir, `restore${++restores}`),
    });
  const label = (value: string) =>
    writeFileSync(
      path.join(sandbox.workDir, "stacks", "Pulumi.t-solo.yaml"),
      stringify({ config: { "pipeline:delayMs": 0, "pipeline:label": value } }),
    );
  let beforeFirst: string;
  let beforeSecond: string;

  beforeAll(async () => {
    sandbox = makeSandbox("pipeline");
    label("a");
    beforeFirst = (await up()).release?.tag as string;
    label("b");
    beforeSecond = (await up()).release?.tag as string;
  });
  afterAll(() => sandbox?.cleanup());

  it("puts the tagged state back and refreshes, changing no resource", async () => {
    const preview = await restore(beforeSecond, true);
    expect(preview.stacks).toMatchObject([{ stack: "t-solo", status: "previewed", untracked: [] }]);
    const report = await restore(beforeSecond, false);
    expect(report.stacks).toMatchObject([{ stack: "t-solo", status: "restored", differences: [] }]);
    expect(report.ok).toBe(true);
    // State says what the tag recorded; the real file, which nothing deployed, still has run two's content.
    const stack = await sandboxStack(sandbox, "t-solo");
    expect((await stack.outputs()).value?.value).toBe("solo@a");
    expect(readFileSync(path.join(sandbox.workDir, "out", "t-solo.txt"), "utf8")).toBe("solo@b");
  });

  it("names the resources state would stop tracking: here everything, as the stack had no deployment then", async () => {
    const preview = await restore(beforeFirst, true);
    expect(preview.stacks).toMatchObject([{ stack: "t-solo", status: "previewed", untracked: [FILE_URN] }]);
  });
});
