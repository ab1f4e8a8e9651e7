import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { standardTags } from "../../components/aws/tags";
import { TAGGABLE_AWS_TYPES } from "../../policy/taggable-types";
import { REQUIRED_TAG_KEYS, tagKeys } from "../../policy/tagging";
import { AWS_DIR, scanTaggableTypes } from "../../policy/tools/taggable-types";
import { describeRules } from "./support/policy-harness";
import { mockEngine } from "./support/pulumi-mocks";

const tags = () => standardTags("stackline:test:Example", "example");

describe("the tags the policy asks for", () => {
  it("are those standardTags() sets", async () => {
    await mockEngine("dev-network");
    expect(Object.keys(standardTags("stackline:network:Vpc", "main"))).toEqual(
      expect.arrayContaining(REQUIRED_TAG_KEYS),
    );
  });

  it("are read from maps and from the Auto Scaling group's list", () => {
    expect([...tagKeys({ a: "1", b: "" })]).toEqual(["a"]);
    expect([...tagKeys([{ key: "a", value: "1", propagateAtLaunch: true }])]).toEqual(["a"]);
    expect([...tagKeys(undefined)]).toEqual([]);
  });
});

describe("the taggable types list", () => {
  it("matches the installed @pulumi/aws (regenerate with tsx policy/tools/taggable-types.ts)", () => {
    expect([...TAGGABLE_AWS_TYPES].sort()).toEqual(scanTaggableTypes(AWS_DIR));
  });
  it("knows the resources Stackline tags and the ones that take no tags", () => {
    for (const type of [
      "aws:ec2/vpc:Vpc",
      "aws:s3/bucket:Bucket",
      "aws:autoscaling/group:Group",
      "aws:rds/instance:Instance",
    ])
      expect(TAGGABLE_AWS_TYPES.has(type), type).toBe(true);
    for (const type of ["aws:s3/bucketPolicy:BucketPolicy", "aws:ec2/securityGroupRule:SecurityGroupRule"])
      expect(TAGGABLE_AWS_TYPES.has(type), type).toBe(false);
  });
});

describeRules([
  {
    policy: "aws-standard-tags",
    level: "advisory",
    bad: [
      {
        name: "a VPC given no tags at all",
        program: () => new aws.ec2.Vpc("untagged", { cidrBlock: "10.0.0.0/16" }),
        blames: "untagged",
        message: /Tags stackline:project, stackline:environment, stackline:stack are missing/,
      },
      {
        name: "a bucket with a team's tags only",
        program: () => new aws.s3.Bucket("team", { tags: { Owner: "data" } }),
        blames: "team",
      },
      {
        name: "an Auto Scaling group missing one tag",
        program: () =>
          new aws.autoscaling.Group("workers", {
            minSize: 1,
            maxSize: 1,
            tags: Object.entries(tags())
              .filter(([key]) => key !== "stackline:stack")
              .map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
          }),
        blames: "workers",
        message: /Tags stackline:stack are missing/,
      },
    ],
    good: [
      {
        name: "standardTags() on resources; untaggable resources ignored",
        program: () => {
          const bucket = new aws.s3.Bucket("assets", { tags: tags() });
          new aws.s3.BucketPolicy("assets", { bucket: bucket.id, policy: "{}" });
          new aws.autoscaling.Group("workers", {
            minSize: 1,
            maxSize: 1,
            tags: Object.entries(tags()).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
          });
        },
      },
      {
        name: "tags from the provider's defaultTags",
        program: () => {
          const provider = new aws.Provider("tagged", { region: "eu-west-1", defaultTags: { tags: tags() } });
          new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" }, { provider });
        },
      },
    ],
  },
]);
