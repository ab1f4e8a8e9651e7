import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { StackEntry } from "./discover";

/** Files that change what every stack runs: the program's entry, shared stack code, dependencies. */
const EVERY_STACK = [/^Pulumi\.yaml$/, /^package(-lock)?\.json$/, /^tsconfig\.json$/, /^stacks\/[^/]+\.ts$/];

/** Relative imports of a TypeScript file, resolved to repository paths. */
function importsOf(root: string, file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = path.normalize(path.join(path.dirname(file), match[1] as string));
    for (const candidate of [`${target}.ts`, path.join(target, "index.ts"), target]) {
      if (existsSync(path.join(root, candidate)) && candidate.endsWith(".ts")) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}

/** Every source file a layer's program loads, following relative imports from `stacks/<layer>/index.ts`. */
export function layerSources(root: string, layer: string): Set<string> {
  const seen = new Set<string>();
  const queue = [path.join("stacks", layer, "index.ts")];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file) || !existsSync(path.join(root, file))) continue;
    seen.add(file);
    queue.push(...importsOf(root, file));
  }
  return seen;
}

/**
 * The stacks a change touches: a stack's own config file, any source file its layer's program loads,
 * or anything every stack depends on. Dependents are added by the caller's selection.
 */
export function affectedStacks(
  root: string,
  changedFiles: readonly string[],
  entries: readonly StackEntry[],
): string[] {
  const sourcesByLayer = new Map<string, Set<string>>();
  const sources = (layer: string) => {
    let set = sourcesByLayer.get(layer);
    if (!set) {
      set = layerSources(root, layer);
      sourcesByLayer.set(layer, set);
    }
    return set;
  };
  return entries
    .filter((entry) =>
      changedFiles.some(
        (file) =>
          file === `stacks/Pulumi.${entry.stack}.yaml` ||
          EVERY_STACK.some((pattern) => pattern.test(file)) ||
          sources(entry.layer).has(file),
      ),
    )
    .map((entry) => entry.stack);
}

/** Files changed since a git ref: committed since then, uncommitted, and new untracked files. */
export function changedSince(root: string, ref: string): string[] {
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
      .split("\n")
      .filter(Boolean);
  try {
    git(["rev-parse", "--verify", `${ref}^{commit}`]);
  } catch {
    throw new Error(`--affected: '${ref}' is not a git commit, branch or tag in ${root}`);
  }
  return [...new Set([...git(["diff", "--name-only", ref]), ...git(["ls-files", "--others", "--exclude-standard"])])];
}
