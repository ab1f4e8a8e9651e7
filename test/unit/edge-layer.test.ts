import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackConfigError } from "../../stacks/config";
import program from "../../stacks/edge";
import { checkUpstream } from "../../stacks/edge/upstream-inputs";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const BUCKET = "aws:s3/bucket:Bucket";
const RECORD = "aws:route53/record:Record";
const LB_DNS = "stackline-alb-1234567890.eu-west-1.elb.amazonaws.com";

function upstreamOutputs(env: string) {
  return {
    [`organization/stackline/${env}-network`]: { hostedZoneId: "Z0123456789EXAMPLE", domainName: `${env}.example.com` },
    [`organization/stackline/${env}-compute`]: { loadBalancerDnsName: LB_DNS },
  };
}

function exampleConfig(env: string): Record<string, unknown> {
  return (parse(readFileSync(`stacks/Pulumi.${env}-edge.yaml`, "utf8")) as { config: Record<string, unknown> }).config;
}

interface LayerRun {
  engine: MockedEngine;
  outputs: Record<string, unknown>;
  /** The `protect` option each resource was created with, by `type::name`. */
  protect: Map<string, boolean | undefined>;
  /** Whether each resource ended up protected, inherited from its parent included, by `type::name`. */
  effectiveProtect(key: string): boolean | undefined;
}

/** Runs the layer inside a root stack with a transformation recording each resource's `protect`. */
async function runLayer(env: string, config: Record<string, unknown> = exampleConfig(env)): Promise<LayerRun> {
  const engine = await mockEngine(`${env}-edge`, config, upstreamOutputs(env));
  const protect = new Map<string, boolean | undefined>();
  const created = new Map<string, pulumi.Resource>();
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(({ resource, type, name, opts }) => {
      protect.set(`${type}::${name}`, opts.protect);
      created.set(`${type}::${name}`, resource);
      return undefined;
    });
    outputs = await program({ stack: `${env}-edge`, environment: env, layer: "edge" });
    return outputs;
  });
  await engine.settle();
  // The SDK resolves inheritance after transformations run and keeps the result on the resource
  // (`__protect`, internal): the only place a test sees that a component's children are protected.
  const effectiveProtect = (key: string) => (created.get(key) as unknown as { __protect?: boolean })?.__protect;
  return { engine, outputs, protect, effectiveProtect };
}

function policyStatements(engine: MockedEngine, name: string): { Sid?: string; Condition?: unknown }[] {
  const policy = engine.ofType("aws:s3/bucketPolicy:BucketPolicy").find((r) => r.name === name);
  return (JSON.parse(String(policy?.inputs.policy)) as { Statement: { Sid?: string }[] }).Statement;
}

