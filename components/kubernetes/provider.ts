import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * Where a stack's Kubernetes objects go. With no kubeconfig, manifests are rendered to a folder and
 * no cluster is needed; with one, the same stack deploys to that cluster unchanged.
 */
export const kubernetesTargetSchema = z
  .object({
    /** Path to a kubeconfig file, or its contents (set it as a secret then). @default none: render to files */
    kubeconfig: z.string().min(1).optional(),
    /** The kubeconfig context to use. @default the kubeconfig's current context */
    context: z.string().min(1).optional(),
    /** Folder for rendered manifests when no kubeconfig is set, relative to the project root. @default out/<stack> */
    renderDirectory: z.string().min(1).optional(),
  })
  .strict();

export type KubernetesTarget = z.infer<typeof kubernetesTargetSchema>;

/** Describes the target for logs and outputs, without revealing kubeconfig contents. */
export function describeTarget(target: KubernetesTarget, stack: string): string {
  if (!target.kubeconfig) return `rendered manifests in ${renderDirectory(target, stack)}`;
  return `cluster${target.context ? ` (context ${target.context})` : ""}`;
}

export function renderDirectory(target: KubernetesTarget, stack: string): string {
  // Relative, so state does not change when the repository moves.
  return target.renderDirectory ?? `out/${stack}`;
}

export function kubernetesProvider(
  name: string,
  target: KubernetesTarget,
  stack: string,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  if (target.kubeconfig) {
    return new k8s.Provider(
      name,
      { kubeconfig: pulumi.secret(target.kubeconfig), context: target.context, enableServerSideApply: true },
      opts,
    );
  }
  return new k8s.Provider(name, { renderYamlToDirectory: renderDirectory(target, stack) }, opts);
}
