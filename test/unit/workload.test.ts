import { beforeEach, describe, expect, it } from "vitest";
import { Workload } from "../../components/kubernetes/workload";
import { settingsChecksum } from "../../components/kubernetes/workload/deployment-spec";
import { problemsOf } from "./support/component-args";
import { isSecretInput, type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

type Spec = Record<string, unknown>;

/** The `spec` input of the first registered resource of a type; fails the test when there is none. */
function specOf(engine: MockedEngine, type: string, name?: string): Spec {
  const resource = engine.ofType(type).find((r) => name === undefined || (r.inputs.metadata as Spec).name === name);
  if (!resource) throw new Error(`no ${type}${name ? ` named ${name}` : ""} was registered`);
  return resource.inputs.spec as Spec;
}

function podSpecOf(engine: MockedEngine): Spec {
  return (specOf(engine, "kubernetes:apps/v1:Deployment").template as Spec).spec as Spec;
}

const base = { namespace: { name: "web" }, image: "ghcr.io/stefanprodan/podinfo:6.7.1" };

describe("Workload", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("test-apps");
  });

  it("by default: restricted namespace, service account without token, hardened pod, PDB, policies", async () => {
    const app = new Workload("podinfo", base);
    expect(await outputValue(app.internalUrl)).toBe("http://podinfo.web.svc.cluster.local");
    await engine.settle();
    const types = engine.resources.map((r) => r.type);
    expect(types).toContain("stackline:k8s:TenantNamespace");
    expect(types).toContain("kubernetes:core/v1:Service");
    expect(types).not.toContain("kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    expect(types).not.toContain("kubernetes:networking.k8s.io/v1:Ingress");
    expect(engine.ofType("kubernetes:core/v1:ServiceAccount")[0]?.inputs.automountServiceAccountToken).toBe(false);

    const spec = specOf(engine, "kubernetes:apps/v1:Deployment");
    expect(spec.replicas).toBe(2);
    expect(spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const pod = podSpecOf(engine);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect((pod.topologySpreadConstraints as Spec[]).map((c) => c.topologyKey)).toEqual([
      "topology.kubernetes.io/zone",
      "kubernetes.io/hostname",
    ]);
    const [container] = pod.containers as Spec[];
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container?.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
      limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "256Mi" },
    });
    expect(container?.imagePullPolicy).toBe("Always");
    expect(Object.keys(container ?? {})).toEqual(
      expect.arrayContaining(["livenessProbe", "readinessProbe", "startupProbe"]),
    );
    expect(container?.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(30);

    const [pdb] = engine.ofType("kubernetes:policy/v1:PodDisruptionBudget");
    expect(pdb?.inputs.spec).toMatchObject({ maxUnavailable: 1 });
    const policies = engine
      .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .map((p) => (p.inputs.metadata as Spec).name);
    expect(policies.sort()).toEqual(["podinfo", "web-allow-dns", "web-default-deny"]);
  });

  it("with autoscaling leaves replicas to the HPA; with one replica has no PDB", async () => {
    new Workload("api", { ...base, autoscaling: { minReplicas: 2, maxReplicas: 6 } });
    await engine.settle();
    expect(specOf(engine, "kubernetes:apps/v1:Deployment").replicas).toBeUndefined();
    expect(engine.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0]?.inputs.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 6,
      scaleTargetRef: { kind: "Deployment", name: "api" },
    });
    engine = await mockEngine("test-apps");
    new Workload("solo", { ...base, namespace: { name: "web", create: false }, replicas: 1 });
    await engine.settle();
    expect(engine.ofType("kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(0);
    expect(engine.ofType("stackline:k8s:TenantNamespace")).toHaveLength(0);
  });

  it("ingress with TLS, settings that roll the pods, secrets kept secret, declared egress", async () => {
    const app = new Workload("shop", {
      ...base,
      ingress: { host: "shop.example.com" },
      settings: { LOG_LEVEL: "info" },
      secretNames: ["API_TOKEN"],
      secretValues: { API_TOKEN: "s3cr3t-token" },
      egress: [{ cidr: "10.0.32.0/20", ports: [{ port: 5432 }] }],
    });
    expect(await outputValue(app.url as never)).toBe("https://shop.example.com/");
    await engine.settle();
    expect(engine.ofType("kubernetes:networking.k8s.io/v1:Ingress")[0]?.inputs.spec).toMatchObject({
      tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }],
    });
    const template = specOf(engine, "kubernetes:apps/v1:Deployment").template as Spec;
    expect((template.metadata as Spec).annotations).toEqual({
      "stackline.dev/settings-checksum": settingsChecksum({ LOG_LEVEL: "info" }),
    });
    const [secret] = engine.ofType("kubernetes:core/v1:Secret");
    expect(isSecretInput(secret?.inputs.stringData)).toBe(true);
    const [container] = podSpecOf(engine).containers as Spec[];
    // Secrets arrive as read-only files by default, not environment variables.
    expect(container?.envFrom).toEqual([{ configMapRef: { name: "shop-settings" } }]);
    expect(container?.volumeMounts).toContainEqual({
      name: "secrets",
      mountPath: "/var/run/secrets/app",
      readOnly: true,
    });
    expect(podSpecOf(engine).volumes).toContainEqual({
      name: "secrets",
      secret: { secretName: "shop-secrets", defaultMode: 0o440 },
    });
    expect(specOf(engine, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "shop").egress).toContainEqual({
      to: [{ ipBlock: { cidr: "10.0.32.0/20" } }],
      ports: [{ protocol: "TCP", port: 5432 }],
    });
  });

  it("a settings change changes the checksum, so the Deployment rolls", () => {
    expect(settingsChecksum({ A: "1", B: "2" })).toBe(settingsChecksum({ B: "2", A: "1" }));
    expect(settingsChecksum({ A: "1" })).not.toBe(settingsChecksum({ A: "2" }));
  });

  it("refuses unpinned images, low UIDs, too-small autoscaling and a grace period shorter than preStop", async () => {
    expect(problemsOf(() => new Workload("bad", { ...base, image: "nginx:latest" }))).toEqual([
      {
        path: "image",
        expected: "an image pinned by tag (not 'latest') or digest, like nginx:1.27.3 or app@sha256:<64 hex>",
        found: '"nginx:latest"',
      },
    ]);
    expect(problemsOf(() => new Workload("bad", { ...base, image: "nginx" }))[0]?.path).toBe("image");
    expect(
      problemsOf(
        () => new Workload("bad", { ...base, runAsUser: 1000, autoscaling: { minReplicas: 1, maxReplicas: 3 } }),
      ).map((p) => `${p.path}: ${p.expected}`),
    ).toEqual(["runAsUser: at least 10001", "autoscaling.minReplicas: at least 2"]);
    expect(
      problemsOf(() => new Workload("bad", { ...base, preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 })),
    ).toEqual([
      {
        path: "terminationGracePeriodSeconds",
        expected: "terminationGracePeriodSeconds greater than preStopSleepSeconds",
        found: "30",
      },
    ]);
    expect(() => new Workload("bad", { ...base, secretNames: ["TOKEN"] })).toThrow(
      "stackline:k8s:Workload 'bad': secretNames TOKEN have no value in secretValues",
    );
    expect(await engine.settle()).toHaveLength(0);
  });
});
