/** A stack and the stacks it reads from. */
export interface GraphNode {
  stack: string;
  dependsOn: readonly string[];
}

/** The stack graph is unusable: the message names the stacks involved and how to fix it. */
export class StackGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackGraphError";
  }
}

export interface StackGraph {
  /** Every stack, upstream stacks always before their dependents; ties keep the input order. */
  order: string[];
  upstream: ReadonlyMap<string, readonly string[]>;
  downstream: ReadonlyMap<string, readonly string[]>;
}

/**
 * Checks and orders an environment's stacks: refuses duplicates, dependencies on stacks that do not
 * exist, and cycles (naming the cycle), before any engine call is made.
 */
export function buildGraph(nodes: readonly GraphNode[]): StackGraph {
  const upstream = new Map<string, readonly string[]>();
  for (const node of nodes) {
    if (upstream.has(node.stack)) throw new StackGraphError(`Stack '${node.stack}' is listed twice.`);
    upstream.set(node.stack, node.dependsOn);
  }
  const downstream = new Map<string, string[]>(nodes.map((n) => [n.stack, []]));
  for (const node of nodes) {
    for (const up of node.dependsOn) {
      const dependents = downstream.get(up);
      if (!dependents) {
        throw new StackGraphError(
          `Stack '${node.stack}' depends on '${up}', which does not exist: add stacks/Pulumi.${up}.yaml or remove the dependency.`,
        );
      }
      dependents.push(node.stack);
    }
  }
  // Depth-first, in input order, so the result is stable and a cycle can be reported as a path.
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (stack: string, path: string[]) => {
    const seen = state.get(stack);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...path.slice(path.indexOf(stack)), stack];
      throw new StackGraphError(`Stacks depend on each other in a cycle: ${cycle.join(" -> ")}.`);
    }
    state.set(stack, "visiting");
    for (const up of upstream.get(stack) ?? []) visit(up, [...path, stack]);
    state.set(stack, "done");
    order.push(stack);
  };
  for (const node of nodes) visit(node.stack, []);
  return { order, upstream, downstream };
}

export interface Selection {
  /** Stacks asked for by name. */
  stacks: readonly string[];
  /** Add every stack they read from, transitively. */
  withDeps?: boolean;
  /** Add every stack that reads from them, transitively. */
  withDependents?: boolean;
}

function closure(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
    for (const next of edges.get(stack) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * The part of a graph a run works on. Unknown names are refused with the known ones listed. A selected
 * stack whose upstream stack is left out reads that stack's current outputs, as a single-stack
 * `pulumi up` would; the edge is dropped so it does not wait for it.
 */
export function selectStacks(graph: StackGraph, selection: Selection): StackGraph {
  const unknown = selection.stacks.filter((s) => !graph.upstream.has(s));
  if (unknown.length > 0) {
    throw new StackGraphError(
      `Unknown stack(s): ${unknown.join(", ")}. This environment has: ${graph.order.join(", ")}.`,
    );
  }
  const chosen = new Set(selection.stacks);
  if (selection.withDeps) for (const s of closure(selection.stacks, graph.upstream)) chosen.add(s);
  if (selection.withDependents) for (const s of closure(selection.stacks, graph.downstream)) chosen.add(s);
  return buildGraph(
    graph.order
      .filter((s) => chosen.has(s))
      .map((stack) => ({ stack, dependsOn: (graph.upstream.get(stack) ?? []).filter((up) => chosen.has(up)) })),
  );
}
