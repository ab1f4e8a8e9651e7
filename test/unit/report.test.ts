import { describe, expect, it } from "vitest";
import {
  COMMENT_LIMIT,
  detailedExitCode,
  type PreviewReport,
  renderMarkdown,
  shortUrn,
} from "../../orchestrator/report";

function report(stacks: PreviewReport["stacks"]): PreviewReport {
  return { kind: "preview", environment: "dev", startedAt: "2026-11-25T00:00:00.000Z", durationMs: 12_300, stacks };
}

const urn = (i: number) =>
  `urn:pulumi:dev-network::stackline::stackline:network:Network$aws:ec2/subnet:Subnet::private-${i}-with-a-long-name`;

describe("preview report", () => {
  it("shows a row per stack and lists every replace, delete and error by stack", () => {
    const md = renderMarkdown(
      report([
        {
          stack: "dev-network",
          status: "changes",
          durationMs: 4_000,
          changes: { create: 1, replace: 1, delete: 1 },
          replaces: [urn(1)],
          deletes: [urn(2)],
          errors: [],
          logFile: "runs/dev-network.log",
        },
        {
          stack: "dev-data",
          status: "failed",
          durationMs: 2_000,
          changes: {},
          replaces: [],
          deletes: [],
          errors: ["error: config is invalid"],
          logFile: "runs/dev-data.log",
        },
        {
          stack: "dev-edge",
          status: "no changes",
          durationMs: 1_000,
          changes: { same: 9 },
          replaces: [],
          deletes: [],
          errors: [],
        },
      ]),
    );
    expect(md).toContain("3 stack(s): 1 with changes, 1 failed, in 12.3s.");
    expect(md).toContain("| dev-network | 🟡 changes | 1 | 0 | 1 | 1 | 4.0s |");
    expect(md).toContain("| dev-edge | 🟢 no changes | 0 | 0 | 0 | 0 | 1.0s |");
    expect(md).toContain("**Replaces (1)**\n- `aws:ec2/subnet:Subnet private-1-with-a-long-name`");
    expect(md).toContain("**Deletes (1)**\n- `aws:ec2/subnet:Subnet private-2-with-a-long-name`");
    expect(md).toContain("### 🔴 dev-data");
    expect(md).toContain("```\nerror: config is invalid\n```");
    expect(md).toContain("Full log: `runs/dev-data.log`");
    expect(md).not.toContain("### 🟢 dev-edge");
  });

  it("cuts to fit a pull-request comment and points to the full report", () => {
    const replaces = Array.from({ length: 3000 }, (_, i) => urn(i));
    const big = report(
      ["a", "b", "c"].map((name) => ({
        stack: `dev-${name}`,
        status: "changes" as const,
        changes: { replace: replaces.length },
        replaces,
        deletes: [],
        errors: [],
      })),
    );
    const full = renderMarkdown(big, { limit: Number.POSITIVE_INFINITY });
    expect(full.length).toBeGreaterThan(COMMENT_LIMIT);
    const comment = renderMarkdown(big, { fullReportPath: ".stackline/runs/x/report.md" });
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain("| dev-c | 🟡 changes |");
    expect(comment).toMatch(
      /_Report cut to fit a comment: \d stack section\(s\) left out._ Full report: `.stackline\/runs\/x\/report.md`./,
    );
  });

  it("exit codes: 0 without changes, 2 with changes, 1 with any error", () => {
    const entry = (status: "changes" | "no changes" | "failed") => ({
      stack: status,
      status,
      changes: {},
      replaces: [],
      deletes: [],
      errors: [],
    });
    expect(detailedExitCode(report([entry("no changes")]))).toBe(0);
    expect(detailedExitCode(report([entry("no changes"), entry("changes")]))).toBe(2);
    expect(detailedExitCode(report([entry("changes"), entry("failed")]))).toBe(1);
  });

  it("shortens URNs to type and name", () => {
    expect(
      shortUrn("urn:pulumi:local-apps::stackline::stackline:k8s:Workload$kubernetes:apps/v1:Deployment::podinfo"),
    ).toBe("kubernetes:apps/v1:Deployment podinfo");
    expect(shortUrn("not-a-urn")).toBe("not-a-urn");
  });
});
