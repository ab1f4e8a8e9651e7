import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ask, confirmationMode } from "../../cli/confirm";

/** Asks `question` on in-memory streams, typing `typed` once the question is shown. */
async function answer(typed: string, { end = false } = {}): Promise<{ yes: boolean; shown: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk: Buffer) => {
    shown += chunk.toString("utf8");
  });
  const asked = ask("Roll 't' back? [y/N] ", { input, output });
  input.write(typed);
  if (end) input.end();
  return { yes: await asked, shown };
}

describe("confirmationMode", () => {
  it.each([
    { yes: true, tty: true, mode: "yes" },
    { yes: true, tty: false, mode: "yes" },
    { yes: false, tty: true, mode: "ask" },
    { yes: false, tty: false, mode: "refuse" },
  ] as const)("--yes $yes, stdin a terminal $tty: $mode", ({ yes, tty, mode }) => {
    expect(confirmationMode(yes, tty)).toBe(mode);
  });
});

describe("ask", () => {
  it.each([
    ["y\n", true],
    ["yes\n", true],
    ["Y\n", true],
    ["YES\n", true],
    ["  yes \n", true],
    ["y\r\n", true],
    ["n\n", false],
    ["no\n", false],
    ["\n", false],
    ["yess\n", false],
    ["ye\n", false],
    ["yes please\n", false],
    ["sure\n", false],
  ])("%j is %s", async (typed, expected) => {
    expect((await answer(typed)).yes).toBe(expected);
  });

  it("shows the question on the output stream", async () => {
    expect((await answer("n\n")).shown).toBe("Roll 't' back? [y/N] ");
  });

  it("takes the first line only: a later 'y' does not turn a 'no' into a yes", async () => {
    expect((await answer("n\ny\n")).yes).toBe(false);
  });

  it("is no, and ends the prompt's line, when the input ends before an answer", async () => {
    expect(await answer("", { end: true })).toEqual({ yes: false, shown: "Roll 't' back? [y/N] \n" });
    // A half-typed answer without Enter is not an answer either.
    expect((await answer("y", { end: true })).yes).toBe(false);
  });
});
