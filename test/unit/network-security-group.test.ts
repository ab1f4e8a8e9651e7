import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { SecurityGroup } from "../../components/network/security-group";
import { egressRuleSchema, ingressRuleSchema } from "../../components/network/security-group-rules";
import { ComponentArgsError, problemsFrom } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** The problems of one ingress rule, as a component would report them (empty: accepted). */
function ingressProblems(rule: unknown) {
  const result = ingressRuleSchema.safeParse(rule);
  return result.success ? [] : problemsFrom(result.error, rule);
}

const internetAdvice =
  "use peerSecurityGroupId or a specific CIDR, or set unsafeAllowFromInternet: true on this rule if it really must be public";

describe("security group rules", () => {
  it.each([
    [{ port: 22, cidrIpv4: "0.0.0.0/0" }, "cidrIpv4", "SSH (port 22)"],
    [{ port: 3389, cidrIpv6: "::/0" }, "cidrIpv6", "RDP (port 3389)"],
    [{ protocol: "udp", port: 3389, cidrIpv4: "0.0.0.0/0" }, "cidrIpv4", "RDP (port 3389)"],
    [{ fromPort: 20, toPort: 25, cidrIpv4: "0.0.0.0/0" }, "cidrIpv4", "SSH (port 22)"],
    [{ fromPort: 0, toPort: 4000, cidrIpv4: "0.0.0.0/0" }, "cidrIpv4", "SSH (port 22) and RDP (port 3389)"],
    [{ fromPort: 0, toPort: 65535, cidrIpv4: "0.0.0.0/0" }, "cidrIpv4", "every port"],
    [{ protocol: "all", cidrIpv6: "::/0" }, "cidrIpv6", "every protocol and port"],
    [{ protocol: "-1", cidrIpv4: "0.0.0.0/0" }, "cidrIpv4", "every protocol and port"],
    // A /0 is the whole internet however its address is written.
    [{ port: 22, cidrIpv4: "10.0.0.0/0" }, "cidrIpv4", "SSH (port 22)"],
  ])("refuses ingress %j from the whole internet, naming what it would open", (rule, field, what) => {
    const input = { description: "admin access", ...rule };
    expect(ingressProblems(input)).toEqual([
      {
        path: field,
        expected: `a narrower source than the whole internet for ${what}: ${internetAdvice}`,
        found: JSON.stringify((rule as Record<string, unknown>)[field]),
      },
    ]);
    // The named flag lets exactly this rule through.
    expect(ingressProblems({ ...input, unsafeAllowFromInternet: true })).toEqual([]);
  });

  it.each([
    { description: "HTTPS from anywhere", port: 443, cidrIpv4: "0.0.0.0/0" },
    { description: "HTTP from anywhere (redirects)", port: 80, cidrIpv6: "::/0" },
    { description: "SSH from the office", port: 22, cidrIpv4: "203.0.113.0/24" },
    { description: "SSH from the bastion group", port: 22, peerSecurityGroupId: "sg-bastion" },
    { description: "everything from the same group", protocol: "all", self: true },
    { description: "ping from anywhere", protocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: "0.0.0.0/0" },
  ])("accepts %j", (rule) => {
    expect(ingressProblems(rule)).toEqual([]);
  });

  it("requires a description, a single peer and ports that fit the protocol", () => {
    expect(ingressProblems({ port: 443, cidrIpv4: "10.0.0.0/8" })).toEqual([
      { path: "description", expected: "string", found: "nothing (not set)" },
    ]);
    expect(ingressProblems({ description: "bad <chars>", port: 443, cidrIpv4: "10.0.0.0/8" })[0]?.expected).toBe(
      "text of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (AWS's allowed characters)",
    );
    expect(ingressProblems({ description: "no peer", port: 443 })).toEqual([
      {
        path: "",
        expected: "exactly one peer of peerSecurityGroupId, self, cidrIpv4, cidrIpv6, prefixListId",
        found: '{"description":"no peer","port":443}',
      },
    ]);
    expect(
      ingressProblems({ description: "two peers", port: 443, cidrIpv4: "10.0.0.0/8", peerSecurityGroupId: "sg-1" })[0]
        ?.expected,
    ).toBe(
      "exactly one peer of peerSecurityGroupId, self, cidrIpv4, cidrIpv6, prefixListId (found peerSecurityGroupId and cidrIpv4)",
    );
    expect(ingressProblems({ description: "d", cidrIpv4: "10.0.0.0/8" })).toEqual([
      { path: "port", expected: "a port (or fromPort and toPort) for tcp", found: "nothing (not set)" },
    ]);
    expect(ingressProblems({ description: "d", protocol: "all", port: 5, cidrIpv4: "10.0.0.0/8" })[0]?.expected).toBe(
      "no port for protocol 'all' (it opens every port)",
    );
    expect(ingressProblems({ description: "d", fromPort: 90, toPort: 80, cidrIpv4: "10.0.0.0/8" })[0]).toMatchObject({
      path: "toPort",
      expected: "a range with 0 <= fromPort <= toPort",
    });
    expect(ingressProblems({ description: "d", port: 1, cidrIpv4: "10.0.0.300/8" })[0]).toMatchObject({
      path: "cidrIpv4",
      expected: "an IPv4 CIDR like 10.0.0.0/16",
    });
  });

  it("does not refuse egress to the internet (what a group may reach is listed, never implicit)", () => {
    expect(egressRuleSchema.safeParse({ description: "HTTPS out", port: 443, cidrIpv4: "0.0.0.0/0" }).success).toBe(
      true,
    );
    expect(
      egressRuleSchema.safeParse({
        description: "no flag here",
        port: 443,
        cidrIpv4: "0.0.0.0/0",
        unsafeAllowFromInternet: true,
      }).success,
    ).toBe(false);
  });
});

