import { z } from "zod";
import { backendFilesFor } from "./backend-files";

/** A self-managed backend's lock file: who holds the stack, since when. */
const lockFileSchema = z.object({
  pid: z.number(),
  username: z.string(),
  hostname: z.string(),
  timestamp: z.string(),
});

export interface StackLock extends z.infer<typeof lockFileSchema> {
  file: string;
}

/**
 * The locks a self-managed backend (file, S3, GCS, Azure Blob) names in its refusal, which the CLI
 * writes as `  <lock url>: created by <user>@<host> (pid <pid>) at <RFC 3339 time>` (pulumi
 * pkg/backend/diy/lock.go). Reading them from the message needs no access to the bucket.
 */
export function locksFromMessage(message: string): StackLock[] {
  const pattern = /^\s*(\S+): created by (.+)@([^@\s]+) \(pid (\d+)\) at (\S+)\s*$/gm;
  const locks = new Map<string, StackLock>();
  // The Automation API's error repeats the CLI's stderr (as `stderr:` and as `err?:`): one lock per file.
  for (const [, file, username, hostname, pid, timestamp] of message.matchAll(pattern)) {
    locks.set(file as string, {
      file: file as string,
      username: username as string,
      hostname: hostname as string,
      pid: Number(pid),
      timestamp: timestamp as string,
    });
  }
  return [...locks.values()];
}

/** Pulumi Cloud's refusal names no holder; its console shows who runs the update. */
const CLOUD_CONFLICT = "[409] Conflict: Another update is currently in progress.";

/**
 * Who holds a stack, from the engine's refusal, else (file backends) from the lock files themselves.
 */
export async function locksOf(
  message: string,
  backendUrl: string | undefined,
  project: string,
  stack: string,
): Promise<StackLock[]> {
  const named = locksFromMessage(message);
  return named.length > 0 ? named : findLocks(backendUrl, project, stack);
}

/** How to describe a holder the backend does not name. */
export function unnamedHolder(message: string): string {
  return message.includes(CLOUD_CONFLICT)
    ? "another update in Pulumi Cloud (the stack's Activity page in the Pulumi console shows who and since when)"
    : "an operation whose lock details this backend does not expose";
}

/**
 * The locks on a stack of a `file://` or `s3://` backend (`.pulumi/locks/<org>/<project>/<stack>/*.json`
 * in its folder or bucket). Pulumi Cloud, GCS and Azure Blob backends are not read here: nothing.
 */
export async function findLocks(
  backendUrl: string | undefined,
  project: string,
  stack: string,
  org = "organization",
): Promise<StackLock[]> {
  const files = backendFilesFor(backendUrl);
  if (!files) return [];
  const dir = `.pulumi/locks/${org}/${project}/${stack}`;
  const names = (await files.list(dir)).map((e) => e.name).filter((name) => name.endsWith(".json"));
  const found = await Promise.all(
    names.map(async (name) => {
      const text = await files.read(`${dir}/${name}`);
      // Released between the listing and the read: no longer a lock.
      if (!text) return [];
      let data: unknown;
      try {
        data = JSON.parse(text.toString("utf8"));
      } catch {
        return []; // not a lock Pulumi wrote
      }
      const parsed = lockFileSchema.safeParse(data);
      return parsed.success ? [{ ...parsed.data, file: files.describe(`${dir}/${name}`) }] : [];
    }),
  );
  return found.flat();
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

/** "root@ci-runner-7 (pid 4242), for 3m (since 2026-11-25T15:55:10Z)". */
export function describeLock(lock: StackLock, now = Date.now()): string {
  const since = Date.parse(lock.timestamp);
  return `${lock.username}@${lock.hostname} (pid ${lock.pid}), for ${age(now - since)} (since ${lock.timestamp})`;
}

/** The stack is locked by another operation; Stackline never cancels it on its own. */
export class StackLockedError extends Error {
  readonly stackName: string;
  readonly locks: StackLock[];

  constructor(stack: string, locks: StackLock[], cause: unknown) {
    const holders =
      locks.length > 0
        ? locks.map((l) => describeLock(l)).join("; ")
        : unnamedHolder(cause instanceof Error ? cause.message : String(cause));
    super(
      `${stack} is locked by ${holders}. Stackline does not cancel other people's operations: wait for it to finish, ` +
        `or if that process is gone, run 'stackline recover --env ${stack.split("-")[0]}' (it cancels the stale lock and clears pending operations).`,
      { cause },
    );
    this.name = "StackLockedError";
    this.stackName = stack;
    this.locks = locks;
  }
}
