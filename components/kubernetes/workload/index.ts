import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseComponentArgs } from "../../validation";
import { standardLabels } from "../labels";
import { workloadNamespace } from "../tenant-namespace";
import { type WorkloadArgs, type WorkloadArgsInput, workloadArgsSchema } from "./args";
import { deploymentSpec } from "./deployment-spec";
import { workloadPolicySpec } from "./network-policies";

export { type WorkloadArgsInput, workloadArgsSchema, workloadFieldsSchema } from "./args";

export interface WorkloadSecrets {
  /** Values for `secretNames`, from Pulumi secret config; stored only as Pulumi secrets. */
  secretValues?: Record<string, pulumi.Input<string>>;
}

/**
 * An HTTP application on Kubernetes that passes kube-score, kube-linter and the Pod Security
 * `restricted` profile by default: Deployment, ServiceAccount, Service, optional Ingress with TLS,
 * ConfigMap and Secret, HPA or fixed replicas, a PodDisruptionBudget, and network policies.
 */
export class Workload extends pulumi.ComponentResource {
  static readonly type = "stackline:k8s:Workload";
  readonly namespaceName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  /** In-cluster URL of the Service. */
  readonly internalUrl: pulumi.Output<string>;
  /** Public URL, when an ingress is configured. */
  readonly url?: pulumi.Output<string>;

  constructor(name: string, args: WorkloadArgsInput & WorkloadSecrets, opts?: pulumi.ComponentResourceOptions) {
    const { secretValues = {}, ...plain } = args;
    const parsed: WorkloadArgs = parseComponentArgs(Workload.type, name, workloadArgsSchema, plain);
    const missing = parsed.secretNames.filter((key) => !(key in secretValues));
    if (missing.length > 0) {
      throw new Error(`${Workload.type} '${name}': secretNames ${missing.join(", ")} have no value in secretValues`);
    }
    super(Workload.type, name, {}, opts);
    const child = { parent: this };
    const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
    const labels = { ...standardLabels({ name, component: "workload" }), ...selector, ...parsed.labels };

    const namespaceName = workloadNamespace(parsed.namespace, { name, parent: this, labels: parsed.labels });
    const metadata = (suffix?: string) => ({
      name: suffix ? `${name}-${suffix}` : name,
      namespace: namespaceName,
      labels,
    });

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      name,
      { metadata: metadata(), automountServiceAccountToken: false },
      child,
    );

    const configMap =
      Object.keys(parsed.settings).length > 0
        ? new k8s.core.v1.ConfigMap(
            `${name}-settings`,
            { metadata: metadata("settings"), data: parsed.settings },
            child,
          )
        : undefined;

    const secret =
      parsed.secretNames.length > 0
        ? new k8s.core.v1.Secret(
            `${name}-secrets`,
            {
              metadata: metadata("secrets"),
              type: "Opaque",
              stringData: pulumi.secret(
                pulumi.all(Object.fromEntries(parsed.secretNames.map((key) => [key, secretValues[key] ?? ""]))),
              ),
            },
            { ...child, additionalSecretOutputs: ["data", "stringData"] },
          )
        : undefined;

    const deployment = new k8s.apps.v1.Deployment(
      name,
      {
        metadata: metadata(),
        spec: deploymentSpec(name, parsed, {
          selector,
          labels,
          serviceAccountName: name,
          configMapName: configMap ? `${name}-settings` : undefined,
          secretName: secret ? `${name}-secrets` : undefined,
        }),
      },
      { ...child, dependsOn: [serviceAccount, ...(configMap ? [configMap] : []), ...(secret ? [secret] : [])] },
    );

    const service = new k8s.core.v1.Service(
      name,
      {
        metadata: metadata(),
        spec: {
          type: "ClusterIP",
          selector,
          ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
        },
      },
      child,
    );

    if (parsed.autoscaling) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        name,
        {
          metadata: metadata(),
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
            minReplicas: parsed.autoscaling.minReplicas,
            maxReplicas: parsed.autoscaling.maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: {
                  name: "cpu",
                  target: { type: "Utilization", averageUtilization: parsed.autoscaling.targetCpuPercent },
                },
              },
            ],
          },
        },
        { ...child, dependsOn: [deployment] },
      );
    }

    // Whenever more than one replica can run, voluntary disruptions (drains, upgrades) keep one serving.
    const maxReplicas = parsed.autoscaling?.maxReplicas ?? parsed.replicas;
    if (maxReplicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        name,
        { metadata: metadata(), spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
        child,
      );
    }

    new k8s.networking.v1.NetworkPolicy(
      name,
      { metadata: metadata(), spec: workloadPolicySpec(parsed, selector) },
      child,
    );

    if (parsed.ingress) {
      const tlsSecretName = parsed.ingress.tlsSecretName ?? `${name}-tls`;
      new k8s.networking.v1.Ingress(
        name,
        {
          metadata: metadata(),
          spec: {
            ingressClassName: parsed.ingress.className,
            tls: [{ hosts: [parsed.ingress.host], secretName: tlsSecretName }],
            rules: [
              {
                host: parsed.ingress.host,
                http: {
                  paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }],
                },
              },
            ],
          },
        },
        { ...child, dependsOn: [service] },
      );
      this.url = pulumi.output(`https://${parsed.ingress.host}/`);
    }

    this.namespaceName = namespaceName;
    this.serviceName = service.metadata.name;
    this.internalUrl = pulumi.interpolate`http://${service.metadata.name}.${namespaceName}.svc.cluster.local`;
    this.registerOutputs({
      namespaceName: this.namespaceName,
      serviceName: this.serviceName,
      internalUrl: this.internalUrl,
      url: this.url,
    });
  }
}
