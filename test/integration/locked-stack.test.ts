import { existsSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StackLockedError } from "../../orchestrator/locks";
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
});
