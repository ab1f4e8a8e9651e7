import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { problemsFrom } from "../components/validation";

/** The config key a stack declares its smoke checks under, in `stacks/Pulumi.<stack>.yaml`. */
export const SMOKE_CHECKS_KEY = "smoke:checks";

const common = {
  /** What the check proves, for reports. */
  name: z.string().min(1),
  /** Seconds one attempt may take. @default 10 */
  timeoutSeconds: z.number().int().min(1).max(600).default(10),
  /** Attempts before the check fails (new deployments may take a moment to answer). @default 3 */
  attempts: z.number().int().min(1).max(20).default(3),
  /** Seconds between attempts. @default 2 */
  intervalSeconds: z.number().min(0).max(60).default(2),
};

/** An HTTP endpoint that must answer with the expected status. `{{outputs.<name>}}` takes a stack output. */
const httpCheck = z
  .object({
    ...common,
    http: z.string().min(1),
    /** @default 200 */
    expectStatus: z.number().int().min(100).max(599).default(200),
  })
  .strict();

/** A command (argv, no shell) that must exit 0, run in the project folder. */
const commandCheck = z
  .object({
    ...common,
    command: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const smokeChecksSchema = z.array(z.union([httpCheck, commandCheck]));
export type SmokeCheck = z.output<typeof smokeChecksSchema>[number];

/** A stack's smoke checks are malformed; reported before the run changes anything. */
export class SmokeConfigError extends Error {}

/** The smoke checks a stack declares (none when its config file has no `smoke:checks`). */
export function readSmokeChecks(stacksDir: string, stack: string): SmokeCheck[] {
  const file = path.join(stacksDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return [];
  const settings = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const raw = settings?.config?.[SMOKE_CHECKS_KEY];
  if (raw === undefined) return [];
  const parsed = smokeChecksSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = problemsFrom(parsed.error, raw).map(
    (p) => `  - ${SMOKE_CHECKS_KEY}${p.path.replace(/^(\d+)/, "[$1]")}: expected ${p.expected}, found ${p.found}`,
  );
  throw new SmokeConfigError(
    `Stack '${stack}' has invalid smoke checks in ${path.basename(file)}:\n${lines.join("\n")}`,
  );
}

/** One check's outcome. */
export interface SmokeResult {
  name: string;
  ok: boolean;
  /** What happened on the last attempt: the status, the exit code, or the error. */
  detail: string;
  attempts: number;
}

/** Replaces `{{outputs.<name>}}` with the stack's non-secret output; a secret or missing output is an error. */
export function interpolate(text: string, outputs: Record<string, { value: unknown; secret: boolean }>): string {
  return text.replace(/\{\{\s*outputs\.([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => {
    const output = outputs[name];
    if (!output) throw new Error(`the stack has no output '${name}'`);
    if (output.secret) throw new Error(`output '${name}' is secret and is never put into a check`);
    return typeof output.value === "string" ? output.value : JSON.stringify(output.value);
  });
}

async function attemptHttp(url: string, expect: number, timeoutMs: number): Promise<[boolean, string]> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await response.body?.cancel();
    return [response.status === expect, `HTTP ${response.status} (expected ${expect})`];
  } catch (err) {
    return [false, `request failed: ${err instanceof Error ? err.message : String(err)}`];
  }
}

function attemptCommand(argv: string[], cwd: string, timeoutMs: number): Promise<[boolean, string]> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      timeout: timeoutMs,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-400);
    });
    child.on("error", (err) => resolve([false, `could not run: ${err.message}`]));
    child.on("close", (code, signal) => {
      const why = signal ? `killed by ${signal} (timeout ${timeoutMs / 1000}s)` : `exit ${code}`;
      resolve([code === 0, stderr.trim() ? `${why}: ${stderr.trim().split("\n").at(-1)}` : why]);
    });
  });
}

/** Runs a stack's checks one after another, each with its attempts; outputs fill `{{outputs.x}}`. */
export async function runSmokeChecks(
  checks: readonly SmokeCheck[],
  outputs: Record<string, { value: unknown; secret: boolean }>,
  cwd: string,
): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  for (const check of checks) {
    let ok = false;
    let detail = "";
    let attempts = 0;
    while (!ok && attempts < check.attempts) {
      if (attempts > 0) await new Promise((r) => setTimeout(r, check.intervalSeconds * 1000));
      attempts++;
      try {
        const timeoutMs = check.timeoutSeconds * 1000;
        [ok, detail] =
          "http" in check
            ? await attemptHttp(interpolate(check.http, outputs), check.expectStatus, timeoutMs)
            : await attemptCommand(
                check.command.map((arg) => interpolate(arg, outputs)),
                cwd,
                timeoutMs,
              );
      } catch (err) {
        // A check that cannot be built (missing or secret output) will not get better by retrying.
        detail = err instanceof Error ? err.message : String(err);
        break;
      }
    }
    results.push({ name: check.name, ok, detail, attempts });
  }
  return results;
}
