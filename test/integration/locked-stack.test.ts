import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLocks, StackLockedError } from "../../orchestrator/locks";
import { StackOperationError, updateStack } from "../../orchestrator/stack-ops";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

// A second update while another holds the stack's lock, on the real engine and a file backend.
describe("a locked stack", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox("engine-smoke");
  });
  afterAll(() => sandbox?.cleanup());

  it("is reported with the lock's owner and age, and the holder's update is not cancelled", async () => {
    const holder = await sandboxStack(sandbox, "smoke");
    await holder.setConfig("dir", { value: sandbox.workDir });
    await holder.setConfig("delayMs", { value: "12000" });
    const running = holder.up();
    const lockDir = path.join(sandbox.backendDir, ".pulumi", "locks", "organization", "engine-smoke", "smoke");
    for (let i = 0; i < 100 && !existsSync(lockDir); i++) await new Promise((r) => setTimeout(r, 100));

    const second = await sandboxStack(sandbox, "smoke");
    const error = await updateStack(second, path.join(sandbox.workDir, "second.log")).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackOperationError);
    const locked = (error as StackOperationError).cause as StackLockedError;
    expect(locked).toBeInstanceOf(StackLockedError);
    expect(locked.locks).toHaveLength(1);
    expect(locked.message).toMatch(/^smoke is locked by [\w.-]+@[\w.-]+ \(pid \d+\), for \d+s \(since 20\d\d-/);
    expect(locked.message).toContain("Stackline does not cancel other people's operations");

    // The operation holding the lock carries on and succeeds.
    const result = await running;
    expect(result.summary.result).toBe("succeeded");
  });

  it("an abort (what Ctrl-C sends) cancels a running update through the Automation API", async () => {
    const stack = await sandboxStack(sandbox, "smoke");
    await stack.setConfig("dir", { value: sandbox.workDir });
    await stack.setConfig("greeting", { value: "cancel me" });
    await stack.setConfig("delayMs", { value: "10000" });
    const controller = new AbortController();
    const started = Date.now();
    const update = updateStack(stack, path.join(sandbox.workDir, "cancelled.log"), controller.signal);
    setTimeout(() => controller.abort(), 6000);
    const error = await update.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackOperationError);
    expect((error as StackOperationError).errors.join("\n")).toContain("update canceled");
    // A graceful cancel: in-flight resource operations finish, the lock is released, nothing is left locked.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await findLocks(sandbox.envVars.PULUMI_BACKEND_URL, "engine-smoke", "smoke")).toEqual([]);
  });
});
