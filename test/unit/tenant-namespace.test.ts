import { beforeEach, describe, expect, it } from "vitest";
import { TenantNamespace } from "../../components/kubernetes/tenant-namespace";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

describe("TenantNamespace", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("test-platform");
  });

  it("creates a restricted namespace with quota, defaults and default-deny plus DNS", async () => {
    const ns = new TenantNamespace("web", { name: "web" });
    expect(await outputValue(ns.namespaceName)).toBe("web");
    await engine.settle();
    expect(engine.resources.map((r) => r.type).sort()).toEqual([
      "kubernetes:core/v1:LimitRange",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:ResourceQuota",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "stackline:k8s:TenantNamespace",
    ]);
    const [namespace] = engine.ofType("kubernetes:core/v1:Namespace");
    expect(namespace?.inputs.metadata).toMatchObject({
      name: "web",
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        "app.kubernetes.io/managed-by": "stackline",
      },
    });
    const [quota] = engine.ofType("kubernetes:core/v1:ResourceQuota");
    expect(quota?.inputs.spec).toEqual({
      hard: { "requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi", pods: "50" },
    });
    const policies = engine.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const deny = policies.find((p) => (p.inputs.metadata as { name: string }).name === "web-default-deny");
    expect(deny?.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const dns = policies.find((p) => (p.inputs.metadata as { name: string }).name === "web-allow-dns");
    expect(dns?.inputs.spec).toMatchObject({
      policyTypes: ["Egress"],
      egress: [{ ports: [{ port: 53 }, { port: 53 }] }],
    });
  });

  it("takes overrides: baseline pod security, a smaller quota, no default deny, extra labels", async () => {
    new TenantNamespace("batch", {
      name: "batch",
      podSecurity: "baseline",
      quota: { pods: 10, limitsCpu: "2" },
      defaultDeny: false,
      labels: { team: "data" },
    });
    await engine.settle();
    const [namespace] = engine.ofType("kubernetes:core/v1:Namespace");
    expect(namespace?.inputs.metadata).toMatchObject({
      labels: { "pod-security.kubernetes.io/enforce": "baseline", team: "data" },
    });
    const [quota] = engine.ofType("kubernetes:core/v1:ResourceQuota");
    expect(quota?.inputs.spec).toMatchObject({ hard: { pods: "10", "limits.cpu": "2", "requests.cpu": "4" } });
    expect(engine.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toHaveLength(0);
  });

  it("refuses bad input before creating anything, naming the component, field, expected and found", async () => {
    let error: unknown;
    try {
      new TenantNamespace("bad", { name: "Bad_Name", quota: { pods: 0, limitsCpu: "lots" } } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    const problems = (error as ComponentArgsError).problems;
    expect(problems).toEqual([
      {
        path: "name",
        expected: "a DNS-1123 label (lower-case letters, digits and '-', at most 63)",
        found: '"Bad_Name"',
      },
      { path: "quota.limitsCpu", expected: "a Kubernetes quantity like 500m, 2, 512Mi or 1Gi", found: '"lots"' },
      { path: "quota.pods", expected: "at least 1", found: "0" },
    ]);
    expect((error as Error).message).toContain("Invalid arguments for stackline:k8s:TenantNamespace 'bad'");
    expect(await engine.settle()).toHaveLength(0);
  });
});
