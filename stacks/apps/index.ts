import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { dnsLabel } from "../../components/kubernetes/labels";
import { kubernetesProvider, kubernetesTargetSchema, renderDirectory } from "../../components/kubernetes/provider";
import { Workload, workloadFieldsSchema } from "../../components/kubernetes/workload";
import { readConfig } from "../config";
import type { LayerProgram } from "../layers";
import { upstreamStack } from "../upstream";

// Each app names a namespace the platform layer created; the workload never creates its own here.
const appSchema = workloadFieldsSchema.omit({ namespace: true }).extend({ namespace: dnsLabel });

export const appsConfigSchema = z
  .object({
    kubernetes: kubernetesTargetSchema.prefault({}),
    /** The applications, by name. */
    apps: z.record(
      z.string().regex(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/, "an app name (DNS label, at most 42)"),
      appSchema,
    ),
    /** Secret environment values per app (`pulumi config set --secret --path 'stackline:appSecrets.<app>.<NAME>'`). */
    appSecrets: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  })
  .strict();

const program: LayerProgram = async (context) => {
  const config = readConfig("stackline", appsConfigSchema);
  const platform = upstreamStack(context, "platform");
  // Absent until the platform stack is first deployed: a preview then goes ahead (the orchestrator
  // marks it stale); an update stops with a clear error.
  const platformNamespaces = platform.output("namespaces") as pulumi.Output<string[] | undefined>;
  const provider = kubernetesProvider("kubernetes", config.kubernetes, context.stack);
  const outputs: Record<string, pulumi.Output<string>> = {};
  for (const [name, app] of Object.entries(config.apps)) {
    const secretValues = Object.fromEntries(
      Object.entries(config.appSecrets[name] ?? {}).map(([key, value]) => [key, pulumi.secret(value)]),
    );
    const workload = new Workload(
      name,
      {
        ...app,
        namespace: { name: app.namespace, create: false },
        secretNames: Object.keys(secretValues),
        secretValues,
      },
      { providers: [provider] },
    );
    // Exported, so the check that the platform created the namespace runs with every deployment.
    outputs[name] = pulumi.all([platformNamespaces, workload.internalUrl]).apply(([names, url]) => {
      if (names === undefined) {
        if (pulumi.runtime.isDryRun()) {
          pulumi.log.warn(
            `${context.environment}-platform has no 'namespaces' output yet; previewing as if '${app.namespace}' exists`,
          );
          return url;
        }
        throw new Error(
          `${context.environment}-platform has no 'namespaces' output: deploy it before ${context.stack}`,
        );
      }
      if (!names.includes(app.namespace)) {
        throw new Error(
          `app '${name}' runs in namespace '${app.namespace}', which the platform layer does not create (it has: ${names.join(", ")})`,
        );
      }
      return url;
    });
  }
  return {
    services: outputs,
    renderDirectory: config.kubernetes.kubeconfig ? undefined : renderDirectory(config.kubernetes, context.stack),
  };
};

export default program;
