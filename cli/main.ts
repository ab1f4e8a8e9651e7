import { parseArgs } from "node:util";
import { z } from "zod";
import { runDemo } from "./demo";
import { formatDoctor, runDoctor } from "./doctor";

const USAGE = `usage: stackline <command> [flags]

commands:
  doctor    check Node.js, the Pulumi engine, plugins and the backend; print the fix for anything missing
  demo      run the main job on the embedded default (local backend, local environment)
  help      show this text
`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const commandSchema = z.enum(["doctor", "demo", "help"]);

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  const parsed = commandSchema.safeParse(positionals[0] ?? "help");
  if (!parsed.success) {
    throw new UsageError(`unknown command '${positionals[0]}': expected one of ${commandSchema.options.join(", ")}`);
  }
  switch (parsed.data) {
    case "doctor": {
      const checks = runDoctor();
      process.stdout.write(`${formatDoctor(checks)}\n`);
      return checks.some((c) => c.status === "missing") ? 1 : 0;
    }
    case "demo":
      return runDemo();
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
