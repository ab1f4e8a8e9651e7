import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import type { WorkloadArgs } from "./args";

type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;

export interface DeploymentParts {
  /** Labels that select this workload's pods. */
  selector: Record<string, string>;
  /** Labels for every object (selector included). */
  labels: Record<string, string>;
  serviceAccountName: string;
  /** ConfigMap holding `settings`, when there are any. */
  configMapName?: string;
  /** Secret holding `secretNames`, when there are any. */
  secretName?: string;
}

/** Where secret files appear in the container when `secretsAs` is `files`. */
export const SECRETS_PATH = "/var/run/secrets/app";

/** A stable digest of the settings: stamped on the pod template so a change rolls the Deployment. */
export function settingsChecksum(settings: Record<string, string>): string {
  const canonical = JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * The Deployment spec Stackline runs applications with: non-root, read-only, no privileges, probes,
 * requests and limits, spread across zones and nodes, and a rolling update that never drops capacity.
 */
export function deploymentSpec(name: string, args: WorkloadArgs, parts: DeploymentParts): DeploymentSpec {
  const envFrom: k8s.types.input.core.v1.EnvFromSource[] = [];
  if (parts.configMapName) envFrom.push({ configMapRef: { name: parts.configMapName } });
  if (parts.secretName && args.secretsAs === "env") envFrom.push({ secretRef: { name: parts.secretName } });
  const secretFiles = parts.secretName !== undefined && args.secretsAs === "files";
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: "http" },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 2,
  });
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: parts.selector },
  });
  return {
    // Left unset under an autoscaler, so a deploy never fights the HPA's replica count.
    replicas: args.autoscaling ? undefined : args.replicas,
    revisionHistoryLimit: 5,
    selector: { matchLabels: parts.selector },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template: {
      metadata: {
        labels: parts.labels,
        annotations: { "stackline.dev/settings-checksum": settingsChecksum(args.settings) },
      },
      spec: {
        serviceAccountName: parts.serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: args.runAsUser,
          runAsGroup: args.runAsGroup,
          fsGroup: args.runAsGroup,
          seccompProfile: { type: "RuntimeDefault" },
        },
        topologySpreadConstraints: [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
        containers: [
          {
            name,
            image: args.image,
            imagePullPolicy: args.imagePullPolicy,
            ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
            envFrom,
            resources: {
              requests: {
                cpu: args.resources.requestsCpu,
                memory: args.resources.requestsMemory,
                "ephemeral-storage": args.resources.requestsEphemeralStorage,
              },
              limits: {
                cpu: args.resources.limitsCpu,
                memory: args.resources.limitsMemory,
                "ephemeral-storage": args.resources.limitsEphemeralStorage,
              },
            },
            startupProbe: probe(args.probes.startup, 5, 30),
            livenessProbe: probe(args.probes.liveness, 10, 3),
            readinessProbe: probe(args.probes.readiness, 5, 3),
            lifecycle: { preStop: { sleep: { seconds: args.preStopSleepSeconds } } },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: args.runAsUser,
              runAsGroup: args.runAsGroup,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              privileged: false,
              capabilities: { drop: ["ALL"] },
              seccompProfile: { type: "RuntimeDefault" },
            },
            // The root filesystem is read-only; /tmp is the one writable place.
            volumeMounts: [
              { name: "tmp", mountPath: "/tmp" },
              ...(secretFiles ? [{ name: "secrets", mountPath: SECRETS_PATH, readOnly: true }] : []),
            ],
          },
        ],
        volumes: [
          { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
          // Readable by the pod's group only (fsGroup), never world-readable.
          ...(secretFiles ? [{ name: "secrets", secret: { secretName: parts.secretName, defaultMode: 0o440 } }] : []),
        ],
      },
    },
  };
}
