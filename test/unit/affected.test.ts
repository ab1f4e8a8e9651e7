import { describe, expect, it } from "vitest";
import { affectedStacks, layerSources } from "../../orchestrator/affected";
import { discoverStacks } from "../../orchestrator/discover";
import { projectRoot } from "../../orchestrator/engine";

// Runs on the repository's own stacks and sources.
const local = discoverStacks("local");

describe("affected stacks", () => {
  it("follows a layer's imports into the components it uses", () => {
    const apps = layerSources(projectRoot, "apps");
    expect(apps).toContain("stacks/apps/index.ts");
    expect(apps).toContain("components/kubernetes/workload/deployment-spec.ts");
    expect(apps).toContain("components/validation.ts");
    expect(layerSources(projectRoot, "platform")).not.toContain("components/kubernetes/workload/deployment-spec.ts");
  });

  it("maps changes to the stacks they touch", () => {
    const affected = (files: string[]) => affectedStacks(projectRoot, files, local);
    expect(affected(["stacks/Pulumi.local-apps.yaml"])).toEqual(["local-apps"]);
    expect(affected(["components/kubernetes/workload/deployment-spec.ts"])).toEqual(["local-apps"]);
    expect(affected(["components/kubernetes/tenant-namespace.ts"])).toEqual(["local-platform", "local-apps"]);
    expect(affected(["stacks/config.ts"])).toEqual(["local-platform", "local-apps"]);
    expect(affected(["package-lock.json"])).toEqual(["local-platform", "local-apps"]);
    expect(affected(["README.md", "orchestrator/report.ts", "stacks/Pulumi.dev-platform.yaml"])).toEqual([]);
  });
});
