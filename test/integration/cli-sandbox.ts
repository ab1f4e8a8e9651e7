import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { projectRoot } from "../../orchestrator/engine";
import { type Sandbox, sandboxEnvVars } from "./support";

/** A sandbox the real `stackline` command runs on. */
export interface CliSandbox extends Sandbox {
  /** The fixture program's folder: its working directory when it runs, so its `out/` is here. */
  programDir: string;
}

/**
 * The `stackline` command's code finds the project from its own location (`projectRoot`, the folder
 * above `orchestrator/`) and its layers in `stacks/layers.ts`. To run the real command on the pipeline
 * fixture, the sandbox is laid out as Stackline's project with the fixture as its program: `cli/`,
 * `orchestrator/` and `components/` copied, `Pulumi.yaml` the fixture's (project `pipeline`, program
 * `test/fixtures/pipeline`), the fixture's stack files in `stacks/`, and a `stacks/layers.ts` that
 * exports the fixture's layers. The returned `workDir` is that root: pass it to `updateEnvironment`
 * too, so the command and the test see the same stacks.
 */
export function makeCliSandbox(): CliSandbox {
  const base = path.join(projectRoot, ".stackline", "test");
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, "cli-"));
  const workDir = path.join(root, "copy");
  const backendDir = path.join(root, "state");
  for (const entry of [
    "package.json",
    "tsconfig.json",
    "tsconfig.program.json",
    "cli",
    "orchestrator",
    "components",
    "stacks/stack-name.ts",
    "stacks/layers.ts",
    "test/fixtures/pipeline",
    "test/fixtures/engine-smoke",
  ]) {
    cpSync(path.join(projectRoot, entry), path.join(workDir, entry), { recursive: true });
  }
  const fixture = path.join(projectRoot, "test", "fixtures", "pipeline");
  cpSync(path.join(fixture, "stacks"), path.join(workDir, "stacks"), { recursive: true });
  const project = parse(readFileSync(path.join(fixture, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  const runtime = project.runtime as { name: string; options?: Record<string, unknown> };
  const program = path.join("test", "fixtures", "pipeline");
  // Transpile only, as Stackline's own Pulumi.yaml does (`npm test` type-checks); the path is the program's.
  const options = { ...runtime.options, tsconfig: path.relative(program, "tsconfig.program.json") };
  writeFileSync(
    path.join(workDir, "Pulumi.yaml"),
    stringify({ ...project, runtime: { ...runtime, options }, main: program }),
  );
  // Stackline's layers.ts keeps its types under another name; `layers` becomes the fixture's.
  renameSync(path.join(workDir, "stacks", "layers.ts"), path.join(workDir, "stacks", "stackline-layers.ts"));
  writeFileSync(
    path.join(workDir, "stacks", "layers.ts"),
    'export type { LayerDefinition } from "./stackline-layers";\n' +
      'export { pipelineLayers as layers } from "../test/fixtures/pipeline/layers";\n',
  );
  mkdirSync(backendDir);
  return {
    workDir,
    backendDir,
    programDir: path.join(workDir, program),
    envVars: sandboxEnvVars(backendDir),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** How the sandbox's copy of the command is started, as bin/stackline does once the toolchain is ready. */
function commandLine(sandbox: Sandbox, args: readonly string[]): string[] {
  const tsx = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");
  return [process.execPath, tsx, path.join(sandbox.workDir, "cli", "main.ts"), ...args];
}

function commandEnv(sandbox: Sandbox): NodeJS.ProcessEnv {
  return { ...process.env, ...sandbox.envVars, SHELL: "/bin/sh", NO_COLOR: "1" };
}

export interface CliRun {
  code: number | null;
  /** What the command printed (stdout and stderr: on a terminal they are one stream). */
  out: string;
}

/** Runs the sandbox's `stackline` with stdin a pipe that is closed at once: no terminal to ask. */
export function runCliWithoutTerminal(sandbox: Sandbox, args: readonly string[]): CliRun {
  const [command, ...rest] = commandLine(sandbox, args);
  const run = spawnSync(command as string, rest, {
    cwd: sandbox.workDir,
    env: commandEnv(sandbox),
    input: "",
    encoding: "utf8",
    // A synchronous call the test's own timeout cannot interrupt: bound it here.
    timeout: 180_000,
    killSignal: "SIGKILL",
  });
  if (run.error) throw new Error(`stackline ${args.join(" ")} did not run: ${run.error.message}`);
  return { code: run.status, out: run.stdout + run.stderr };
}

/** A prompt to wait for on the terminal, and what to type once it shows (a terminal's Enter is "\r"). */
export interface Answer {
  prompt: string;
  type: string;
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/**
 * Runs the sandbox's `stackline` on a pseudo-terminal (util-linux `script`), so stdin and stdout are a
 * TTY as in an interactive shell. Each answer is typed only once its prompt has shown. Resolves when the
 * command exits, with its exit code and its output, escape codes and carriage returns removed.
 */
export function runCliInTerminal(
  sandbox: Sandbox,
  args: readonly string[],
  answers: readonly Answer[],
  timeoutMs = 180_000,
): Promise<CliRun> {
  const line = commandLine(sandbox, args).map(quote).join(" ");
  const child = spawn("script", ["--quiet", "--return", "--command", line, "/dev/null"], {
    cwd: sandbox.workDir,
    env: commandEnv(sandbox),
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so a timeout stops the command and what it started, not only `script`.
    detached: true,
  });
  let raw = "";
  const shown = () => raw.replace(ESCAPES, "").replaceAll("\r", "");
  let next = 0;
  let seenUpTo = 0;
  const onOutput = (chunk: string) => {
    raw += chunk;
    const answer = answers[next];
    if (!answer) return;
    // Look for the prompt after where the previous one was answered, so one prompt gets one answer.
    const text = shown();
    const at = text.indexOf(answer.prompt, seenUpTo);
    if (at < 0) return;
    seenUpTo = at + answer.prompt.length;
    next++;
    child.stdin.write(answer.type);
  };
  child.stdout.setEncoding("utf8").on("data", onOutput);
  child.stderr.setEncoding("utf8").on("data", onOutput);
  // Typing after the command has exited is for nothing; the test then fails on the output, not on EPIPE.
  child.stdin.on("error", () => {});
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      reject(new Error(`stackline ${args.join(" ")} did not end within ${timeoutMs} ms; it printed:\n${shown()}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out: shown() });
    });
  });
}
