import { describe, expect, it } from "vitest";
import { SecurityGroup, Vpc } from "../../components/network";
import { mockEngine, outputValue } from "./support/pulumi-mocks";

// The example of README.md, as written there: keep the two in step.
function documentedExample() {
  const vpc = new Vpc("main", {
    cidrBlock: "10.0.0.0/16",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    natStrategy: "perAz",
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
    tags: { team: "platform" },
  });

  const alb = new SecurityGroup("alb", {
    vpcId: vpc.vpcId,
    description: "Public load balancer",
    ingress: [{ name: "https", description: "HTTPS from anywhere", port: 443, cidrIpv4: "0.0.0.0/0" }],
    egress: [{ name: "app", description: "HTTP to the app tasks", port: 8080, cidrIpv4: "10.0.0.0/16" }],
  });

  const app = new SecurityGroup("app", {
    vpcId: vpc.vpcId,
    description: "App tasks",
    ingress: [
      { name: "alb", description: "HTTP from the load balancer", port: 8080, peerSecurityGroupId: alb.securityGroupId },
    ],
    egress: [{ name: "https", description: "HTTPS to AWS APIs", port: 443, cidrIpv4: "0.0.0.0/0" }],
  });

  return { vpc, alb, app };
}

describe("the documented network example", () => {
  it("builds the VPC and two groups wired by reference", async () => {
    const engine = await mockEngine("dev-network", { "aws:region": "eu-west-1" });
    const { vpc, app } = documentedExample();
    await engine.settle();
    expect(engine.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    expect(engine.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")).toHaveLength(4);
    const fromAlb = engine
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .find((r) => r.name === "app-in-alb");
    expect(fromAlb?.inputs).toMatchObject({
      securityGroupId: "sg-app",
      referencedSecurityGroupId: "sg-alb",
      fromPort: 8080,
    });
    expect(await outputValue(vpc.privateSubnetIds)).toHaveLength(3);
    expect(await outputValue(app.securityGroupId)).toBe("sg-app");
  });
});
