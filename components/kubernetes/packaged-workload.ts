import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parseComponentArgs } from "../validation";
import { labelMap } from "./labels";
import { namespaceTargetSchema, workloadNamespace } from "./tenant-namespace";

const helmSource = z
  .object({
    /** Path to a local chart folder (with Chart.yaml). */
    chart: z.string().min(1),
    /** Values passed to the chart. @default {} */
    values: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const kustomizeSource = z
  .object({
    /** Path to a local folder with kustomization.yaml. */
    directory: z.string().min(1),
  })
  .strict();

export const packagedWorkloadArgsSchema = z
  .object({
    /** Namespace the package is installed into; created with restricted Pod Security and default-deny. */
    namespace: namespaceTargetSchema,
    /** Exactly one source: a local Helm chart or a Kustomize directory. */
    source: z.union([z.object({ helm: helmSource }).strict(), z.object({ kustomize: kustomizeSource }).strict()]),
    /** Extra labels for the namespace. @default {} */
    labels: labelMap.default({}),
  })
  .strict();

export type PackagedWorkloadArgs = z.input<typeof packagedWorkloadArgsSchema>;

/**
 * Someone else's manifests (a local Helm chart or a Kustomize directory), deployed through the
 * Kubernetes provider's own Chart v4 and Kustomize v2 support, inside the same guard rails as
 * Stackline's own workloads: every namespaced object is placed in one namespace, which enforces the
 * Pod Security `restricted` profile and denies traffic that no policy allows.
 */
export class PackagedWorkload extends pulumi.ComponentResource {
  static readonly type = "stackline:k8s:PackagedWorkload";
  readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: PackagedWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(PackagedWorkload.type, name, packagedWorkloadArgsSchema, args);
    super(PackagedWorkload.type, name, {}, opts);
    const namespace = workloadNamespace(parsed.namespace, { name, parent: this, labels: parsed.labels });
    const childOpts = { parent: this };
    if ("helm" in parsed.source) {
      new k8s.helm.v4.Chart(
        name,
        { chart: parsed.source.helm.chart, values: parsed.source.helm.values, namespace, skipAwait: false },
        childOpts,
      );
    } else {
      new k8s.kustomize.v2.Directory(name, { directory: parsed.source.kustomize.directory, namespace }, childOpts);
    }
    this.namespaceName = namespace;
    this.registerOutputs({ namespaceName: namespace });
  }
}
