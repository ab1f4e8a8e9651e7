import { affectedStacks, changedSince } from "../orchestrator/affected";
import { discoverStacks } from "../orchestrator/discover";
import { projectRoot } from "../orchestrator/engine";
import type { Selection } from "../orchestrator/graph";

export interface SelectionFlags {
  env: string;
  stacks?: string;
  affected?: string;
  "with-deps": boolean;
  "with-dependents": boolean;
}

/**
 * The selection flags as a graph selection: `--stacks` (widened by `--with-deps` and
 * `--with-dependents`), or `--affected <ref>`: the stacks whose config, program or components changed
 * since that git ref, plus their dependents. `null` means `--affected` found nothing to do.
 */
export function selectionFrom(flags: SelectionFlags): Selection | undefined | null {
  if (flags.affected !== undefined) {
    const stacks = affectedStacks(projectRoot, changedSince(projectRoot, flags.affected), discoverStacks(flags.env));
    if (stacks.length === 0) return null;
    return { stacks, withDependents: true, withDeps: flags["with-deps"] };
  }
  if (flags.stacks === undefined) return undefined;
  return { stacks: flags.stacks.split(","), withDeps: flags["with-deps"], withDependents: flags["with-dependents"] };
}
