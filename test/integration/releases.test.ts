import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RELEASE_TAG_KEY } from "../../orchestrator/releases/capture";
import { type ReleaseStore, releaseStoreFor } from "../../orchestrator/releases/store";
import { formatUpdateSummary, type UpdateReport } from "../../orchestrator/update";
import { filesUnder, secretPipelineRuns } from "./secret-pipeline-runs";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

const SECRET = "s3cr3t-plaintext-4711";

// Release records on the real engine: s-base (secret config value, secret output) -> s-app.
describe("release records of stackline up", () => {
  let sandbox: Sandbox;
  let store: ReleaseStore;
  let runsDir: string;
  const stacks = new Map<string, Stack>();
  const { up, setConfig, reports, warnings } = secretPipelineRuns(() => ({ sandbox, runsDir }));

  const releaseOf = (report: UpdateReport) => {
    expect(report.release).toBeDefined();
    return store.load(report.release?.tag ?? "");
  };
  /** One of a release's files, read straight from the backend's folder. */
  const releaseFile = (tag: string, file: string) => readFileSync(path.join(store.location, tag, file), "utf8");

  beforeAll(async () => {
    sandbox = makeSandbox("secret-pipeline");
    runsDir = path.join(path.dirname(sandbox.backendDir), "runs");
    store = releaseStoreFor(sandbox.envVars.PULUMI_BACKEND_URL, "secret-pipeline", "s") as ReleaseStore;
    for (const name of ["s-base", "s-app"]) stacks.set(name, await sandboxStack(sandbox, name));
    // `pulumi config set --secret`: the stack file holds only its ciphertext. The stack exists now,
    // with no deployment yet.
    await stacks.get("s-base")?.setConfig("secret-pipeline:token", { value: SECRET, secret: true });
  });
  afterAll(() => sandbox?.cleanup());

  it("first run: records stacks that had no deployment as existed=false, and tags them", async () => {
    const report = await up();
    expect(report.stacks.map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
    const release = await releaseOf(report);
    expect(release).toMatchObject({ project: "secret-pipeline", environment: "s", status: "succeeded" });
    expect(release.tag).toMatch(/^s-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    // The sandbox copy sits in a folder git ignores: it is not the repository's program, so no commit.
    expect(release.git).toBeNull();
    for (const name of ["s-base", "s-app"]) {
      expect(release.stacks[name]).toEqual({
        existed: false,
        lastUpdateVersion: null,
        outputs: {},
        configFile: `${name}.config.yaml`,
        checkpointFile: `${name}.checkpoint.json`,
      });
      expect(await stacks.get(name)?.getTag(RELEASE_TAG_KEY)).toBe(release.tag);
    }
    // The copied config file holds the secret as ciphertext.
    const config = parse(releaseFile(release.tag, "s-base.config.yaml"));
    expect(config.config["secret-pipeline:token"]).toEqual({ secure: expect.stringMatching(/^v1:/) });
    expect(report.release?.location).toBe(path.join(store.location, release.tag));
    expect(formatUpdateSummary(report)).toMatch(
      new RegExp(
        `\\nRelease ${release.tag} recorded in \\.stackline/test/.+/releases/secret-pipeline/s/${release.tag}$`,
      ),
    );
    expect(warnings).toEqual([]);
  });

  it("second run: records the stacks as the first run left them: outputs, version, config, checkpoint", async () => {
    const report = await up();
    const release = await releaseOf(report);
    expect(release.status).toBe("succeeded");
    expect(release.stacks["s-base"]).toMatchObject({
      existed: true,
      lastUpdateVersion: 1,
      outputs: {
        value: { secret: false, value: "base" },
        secretToken: { secret: true },
        connection: { secret: true },
      },
    });
    // The report (written to report.json) says there is a secret output, not its value.
    expect(report.stacks[0]?.update?.outputs.secretToken).toEqual({ value: "[secret]", secret: true });
    // So does an output that only holds a secret inside it.
    expect(report.stacks[0]?.update?.outputs.connection).toEqual({ value: "[secret]", secret: true });
    expect(report.stacks[1]?.update?.outputs.value).toEqual({ value: "app<base", secret: false });
    expect(release.stacks["s-app"]).toMatchObject({
      existed: true,
      lastUpdateVersion: 1,
      outputs: { value: { secret: false, value: "app<base" } },
    });
    // The checkpoint is the stack's state as the backend keeps it: resources, secrets as ciphertext.
    const checkpoint = releaseFile(release.tag, "s-base.checkpoint.json");
    const resources = (JSON.parse(checkpoint) as { deployment: { resources: { type: string }[] } }).deployment
      .resources;
    expect(resources.map((r) => r.type)).toContain("pulumi-nodejs:dynamic/stackline-test:LocalFile:Resource");
    expect(checkpoint).toContain('"ciphertext"');
    for (const name of ["s-base", "s-app"]) {
      expect(await stacks.get(name)?.getTag(RELEASE_TAG_KEY)).toBe(release.tag);
    }
    expect((await store.list()).map((r) => r.tag)).toEqual([release.tag, reports[0]?.release?.tag]);
  });

  it("a failed run's release says how it ended: rolled back", async () => {
    setConfig("s-app", "secret-pipeline:failWith", "injected failure in s-app");
    const report = await up();
    expect(report.stacks.map((s) => s.status)).toEqual(["unchanged", "failed"]);
    expect((await releaseOf(report)).status).toBe("rolled-back");
    expect((await store.list()).map((r) => r.status)).toEqual(["rolled-back", "succeeded", "succeeded"]);
  });

  it("no file of the releases, no run log and no report holds the secret in plaintext", () => {
    const files = [...filesUnder(store.location), ...filesUnder(runsDir)];
    // Three releases of two stacks (release.json, config, checkpoint) and three runs (two logs, report,
    // summary), the failed one with the log of its rollback of s-app.
    expect(files.filter((f) => f.startsWith(store.location))).toHaveLength(3 * (1 + 2 * 2));
    expect(files.filter((f) => f.endsWith(".log"))).toHaveLength(7);
    expect(files.filter((f) => f.endsWith("s-app.rollback.log"))).toHaveLength(1);
    const leaks = files.filter((file) => readFileSync(file, "utf8").includes(SECRET));
    expect(leaks).toEqual([]);
    // The check can see the secret where it does sit in plaintext: the file the program wrote.
    expect(readFileSync(path.join(sandbox.workDir, "out", "s-base.token"), "utf8")).toBe(SECRET);
  });
});
