import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { confirmationMode } from "../../cli/confirm";
import { recoverFlagsSchema } from "../../cli/recover-command";
import type { StackLock } from "../../orchestrator/locks";
import {
  countPending,
  formatDuration,
  formatRecoveryPlan,
  formatStackFindings,
  InterruptedRunError,
  inspectBackendFiles,
  isInterrupted,
  judgeLock,
  type LockContext,
  pendingOperations,
  type StackFindings,
} from "../../orchestrator/recovery";

const NOW = Date.parse("2026-11-25T16:00:00Z");
const context = (alive: boolean, over: Partial<LockContext> = {}): LockContext => ({
  now: NOW,
  hostname: "ci-runner-7",
  staleAfterMs: 6 * 3600_000,
  isAlive: () => alive,
  ...over,
});
const lock = (over: Partial<StackLock> = {}): StackLock => ({
  pid: 4242,
  username: "root",
  hostname: "ci-runner-7",
  timestamp: "2026-11-25T15:57:00Z",
  file: "/state/.pulumi/locks/organization/stackline/dev-network/1.json",
  ...over,
});
const URN = "urn:pulumi:dev-network::stackline::aws:ec2/vpc:Vpc::main";

describe("judgeLock", () => {
  it("a lock whose pid is gone on this host is stale, whatever its age", () => {
    const found = judgeLock(lock(), context(false));
    expect(found).toMatchObject({ state: "stale", ageMs: 180_000, why: "pid 4242 is not running on this host" });
  });

  it("a lock whose pid runs on this host is an operation in progress, until it is older than the threshold", () => {
    expect(judgeLock(lock(), context(true)).state).toBe("running");
    const old = judgeLock(lock({ timestamp: "2026-11-25T09:00:00Z" }), context(true));
    expect(old.state).toBe("stale");
    expect(old.why).toContain("older than 6h");
  });

  it("a lock on another host is unknown (its pid cannot be checked) until it is older than the threshold", () => {
    const other = context(false, { hostname: "laptop" });
    const young = judgeLock(lock(), other);
    expect(young.state).toBe("unknown");
    expect(young.why).toBe("on another host, age 3m: may still be running (stale after 6h)");
    const old = judgeLock(lock(), { ...other, staleAfterMs: 60_000 });
    expect(old.state).toBe("stale");
    expect(old.why).toBe("on another host, age 3m, older than 60s");
  });

  it("a lock with an unreadable timestamp is never stale by age", () => {
    expect(judgeLock(lock({ timestamp: "yesterday" }), context(true)).state).toBe("running");
    expect(judgeLock(lock({ timestamp: "yesterday" }), context(true, { hostname: "x" })).why).toContain("age unknown");
  });
});