describe("the edge layer", () => {
  it("dev: site bucket behind CloudFront, /api/* to the load balancer, us-east-1 certificate, aliases", async () => {
    const { engine, outputs, protect, effectiveProtect } = await runLayer("dev");

    expect(await outputValue(outputs.distributionId as pulumi.Output<string>)).toBe("ESITE");
    expect(await outputValue(outputs.distributionDomainName as pulumi.Output<string>)).toBe(
      "d111111abcdef8.cloudfront.net",
    );
    const certificateArn = await outputValue(outputs.certificateArn as pulumi.Output<string>);
    expect(certificateArn).toBe("arn:aws:acm:us-east-1:123456789012:certificate/site");
    expect(await outputValue(outputs.siteUrl as pulumi.Output<string>)).toBe("https://www.dev.example.com");

    const [certificate] = engine.ofType("aws:acm/certificate:Certificate");
    expect(certificate?.inputs).toMatchObject({ domainName: "www.dev.example.com", region: "us-east-1" });
    const validation = engine.ofType(RECORD).find((r) => r.name.startsWith("site-validation"));
    expect(validation?.inputs).toMatchObject({ zoneId: "Z0123456789EXAMPLE", type: "CNAME" });

    const origin = engine.ofType(RECORD).find((r) => r.name === "api-origin");
    expect(origin?.inputs).toMatchObject({
      name: "origin.dev.example.com",
      type: "CNAME",
      records: [LB_DNS],
      zoneId: "Z0123456789EXAMPLE",
    });

    const [distribution] = engine.ofType(DISTRIBUTION);
    expect(distribution?.inputs).toMatchObject({
      aliases: ["www.dev.example.com"],
      priceClass: "PriceClass_100",
      viewerCertificate: { acmCertificateArn: certificateArn, minimumProtocolVersion: "TLSv1.2_2021" },
      defaultCacheBehavior: { targetOriginId: "s3" },
      orderedCacheBehaviors: [{ pathPattern: "/api/*", targetOriginId: "alb" }],
    });
    expect(distribution?.inputs.webAclId).toBeUndefined();
    expect(distribution?.inputs.origins).toEqual([
      expect.objectContaining({ originId: "s3", domainName: "site-a1b2c3d.s3.eu-west-1.amazonaws.com" }),
      expect.objectContaining({
        originId: "alb",
        domainName: "origin.dev.example.com",
        customOriginConfig: expect.objectContaining({ originProtocolPolicy: "https-only" }),
      }),
    ]);

    // The site bucket lets only this distribution read, through OAC.
    const read = policyStatements(engine, "site-policy").find((s) => s.Sid === "AllowCloudFrontDistributionRead");
    expect(read?.Condition).toEqual({
      StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/ESITE" },
    });

    // Logs: CloudFront v2 delivery and the site bucket's S3 access logs into the SSE-S3 log bucket.
    const buckets = engine.ofType(BUCKET).map((b) => b.name);
    expect(buckets.sort()).toEqual(["logs", "site"]);
    const [destination] = engine.ofType("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
    expect(destination?.inputs).toMatchObject({
      deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::logs-a1b2c3d" },
    });
    const siteLogging = engine.ofType("aws:s3/bucketLogging:BucketLogging").find((r) => r.name === "site-access-logs");
    expect(siteLogging?.inputs).toMatchObject({ targetBucket: "logs-a1b2c3d", targetPrefix: "s3/site/" });
    const logSids = policyStatements(engine, "logs-policy").map((s) => s.Sid);
    expect(logSids).toEqual(expect.arrayContaining(["AllowCloudFrontLogDeliveryWrite", "AllowS3ServerAccessLogs"]));
    const lifecycle = engine
      .ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
      .find((r) => r.name === "logs-lifecycle");
    expect(lifecycle?.inputs.rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "expire-logs", expiration: { days: 30 } })]),
    );

    const aliases = engine.ofType(RECORD).filter((r) => r.name.startsWith("site-a"));
    expect(aliases.map((r) => [r.inputs.type, r.inputs.name])).toEqual([
      ["A", "www.dev.example.com"],
      ["AAAA", "www.dev.example.com"],
    ]);
    expect(aliases[0]?.inputs.aliases).toEqual([
      { name: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false },
    ]);

    expect(protect.get("stackline:storage:Bucket::site")).toBeFalsy();
    expect(effectiveProtect(`${BUCKET}::site`)).toBeFalsy();
    expect(engine.ofType(BUCKET).every((b) => b.inputs.forceDestroy === true)).toBe(true);
  });

  it("staging: a WAF in front, 90 days of logs, nothing protected", async () => {
    const { engine, protect } = await runLayer("staging");
    const [distribution] = engine.ofType(DISTRIBUTION);
    expect(distribution?.inputs.webAclId).toBe(
      "arn:aws:wafv2:us-east-1:123456789012:global/webacl/stackline-staging-edge/3f2b9c1e-7a4d-4e8b-9c6f-1d2e3f4a5b6c",
    );
    expect(distribution?.inputs.aliases).toEqual(["www.staging.example.com"]);
    expect(protect.get("stackline:storage:Bucket::site")).toBeFalsy();
  });

  it("prod: protects the site and log buckets (and their children), keeps them on destroy, PriceClass_200", async () => {
    const { engine, protect, effectiveProtect } = await runLayer("prod");
    const [distribution] = engine.ofType(DISTRIBUTION);
    expect(distribution?.inputs).toMatchObject({
      priceClass: "PriceClass_200",
      aliases: ["www.prod.example.com"],
      webAclId: expect.stringMatching(/^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\//),
    });
    expect(protect.get("stackline:storage:Bucket::site")).toBe(true);
    expect(protect.get("stackline:storage:Bucket::logs")).toBe(true);
    expect(effectiveProtect(`${BUCKET}::site`)).toBe(true);
    expect(effectiveProtect(`${BUCKET}::logs`)).toBe(true);
    expect(effectiveProtect("aws:kms/key:Key::site-key")).toBe(true);
    expect(engine.ofType(BUCKET).map((b) => b.inputs.forceDestroy)).toEqual([false, false]);
    // The distribution itself stays replaceable.
    expect(effectiveProtect(`${DISTRIBUTION}::site`)).toBeFalsy();
  });

  it("can run without a log bucket, logging turned off on purpose", async () => {
    const { engine } = await runLayer("dev", { ...exampleConfig("dev"), "stackline:accessLogs": false });
    expect(engine.ofType(BUCKET).map((b) => b.name)).toEqual(["site"]);
    expect(engine.ofType("aws:cloudwatch/logDelivery:LogDelivery")).toHaveLength(0);
    expect(engine.ofType("aws:s3/bucketLogging:BucketLogging")).toHaveLength(0);
  });

  it("stops on bad config before registering any resource, naming each key", async () => {
    const engine = await mockEngine(
      "dev-edge",
      {
        "aws:region": "eu-west-1",
        "stackline:siteSubdomain": "WWW",
        "stackline:apiPathPattern": "api",
        "stackline:priceClass": "PriceClass_50",
        "stackline:webAclArn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/x",
        "stackline:cdn": { enabled: true },
      },
      upstreamOutputs("dev"),
    );
    const error = await program({ stack: "dev-edge", environment: "dev", layer: "edge" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackConfigError);
    const problems = (error as StackConfigError).problems;
    expect(problems.map((p) => p.key)).toEqual([
      "stackline:siteSubdomain",
      "stackline:apiPathPattern",
      "stackline:priceClass",
      "stackline:webAclArn",
      "stackline:cdn",
    ]);
    expect(problems[0]).toEqual({
      key: "stackline:siteSubdomain",
      expected: "a name under the domain like www or static.eu, or @ for the domain itself",
      found: '"WWW"',
    });
    expect(problems[3]?.expected).toContain("CLOUDFRONT scope");
    expect(problems[4]?.expected).toBe("a known key (nothing reads this one: check the spelling)");
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses an API origin name equal to the site's", async () => {
    const engine = await mockEngine("dev-edge", {
      "aws:region": "eu-west-1",
      "stackline:siteSubdomain": "app",
      "stackline:apiOriginSubdomain": "app",
    });
    const error = await program({ stack: "dev-edge", environment: "dev", layer: "edge" }).catch((err: unknown) => err);
    expect((error as StackConfigError).problems).toEqual([
      {
        key: "stackline:apiOriginSubdomain",
        expected:
          "a name other than siteSubdomain (the site's name points at CloudFront, this one at the load balancer)",
        found: '"app"',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("checks upstream outputs, naming the stack and what to deploy first", () => {
    expect(checkUpstream("network", "hostedZoneId", "dev-network", "Z0123456789EXAMPLE")).toBe("Z0123456789EXAMPLE");
    expect(checkUpstream("compute", "loadBalancerDnsName", "dev-compute", LB_DNS)).toBe(LB_DNS);
    expect(() => checkUpstream("network", "domainName", "dev-network", undefined)).toThrow(
      "The edge layer needs output 'domainName' of stack 'dev-network' as a domain name like example.com, found nothing: " +
        "deploy the network layer of this environment first (stackline up), then retry.",
    );
    expect(() => checkUpstream("compute", "loadBalancerDnsName", "dev-compute", "")).toThrow(
      /output 'loadBalancerDnsName' of stack 'dev-compute'.*deploy the compute layer/,
    );
  });
});
