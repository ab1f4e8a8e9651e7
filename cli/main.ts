import { parseArgs } from "node:util";
import { z } from "zod";
import { problemsFrom } from "../components/validation";
import { runDemo } from "./demo";
import { formatDoctor, runDoctor } from "./doctor";
import { previewFlagsSchema, runPreviewCommand } from "./preview-command";
import { recoverFlagsSchema, runRecoverCommand } from "./recover-command";
import { releasesFlagsSchema, runReleasesCommand } from "./releases-command";
import { rollbackFlagsSchema, runRollbackCommand } from "./rollback-command";
import { runFlagOptions } from "./run-flags";
import { runUpCommand, upFlagsSchema } from "./up-command";

const USAGE = `usage: stackline <command> [flags]

commands:
  doctor                 check Node.js, the Pulumi engine, plugins and the backend; print the fix for anything missing
  demo                   run the main job on the embedded default (local backend, local environment)
  preview --env <env>    preview every stack of an environment at once and write a Markdown and JSON report
      --parallel N           stacks at once (default: from cores and memory)
      --detailed-exitcode    exit 0 with no changes, 2 with changes, 1 on errors
      --report-dir DIR       write logs, report.md, comment.md (cut to fit a PR comment) and report.json there
      --stacks a,b           only these stacks; --with-deps / --with-dependents add upstream / downstream ones
      --affected REF         only stacks whose config, program or components changed since git REF, and their dependents
  up --env <env>         update the stacks in dependency order, each as soon as its upstream stacks succeeded
      --parallel N           stacks at once (default: from cores and memory)
      --continue-on-error    keep independent stacks going after a failure (default: fail fast)
      --no-rollback          after a failure, leave the changed stacks as they are (default: roll them back
                             to the release recorded before the run)
      --stacks a,b           only these stacks; --with-deps / --with-dependents add upstream / downstream ones
      --affected REF         only stacks whose config, program or components changed since git REF, and their dependents
  rollback --env <env> --to <tag>
                         preview returning to a release, confirm (--yes in CI), then roll back and check outputs
      --state-only           for experts: put the tagged checkpoints back as state and refresh; deploys nothing
  recover --env <env>    find stale locks and pending operations left by an interrupted run; clear them once confirmed
      --yes                  do not ask (CI); without it, a terminal is asked and no terminal means no change
      --stale-after AGE      a lock on another host counts as stale after AGE, like 30m (default: 6h)
  releases --env <env>   list the releases 'up' recorded (newest first): time, git commit, user, status, stacks
      --json                 the release records as JSON
  help                   show this text
`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const commandSchema = z.enum(["doctor", "demo", "preview", "up", "rollback", "recover", "releases", "help"]);

/** Validates flags with zod and reports each bad one as `--flag: expected ..., found ...`. */
function parseFlags<Schema extends z.ZodType>(schema: Schema, values: Record<string, unknown>): z.output<Schema> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const lines = problemsFrom(result.error, values).map((p) => `--${p.path}: expected ${p.expected}, found ${p.found}`);
  throw new UsageError(lines.join("\n"));
}

async function main(argv: string[]): Promise<number> {
  const command = commandSchema.safeParse(argv[0] ?? "help");
  if (!command.success) {
    throw new UsageError(`unknown command '${argv[0]}': expected one of ${commandSchema.options.join(", ")}`);
  }
  const rest = argv.slice(1);
  switch (command.data) {
    case "doctor": {
      parseArgs({ args: rest, strict: true, options: {} });
      const checks = await runDoctor();
      process.stdout.write(`${formatDoctor(checks)}\n`);
      return checks.some((c) => c.status === "missing") ? 1 : 0;
    }
    case "demo":
      parseArgs({ args: rest, strict: true, options: {} });
      return runDemo();
    case "preview": {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { ...runFlagOptions, "detailed-exitcode": { type: "boolean" }, "report-dir": { type: "string" } },
      });
      return runPreviewCommand(parseFlags(previewFlagsSchema, values));
    }
    case "up": {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { ...runFlagOptions, "continue-on-error": { type: "boolean" }, "no-rollback": { type: "boolean" } },
      });
      return runUpCommand(parseFlags(upFlagsSchema, values));
    }
    case "rollback": {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          env: { type: "string" },
          to: { type: "string" },
          yes: { type: "boolean" },
          "state-only": { type: "boolean" },
        },
      });
      return runRollbackCommand(parseFlags(rollbackFlagsSchema, values));
    }
    case "recover": {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { env: { type: "string" }, yes: { type: "boolean" }, "stale-after": { type: "string" } },
      });
      return runRecoverCommand(parseFlags(recoverFlagsSchema, values));
    }
    case "releases": {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: { env: { type: "string" }, json: { type: "boolean" } },
      });
      return runReleasesCommand(parseFlags(releasesFlagsSchema, values));
    }
    case "help":
      process.stdout.write(USAGE);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      process.stderr.write(`stackline: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`stackline: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
