import { describe, expect, it } from "vitest";
import { buildGraph, StackGraphError, selectStacks } from "../../orchestrator/graph";

describe("buildGraph", () => {
  it("orders upstream stacks first and records dependents", () => {
    const graph = buildGraph([
      { stack: "dev-compute", dependsOn: ["dev-network", "dev-data"] },
      { stack: "dev-data", dependsOn: ["dev-network"] },
      { stack: "dev-network", dependsOn: [] },
      { stack: "dev-storage", dependsOn: [] },
    ]);
    expect(graph.order).toEqual(["dev-network", "dev-data", "dev-compute", "dev-storage"]);
    expect(graph.downstream.get("dev-network")).toEqual(["dev-compute", "dev-data"]);
    expect(graph.upstream.get("dev-compute")).toEqual(["dev-network", "dev-data"]);
  });

  it("refuses a dependency on a stack that does not exist", () => {
    expect(() => buildGraph([{ stack: "dev-apps", dependsOn: ["dev-platform"] }])).toThrow(
      new StackGraphError(
        "Stack 'dev-apps' depends on 'dev-platform', which does not exist: add stacks/Pulumi.dev-platform.yaml or remove the dependency.",
      ),
    );
  });

  it("refuses cycles and names them", () => {
    expect(() =>
      buildGraph([
        { stack: "a", dependsOn: ["b"] },
        { stack: "b", dependsOn: ["c"] },
        { stack: "c", dependsOn: ["a"] },
      ]),
    ).toThrow("Stacks depend on each other in a cycle: a -> b -> c -> a.");
  });

  it("refuses duplicates", () => {
    expect(() =>
      buildGraph([
        { stack: "a", dependsOn: [] },
        { stack: "a", dependsOn: [] },
      ]),
    ).toThrow("Stack 'a' is listed twice.");
  });
});

describe("selectStacks", () => {
  const graph = buildGraph([
    { stack: "dev-network", dependsOn: [] },
    { stack: "dev-data", dependsOn: ["dev-network"] },
    { stack: "dev-compute", dependsOn: ["dev-data"] },
    { stack: "dev-edge", dependsOn: ["dev-compute"] },
    { stack: "dev-storage", dependsOn: [] },
  ]);

  it("picks the named stacks, dropping edges to stacks left out", () => {
    const picked = selectStacks(graph, { stacks: ["dev-compute", "dev-storage"] });
    expect(picked.order).toEqual(["dev-compute", "dev-storage"]);
    expect(picked.upstream.get("dev-compute")).toEqual([]);
  });

  it("--with-deps adds upstream stacks transitively; --with-dependents adds downstream ones", () => {
    expect(selectStacks(graph, { stacks: ["dev-compute"], withDeps: true }).order).toEqual([
      "dev-network",
      "dev-data",
      "dev-compute",
    ]);
    expect(selectStacks(graph, { stacks: ["dev-data"], withDependents: true }).order).toEqual([
      "dev-data",
      "dev-compute",
      "dev-edge",
    ]);
  });

  it("refuses unknown names and lists the known ones", () => {
    expect(() => selectStacks(graph, { stacks: ["dev-netwrk"] })).toThrow(
      "Unknown stack(s): dev-netwrk. This environment has: dev-network, dev-data, dev-compute, dev-edge, dev-storage.",
    );
  });
});
