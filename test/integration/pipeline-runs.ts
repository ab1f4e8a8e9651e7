import * as path from "node:path";
import { type UpdateOptions, type UpdateReport, updateEnvironment } from "../../orchestrator/update";
import { pipelineLayers } from "../fixtures/pipeline/layers";
import type { Sandbox } from "./support";

/**
 * `stackline up` of environment `t` over the pipeline fixture in a sandbox, each run logging to its own
 * folder (`up1`, `up2`, ...). `defaults` apply to every run; a run's own options win over them.
 */
export function pipelineUpdates(
  sandbox: () => Sandbox,
  defaults: Partial<UpdateOptions> = {},
): (options?: Partial<UpdateOptions>) => Promise<UpdateReport> {
  let run = 0;
  return (options = {}) => {
    const { workDir, envVars } = sandbox();
    return updateEnvironment({
      environment: "t",
      layers: pipelineLayers,
      workDir,
      envVars,
      runDir: path.join(workDir, `up${++run}`),
      ...defaults,
      ...options,
    });
  };
}
