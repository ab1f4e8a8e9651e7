import * as path from "node:path";
import { layers } from "../stacks/layers";
import { discoverStacks, type LayerRegistry, type StackEntry } from "./discover";
import { projectRoot } from "./engine";
import { buildGraph, type Selection, type StackGraph, selectStacks } from "./graph";
import type { ProjectLocation } from "./stack-ops";

/** What a multi-stack run covers: an environment of a project, all of it or a selection. */
export interface RunScope extends ProjectLocation {
  environment: string;
  /** Only these stacks (and, if asked, their upstream or downstream stacks). @default all */
  selection?: Selection;
  /** The project's layers. @default Stackline's own (stacks/layers.ts) */
  layers?: LayerRegistry;
}

export interface RunPlan {
  /** The stacks the run covers, upstream first, with their edges. */
  graph: StackGraph;
  /** Every stack of the environment by name (selected or not). */
  entries: ReadonlyMap<string, StackEntry>;
  registry: LayerRegistry;
}

/** Discovers, checks and selects the stacks of a run, before any engine call. */
export function planRun(scope: RunScope): RunPlan {
  const registry = scope.layers ?? layers;
  const workDir = scope.workDir ?? projectRoot;
  const found = discoverStacks(scope.environment, path.join(workDir, "stacks"), registry);
  const whole = buildGraph(found);
  return {
    graph: scope.selection ? selectStacks(whole, scope.selection) : whole,
    entries: new Map(found.map((e) => [e.stack, e])),
    registry,
  };
}
