import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  CONTROL_PLANE_LOG_TYPES,
  clusterAdminAccessPolicyArn,
  controlPlaneLogGroupName,
  defaultClusterName,
  nodeRolePolicies,
} from "../../components/compute/eks/control-plane";
import { endpointAccessProblems, endpointVpcConfig } from "../../components/compute/eks/endpoint-access";
import { clusterKeyPolicy, KEY_ADMIN_ACTIONS } from "../../components/compute/eks/key-policy";
import { buildKubeconfig } from "../../components/compute/eks/kubeconfig";

const access = (overrides: Partial<Parameters<typeof endpointAccessProblems>[0]> = {}) => ({
  public: false,
  publicAccessCidrs: [],
  allowPublicAccessFromAnywhere: false,
  ...overrides,
});

describe("EKS endpoint access", () => {
  it("is private only by default, with no CIDRs sent", () => {
    expect(endpointAccessProblems(access())).toEqual([]);
    expect(endpointVpcConfig(access())).toEqual({ endpointPrivateAccess: true, endpointPublicAccess: false });
  });

  it("keeps the private endpoint when the public one opens for listed CIDRs", () => {
    const open = access({ public: true, publicAccessCidrs: ["198.51.100.0/24"] });
    expect(endpointAccessProblems(open)).toEqual([]);
    expect(endpointVpcConfig(open)).toEqual({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["198.51.100.0/24"],
    });
  });

  it("needs CIDRs for a public endpoint, none for a private one, and the flag for /0", () => {
    expect(endpointAccessProblems(access({ public: true })).map((p) => p.path)).toEqual([["publicAccessCidrs"]]);
    expect(endpointAccessProblems(access({ publicAccessCidrs: ["10.0.0.0/8"] })).map((p) => p.path)).toEqual([
      ["publicAccessCidrs"],
    ]);
    const anywhere = access({ public: true, publicAccessCidrs: ["10.0.0.0/8", "0.0.0.0/0"] });
    expect(endpointAccessProblems(anywhere).map((p) => p.path)).toEqual([["publicAccessCidrs", 1]]);
    expect(endpointAccessProblems({ ...anywhere, allowPublicAccessFromAnywhere: true })).toEqual([]);
  });
});

describe("EKS kubeconfig", () => {
  const parts = {
    clusterName: "dev-compute-main",
    endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
    certificateAuthorityData: "Q0E=",
    region: "eu-west-1",
  };

  it("is YAML a kubeconfig reader accepts, with exec auth through aws eks get-token", () => {
    const config = parseYaml(buildKubeconfig(parts));
    expect(config).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: parts.clusterName, cluster: { server: parts.endpoint, "certificate-authority-data": "Q0E=" } },
      ],
      contexts: [{ name: parts.clusterName, context: { cluster: parts.clusterName, user: parts.clusterName } }],
      "current-context": parts.clusterName,
      users: [
        {
          name: parts.clusterName,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: [
                "eks",
                "get-token",
                "--cluster-name",
                parts.clusterName,
                "--region",
                "eu-west-1",
                "--output",
                "json",
              ],
            },
          },
        },
      ],
      preferences: {},
    });
  });

  it("assumes a role and uses a profile when asked", () => {
    const config = parseYaml(
      buildKubeconfig({ ...parts, roleArn: "arn:aws:iam::123456789012:role/admin", profile: "ops" }),
    );
    const exec = config.users[0].user.exec;
    expect(exec.args.slice(-2)).toEqual(["--role-arn", "arn:aws:iam::123456789012:role/admin"]);
    expect(exec.env).toEqual([{ name: "AWS_PROFILE", value: "ops" }]);
  });
});

describe("EKS cluster key policy", () => {
  const policy = clusterKeyPolicy({
    partition: "aws-cn",
    accountId: "123456789012",
    region: "cn-north-1",
    clusterRoleArn: "arn:aws-cn:iam::123456789012:role/cluster",
    logGroupName: "/aws/eks/main/cluster",
  });

  it("names every action (no wildcards) and keeps encrypt/decrypt away from the account", () => {
    const all = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(all.filter((a) => a.includes("*"))).toEqual([]);
    expect(KEY_ADMIN_ACTIONS).toContain("kms:CreateGrant");
    expect(KEY_ADMIN_ACTIONS).not.toContain("kms:Decrypt");
    expect(KEY_ADMIN_ACTIONS).not.toContain("kms:Encrypt");
  });

  it("binds log encryption to the one log group, in the key's partition and region", () => {
    const logs = policy.Statement.find((s) => s.Sid === "LogsEncryptsControlPlaneLogGroup");
    expect(logs?.Principal).toEqual({ Service: "logs.cn-north-1.amazonaws.com" });
    expect(logs?.Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/eks/main/cluster",
      },
    });
    expect(policy.Statement[0]?.Principal).toEqual({ AWS: "arn:aws-cn:iam::123456789012:root" });
  });
});

describe("EKS control plane facts", () => {
  it("logs all five control-plane log types to the log group EKS expects", () => {
    expect([...CONTROL_PLANE_LOG_TYPES]).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(controlPlaneLogGroupName("prod-compute-main")).toBe("/aws/eks/prod-compute-main/cluster");
  });

  it("gives nodes the CNI policy only while the CNI has no role of its own", () => {
    expect(nodeRolePolicies(true)).toEqual([
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonEKS_CNI_Policy",
    ]);
    expect(nodeRolePolicies(false)).not.toContain("AmazonEKS_CNI_Policy");
    expect(clusterAdminAccessPolicyArn("aws-us-gov")).toBe(
      "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
    );
  });

  it("names clusters <stack>-<name> within what EKS accepts", () => {
    expect(defaultClusterName("prod-compute", "main")).toBe("prod-compute-main");
    expect(defaultClusterName("my.stack", "main")).toBe("my-stack-main");
    expect(defaultClusterName("x", "y".repeat(200))).toHaveLength(100);
    expect(defaultClusterName("_odd", "main")).toBe("odd-main");
  });
});
