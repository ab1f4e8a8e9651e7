import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSandbox, type Sandbox, sandboxStack } from "./support";

// One program through the whole life cycle on the real engine and a temporary file backend.
describe("the real Pulumi engine on a file backend", () => {
  let sandbox: Sandbox;
  let stack: Stack;
  let target: string;

  beforeAll(async () => {
    sandbox = makeSandbox("engine-smoke");
    stack = await sandboxStack(sandbox, "smoke");
    await stack.setConfig("dir", { value: sandbox.workDir });
    target = path.join(sandbox.workDir, "greeting.txt");
  });

  afterAll(() => sandbox?.cleanup());

  it("previews the creation of the stack and its resource", async () => {
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 2 });
    expect(existsSync(target)).toBe(false);
  });

  it("creates the resource and returns its outputs", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.content?.value).toBe("hello");
    expect(up.outputs.path?.value).toBe(target);
    expect(readFileSync(target, "utf8")).toBe("hello");
  });

  it("previews no changes on a second run", async () => {
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });
  });

  it("previews and applies an update when config changes", async () => {
    await stack.setConfig("greeting", { value: "bonjour" });
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 1, update: 1 });
    const up = await stack.up();
    expect(up.outputs.content?.value).toBe("bonjour");
    expect(readFileSync(target, "utf8")).toBe("bonjour");
  });

  it("destroys everything and leaves empty state", async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(existsSync(target)).toBe(false);
    const state = await stack.exportStack();
    expect(state.deployment.resources ?? []).toHaveLength(0);
  });
});