describe("formatDuration", () => {
  it.each([
    [45_000, "45s"],
    [180_000, "3m"],
    [6 * 3600_000, "6h"],
    [5_400_000 * 2, "3h"],
    [9_000_000, "2.5h"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("pendingOperations", () => {
  it("keeps each operation's type and URN, never the resource's inputs", () => {
    const deployment = {
      resources: [],
      pending_operations: [
        { type: "creating", resource: { urn: URN, type: "aws:ec2/vpc:Vpc", inputs: { password: "hunter2" } } },
      ],
    };
    const pending = pendingOperations(deployment);
    expect(pending).toEqual([{ type: "creating", urn: URN }]);
    expect(JSON.stringify(pending)).not.toContain("hunter2");
  });

  it("is empty for a deployment without them, or with null", () => {
    expect(pendingOperations({ resources: [] })).toEqual([]);
    expect(pendingOperations({ pending_operations: null })).toEqual([]);
    expect(pendingOperations(undefined)).toEqual([]);
  });

  it("counts them by verb", () => {
    const op = (type: string) => ({ type, urn: URN });
    expect(countPending([op("creating"), op("updating"), op("updating")])).toBe("1 pending create, 2 pending updates");
  });
});

describe("interrupted or in progress", () => {
  const stale = judgeLock(lock(), context(false));
  const running = judgeLock(lock(), context(true));
  const pending = [{ type: "creating", urn: URN }];
  it.each<[string, StackFindings, boolean]>([
    ["a stale lock", { stack: "s", locks: [stale], pending: [] }, true],
    ["pending operations and no lock", { stack: "s", locks: [], pending }, true],
    ["a stale lock and pending operations", { stack: "s", locks: [stale], pending }, true],
    // The running operation's own pending operations are in flight.
    ["a running lock and pending operations", { stack: "s", locks: [running], pending }, false],
    ["a stale and a running lock", { stack: "s", locks: [stale, running], pending: [] }, false],
    ["nothing", { stack: "s", locks: [], pending: [] }, false],
  ])("%s: %s", (_, findings, interrupted) => {
    expect(isInterrupted(findings)).toBe(interrupted);
  });

  it("formats a stack's findings with the lock's owner and age and each pending operation", () => {
    const text = formatStackFindings({ stack: "dev-network", locks: [stale], pending }, NOW);
    expect(text).toBe(
      [
        "dev-network (interrupted)",
        "  lock     root@ci-runner-7 (pid 4242), for 3m (since 2026-11-25T15:57:00Z): stale, pid 4242 is not running on this host",
        `  pending  create of ${URN}`,
      ].join("\n"),
    );
    expect(formatStackFindings({ stack: "dev-network", locks: [running], pending }, NOW)).toMatch(
      /^dev-network \(in progress\)\n {2}lock .*: pid 4242 is running on this host\n/,
    );
  });

  it("the plan a confirmation shows: what happens to each interrupted stack, and nothing to one in progress", () => {
    expect(
      formatRecoveryPlan([
        { stack: "dev-network", locks: [stale], pending },
        { stack: "dev-data", locks: [], pending: [{ type: "updating", urn: URN }] },
        { stack: "dev-edge", locks: [running], pending },
      ]),
    ).toBe(
      [
        "  dev-network: remove 1 stale lock(s), then refresh with --clear-pending-creates (1 pending create)",
        "  dev-data: refresh with --clear-pending-creates (1 pending update)",
      ].join("\n"),
    );
  });

  it("the error that stops an update names each stack, its lock and the recover command", () => {
    const error = new InterruptedRunError("dev", [{ stack: "dev-network", locks: [stale], pending }]);
    expect(error.message).toContain("dev-network: locked by root@ci-runner-7 (pid 4242)");
    expect(error.message).toContain("pid 4242 is not running on this host); 1 pending create");
    expect(error.message).toContain("Run 'stackline recover --env dev' first");
  });
});

describe("inspectBackendFiles", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function backend(): string {
    dir = mkdtempSync(path.join(os.tmpdir(), "recovery-"));
    const stacks = path.join(dir, ".pulumi", "stacks", "stackline");
    mkdirSync(stacks, { recursive: true });
    const checkpoint = (pending: unknown[]) =>
      JSON.stringify({
        version: 3,
        checkpoint: { stack: "x", latest: { resources: [], pending_operations: pending } },
      });
    writeFileSync(path.join(stacks, "dev-network.json"), checkpoint([{ type: "creating", resource: { urn: URN } }]));
    writeFileSync(path.join(stacks, "dev-network.json.bak"), checkpoint([]));
    writeFileSync(
      path.join(stacks, "dev-data.json.gz"),
      gzipSync(checkpoint([{ type: "deleting", resource: { urn: URN } }])),
    );
    writeFileSync(path.join(stacks, "dev-edge.json"), checkpoint([]));
    // Compressed with zstd; and a plain copy left behind earlier, older: the engine reads the newest.
    writeFileSync(
      path.join(stacks, "dev-apps.json.zst"),
      zstdCompressSync(checkpoint([{ type: "updating", resource: { urn: URN } }])),
    );
    writeFileSync(path.join(stacks, "dev-apps.json"), checkpoint([]));
    utimesSync(path.join(stacks, "dev-apps.json"), new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    const locks = path.join(dir, ".pulumi", "locks", "organization", "stackline", "dev-edge");
    mkdirSync(locks, { recursive: true });
    writeFileSync(
      path.join(locks, "a.json"),
      JSON.stringify({ pid: 4242, username: "root", hostname: "ci-runner-7", timestamp: "2026-11-25T15:57:00Z" }),
    );
    // The file blob store's metadata beside each lock file.
    writeFileSync(path.join(locks, "a.json.attrs"), JSON.stringify({ md5: "x" }));
    return pathToFileURL(dir).href;
  }

  it("reads every stack's locks and pending operations from the backend's files", async () => {
    const found = await inspectBackendFiles(backend(), "stackline", undefined, context(false));
    expect(found.map((f) => [f.stack, f.locks.map((l) => l.state), f.pending.map((p) => p.type)])).toEqual([
      ["dev-apps", [], ["updating"]],
      ["dev-data", [], ["deleting"]],
      ["dev-edge", ["stale"], []],
      ["dev-network", [], ["creating"]],
    ]);
  });

  it("looks only at the stacks asked for, and at nothing for backends it cannot read", async () => {
    const url = backend();
    expect(await inspectBackendFiles(url, "stackline", ["dev-edge", "dev-missing"], context(false))).toHaveLength(1);
    expect(await inspectBackendFiles("gs://bucket", "stackline")).toEqual([]);
    expect(await inspectBackendFiles("https://api.pulumi.com", "stackline")).toEqual([]);
  });
});

describe("stackline recover's flags", () => {
  it("asks on a terminal, recovers with --yes, and refuses without a terminal to ask", () => {
    expect(confirmationMode(true, false)).toBe("yes");
    expect(confirmationMode(false, true)).toBe("ask");
    expect(confirmationMode(false, false)).toBe("refuse");
  });

  it("reads --stale-after as a duration", () => {
    expect(recoverFlagsSchema.parse({ env: "dev", "stale-after": "30m" })).toEqual({
      env: "dev",
      yes: false,
      "stale-after": 1_800_000,
    });
    expect(recoverFlagsSchema.safeParse({ env: "dev", "stale-after": "30" }).success).toBe(false);
    expect(recoverFlagsSchema.safeParse({ env: "Dev" }).success).toBe(false);
  });
});
