import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parseComponentArgs } from "../validation";
import { dnsLabel, labelMap, quantity, standardLabels } from "./labels";
import { DNS_EGRESS_RULE } from "./network";

const podSecurityLevel = z.enum(["restricted", "baseline", "privileged"]);

export const tenantNamespaceArgsSchema = z
  .object({
    /** The namespace's name. */
    name: dnsLabel,
    /** Pod Security Standard enforced, audited and warned on. @default "restricted" */
    podSecurity: podSecurityLevel.default("restricted"),
    /** Total requests and limits the namespace may claim. @default 4 CPUs / 8Gi requested, 8 CPUs / 16Gi limits, 50 pods */
    quota: z
      .object({
        requestsCpu: quantity.default("4"),
        requestsMemory: quantity.default("8Gi"),
        limitsCpu: quantity.default("8"),
        limitsMemory: quantity.default("16Gi"),
        pods: z.number().int().min(1).default(50),
      })
      .strict()
      .prefault({}),
    /** Requests and limits given to containers that declare none. @default 100m/128Mi requested, 500m/512Mi limits */
    containerDefaults: z
      .object({
        requestsCpu: quantity.default("100m"),
        requestsMemory: quantity.default("128Mi"),
        limitsCpu: quantity.default("500m"),
        limitsMemory: quantity.default("512Mi"),
      })
      .strict()
      .prefault({}),
    /** Deny all ingress and egress unless another policy allows it; DNS egress stays allowed. @default true */
    defaultDeny: z.boolean().default(true),
    /** Extra labels for the namespace (for example a team or cost centre). @default {} */
    labels: labelMap.default({}),
  })
  .strict();

export type TenantNamespaceArgs = z.input<typeof tenantNamespaceArgsSchema>;

/**
 * A namespace ready for workloads: Pod Security Standards labels, a resource quota, default
 * container requests and limits, and (by default) a default-deny network policy with DNS egress.
 */
export class TenantNamespace extends pulumi.ComponentResource {
  static readonly type = "stackline:k8s:TenantNamespace";
  /** The namespace's name, for workloads placed in it. */
  readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: TenantNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(TenantNamespace.type, name, tenantNamespaceArgsSchema, args);
    super(TenantNamespace.type, name, {}, opts);
    const child = { parent: this };
    const labels = { ...standardLabels({ name: parsed.name, component: "namespace" }), ...parsed.labels };

    const namespace = new k8s.core.v1.Namespace(
      name,
      {
        metadata: {
          name: parsed.name,
          labels: {
            ...labels,
            "pod-security.kubernetes.io/enforce": parsed.podSecurity,
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": parsed.podSecurity,
            "pod-security.kubernetes.io/warn": parsed.podSecurity,
          },
        },
      },
      child,
    );
    const metadata = (suffix: string) => ({
      name: `${parsed.name}-${suffix}`,
      namespace: namespace.metadata.name,
      labels,
    });

    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      {
        metadata: metadata("quota"),
        spec: {
          hard: {
            "requests.cpu": parsed.quota.requestsCpu,
            "requests.memory": parsed.quota.requestsMemory,
            "limits.cpu": parsed.quota.limitsCpu,
            "limits.memory": parsed.quota.limitsMemory,
            pods: String(parsed.quota.pods),
          },
        },
      },
      child,
    );

    new k8s.core.v1.LimitRange(
      `${name}-defaults`,
      {
        metadata: metadata("defaults"),
        spec: {
          limits: [
            {
              type: "Container",
              defaultRequest: {
                cpu: parsed.containerDefaults.requestsCpu,
                memory: parsed.containerDefaults.requestsMemory,
              },
              default: { cpu: parsed.containerDefaults.limitsCpu, memory: parsed.containerDefaults.limitsMemory },
            },
          ],
        },
      },
      child,
    );

    if (parsed.defaultDeny) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-default-deny`,
        {
          metadata: metadata("default-deny"),
          spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        child,
      );
      new k8s.networking.v1.NetworkPolicy(
        `${name}-allow-dns`,
        {
          metadata: metadata("allow-dns"),
          spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [DNS_EGRESS_RULE],
          },
        },
        child,
      );
    }

    this.namespaceName = namespace.metadata.name;
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}

/** Where a workload runs: a namespace to create (as a TenantNamespace) or one that already exists. */
export const namespaceTargetSchema = z
  .object({
    name: dnsLabel,
    /** Create it (restricted Pod Security, quota, default-deny) rather than use an existing one. @default true */
    create: z.boolean().default(true),
  })
  .strict();

/** The namespace's name, creating it as a child TenantNamespace of `parent` when asked to. */
export function workloadNamespace(
  target: z.output<typeof namespaceTargetSchema>,
  owner: { name: string; parent: pulumi.Resource; labels: Record<string, string> },
): pulumi.Output<string> {
  if (!target.create) return pulumi.output(target.name);
  return new TenantNamespace(
    `${owner.name}-namespace`,
    { name: target.name, labels: owner.labels },
    { parent: owner.parent },
  ).namespaceName;
}
