import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { standardTags } from "../../components/aws/tags";
import { mockEngine, outputValue } from "./support/pulumi-mocks";

describe("AWS test support and tags", () => {
  it("mocks return provider-computed ids and ARNs in the resource's region", async () => {
    await mockEngine("dev-network", { "aws:region": "eu-west-1" });
    const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });
    const cert = new aws.acm.Certificate("cert", {
      domainName: "example.com",
      validationMethod: "DNS",
      region: "us-east-1",
    });
    expect(await outputValue(vpc.id)).toBe("vpc-main");
    expect(await outputValue(vpc.arn)).toBe("arn:aws:ec2:eu-west-1:123456789012:vpc/main");
    expect(await outputValue(cert.arn)).toMatch(/^arn:aws:acm:us-east-1:/);
    expect(await outputValue(cert.domainValidationOptions)).toHaveLength(1);
    const identity = await aws.getCallerIdentity();
    expect(identity.accountId).toBe("123456789012");
  });

  it("tags name the project, environment, stack and component, over a caller's extra tags", async () => {
    await mockEngine("staging-data");
    expect(standardTags("stackline:database:Postgres", "orders", { team: "payments" })).toEqual({
      team: "payments",
      "stackline:project": "stackline",
      "stackline:environment": "staging",
      "stackline:stack": "staging-data",
      "stackline:component": "database:Postgres/orders",
    });
  });
});
