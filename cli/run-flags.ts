import { z } from "zod";

/** Flags every multi-stack command takes: the environment, the bound, and which stacks. */
export const runFlagsShape = {
  env: z.string().regex(/^[a-z][a-z0-9]*$/, "an environment name like local, dev or prod"),
  parallel: z.coerce.number().int().min(1).max(64).optional(),
  /** Comma-separated stack names to run instead of the whole environment. */
  stacks: z
    .string()
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, "comma-separated stack names like dev-network,dev-data")
    .optional(),
  /** A git ref: run the stacks changed since it, and their dependents. */
  affected: z.string().min(1).optional(),
  "with-deps": z.boolean().default(false),
  "with-dependents": z.boolean().default(false),
};

/** The same flags for node:util parseArgs. */
export const runFlagOptions = {
  env: { type: "string" },
  parallel: { type: "string" },
  stacks: { type: "string" },
  affected: { type: "string" },
  "with-deps": { type: "boolean" },
  "with-dependents": { type: "boolean" },
} as const;

interface SelectionFlagValues {
  stacks?: string;
  affected?: string;
  "with-deps": boolean;
  "with-dependents": boolean;
}

/** Rules across the selection flags, for a command schema's superRefine. */
export function selectionRules(f: SelectionFlagValues, ctx: z.RefinementCtx): void {
  if (f.stacks !== undefined && f.affected !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["affected"],
      message: "either --stacks or --affected, not both",
      input: f.affected,
    });
  }
  if (f.stacks === undefined && f.affected === undefined && (f["with-deps"] || f["with-dependents"])) {
    ctx.addIssue({
      code: "custom",
      path: ["stacks"],
      message: "--stacks (--with-deps and --with-dependents widen a selection)",
      input: undefined,
    });
  }
}

/**
 * Runs `work` with an AbortSignal that Ctrl-C triggers: nothing new starts, running operations are
 * told to cancel through the Automation API, and the command still writes its report.
 */
export async function withCancellation<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write(
      `\nCancelling: running ${what} are asked to stop; nothing new starts; the report is still written.\n`,
    );
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
  }
}
