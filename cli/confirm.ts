import { createInterface } from "node:readline/promises";

/** `--yes` goes ahead; otherwise a terminal is asked; with no terminal to ask, nothing changes. */
export function confirmationMode(yes: boolean, stdinIsTTY: boolean): "yes" | "ask" | "refuse" {
  if (yes) return "yes";
  return stdinIsTTY ? "ask" : "refuse";
}

/** Where `ask` reads the answer and writes the question. */
export interface AskStreams {
  /** @default process.stdin */
  input?: NodeJS.ReadableStream;
  /** @default process.stdout */
  output?: NodeJS.WritableStream;
}

/**
 * Asks a yes/no question on the terminal; anything but y/yes is no. An input that ends before an answer
 * is no too (readline's question would otherwise never settle). Ctrl-C and Ctrl-D on a terminal still
 * abort: readline rejects the question with an AbortError, which the command reports.
 */
export async function ask(question: string, streams: AskStreams = {}): Promise<boolean> {
  const output = streams.output ?? process.stdout;
  const rl = createInterface({ input: streams.input ?? process.stdin, output });
  let answered = false;
  const ended = new Promise<string>((resolve) =>
    rl.once("close", () => {
      // End the prompt's line, so what is printed next starts on a line of its own.
      if (!answered) output.write("\n");
      // readline closes first and rejects a Ctrl-C or Ctrl-D right after: let that rejection win.
      setImmediate(() => resolve(""));
    }),
  );
  try {
    const answer = await Promise.race([rl.question(question), ended]);
    answered = true;
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
