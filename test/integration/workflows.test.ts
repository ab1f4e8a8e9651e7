import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../orchestrator/engine";

function actionlint(cwd: string, files: string[] = []) {
  const bin = process.env.STACKLINE_ACTIONLINT;
  if (!bin) throw new Error("STACKLINE_ACTIONLINT is unset: run the tests through 'npm test', which builds actionlint");
  const run = spawnSync(bin, ["-color=false", ...files], { cwd, encoding: "utf8" });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe("GitHub workflows", () => {
  it("the repository's workflows pass actionlint", () => {
    const { code, out } = actionlint(projectRoot);
    expect(out).toBe("");
    expect(code).toBe(0);
  });

  it("actionlint fails on a broken workflow", () => {
    const repo = mkdtempSync(path.join(tmpdir(), "workflows-"));
    try {
      mkdirSync(path.join(repo, ".github", "workflows"), { recursive: true });
      writeFileSync(
        path.join(repo, ".github", "workflows", "bad.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: missing\n    steps:\n      - run: echo ${{ matrix.nope }}\n",
      );
      const { code, out } = actionlint(repo, [path.join(repo, ".github", "workflows", "bad.yml")]);
      expect(code).toBe(1);
      expect(out).toContain('job "a" needs job "missing" which does not exist');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
