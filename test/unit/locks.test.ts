import { describe, expect, it } from "vitest";
import { describeLock, locksFromMessage, StackLockedError } from "../../orchestrator/locks";

// The refusal as pulumi's self-managed backends write it (pkg/backend/diy/lock.go), here for S3.
const S3_REFUSAL = [
  "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
  "  s3://acme-state/.pulumi/locks/organization/stackline/prod-data/5f0c.json: created by deploy@ci-runner-7 (pid 4242) at 2026-11-25T15:55:10Z",
  "  s3://acme-state/.pulumi/locks/organization/stackline/prod-data/9a1e.json: created by ana@laptop.local (pid 77) at 2026-11-25T16:01:00+01:00",
].join("\n");

describe("stack locks", () => {
  it("reads every holder from a self-managed backend's refusal, whatever the bucket", () => {
    expect(locksFromMessage(S3_REFUSAL)).toEqual([
      {
        file: "s3://acme-state/.pulumi/locks/organization/stackline/prod-data/5f0c.json",
        username: "deploy",
        hostname: "ci-runner-7",
        pid: 4242,
        timestamp: "2026-11-25T15:55:10Z",
      },
      {
        file: "s3://acme-state/.pulumi/locks/organization/stackline/prod-data/9a1e.json",
        username: "ana",
        hostname: "laptop.local",
        pid: 77,
        timestamp: "2026-11-25T16:01:00+01:00",
      },
    ]);
  });

  it("counts a lock once though the Automation API's error repeats the CLI's message", () => {
    const repeated = `code: 255\n stderr: ${S3_REFUSAL}\n err?: Error: ${S3_REFUSAL}`;
    expect(locksFromMessage(repeated)).toHaveLength(2);
  });

  it("names owner and age in the error, and never suggests cancelling on its own", () => {
    const [lock] = locksFromMessage(S3_REFUSAL);
    const now = Date.parse("2026-11-25T16:00:10Z");
    expect(describeLock(lock as NonNullable<typeof lock>, now)).toBe(
      "deploy@ci-runner-7 (pid 4242), for 5m (since 2026-11-25T15:55:10Z)",
    );
    const error = new StackLockedError("prod-data", locksFromMessage(S3_REFUSAL), new Error(S3_REFUSAL));
    expect(error.message).toMatch(/^prod-data is locked by deploy@ci-runner-7 \(pid 4242\), for .+; ana@laptop\.local/);
    expect(error.message).toContain("Stackline does not cancel other people's operations");
  });

  it("points to the Pulumi console when Pulumi Cloud does not name the holder", () => {
    const cloud = new Error("code: 255\n stderr: error: [409] Conflict: Another update is currently in progress.");
    const error = new StackLockedError("prod-data", locksFromMessage(cloud.message), cloud);
    expect(error.locks).toEqual([]);
    expect(error.message).toContain("another update in Pulumi Cloud (the stack's Activity page");
  });
});
