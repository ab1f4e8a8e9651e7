import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendFilesFor } from "../../orchestrator/backend-files";
import { interruptedStacks, recoverStacks } from "../../orchestrator/recovery";
import { RELEASE_TAG_KEY } from "../../orchestrator/releases/capture";
import { type ReleaseStore, releaseStoreFor } from "../../orchestrator/releases/store";
import { formatUpdateSummary } from "../../orchestrator/update";
import { secretPipelineLayers } from "../fixtures/secret-pipeline/layers";
import { type S3Server, startS3Server } from "./s3-server";
import { filesUnder, secretPipelineRuns } from "./secret-pipeline-runs";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

const BUCKET = "acme-pulumi-state";
/** The backend URL's path: Pulumi keeps the state under it, and so must the release records. */
const PREFIX = "team-a";
/** AWS settings a CI runner may carry that would change which credentials reach the test server. */
const OUTER_AWS_ENV = [
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_S3",
] as const;
const FIRST_SECRET = "s3-first-plaintext-1337";
const SECOND_SECRET = "s3-second-plaintext-7331";

// Releases and automatic rollback with the state in S3, on the real engine and a real S3 server
// (versitygw over a folder, so the test can look at what landed in the bucket): s-base (secret config
// value) -> s-app.
describe("releases and rollback on an s3:// backend", () => {
  let server: S3Server;
  let sandbox: Sandbox;
  let store: ReleaseStore;
  let runsDir: string;
  let prefixDir: string;
  const savedEnv = { ...process.env };
  const stacks = new Map<string, Stack>();
  const { up, setConfig, reports, warnings } = secretPipelineRuns(() => ({ sandbox, runsDir }));

  const tokenFile = () => readFileSync(path.join(sandbox.workDir, "out", "s-base.token"), "utf8");

  beforeAll(async () => {
    sandbox = makeSandbox("secret-pipeline");
    const root = path.dirname(sandbox.backendDir);
    runsDir = path.join(root, "runs");
    server = await startS3Server(path.join(root, "s3"), [BUCKET]);
    prefixDir = path.join(server.bucketDir(BUCKET), PREFIX);
    // The engine and Stackline's own S3 client read the same credentials, as on a user's machine; none
    // of the runner's own (a session token, a profile) may be mixed in.
    for (const key of OUTER_AWS_ENV) delete process.env[key];
    Object.assign(process.env, server.env);
    sandbox.envVars = {
      ...sandbox.envVars,
      ...server.env,
      PULUMI_BACKEND_URL: server.backendUrl(BUCKET, PREFIX),
      // Compressed checkpoints and history, as many S3 users configure: Stackline must read those too.
      PULUMI_DIY_BACKEND_GZIP: "true",
    };
    store = releaseStoreFor(sandbox.envVars.PULUMI_BACKEND_URL, "secret-pipeline", "s") as ReleaseStore;
    for (const name of ["s-base", "s-app"]) stacks.set(name, await sandboxStack(sandbox, name));
    await stacks.get("s-base")?.setConfig("secret-pipeline:token", { value: FIRST_SECRET, secret: true });
  });
  afterAll(async () => {
    for (const key of [...Object.keys(server?.env ?? {}), ...OUTER_AWS_ENV]) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    await server?.stop();
    sandbox?.cleanup();
  });

  it("records each release in the state's bucket, under the backend URL's path, and tags the stacks", async () => {
    const report = await up();
    expect(report.stacks.map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
    const tag = report.release?.tag as string;
    const location = `s3://${BUCKET}/${PREFIX}/.stackline/releases/secret-pipeline/s/${tag}`;
    expect(report.release?.location).toBe(location);
    expect(formatUpdateSummary(report)).toContain(`Release ${tag} recorded in ${location}`);
    // On the server's disk: the engine's state and Stackline's records side by side in the bucket.
    expect(existsSync(path.join(prefixDir, ".pulumi", "stacks", "secret-pipeline", "s-base.json.gz"))).toBe(true);
    const history = readdirSync(path.join(prefixDir, ".pulumi", "history", "secret-pipeline", "s-base"));
    expect(history.filter((name) => name.endsWith(".history.json.gz"))).toHaveLength(1);
    expect(history.filter((name) => name.endsWith(".history.json"))).toEqual([]);
    const recordDir = path.join(prefixDir, ".stackline", "releases", "secret-pipeline", "s", tag);
    expect(readdirSync(recordDir).sort()).toEqual([
      "release.json",
      "s-app.checkpoint.json",
      "s-app.config.yaml",
      "s-base.checkpoint.json",
      "s-base.config.yaml",
    ]);
    expect(JSON.parse(readFileSync(path.join(recordDir, "release.json"), "utf8"))).toMatchObject({
      tag,
      status: "succeeded",
    });
    for (const stack of stacks.values()) expect(await stack.getTag(RELEASE_TAG_KEY)).toBe(tag);
    expect(warnings).toEqual([]);
  });

  it("rolls a failed run back using the release and the known-good config kept in the bucket", async () => {
    await stacks.get("s-base")?.setConfig("secret-pipeline:token", { value: SECOND_SECRET, secret: true });
    setConfig("s-app", "secret-pipeline:failWith", "injected failure in s-app");
    const report = await up();
    expect(report.stacks.map((s) => s.status)).toEqual(["succeeded", "failed"]);
    // s-base deployed the second token (its file changed) before s-app failed.
    const changed = Object.entries(report.stacks[0]?.update?.changes ?? {}).filter(([op, n]) => op !== "same" && n);
    expect(changed).not.toEqual([]);
    // Undone by re-applying the first run's config as the bucket's (gzipped) update history stored it: without
    // that history the rollback would warn that it fell back to the recorded config file. (The sandbox
    // is outside git, so the current program is used, with that warning.)
    expect(report.rollback?.ok, JSON.stringify(report.rollback, null, 2)).toBe(true);
    expect(report.rollback?.warnings).toEqual([
      "the known-good release was made outside git: re-applying its config with the current program",
    ]);
    expect(report.rollback?.stacks.map((s) => s.stack)).toEqual(["s-app", "s-base"]);
    const release = await store.load(report.release?.tag as string);
    expect(release.status).toBe("rolled-back");
    expect(release.stacks["s-base"]?.outputs.value).toEqual({ secret: false, value: "base" });
    // The second token was deployed, then rolled back: the resource holds the first one again.
    expect(tokenFile()).toBe(FIRST_SECRET);
    expect((await store.list()).map((r) => [r.tag, r.status])).toEqual([
      [release.tag, "rolled-back"],
      [reports[0]?.release?.tag, "succeeded"],
    ]);
  });

  it("finds a lock a killed run left in the bucket, stops `up` on it, and recover removes it", async () => {
    const scope = {
      environment: "s",
      layers: secretPipelineLayers,
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
    };
    // What a `pulumi up` killed with SIGKILL leaves in an S3 backend: its lock object, written as the
    // engine writes it (pkg/backend/diy/lock.go), by a pid that no longer runs on this host.
    const dead = spawnSync("true").pid as number;
    const lockKey = ".pulumi/locks/organization/secret-pipeline/s-app/0d4c6a1e-killed.json";
    await backendFilesFor(sandbox.envVars.PULUMI_BACKEND_URL)?.write(
      lockKey,
      JSON.stringify({
        pid: dead,
        username: os.userInfo().username,
        hostname: os.hostname(),
        timestamp: new Date().toISOString(),
      }),
    );
    const found = await interruptedStacks(scope);
    expect(found.map((f) => [f.stack, f.locks.map((l) => [l.lock.file, l.state, l.why])])).toEqual([
      ["s-app", [[`s3://${BUCKET}/${PREFIX}/${lockKey}`, "stale", `pid ${dead} is not running on this host`]]],
    ]);
    await expect(up()).rejects.toThrow(/s-app: locked by .*\(pid \d+\)[\s\S]*stackline recover --env s/);
    const report = await recoverStacks(scope, { confirm: () => true, runDir: path.join(runsDir, "recover") });
    expect(report.stacks.map((r) => [r.stack, r.actions, r.error])).toEqual([
      ["s-app", ["removed 1 stale lock(s)"], undefined],
    ]);
    // `pulumi cancel` deleted the object from the bucket.
    expect(existsSync(path.join(prefixDir, lockKey))).toBe(false);
    expect(await interruptedStacks(scope)).toEqual([]);
  });

  it("no object in the bucket, no run log and no report holds a secret in plaintext", () => {
    const files = [...filesUnder(server.bucketDir(BUCKET)), ...filesUnder(runsDir)];
    // Two releases of two stacks in the bucket: release.json, and per stack its checkpoint and config.
    expect(files.filter((f) => f.startsWith(path.join(prefixDir, ".stackline")))).toHaveLength(2 * (1 + 2 * 2));
    // Gzipped objects (the engine's checkpoints and history here) are searched decompressed.
    const textOf = (file: string) =>
      file.endsWith(".gz") ? gunzipSync(readFileSync(file)).toString("utf8") : readFileSync(file, "utf8");
    expect(files.filter((f) => f.endsWith(".gz")).length).toBeGreaterThan(0);
    const leaks = files.filter((file) => {
      const text = textOf(file);
      return text.includes(FIRST_SECRET) || text.includes(SECOND_SECRET);
    });
    expect(leaks).toEqual([]);
    // The search can see a secret where it does sit in plaintext: the file the program wrote.
    expect(tokenFile()).toBe(FIRST_SECRET);
  });
});
