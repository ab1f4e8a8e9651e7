import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation";
import { inBatches, SUPPORTED_BACKENDS } from "../backend-files";
import { gitState } from "./git";
import { newTag, type RecordedOutput, type Release, type StackRelease } from "./record";
import { type ReleaseStore, releaseStoreFor } from "./store";

/** The stack tag that names the release a stack's last `stackline up` started from. */
export const RELEASE_TAG_KEY = "stackline:release";

/** How Pulumi marks a secret value in state; `ciphertext` or `plaintext` sits beside it. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface CaptureOptions {
  environment: string;
  project: string;
  /** The program's folder: where its git state and its stack config files are read. */
  workDir: string;
  /** @default the store next to the first stack's backend (releaseStoreFor) */
  store?: ReleaseStore;
  /** Stacks read at once. @default 4 */
  parallel?: number;
  /** Called with a line to show the user when something is recorded only in part. */
  onWarning?: (text: string) => void;
  /** @default the current time */
  now?: Date;
}

/** The backend has no release store (Pulumi Cloud, gs://, azblob://). */
export class NoReleaseStoreError extends Error {
  constructor(backendUrl: string | undefined) {
    super(`Release records need ${SUPPORTED_BACKENDS}; the backend is ${backendUrl ?? "(PULUMI_BACKEND_URL unset)"}.`);
    this.name = "NoReleaseStoreError";
  }
}

/** The backend a stack's workspace uses (the same lookup as the engine's). */
export function backendUrlOf(stack: Stack): string | undefined {
  return stack.workspace.envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL;
}

const run = promisify(execFile);

/**
 * Runs the stack's own CLI in its workspace, as the Automation API would. Needed because the API's
 * `exportStack()` always passes `--show-secrets`, and its checkpoint would hold secrets in plaintext.
 */
