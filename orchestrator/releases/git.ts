import { execFileSync } from "node:child_process";

export interface GitState {
  /** The full hash of HEAD. */
  commit: string;
  /** Uncommitted changes (tracked or untracked, not ignored) anywhere in the repository. */
  dirty: boolean;
}

function git(dir: string, args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

/**
 * The commit a program was run from and whether the working tree differed from it; null when `dir` is
 * not in a git repository (or is a folder it ignores), the repository has no commit yet, or git is
 * not installed.
 */
export function gitState(dir: string): GitState | null {
  let commit: string;
  try {
    commit = git(dir, ["rev-parse", "--verify", "HEAD"]).trim();
  } catch {
    return null;
  }
  // A folder git ignores (a scratch copy inside a repository) is not that repository's program.
  if (git(dir, ["ls-files", "--", "."]).trim() === "") return null;
  const dirty = git(dir, ["status", "--porcelain"]).trim() !== "";
  return { commit, dirty };
}
