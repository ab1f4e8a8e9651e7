import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { EksCluster } from "../../components/compute/eks/eks-cluster";
import { ComponentArgsError } from "../../components/validation";
import {
  isSecretInput,
  type MockedEngine,
  mockEngine,
  outputValue,
  type RegisteredResource,
} from "./support/pulumi-mocks";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, string>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

function statements(json: unknown): PolicyStatement[] {
  return (JSON.parse(String(json)) as { Statement: PolicyStatement[] }).Statement;
}

function actions(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The policy ARNs attached to the role registered under `roleResourceName`, sorted. */
function attachedPolicies(engine: MockedEngine, roleResourceName: string): string[] {
  const role = engine.ofType("aws:iam/role:Role").find((r) => r.name === roleResourceName);
  if (!role) throw new Error(`no role ${roleResourceName}`);
  const roleName = `${roleResourceName}-role`; // the mock's computed name
  return engine
    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    .filter((a) => a.inputs.role === roleName)
    .map((a) => String(a.inputs.policyArn))
    .sort();
}

function one(engine: MockedEngine, type: string): RegisteredResource {
  const found = engine.ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as RegisteredResource;
}

describe("EksCluster", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-compute", { "aws:region": "eu-west-1" });
  });

  it("is private, logged, encrypted and access-entry based by default, and exports what a provider needs", async () => {
    // The README example: an upstream stack's subnet list (one Output) and a Kubernetes provider.
    const cluster = new EksCluster("main", {
      subnetIds: pulumi.output(SUBNETS),
      adminRoleArns: [ADMIN],
    });
    const provider = new k8s.Provider("eks", { kubeconfig: cluster.kubeconfig });
    expect(provider).toBeDefined();
    await engine.settle();

    expect(engine.resources.map((r) => r.type).sort()).toEqual(
      [
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:eks/accessEntry:AccessEntry",
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "aws:eks/cluster:Cluster",
        "aws:eks/nodeGroup:NodeGroup",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "aws:iam/role:Role",
        "aws:iam/role:Role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:kms/alias:Alias",
        "aws:kms/key:Key",
        "pulumi:providers:kubernetes",
        "stackline:compute:EksCluster",
      ].sort(),
    );

    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/key-main-key";
    const eks = one(engine, "aws:eks/cluster:Cluster");
    expect(eks.inputs).toMatchObject({
      name: "dev-compute-main",
      version: "1.34",
      roleArn: "arn:aws:iam::123456789012:role/main-cluster-role",
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryptionConfig: { provider: { keyArn }, resources: ["secrets"] },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      deletionProtection: false,
    });
    expect(eks.inputs.vpcConfig).toEqual({
      subnetIds: SUBNETS,
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });

    const logGroup = one(engine, "aws:cloudwatch/logGroup:LogGroup");
    expect(logGroup.inputs).toMatchObject({
      name: "/aws/eks/dev-compute-main/cluster",
      retentionInDays: 90,
      kmsKeyId: keyArn,
    });
    const key = one(engine, "aws:kms/key:Key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(one(engine, "aws:kms/alias:Alias").inputs).toMatchObject({ name: "alias/eks/dev-compute-main" });

    const launchTemplate = one(engine, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(launchTemplate.inputs.metadataOptions).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
    expect(launchTemplate.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
      },
    ]);
    expect(launchTemplate.inputs.vpcSecurityGroupIds).toEqual(["sg-eks-main-cluster"]);
    expect(launchTemplate.inputs.keyName).toBeUndefined();
    expect(launchTemplate.inputs.imageId).toBeUndefined();

    const nodeGroup = one(engine, "aws:eks/nodeGroup:NodeGroup");
    expect(nodeGroup.inputs).toMatchObject({
      clusterName: "dev-compute-main",
      version: "1.34",
      nodeRoleArn: "arn:aws:iam::123456789012:role/main-node-role",
      subnetIds: SUBNETS,
      instanceTypes: ["t3.large"],
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 4 },
      launchTemplate: { id: "lt-main-nodes", version: "1" },
      labels: {},
      taints: [],
      updateConfig: { maxUnavailable: 1 },
    });
    expect(nodeGroup.inputs.remoteAccess).toBeUndefined();

    const oidc = one(engine, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(oidc.inputs).toMatchObject({
      url: "https://oidc.eks.eu-west-1.amazonaws.com/id/MAIN-CLUSTER",
      clientIdLists: ["sts.amazonaws.com"],
    });
    expect(one(engine, "aws:eks/accessEntry:AccessEntry").inputs).toMatchObject({
      clusterName: "dev-compute-main",
      principalArn: ADMIN,
      type: "STANDARD",
    });
    expect(one(engine, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").inputs).toEqual({
      clusterName: "dev-compute-main",
      principalArn: ADMIN,
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });

    expect(await outputValue(cluster.clusterName)).toBe("dev-compute-main");
    expect(await outputValue(cluster.endpoint)).toBe("https://MAIN-CLUSTER.gr7.eu-west-1.eks.amazonaws.com");
    expect(await outputValue(cluster.certificateAuthorityData)).toBe("TU9DSy1DQS1EQVRB");
    expect(await outputValue(cluster.oidcIssuerUrl)).toBe("https://oidc.eks.eu-west-1.amazonaws.com/id/MAIN-CLUSTER");
    expect(await outputValue(cluster.oidcProviderArn)).toBe(
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/MAIN-CLUSTER",
    );
    expect(await outputValue(cluster.clusterSecurityGroupId)).toBe("sg-eks-main-cluster");
    expect(await outputValue(cluster.nodeRoleArn)).toBe("arn:aws:iam::123456789012:role/main-node-role");
    expect(await outputValue(cluster.kmsKeyArn)).toBe(keyArn);
    expect(await outputValue(cluster.logGroupName)).toBe("/aws/eks/dev-compute-main/cluster");
  });

  it("exports the kubeconfig as a secret holding the endpoint and aws eks get-token exec auth", async () => {
    const cluster = new EksCluster("main", { subnetIds: SUBNETS, adminRoleArns: [ADMIN] });
    new k8s.Provider("eks", { kubeconfig: cluster.kubeconfig });
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    const text = await outputValue(cluster.kubeconfig);
    expect(text).toContain("https://MAIN-CLUSTER.gr7.eu-west-1.eks.amazonaws.com");
    const config = JSON.parse(text);
    expect(config.clusters[0].cluster).toEqual({
      server: "https://MAIN-CLUSTER.gr7.eu-west-1.eks.amazonaws.com",
      "certificate-authority-data": "TU9DSy1DQS1EQVRB",
    });
    expect(config.users[0].user.exec).toEqual({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "dev-compute-main", "--region", "eu-west-1", "--output", "json"],
    });
    expect(config["current-context"]).toBe("dev-compute-main");
    await engine.settle();
    // The provider receives it marked secret, so it never lands in state in plain text.
    expect(isSecretInput(one(engine, "pulumi:providers:kubernetes").inputs.kubeconfig)).toBe(true);
  });

  it("gives each role least privilege: only the named managed policies, and a key nobody else may use", async () => {
    new EksCluster("main", { subnetIds: SUBNETS, adminRoleArns: [ADMIN] });
    await engine.settle();

    const roles = engine.ofType("aws:iam/role:Role");
    const trust = Object.fromEntries(roles.map((r) => [r.name, statements(r.inputs.assumeRolePolicy)]));
    expect(trust["main-cluster-role"]).toEqual([
      { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(trust["main-node-role"]).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(attachedPolicies(engine, "main-cluster-role")).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    expect(attachedPolicies(engine, "main-node-role")).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
    // No inline policies anywhere: every permission is one of the managed policies above.
    expect(engine.ofType("aws:iam/rolePolicy:RolePolicy")).toHaveLength(0);

    const keyPolicy = statements(one(engine, "aws:kms/key:Key").inputs.policy);
    for (const statement of keyPolicy) {
      expect(statement.Effect).toBe("Allow");
      for (const action of actions(statement)) expect(action).not.toContain("*");
    }
    const bySid = Object.fromEntries(keyPolicy.map((s) => [s.Sid, s]));
    expect(bySid.AccountAdministersKey?.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(actions(bySid.AccountAdministersKey as PolicyStatement)).not.toContain("kms:Decrypt");
    expect(bySid.ClusterRoleEncryptsSecrets).toMatchObject({
      Principal: { AWS: "arn:aws:iam::123456789012:role/main-cluster-role" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
    });
    expect(bySid.LogsEncryptsControlPlaneLogGroup).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn":
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/dev-compute-main/cluster",
        },
      },
    });
    // Decrypting is for the cluster role and the one log group only.
    const decryptors = keyPolicy.filter((s) => actions(s).includes("kms:Decrypt")).map((s) => s.Sid);
    expect(decryptors.sort()).toEqual(["ClusterRoleEncryptsSecrets", "LogsEncryptsControlPlaneLogGroup"]);
  });

  it("tags every taggable resource with the standard tags and the caller's", async () => {
    new EksCluster("main", { subnetIds: SUBNETS, adminRoleArns: [ADMIN], tags: { team: "platform" } });
    await engine.settle();
    const untaggable = new Set([
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "aws:kms/alias:Alias",
      "stackline:compute:EksCluster",
    ]);
    const taggable = engine.resources.filter((r) => !untaggable.has(r.type));
    expect(taggable.length).toBeGreaterThan(8);
    for (const r of taggable) {
      expect(r.inputs.tags, r.type).toMatchObject({
        team: "platform",
        "stackline:component": "compute:EksCluster/main",
        "stackline:environment": "dev",
      });
    }
    const launchTemplate = one(engine, "aws:ec2/launchTemplate:LaunchTemplate");
    expect((launchTemplate.inputs.tagSpecifications as { resourceType: string }[]).map((t) => t.resourceType)).toEqual([
      "instance",
      "volume",
      "network-interface",
    ]);
  });

  it("takes overrides: a public endpoint for listed CIDRs, a given key, node group choices, kubeconfig auth", async () => {
    const diskKey = "arn:aws:kms:eu-west-1:123456789012:key/disks";
    const cluster = new EksCluster("apps", {
      subnetIds: SUBNETS,
      adminRoleArns: [ADMIN, "arn:aws:iam::123456789012:role/oncall"],
      clusterName: "apps-prod",
      kubernetesVersion: "1.33",
      endpointAccess: { public: true, publicAccessCidrs: ["203.0.113.0/24"] },
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/shared",
      logRetentionDays: 365,
      deletionProtection: true,
      nodeGroup: {
        instanceTypes: ["m7g.large", "m6g.large"],
        amiType: "AL2023_ARM_64_STANDARD",
        capacityType: "SPOT",
        scaling: { minSize: 1, desiredSize: 3, maxSize: 6 },
        diskSizeGiB: 100,
        diskKmsKeyArn: diskKey,
        labels: { pool: "batch" },
        taints: [{ key: "batch", value: "true", effect: "NO_SCHEDULE" }],
        attachCniPolicy: false,
        extraSecurityGroupIds: ["sg-database-clients"],
        maxUnavailable: 2,
      },
      kubeconfig: { roleArn: ADMIN, profile: "prod" },
    });
    await engine.settle();

    const eks = one(engine, "aws:eks/cluster:Cluster");
    expect(eks.inputs).toMatchObject({
      name: "apps-prod",
      version: "1.33",
      deletionProtection: true,
      encryptionConfig: { provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/shared" } },
    });
    expect(eks.inputs.vpcConfig).toEqual({
      subnetIds: SUBNETS,
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
    // A given key: none created, and the log group uses it too.
    expect(engine.ofType("aws:kms/key:Key")).toHaveLength(0);
    expect(one(engine, "aws:cloudwatch/logGroup:LogGroup").inputs).toMatchObject({
      name: "/aws/eks/apps-prod/cluster",
      retentionInDays: 365,
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/shared",
    });

    expect(one(engine, "aws:eks/nodeGroup:NodeGroup").inputs).toMatchObject({
      instanceTypes: ["m7g.large", "m6g.large"],
      amiType: "AL2023_ARM_64_STANDARD",
      capacityType: "SPOT",
      scalingConfig: { minSize: 1, desiredSize: 3, maxSize: 6 },
      labels: { pool: "batch" },
      taints: [{ key: "batch", value: "true", effect: "NO_SCHEDULE" }],
      updateConfig: { maxUnavailable: 2 },
    });
    const launchTemplate = one(engine, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(launchTemplate.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true", kmsKeyId: diskKey },
      },
    ]);
    expect(launchTemplate.inputs.vpcSecurityGroupIds).toEqual(["sg-eks-apps-cluster", "sg-database-clients"]);
    // Without the CNI policy, the node role keeps only what the kubelet needs.
    expect(attachedPolicies(engine, "apps-node-role")).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]);
    expect(engine.ofType("aws:eks/accessEntry:AccessEntry").map((e) => e.inputs.principalArn)).toEqual([
      ADMIN,
      "arn:aws:iam::123456789012:role/oncall",
    ]);

    const exec = JSON.parse(await outputValue(cluster.kubeconfig)).users[0].user.exec;
    expect(exec.args).toEqual([
      "eks",
      "get-token",
      "--cluster-name",
      "apps-prod",
      "--region",
      "eu-west-1",
      "--output",
      "json",
      "--role-arn",
      ADMIN,
    ]);
    expect(exec.env).toEqual([{ name: "AWS_PROFILE", value: "prod" }]);
  });

  it("opens the public endpoint to the internet only with the explicit flag", async () => {
    new EksCluster("open", {
      subnetIds: SUBNETS,
      adminRoleArns: [ADMIN],
      endpointAccess: { public: true, publicAccessCidrs: ["0.0.0.0/0"], allowPublicAccessFromAnywhere: true },
    });
    await engine.settle();
    expect(one(engine, "aws:eks/cluster:Cluster").inputs.vpcConfig).toMatchObject({
      endpointPublicAccess: true,
      publicAccessCidrs: ["0.0.0.0/0"],
    });
  });

  it("refuses bad input before creating anything, naming each field, what it expects and what it found", async () => {
    let error: unknown;
    try {
      new EksCluster("bad", {
        subnetIds: [],
        adminRoleArns: [],
        endpointAccess: { public: true, publicAccessCidrs: ["0.0.0.0/0", "10.0.0.300/8"] },
        logRetentionDays: 42,
        nodeGroup: { scaling: { minSize: 3, maxSize: 2 }, taints: [{ key: "x", effect: "NoSchedule" }] },
        kubernetesVersion: "latest",
        sshKey: "mine",
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as Error).message).toContain("Invalid arguments for stackline:compute:EksCluster 'bad'");
    expect((error as ComponentArgsError).problems).toEqual([
      { path: "subnetIds", expected: "length at least 1", found: "[]" },
      { path: "adminRoleArns", expected: "length at least 1", found: "[]" },
      { path: "kubernetesVersion", expected: "a Kubernetes minor version like 1.34", found: '"latest"' },
      {
        path: "endpointAccess.publicAccessCidrs.1",
        expected: "an IPv4 CIDR block like 203.0.113.0/24",
        found: '"10.0.0.300/8"',
      },
      {
        path: "endpointAccess.publicAccessCidrs.0",
        expected: "a CIDR block narrower than /0 (set allowPublicAccessFromAnywhere: true to allow the internet)",
        found: '"0.0.0.0/0"',
      },
      {
        path: "logRetentionDays",
        expected: expect.stringContaining("a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30"),
        found: "42",
      },
      {
        path: "nodeGroup.scaling",
        expected: "minSize <= desiredSize <= maxSize and maxSize >= 1 (here 3 <= 3 <= 2)",
        found: '{"minSize":3,"maxSize":2}',
      },
      {
        path: "nodeGroup.taints.0.effect",
        expected: 'one of "NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"',
        found: '"NoSchedule"',
      },
      { path: "sshKey", expected: "a known key (nothing reads this one: check the spelling)", found: '"mine"' },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses 0.0.0.0/0 without the flag and min above max, naming the values after defaults", async () => {
    let error: unknown;
    try {
      new EksCluster("bad", {
        subnetIds: SUBNETS,
        adminRoleArns: [ADMIN],
        endpointAccess: { public: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] },
        nodeGroup: { scaling: { minSize: 5 } },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).problems).toEqual([
      {
        path: "endpointAccess.publicAccessCidrs.1",
        expected: "a CIDR block narrower than /0 (set allowPublicAccessFromAnywhere: true to allow the internet)",
        found: '"0.0.0.0/0"',
      },
      {
        path: "nodeGroup.scaling",
        expected: "minSize <= desiredSize <= maxSize and maxSize >= 1 (here 5 <= 5 <= 4)",
        found: '{"minSize":5}',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses a public endpoint with no CIDRs, and CIDRs on a private-only endpoint", async () => {
    const problemsOf = (endpointAccess: unknown) => {
      try {
        new EksCluster("bad", { subnetIds: SUBNETS, adminRoleArns: [ADMIN], endpointAccess } as never);
      } catch (err) {
        return (err as ComponentArgsError).problems;
      }
      return [];
    };
    expect(problemsOf({ public: true })).toEqual([
      {
        path: "endpointAccess.publicAccessCidrs",
        expected: "at least one CIDR block allowed to reach the public endpoint",
        found: "nothing (not set)",
      },
    ]);
    expect(problemsOf({ publicAccessCidrs: ["203.0.113.0/24"] })).toEqual([
      {
        path: "endpointAccess.publicAccessCidrs",
        expected: "no CIDR blocks while public is false (set public: true to open the public endpoint)",
        found: '["203.0.113.0/24"]',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
