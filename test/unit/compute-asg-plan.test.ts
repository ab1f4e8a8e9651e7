import { describe, expect, it } from "vitest";
import { capacityProblem, capacitySchema } from "../../components/compute/auto-scaling/capacity";
import {
  awsManagedPolicyArn,
  isRefusedInstancePolicy,
  serviceTrustPolicy,
} from "../../components/compute/auto-scaling/iam-policies";
import { encryptedRootVolume, IMDSV2_ONLY } from "../../components/compute/auto-scaling/launch-template-hardening";
import { egressRules, encodeUserData, imageIdFor, propagatedTags } from "../../components/compute/auto-scaling/plan";

describe("scaling group capacity", () => {
  it("accepts exactly min <= desired <= max with max >= 1, for every small combination", () => {
    for (let minSize = 0; minSize <= 4; minSize++) {
      for (let desiredSize = 0; desiredSize <= 4; desiredSize++) {
        for (let maxSize = 0; maxSize <= 4; maxSize++) {
          const valid = minSize <= desiredSize && desiredSize <= maxSize && maxSize >= 1;
          expect(
            capacityProblem({ minSize, desiredSize, maxSize }) === undefined,
            `${minSize}/${desiredSize}/${maxSize}`,
          ).toBe(valid);
        }
      }
    }
  });

  it("defaults desiredSize to minSize and fills the given defaults", () => {
    const schema = capacitySchema({ minSize: 2, maxSize: 4 });
    expect(schema.parse(undefined)).toEqual({ minSize: 2, desiredSize: 2, maxSize: 4 });
    expect(schema.parse({ minSize: 3 })).toEqual({ minSize: 3, desiredSize: 3, maxSize: 4 });
    expect(schema.parse({ minSize: 0, desiredSize: 1, maxSize: 1 })).toEqual({
      minSize: 0,
      desiredSize: 1,
      maxSize: 1,
    });
    const failed = schema.safeParse({ desiredSize: 1 });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toBe(
      "minSize <= desiredSize <= maxSize and maxSize >= 1 (here 2 <= 1 <= 4)",
    );
  });
});

describe("launch template hardening", () => {
  it("requires IMDSv2 tokens with a hop limit of 1", () => {
    expect(IMDSV2_ONLY).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
  });

  it("encrypts the gp3 root volume, with a customer key when given", () => {
    expect(encryptedRootVolume({ deviceName: "/dev/xvda", sizeGiB: 30 })).toEqual({
      deviceName: "/dev/xvda",
      ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
    });
    expect(encryptedRootVolume({ deviceName: "/dev/sda1", sizeGiB: 8, kmsKeyArn: "arn:aws:kms:x" }).ebs).toMatchObject({
      encrypted: "true",
      kmsKeyId: "arn:aws:kms:x",
    });
  });
});

describe("Auto Scaling group planning", () => {
  it("resolves the AMI through SSM at launch unless an AMI id is pinned", () => {
    expect(imageIdFor({})).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(imageIdFor({ amiParameter: "/golden/web" })).toBe("resolve:ssm:/golden/web");
    expect(imageIdFor({ amiId: "ami-0123456789abcdef0" })).toBe("ami-0123456789abcdef0");
  });

  it("opens only HTTPS egress by default, everything or nothing on request", () => {
    expect(egressRules("https").map((r) => [r.ipProtocol, r.fromPort, r.toPort, r.cidrIpv4])).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
    ]);
    expect(egressRules("all").map((r) => r.ipProtocol)).toEqual(["-1"]);
    expect(egressRules("none")).toEqual([]);
  });

  it("propagates every tag at launch and base64-encodes user data", () => {
    expect(propagatedTags({ a: "1", b: "2" })).toEqual([
      { key: "a", value: "1", propagateAtLaunch: true },
      { key: "b", value: "2", propagateAtLaunch: true },
    ]);
    expect(encodeUserData(undefined)).toBeUndefined();
    const encoded = encodeUserData("#cloud-config\npackages: [htop]\n") as string;
    expect(Buffer.from(encoded, "base64").toString("utf8")).toBe("#cloud-config\npackages: [htop]\n");
  });
});

describe("instance IAM helpers", () => {
  it("lets exactly one service assume a role", () => {
    expect(serviceTrustPolicy("ec2.amazonaws.com")).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  it("names managed policies in the partition, and refuses admin-like ones in any partition", () => {
    expect(awsManagedPolicyArn("aws-cn", "AmazonSSMManagedInstanceCore")).toBe(
      "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    expect(isRefusedInstancePolicy("arn:aws:iam::aws:policy/AdministratorAccess")).toBe(true);
    expect(isRefusedInstancePolicy("arn:aws-us-gov:iam::aws:policy/PowerUserAccess")).toBe(true);
    expect(isRefusedInstancePolicy("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy")).toBe(false);
    // A customer policy that happens to share the name is the customer's choice, not AWS's admin policy.
    expect(isRefusedInstancePolicy("arn:aws:iam::123456789012:policy/AdministratorAccess")).toBe(false);
  });
});
