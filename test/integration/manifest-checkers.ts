import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { projectRoot } from "../../orchestrator/engine";

/** test/manifest-checks.yaml: the one file where checks are configured or disabled, with reasons. */
const checksConfigSchema = z
  .object({
    kubernetesVersion: z.string(),
    kubeScore: z
      .object({ ignore: z.array(z.object({ id: z.string(), reason: z.string().min(20) }).strict()) })
      .strict(),
    checkov: z.object({ skip: z.array(z.object({ id: z.string(), reason: z.string().min(20) }).strict()) }).strict(),
  })
  .strict();

export const checksConfig = checksConfigSchema.parse(
  parse(readFileSync(path.join(projectRoot, "test", "manifest-checks.yaml"), "utf8")),
);

export interface CheckRun {
  code: number | null;
  output: string;
}

function tool(variable: string): string {
  const found = process.env[variable];
  if (!found)
    throw new Error(`${variable} is unset: run the tests through 'npm test', which installs the manifest checkers`);
  return found;
}

function run(command: string, args: string[]): CheckRun {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Strict validation against the Kubernetes API schema: unknown fields and wrong types fail. */
export function validateSchema(files: string[]): CheckRun {
  return run(tool("STACKLINE_KUBERNETES_VALIDATE"), ["-k", checksConfig.kubernetesVersion, "--strict", ...files]);
}

/** kube-score: exit 1 on any CRITICAL finding. */
export function kubeScore(files: string[]): CheckRun {
  const [major, minor] = checksConfig.kubernetesVersion.split(".");
  const ignores = checksConfig.kubeScore.ignore.flatMap((i) => ["--ignore-test", i.id]);
  return run(tool("STACKLINE_KUBE_SCORE"), [
    "score",
    "-o",
    "ci",
    "--kubernetes-version",
    `v${major}.${minor}`,
    ...ignores,
    ...files,
  ]);
}

/**
 * checkov's Kubernetes checks (standing in for kube-linter): exit 1 on any failed check. Files are
 * passed one by one: with `-d`, checkov silently skips folders under a dot-folder such as .stackline.
 */
export function checkov(files: string[]): CheckRun {
  const skips = checksConfig.checkov.skip.map((s) => s.id).join(",");
  const args = ["-f", ...files, "--framework", "kubernetes", "--skip-download", "--compact"];
  return run(tool("STACKLINE_CHECKOV"), skips ? [...args, "--skip-check", skips] : args);
}

/** checkov's failed checks as `ID: title -> resource`, so a test failure names them. */
export function checkovFailures(output: string): string[] {
  const failures: string[] = [];
  let check = "";
  for (const line of output.split("\n")) {
    const title = /^Check: (.*)$/.exec(line.trim());
    if (title?.[1]) check = title[1];
    const failed = /^FAILED for resource: (.*)$/.exec(line.trim());
    if (failed?.[1]) failures.push(`${check} -> ${failed[1]}`);
  }
  return failures;
}
