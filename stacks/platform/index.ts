import { z } from "zod";
import { kubernetesProvider, kubernetesTargetSchema, renderDirectory } from "../../components/kubernetes/provider";
import { TenantNamespace, tenantNamespaceArgsSchema } from "../../components/kubernetes/tenant-namespace";
import { readConfig } from "../config";
import type { LayerProgram } from "../layers";

export const platformConfigSchema = z
  .object({
    /** Where the manifests go: a cluster or (default) a folder of rendered YAML. */
    kubernetes: kubernetesTargetSchema.prefault({}),
    /** The namespaces workloads live in, each with quotas, defaults and a default-deny policy. */
    namespaces: z.array(tenantNamespaceArgsSchema).min(1),
  })
  .strict();

const program: LayerProgram = async ({ stack }) => {
  const config = readConfig("stackline", platformConfigSchema);
  const provider = kubernetesProvider("kubernetes", config.kubernetes, stack);
  const namespaces = config.namespaces.map((ns) => new TenantNamespace(ns.name, ns, { providers: [provider] }));
  return {
    namespaces: namespaces.map((ns) => ns.namespaceName),
    renderDirectory: config.kubernetes.kubeconfig ? undefined : renderDirectory(config.kubernetes, stack),
  };
};

export default program;
