import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { formatUpdateSummary, type UpdateReport, updateEnvironment } from "../../orchestrator/update";
import { secretPipelineLayers } from "../fixtures/secret-pipeline/layers";
import type { Sandbox } from "./support";

/** Every file under `dir`, recursively: what a test searches for a secret's plaintext. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/**
 * Runs of `stackline up` over the secret-pipeline fixture (s-base -> s-app) as the CLI does them:
 * each run's report.json and summary land in its own folder under `runsDir`, so a test can search them.
 */
export function secretPipelineRuns(where: () => { sandbox: Sandbox; runsDir: string }) {
  const reports: UpdateReport[] = [];
  const warnings: string[] = [];
  return {
    reports,
    warnings,
    async up(): Promise<UpdateReport> {
      const { sandbox, runsDir } = where();
      const runDir = path.join(runsDir, `up${reports.length + 1}`);
      const report = await updateEnvironment({
        environment: "s",
        layers: secretPipelineLayers,
        workDir: sandbox.workDir,
        envVars: sandbox.envVars,
        runDir,
        onWarning: (text) => warnings.push(text),
      });
      mkdirSync(runDir, { recursive: true });
      writeFileSync(path.join(runDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(path.join(runDir, "summary.txt"), formatUpdateSummary(report));
      reports.push(report);
      return report;
    },
    /** Edits a stack's config file as a user would before the next run (undefined removes the key). */
    setConfig(stack: string, key: string, value: string | undefined): void {
      const file = path.join(where().sandbox.workDir, "stacks", `Pulumi.${stack}.yaml`);
      const settings = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
      settings.config ??= {};
      if (value === undefined) delete settings.config[key];
      else settings.config[key] = value;
      writeFileSync(file, stringify(settings));
    },
  };
}
