import { z } from "zod";
import { dnsLabel, labelMap, quantity } from "../labels";
import { namespaceTargetSchema } from "../tenant-namespace";

/** An image pinned to a release: a tag other than `latest`, or a digest. */
export const pinnedImage = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[a-f0-9]{64}|:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/,
    "an image pinned by tag (not 'latest') or digest, like nginx:1.27.3 or app@sha256:<64 hex>",
  );

const probePath = z.string().regex(/^\//, "an HTTP path starting with '/'");

const port = z.number().int().min(1).max(65535);

/** Where pods may send traffic besides DNS: an IP block or pods of a namespace, on the given ports. */
const egressRule = z
  .object({
    /** A CIDR block, for example a database subnet. */
    cidr: z.string().optional(),
    /** Pods in this namespace (all pods, unless podLabels narrows it). */
    namespace: dnsLabel.optional(),
    podLabels: labelMap.optional(),
    ports: z.array(z.object({ port, protocol: z.enum(["TCP", "UDP"]).default("TCP") }).strict()).min(1),
  })
  .strict()
  .refine((rule) => (rule.cidr === undefined) !== (rule.namespace === undefined), {
    message: "exactly one of cidr or namespace",
  });

/** The workload's fields; `workloadArgsSchema` adds the checks that span fields. */
export const workloadFieldsSchema = z
  .object({
    /** The namespace to run in. */
    namespace: namespaceTargetSchema,
    /** The application's container image, pinned by tag or digest. */
    image: pinnedImage,
    /** `Always` makes every pod start re-check the registry's authorization for the image. @default "Always" */
    imagePullPolicy: z.enum(["Always", "IfNotPresent"]).default("Always"),
    /** The port the container serves HTTP on. @default 8080 */
    port: port.default(8080),
    /** Requests and limits for the container. @default 100m/128Mi/64Mi requested, 500m/256Mi/256Mi limits (CPU/memory/ephemeral storage) */
    resources: z
      .object({
        requestsCpu: quantity.default("100m"),
        requestsMemory: quantity.default("128Mi"),
        requestsEphemeralStorage: quantity.default("64Mi"),
        limitsCpu: quantity.default("500m"),
        limitsMemory: quantity.default("256Mi"),
        limitsEphemeralStorage: quantity.default("256Mi"),
      })
      .strict()
      .prefault({}),
    /** HTTP paths of the probes. @default liveness /healthz, readiness and startup /ready */
    probes: z
      .object({
        liveness: probePath.default("/healthz"),
        readiness: probePath.default("/ready"),
        startup: probePath.default("/ready"),
      })
      .strict()
      .prefault({}),
    /** UID and GID the container runs as; above 10000 so they never collide with a host user. @default 10001 */
    runAsUser: z.number().int().min(10001).default(10001),
    runAsGroup: z.number().int().min(10001).default(10001),
    /** Fixed replica count when autoscaling is off. @default 2 */
    replicas: z.number().int().min(1).default(2),
    /** Horizontal autoscaling on CPU; when set, the Deployment leaves `replicas` to the autoscaler. @default off */
    autoscaling: z
      .object({
        minReplicas: z.number().int().min(2),
        maxReplicas: z.number().int().min(2),
        targetCpuPercent: z.number().int().min(1).max(100).default(70),
      })
      .strict()
      .refine((a) => a.maxReplicas >= a.minReplicas, { message: "maxReplicas at least minReplicas" })
      .optional(),
    /** Seconds the pod keeps serving after it is told to stop, while endpoints update. @default 5 */
    preStopSleepSeconds: z.number().int().min(0).max(120).default(5),
    /** Grace period before the container is killed; must exceed the preStop sleep. @default 30 */
    terminationGracePeriodSeconds: z.number().int().min(1).max(600).default(30),
    /** Plain settings, mounted as environment variables; a change rolls the Deployment. @default {} */
    settings: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name"), z.string()).default({}),
    /** Names of secret environment variables; values come from `secretValues` (Pulumi secret config). @default [] */
    secretNames: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name")).default([]),
    /**
     * How the app reads its secrets: `files` mounts them read-only under `/var/run/secrets/app/<NAME>`;
     * `env` sets environment variables, which leak into child processes and crash dumps. @default "files"
     */
    secretsAs: z.enum(["files", "env"]).default("files"),
    /** Public HTTPS entry point. @default none (the Service is cluster-internal) */
    ingress: z
      .object({
        host: z.string().regex(/^[a-z0-9.-]+$/, "a DNS host name"),
        /** Secret holding the TLS certificate (for example one cert-manager issues). @default <name>-tls */
        tlsSecretName: dnsLabel.optional(),
        className: z.string().default("nginx"),
      })
      .strict()
      .optional(),
    /** Labels of the ingress controller's namespace, allowed to reach the pods. @default ingress-nginx */
    ingressControllerNamespaceLabels: labelMap.default({ "kubernetes.io/metadata.name": "ingress-nginx" }),
    /** Destinations pods may reach besides DNS. @default [] */
    egress: z.array(egressRule).default([]),
    /** Extra labels on every object. @default {} */
    labels: labelMap.default({}),
  })
  .strict();

export const workloadArgsSchema = workloadFieldsSchema.refine(
  (a) => a.terminationGracePeriodSeconds > a.preStopSleepSeconds,
  {
    message: "terminationGracePeriodSeconds greater than preStopSleepSeconds",
    path: ["terminationGracePeriodSeconds"],
  },
);

export type WorkloadArgsInput = z.input<typeof workloadArgsSchema>;
export type WorkloadArgs = z.output<typeof workloadArgsSchema>;