describe("SecurityGroup", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-network", { "aws:region": "eu-west-1" });
  });

  it("with no rules: a described group that allows nothing in or out", async () => {
    const group = new SecurityGroup("app", { vpcId: "vpc-1", description: "App servers" });
    await engine.settle();
    const [sg] = engine.ofType("aws:ec2/securityGroup:SecurityGroup");
    expect(sg?.inputs).toMatchObject({
      vpcId: "vpc-1",
      description: "App servers",
      revokeRulesOnDelete: true,
      tags: { Name: "app", "stackline:component": "network:SecurityGroup/app" },
    });
    // No inline rules (they would fight the rule resources) and no rule resources.
    expect(sg?.inputs.ingress).toBeUndefined();
    expect(sg?.inputs.egress).toBeUndefined();
    expect(engine.ofType(INGRESS)).toEqual([]);
    expect(engine.ofType(EGRESS)).toEqual([]);
    expect(await outputValue(group.securityGroupId)).toBe("sg-app");
    expect(await outputValue(group.securityGroupArn)).toBe("arn:aws:ec2:eu-west-1:123456789012:security-group/sg-app");
  });

  it("creates one rule resource per rule, preferring group references", async () => {
    const loadBalancer = pulumi.output("sg-alb");
    new SecurityGroup("app", {
      vpcId: "vpc-1",
      description: "App servers",
      ingress: [
        { name: "from-alb", description: "HTTP from the load balancer", port: 8080, peerSecurityGroupId: loadBalancer },
        { description: "cluster gossip", protocol: "udp", fromPort: 7946, toPort: 7947, self: true },
        { description: "path MTU discovery", protocol: "icmp", fromPort: 3, toPort: 4, cidrIpv4: "10.0.0.0/16" },
      ],
      egress: [
        { name: "https", description: "HTTPS to AWS APIs and partners", port: 443, cidrIpv4: "0.0.0.0/0" },
        { description: "everything to the database group", protocol: "all", peerSecurityGroupId: "sg-db" },
      ],
    });
    await engine.settle();
    // Registration order follows input resolution; compare by name.
    const byName = engine.ofType(INGRESS).sort((a, b) => a.name.localeCompare(b.name));
    expect(byName.map((r) => [r.name, r.inputs])).toEqual([
      [
        "app-in-1",
        expect.objectContaining({
          ipProtocol: "udp",
          fromPort: 7946,
          toPort: 7947,
          referencedSecurityGroupId: "sg-app",
        }),
      ],
      ["app-in-2", expect.objectContaining({ ipProtocol: "icmp", fromPort: 3, toPort: 4, cidrIpv4: "10.0.0.0/16" })],
      [
        "app-in-from-alb",
        expect.objectContaining({
          securityGroupId: "sg-app",
          ipProtocol: "tcp",
          fromPort: 8080,
          toPort: 8080,
          referencedSecurityGroupId: "sg-alb",
          description: "HTTP from the load balancer",
        }),
      ],
    ]);
    const egress = engine.ofType(EGRESS).sort((a, b) => a.name.localeCompare(b.name));
    expect(egress.map((r) => r.name)).toEqual(["app-out-1", "app-out-https"]);
    expect(egress[1]?.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
    expect(egress[0]?.inputs).toMatchObject({ ipProtocol: "-1", referencedSecurityGroupId: "sg-db" });
    expect(egress[0]?.inputs.fromPort).toBeUndefined();
    expect(egress[0]?.inputs.toPort).toBeUndefined();
  });

  it("refuses SSH from the internet before creating anything, and allows it with the named flag", async () => {
    const ssh = { description: "SSH for the vendor", port: 22, cidrIpv4: "0.0.0.0/0" };
    let error: unknown;
    try {
      new SecurityGroup("jump", { vpcId: "vpc-1", description: "Jump host", ingress: [ssh] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as Error).message).toBe(
      "Invalid arguments for stackline:network:SecurityGroup 'jump':\n" +
        `  - ingress.0.cidrIpv4: expected a narrower source than the whole internet for SSH (port 22): ${internetAdvice}, found "0.0.0.0/0"`,
    );
    expect(await engine.settle()).toHaveLength(0);

    new SecurityGroup("jump", {
      vpcId: "vpc-1",
      description: "Jump host",
      ingress: [{ ...ssh, unsafeAllowFromInternet: true }],
    });
    await engine.settle();
    expect(engine.ofType(INGRESS).map((r) => r.inputs)).toEqual([
      expect.objectContaining({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }),
    ]);
  });

  it("refuses two rules with one name", () => {
    const rule = { name: "web", description: "web", port: 443, cidrIpv4: "10.0.0.0/8" };
    expect(() => new SecurityGroup("x", { vpcId: "vpc-1", description: "x", egress: [rule, rule] })).toThrow(
      "egress.1.name: expected a rule name not used twice ('web')",
    );
  });
});
