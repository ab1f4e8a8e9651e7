/**
 * One status line per stack. On a terminal the lines are redrawn in place; otherwise each change is
 * printed once as a plain line, so CI logs stay readable and engine output never interleaves.
 */
export class StatusLines {
  private readonly order: string[] = [];
  private readonly state = new Map<string, { status: string; since: number }>();
  private drawn = 0;
  private readonly tty: boolean;
  private readonly write: (text: string) => void;

  constructor(options: { tty?: boolean; write?: (text: string) => void } = {}) {
    this.tty = options.tty ?? Boolean(process.stdout.isTTY);
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  update(stack: string, status: string): void {
    if (!this.state.has(stack)) this.order.push(stack);
    const previous = this.state.get(stack);
    const since = previous && previous.status === status ? previous.since : Date.now();
    this.state.set(stack, { status, since });
    if (this.tty) this.redraw();
    else if (previous?.status !== status) this.write(`${this.line(stack)}\n`);
  }

  private line(stack: string): string {
    const entry = this.state.get(stack);
    const width = Math.max(...this.order.map((s) => s.length));
    if (!entry) return stack;
    const elapsed = entry.status === "running" ? ` (${((Date.now() - entry.since) / 1000).toFixed(0)}s)` : "";
    return `  ${stack.padEnd(width)}  ${entry.status}${elapsed}`;
  }

  private redraw(): void {
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : "";
    this.write(`${up}${this.order.map((s) => `\x1b[2K${this.line(s)}`).join("\n")}\n`);
    this.drawn = this.order.length;
  }
}