export async function runStackCli(stack: Stack, args: string[]): Promise<string> {
  const ws = stack.workspace;
  const command = ws.pulumiCommand.command;
  const env: NodeJS.ProcessEnv = { ...process.env, ...ws.envVars, PULUMI_AUTOMATION_API: "true" };
  if (ws.pulumiHome) env.PULUMI_HOME = ws.pulumiHome;
  // Bundled plugins next to the CLI first, as the Automation API does.
  if (path.isAbsolute(command)) env.PATH = `${path.dirname(command)}${path.delimiter}${env.PATH ?? ""}`;
  try {
    const { stdout } = await run(command, [...args, "--non-interactive"], {
      cwd: ws.workDir,
      env,
      maxBuffer: 1024 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`'pulumi ${args.join(" ")}' failed for stack ${stack.name}: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }
}

function containsSecret(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if ((value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG) return true;
  return Object.values(value).some(containsSecret);
}

interface Checkpoint {
  deployment?: { resources?: { type?: string; parent?: string; outputs?: Record<string, unknown> }[] };
}

/**
 * The stack's outputs from its checkpoint. An output holding a secret anywhere inside it is recorded
 * as secret, without its value (which is ciphertext there anyway).
 */
export function outputsOf(checkpoint: Checkpoint): Record<string, RecordedOutput> {
  const root = checkpoint.deployment?.resources?.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
  return Object.fromEntries(
    Object.entries(root?.outputs ?? {}).map(([name, value]): [string, RecordedOutput] => [
      name,
      containsSecret(value) ? { secret: true } : { secret: false, value },
    ]),
  );
}

/** Where Pulumi.yaml puts stack config files (`stackConfigDir`, formerly `config` as a string). */
async function stackConfigDirOf(stack: Stack): Promise<string> {
  const settings = (await stack.workspace.projectSettings()) as { stackConfigDir?: unknown; config?: unknown };
  const dir = settings.stackConfigDir ?? settings.config;
  return typeof dir === "string" ? dir : "";
}

/** One stack's part of a release, and the files (checkpoint, config copy) it goes with. */
async function captureStack(
  stack: Stack,
  stackConfigDir: string,
): Promise<{ recorded: StackRelease; files: Record<string, string> }> {
  const name = stack.name;
  // Without --show-secrets: the checkpoint keeps secrets as ciphertext, as the backend stores them.
  const [exported, historyText] = await Promise.all([
    runStackCli(stack, ["stack", "export", "--stack", name]),
    runStackCli(stack, ["stack", "history", "--json", "--stack", name]),
  ]);
  const checkpoint = JSON.parse(exported) as Checkpoint;
  const history = JSON.parse(historyText) as { version?: number }[] | null;
  const operations = history?.length ?? 0;
  const checkpointFile = `${name}.checkpoint.json`;
  const files: Record<string, string> = { [checkpointFile]: exported };

  const source = [".yaml", ".yml"]
    .map((ext) => path.join(stackConfigDir, `Pulumi.${name}${ext}`))
    .find((file) => existsSync(file));
  const configFile = source ? `${name}.config.yaml` : null;
  if (source && configFile) files[configFile] = readFileSync(source, "utf8");

  const recorded: StackRelease = {
    existed: operations > 0 || (checkpoint.deployment?.resources?.length ?? 0) > 0,
    // Pulumi Cloud numbers updates; self-managed backends report 0 for all, so count the operations.
    lastUpdateVersion: operations === 0 ? null : Math.max(history?.[0]?.version ?? 0, operations),
    outputs: outputsOf(checkpoint),
    configFile,
    checkpointFile,
  };
  return { recorded, files };
}

/**
 * Records what the stacks are before a run changes them: for each, its checkpoint (encrypted), a copy
 * of its config file (secrets as ciphertext), its outputs (secret ones without their values) and how
 * many updates it has had. Writes them to a new release folder, then release.json (status "recorded"),
 * then tags every stack `stackline:release=<tag>`. A failure leaves no release behind.
 */
export async function captureRelease(
  stacks: ReadonlyMap<string, Stack>,
  order: readonly string[],
  options: CaptureOptions,
): Promise<Release> {
  const first = stacks.get(order[0] ?? "");
  const backendUrl = first && backendUrlOf(first);
  const store = options.store ?? releaseStoreFor(backendUrl, options.project, options.environment);
  if (!store) throw new NoReleaseStoreError(backendUrl);
  const selected = order.map((name) => {
    const stack = stacks.get(name);
    if (!stack) throw new Error(`captureRelease: no Stack object for ${name}`);
    return stack;
  });
  const now = options.now ?? new Date();
  const tag = newTag(options.environment, now);
  const stackConfigDir = path.join(options.workDir, first ? await stackConfigDirOf(first) : "");
  const parallel = options.parallel ?? 4;
  const captured = await inBatches(selected, parallel, (stack) => captureStack(stack, stackConfigDir));
  const release: Release = {
    tag,
    project: options.project,
    environment: options.environment,
    createdAt: now.toISOString(),
    git: gitState(options.workDir),
    user: `${os.userInfo().username}@${os.hostname()}`,
    status: "recorded",
    stacks: Object.fromEntries(order.map((name, i) => [name, captured[i]?.recorded as StackRelease])),
  };
  // Nothing is written until every stack is read, and a release that could not be completed is
  // removed again: a failed capture leaves no release behind.
  const files: Record<string, string> = Object.assign({}, ...captured.map((c) => c.files));
  try {
    await store.save(release, files);
    await tagStacks(selected, tag, parallel, options.onWarning);
  } catch (err) {
    await store.discard(release).catch(() => undefined);
    throw err;
  }
  return release;
}

/** Sets `stackline:release=<tag>` on each stack; a backend without stack tags gets one warning. */
async function tagStacks(stacks: readonly Stack[], tag: string, parallel: number, onWarning?: (text: string) => void) {
  let unsupported = false;
  await inBatches(stacks, parallel, async (stack) => {
    try {
      await stack.setTag(RELEASE_TAG_KEY, tag);
    } catch (err) {
      if (!/not supported|unsupported/i.test(String((err as Error)?.message ?? err))) throw err;
      unsupported = true;
    }
  });
  if (unsupported)
    onWarning?.(`this backend does not support stack tags: release ${tag} is recorded, its stacks are not tagged`);
}
