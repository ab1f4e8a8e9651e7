import * as aws from "@pulumi/aws";
import { describeRules } from "./support/policy-harness";

const roleArn = "arn:aws:iam::1:role/eks";
const keyArn = "arn:aws:kms:eu-west-1:1:key/k";
const allLogs = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

function cluster(name: string, args: Partial<aws.eks.ClusterArgs> = {}) {
  return new aws.eks.Cluster(name, {
    roleArn,
    vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPrivateAccess: true, endpointPublicAccess: false },
    enabledClusterLogTypes: allLogs,
    encryptionConfig: { resources: ["secrets"], provider: { keyArn } },
    accessConfig: { authenticationMode: "API" },
    ...args,
  });
}

describeRules([
  {
    policy: "eks-private-endpoint",
    level: "mandatory",
    bad: [
      {
        name: "a public endpoint with the default CIDRs",
        program: () => cluster("open", { vpcConfig: { subnetIds: ["subnet-1"] } }),
        blames: "open",
        message: /public to 0\.0\.0\.0\/0 \(the default\)/,
      },
      {
        name: "a public endpoint open to ::/0",
        program: () =>
          cluster("v6", {
            vpcConfig: {
              subnetIds: ["subnet-1"],
              endpointPublicAccess: true,
              publicAccessCidrs: ["203.0.113.0/24", "::/0"],
            },
          }),
        blames: "v6",
        message: /public to ::\/0/,
      },
    ],
    good: [
      {
        name: "a private endpoint; a public one limited to an office range",
        program: () => {
          cluster("private");
          cluster("office", {
            vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
          });
        },
      },
    ],
  },
  {
    policy: "eks-control-plane-logs",
    level: "mandatory",
    bad: [
      {
        name: "only API and audit logs",
        program: () => cluster("quiet", { enabledClusterLogTypes: ["api", "audit"] }),
        blames: "quiet",
        message: /lacks authenticator, controllerManager, scheduler/,
      },
    ],
    good: [{ name: "all five log types", program: () => cluster("loud") }],
  },
  {
    policy: "eks-secrets-encryption",
    level: "mandatory",
    bad: [
      {
        name: "no encryption config",
        program: () => cluster("plain", { encryptionConfig: undefined }),
        blames: "plain",
        message: /encryptionConfig is not set/,
      },
    ],
    good: [
      {
        name: "secrets encrypted with a key created alongside (first preview)",
        preview: true,
        program: () => {
          const key = new aws.kms.Key("eks", { enableKeyRotation: true });
          cluster("sealed", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } } });
        },
      },
    ],
  },
  {
    policy: "eks-authentication-mode",
    level: "advisory",
    bad: [
      {
        name: "the aws-auth ConfigMap only (the default)",
        program: () => cluster("legacy", { accessConfig: undefined }),
        blames: "legacy",
        message: /not set \(CONFIG_MAP\)/,
      },
    ],
    good: [
      {
        name: "API and API_AND_CONFIG_MAP",
        program: () => {
          cluster("api");
          cluster("migrating", { accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" } });
        },
      },
    ],
  },
]);
