import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { LoadBalancer, type LoadBalancerArgs } from "../../components/compute/alb";
import { ComponentArgsError } from "../../components/validation";
import { problemsOf } from "./support/component-args";
import { type MockedEngine, mockEngine, outputValue, type RegisteredResource } from "./support/pulumi-mocks";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0f4a6a2e-5b1c-4d2e-9f3a-1234567890ab";

const base: LoadBalancerArgs = {
  vpcId: "vpc-main",
  subnetIds: ["subnet-public-a", "subnet-public-b"],
  certificateArn: CERT,
  accessLogs: { bucket: "dev-logs-123456789012" },
};

type Inputs = Record<string, unknown>;

function only(engine: MockedEngine, type: string): RegisteredResource {
  const found = engine.ofType(type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as RegisteredResource;
}

function listener(engine: MockedEngine, port: number): Inputs | undefined {
  return engine.ofType("aws:lb/listener:Listener").find((l) => l.inputs.port === port)?.inputs;
}

describe("LoadBalancer", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-compute", { "aws:region": "eu-west-1" });
  });

  it("by default: internet-facing, HTTPS only with TLS 1.3, logs, deletion protection, world ingress on 443/80 only", async () => {
    const alb = new LoadBalancer("web", base);
    await engine.settle();

    const lb = only(engine, "aws:lb/loadBalancer:LoadBalancer").inputs;
    expect(lb).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: ["subnet-public-a", "subnet-public-b"],
      securityGroups: ["sg-web-alb"],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      desyncMitigationMode: "defensive",
      enableWafFailOpen: false,
      accessLogs: { bucket: "dev-logs-123456789012", prefix: "web", enabled: true },
    });
    expect(lb.tags).toMatchObject({ "stackline:component": "compute:LoadBalancer/web" });

    expect(listener(engine, 443)).toMatchObject({
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: CERT,
      defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404" } }],
    });
    // Port 80 serves nothing: every request gets a permanent redirect to HTTPS.
    expect(listener(engine, 80)).toMatchObject({
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    expect(engine.ofType("aws:lb/listener:Listener")).toHaveLength(2);

    const sg = only(engine, "aws:ec2/securityGroup:SecurityGroup").inputs;
    expect(sg).toMatchObject({ vpcId: "vpc-main", revokeRulesOnDelete: true });
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    const ingress = engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    expect(ingress.map((r) => [r.securityGroupId, r.fromPort, r.toPort, r.ipProtocol, r.cidrIpv4])).toEqual([
      ["sg-web-alb", 443, 443, "tcp", "0.0.0.0/0"],
      ["sg-web-alb", 80, 80, "tcp", "0.0.0.0/0"],
    ]);
    for (const rule of ingress) expect(rule.description).toMatch(/^HTTPS? from clients/);
    // Egress is added only when a service attaches, to that service's group.
    expect(engine.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toHaveLength(0);
    expect(engine.ofType("aws:wafv2/webAclAssociation:WebAclAssociation")).toHaveLength(0);

    expect(await outputValue(alb.dnsName)).toBe("web-1234567890.eu-west-1.elb.amazonaws.com");
    expect(await outputValue(alb.zoneId)).toBe("Z35SXDOTRQ7X7K");
    expect(await outputValue(alb.arnSuffix)).toBe("app/web/50dc6c495c0c9188");
    expect(await outputValue(alb.loadBalancerArn)).toBe("arn:aws:lb:eu-west-1:123456789012:loadbalancer/web");
    expect(await outputValue(alb.securityGroupId)).toBe("sg-web-alb");
    expect(await outputValue(alb.httpsListenerArn)).toBe("arn:aws:lb:eu-west-1:123456789012:listener/web-https");
    expect(await outputValue(alb.attachment.httpsListenerArn)).toBe(await outputValue(alb.httpsListenerArn));
  });

  it("takes overrides: internal from the VPC only, no redirect, WAF, TLS 1.3 only, no deletion protection", async () => {
    new LoadBalancer("api", {
      ...base,
      scheme: "internal",
      subnetIds: pulumi.output(["subnet-private-a", "subnet-private-b"]),
      vpcCidrBlock: pulumi.output("10.20.0.0/16"),
      httpRedirect: false,
      sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      deletionProtection: false,
      webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc",
      accessLogs: { bucket: "logs-bucket", prefix: "alb/api" },
      idleTimeoutSeconds: 120,
      tags: { team: "payments" },
    });
    await engine.settle();

    expect(only(engine, "aws:lb/loadBalancer:LoadBalancer").inputs).toMatchObject({
      internal: true,
      subnets: ["subnet-private-a", "subnet-private-b"],
      enableDeletionProtection: false,
      idleTimeout: 120,
      accessLogs: { bucket: "logs-bucket", prefix: "alb/api" },
      tags: { team: "payments" },
    });
    expect(engine.ofType("aws:lb/listener:Listener").map((l) => l.inputs.port)).toEqual([443]);
    expect(listener(engine, 443)?.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    const ingress = engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    expect(ingress.map((r) => [r.fromPort, r.cidrIpv4, r.description])).toEqual([
      [443, "10.20.0.0/16", "HTTPS from clients in the VPC"],
    ]);
    expect(only(engine, "aws:wafv2/webAclAssociation:WebAclAssociation").inputs).toEqual({
      resourceArn: "arn:aws:lb:eu-west-1:123456789012:loadbalancer/api",
      webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc",
    });
  });

  it("limits ingress to the given CIDRs instead of the world", async () => {
    new LoadBalancer("partner", { ...base, ingressCidrs: ["203.0.113.0/24", "198.51.100.7/32"] });
    await engine.settle();
    const ingress = engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    expect(ingress.map((r) => `${r.fromPort} ${r.cidrIpv4}`)).toEqual([
      "443 203.0.113.0/24",
      "443 198.51.100.7/32",
      "80 203.0.113.0/24",
      "80 198.51.100.7/32",
    ]);
    expect(ingress.some((r) => r.cidrIpv4 === "0.0.0.0/0")).toBe(false);
    expect(engine.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.name)).toContain(
      "partner-https-203-0-113-0-24",
    );
  });

  it("refuses bad input before creating anything, naming each field", async () => {
    const problems = problemsOf(
      () =>
        new LoadBalancer("bad", {
          vpcId: "vpc-main",
          subnetIds: ["subnet-a"],
          accessLogs: { bucket: "Logs_Bucket", prefix: "x/AWSLogs" },
          ingressCidrs: ["10.0.0.1/16"],
          sslPolicy: "ELBSecurityPolicy-2016-08",
          webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc",
          deletionProtecton: false,
        } as never),
    );
    expect(problems).toEqual([
      { path: "subnetIds", expected: "at least 2 subnet ids, in different Availability Zones", found: '["subnet-a"]' },
      {
        path: "ingressCidrs.0",
        expected: "an IPv4 CIDR block with no host bits set, like 10.0.0.0/16 or 0.0.0.0/0",
        found: '"10.0.0.1/16"',
      },
      {
        path: "certificateArn",
        expected: "the ARN of an ACM certificate in the load balancer's region",
        found: "nothing (not set)",
      },
      {
        path: "sslPolicy",
        expected: expect.stringContaining('one of "ELBSecurityPolicy-TLS13-1-2-2021-06"'),
        found: '"ELBSecurityPolicy-2016-08"',
      },
      {
        path: "accessLogs.bucket",
        expected: "an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')",
        found: '"Logs_Bucket"',
      },
      {
        path: "accessLogs.prefix",
        expected: "a key prefix not containing 'AWSLogs' (ELB adds it)",
        found: '"x/AWSLogs"',
      },
      {
        path: "webAclArn",
        expected: "a REGIONAL WAFv2 web ACL ARN like arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/<name>/<id>",
        found: '"arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc"',
      },
      {
        path: "deletionProtecton",
        expected: "a known key (nothing reads this one: check the spelling)",
        found: "false",
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });

  it("asks for the VPC CIDR of an internal load balancer rather than opening it to the world", async () => {
    let error: unknown;
    try {
      new LoadBalancer("intranet", { ...base, scheme: "internal" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).problems).toEqual([
      {
        path: "vpcCidrBlock",
        expected: "vpcCidrBlock (or ingressCidrs) for an internal load balancer",
        found: "nothing (not set)",
      },
    ]);
    expect((error as Error).message).toContain("Invalid arguments for stackline:compute:LoadBalancer 'intranet'");
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses a name AWS would refuse for the load balancer, with the args' problems", async () => {
    const problems = problemsOf(() => new LoadBalancer("internal-web", { ...base, certificateArn: "cert" }));
    expect(problems).toEqual([
      {
        path: "(name)",
        expected: "a name not starting with 'internal' (AWS refuses such load balancer names)",
        found: '"internal-web"',
      },
      {
        path: "certificateArn",
        expected: "an ACM certificate ARN like arn:aws:acm:eu-west-1:123456789012:certificate/<id>",
        found: '"cert"',
      },
    ]);
    expect(problemsOf(() => new LoadBalancer("web_frontend.prod", base))).toEqual([
      {
        path: "(name)",
        expected: "a name of 1-24 letters, digits and '-', not starting or ending with '-'",
        found: '"web_frontend.prod"',
      },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
