import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { Certificate, CLOUDFRONT_CERTIFICATE_REGION } from "../../components/dns/certificate";
import {
  assertDistinctRecords,
  planValidationSlots,
  validationRecordFor,
} from "../../components/dns/certificate-validation";
import { isDomainName, recordFqdn, validationBaseName } from "../../components/dns/domain-name";
import { ComponentArgsError } from "../../components/validation";
import { type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const RECORD_VALUE = "_424c7224e9b0146f9a8808af955727d0.acm-validations.aws.";

describe("domain names", () => {
  it("accepts lower-case FQDNs and refuses the rest", () => {
    expect(isDomainName("example.com")).toBe(true);
    expect(isDomainName("a-b.dev.example.co.uk")).toBe(true);
    for (const bad of [
      "example",
      "Example.com",
      "example.com.",
      "-a.example.com",
      "a_b.example.com",
      "*.example.com",
    ]) {
      expect(isDomainName(bad), bad).toBe(false);
    }
    expect(isDomainName(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`)).toBe(true);
    expect(isDomainName(`${"a".repeat(64)}.com`)).toBe(false);
    expect(isDomainName(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`)).toBe(false);
  });

  it("names records under a zone and validation bases", () => {
    expect(recordFqdn("www", "example.com")).toBe("www.example.com");
    expect(recordFqdn("@", "example.com")).toBe("example.com");
    expect(recordFqdn("", "example.com")).toBe("example.com");
    expect(validationBaseName("*.example.com")).toBe("example.com");
    expect(validationBaseName("www.example.com")).toBe("www.example.com");
  });
});

describe("validation planning", () => {
  const isKnown = (name: unknown): name is string => typeof name === "string";

  it("gives a wildcard and its base name one record, keyed by the domain", () => {
    const slots = planValidationSlots(["example.com", "*.example.com", "www.example.com", "example.com"], isKnown);
    expect(slots).toEqual([
      { key: "example-com", name: "example.com" },
      { key: "www-example-com", name: "www.example.com" },
    ]);
  });

  it("keys names known only at deployment by position", () => {
    const later = { later: true };
    const slots = planValidationSlots<object>(["example.com", later], isKnown);
    expect(slots).toEqual([
      { key: "example-com", name: "example.com" },
      { key: "name1", name: later },
    ]);
  });

  it("finds the record for a name, falling back to the base name, and says what is missing", () => {
    const options = [
      {
        domainName: "example.com",
        resourceRecordName: "_a.example.com.",
        resourceRecordType: "CNAME",
        resourceRecordValue: "v",
      },
    ];
    expect(validationRecordFor(options, "*.example.com").resourceRecordName).toBe("_a.example.com.");
    expect(() => validationRecordFor(options, "other.com")).toThrow(
      "ACM gave no DNS validation record for 'other.com' (it gave records for: example.com).",
    );
  });

  it("refuses two names sharing one record", () => {
    expect(() =>
      assertDistinctRecords([
        { name: "example.com", recordName: "_a.example.com." },
        { name: "*.example.com", recordName: "_a.example.com." },
      ]),
    ).toThrow("Certificate names 'example.com' and '*.example.com' share the validation record _a.example.com.");
    expect(() =>
      assertDistinctRecords([
        { name: "example.com", recordName: "_a.example.com." },
        { name: "www.example.com", recordName: "_a.www.example.com." },
      ]),
    ).not.toThrow();
  });
});

describe("Certificate", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-edge", { "aws:region": "eu-west-1" });
  });

  it("defaults: RSA_2048, DNS validation in the stack's region, one CNAME per name, validated ARN", async () => {
    const certificate = new Certificate("api", { domainName: "api.example.com", zoneId: "Z123" });
    const arn = await outputValue(certificate.certificateArn);
    expect(arn).toBe("arn:aws:acm:eu-west-1:123456789012:certificate/api");
    expect(await outputValue(certificate.validationRecordFqdns)).toEqual([
      "_a79865eb4cd1a6ab990a45779b4e0b96.api.example.com",
    ]);
    await engine.settle();
    const [cert] = engine.ofType("aws:acm/certificate:Certificate");
    expect(cert?.inputs).toMatchObject({
      domainName: "api.example.com",
      subjectAlternativeNames: [],
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: { "stackline:component": "dns:Certificate/api" },
    });
    expect(cert?.inputs.region).toBeUndefined();
    const records = engine.ofType("aws:route53/record:Record");
    expect(records.map((r) => r.name)).toEqual(["api-validation-api-example-com"]);
    expect(records[0]?.inputs).toMatchObject({
      zoneId: "Z123",
      name: "_a79865eb4cd1a6ab990a45779b4e0b96.api.example.com.",
      type: "CNAME",
      records: [RECORD_VALUE],
      ttl: 300,
      allowOverwrite: true,
    });
    const [validation] = engine.ofType("aws:acm/certificateValidation:CertificateValidation");
    expect(validation?.inputs).toMatchObject({
      certificateArn: arn,
      validationRecordFqdns: ["_a79865eb4cd1a6ab990a45779b4e0b96.api.example.com"],
    });
  });

  it("creates the certificate and its validation in us-east-1 for CloudFront, from a eu-west-1 stack", async () => {
    const certificate = new Certificate("site", {
      domainName: "www.example.com",
      subjectAlternativeNames: ["example.com", "*.example.com"],
      zoneId: "Z123",
      region: CLOUDFRONT_CERTIFICATE_REGION,
      keyAlgorithm: "EC_prime256v1",
      validationRecordTtl: 60,
    });
    expect(await outputValue(certificate.certificateArn)).toMatch(/^arn:aws:acm:us-east-1:\d{12}:certificate\//);
    await engine.settle();
    const [cert] = engine.ofType("aws:acm/certificate:Certificate");
    expect(cert?.inputs).toMatchObject({
      region: "us-east-1",
      keyAlgorithm: "EC_prime256v1",
      subjectAlternativeNames: ["example.com", "*.example.com"],
    });
    const [validation] = engine.ofType("aws:acm/certificateValidation:CertificateValidation");
    expect(validation?.inputs.region).toBe("us-east-1");
    // *.example.com and example.com share one record: two records for three names.
    const records = engine.ofType("aws:route53/record:Record");
    expect(records.map((r) => [r.name, r.inputs.name, r.inputs.ttl])).toEqual([
      ["site-validation-www-example-com", "_a79865eb4cd1a6ab990a45779b4e0b96.www.example.com.", 60],
      ["site-validation-example-com", "_a79865eb4cd1a6ab990a45779b4e0b96.example.com.", 60],
    ]);
  });

  it("takes names that are Outputs (another stack's domain) and validates each", async () => {
    const domain = pulumi.output("example.com");
    const certificate = new Certificate("site", {
      domainName: pulumi.interpolate`www.${domain}`,
      subjectAlternativeNames: [pulumi.interpolate`static.${domain}`],
      zoneId: pulumi.output("Z123"),
      region: "us-east-1",
    });
    expect(await outputValue(certificate.validationRecordFqdns)).toEqual([
      "_a79865eb4cd1a6ab990a45779b4e0b96.www.example.com",
      "_a79865eb4cd1a6ab990a45779b4e0b96.static.example.com",
    ]);
    await engine.settle();
    expect(engine.ofType("aws:route53/record:Record").map((r) => r.name)).toEqual([
      "site-validation-name0",
      "site-validation-name1",
    ]);
  });

  it("refuses bad names, a bad region and an unknown key algorithm before creating anything", async () => {
    let error: unknown;
    try {
      new Certificate("bad", {
        domainName: "www.example.com.",
        subjectAlternativeNames: ["ok.example.com", "**.example.com"],
        zoneId: "Z123",
        region: "Europe",
        keyAlgorithm: "RSA_1024",
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    expect((error as ComponentArgsError).problems).toEqual([
      {
        path: "domainName",
        expected: "a lower-case domain name like example.com or *.example.com",
        found: '"www.example.com."',
      },
      {
        path: "subjectAlternativeNames.1",
        expected: "a lower-case domain name like example.com or *.example.com",
        found: '"**.example.com"',
      },
      { path: "region", expected: "an AWS region code like eu-west-1 or us-east-1", found: '"Europe"' },
      { path: "keyAlgorithm", expected: 'one of "RSA_2048", "EC_prime256v1"', found: '"RSA_1024"' },
    ]);
    expect(await engine.settle()).toHaveLength(0);
  });
});
