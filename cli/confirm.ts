import { createInterface } from "node:readline/promises";

/** `--yes` goes ahead; otherwise a terminal is asked; with no terminal to ask, nothing changes. */
export function confirmationMode(yes: boolean, stdinIsTTY: boolean): "yes" | "ask" | "refuse" {
  if (yes) return "yes";
  return stdinIsTTY ? "ask" : "refuse";
}

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
