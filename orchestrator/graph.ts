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
