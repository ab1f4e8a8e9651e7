import type { Selection } from "../orchestrator/graph";

/** The `--stacks`, `--with-deps` and `--with-dependents` flags as a graph selection. */
export function selectionFrom(flags: {
  stacks?: string;
  "with-deps": boolean;
  "with-dependents": boolean;
}): Selection | undefined {
  if (flags.stacks === undefined) return undefined;
  return { stacks: flags.stacks.split(","), withDeps: flags["with-deps"], withDependents: flags["with-dependents"] };
}
