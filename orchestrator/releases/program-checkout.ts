import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { gitState } from "./git";
import type { Release } from "./record";

/** Where a rollback runs the tagged program from, and how to clean up after it. */
export interface ProgramCheckout {
  /** The program's folder (Pulumi.yaml's folder) in the checkout. */
  workDir: string;
  /** Why this checkout, for the report. */
  source: string;
  warnings: string[];
  dispose(): void;
}

function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * The program a release's known-good state was deployed with: the commit of the newest earlier release
 * that succeeded. When that is the current commit and the tree is clean, the working folder itself;
 * when it differs, a git worktree at that commit (node_modules linked from the repository). Without a
 * git repository or an earlier successful release, the current program, with a warning.
 */
export function checkoutProgram(workDir: string, goodRelease: Release | undefined, scratch: string): ProgramCheckout {
  const here = (source: string, warnings: string[] = []): ProgramCheckout => ({
    workDir,
    source,
    warnings,
    dispose: () => {},
  });
  const current = gitState(workDir);
  if (!goodRelease?.git) {
    return here("the current program", [
      goodRelease
        ? "the known-good release was made outside git: re-applying its config with the current program"
        : "no earlier successful release: re-applying the known-good config with the current program",
    ]);
  }
  const warnings = goodRelease.git.dirty
    ? [
        `release ${goodRelease.tag} ran with uncommitted changes, which cannot be checked out: using its commit as committed`,
      ]
    : [];
  if (current && current.commit === goodRelease.git.commit && !current.dirty) {
    return here(`the current program (commit ${current.commit.slice(0, 12)}, as in ${goodRelease.tag})`, warnings);
  }
  if (!current) return here("the current program", [...warnings, "the program is no longer in a git repository"]);
  const repoRoot = git(workDir, ["rev-parse", "--show-toplevel"]).trim();
  const checkout = path.join(scratch, `worktree-${goodRelease.tag}`);
  mkdirSync(scratch, { recursive: true });
  git(repoRoot, ["worktree", "add", "--detach", "--force", checkout, goodRelease.git.commit]);
  const modules = path.join(repoRoot, "node_modules");
  if (existsSync(modules) && !existsSync(path.join(checkout, "node_modules"))) {
    symlinkSync(modules, path.join(checkout, "node_modules"), "dir");
  }
  return {
    workDir: path.join(checkout, path.relative(repoRoot, workDir)),
    source: `a git worktree at ${goodRelease.git.commit.slice(0, 12)} (the program of ${goodRelease.tag})`,
    warnings,
    dispose: () => {
      git(repoRoot, ["worktree", "remove", "--force", checkout]);
    },
  };
}
