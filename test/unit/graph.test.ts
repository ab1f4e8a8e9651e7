import { describe, expect, it } from "vitest";
import { buildGraph, StackGraphError } from "../../orchestrator/graph";

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
