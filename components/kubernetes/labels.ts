import { z } from "zod";

/** A Kubernetes object name: a DNS-1123 label. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS-1123 label (lower-case letters, digits and '-', at most 63)");

/** Quantities such as `500m`, `2`, `512Mi`, `1Gi`. */
export const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, "a Kubernetes quantity like 500m, 2, 512Mi or 1Gi");

export const labelMap = z.record(z.string(), z.string());

/** The labels every object Stackline renders carries, so tools can find and group them. */
export function standardLabels(parts: { name: string; component: string; partOf?: string }): Record<string, string> {
  return {
    "app.kubernetes.io/name": parts.name,
    "app.kubernetes.io/component": parts.component,
    "app.kubernetes.io/part-of": parts.partOf ?? parts.name,
    "app.kubernetes.io/managed-by": "stackline",
  };
}
