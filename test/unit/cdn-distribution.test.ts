import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { checkDeployedArn } from "../../components/cdn/arns";
import { planCacheBehaviours } from "../../components/cdn/behaviours";
import { Distribution, type DistributionArgs } from "../../components/cdn/distribution";
import { minimumProtocolVersion } from "../../components/cdn/distribution-args";
import {
  ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
  CACHING_DISABLED_POLICY_ID,
  CACHING_OPTIMIZED_POLICY_ID,
} from "../../components/cdn/managed-policies";
import { securityHeadersConfig, securityHeadersSchema } from "../../components/cdn/security-headers";
import { ComponentArgsError } from "../../components/validation";
import { isSecretInput, type MockedEngine, mockEngine, outputValue } from "./support/pulumi-mocks";

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7";
const WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-e5f6-7890-abcd-ef1234567890";

const siteAndApi: DistributionArgs = {
  s3Origin: { bucketRegionalDomainName: "site.s3.eu-west-1.amazonaws.com" },
  albOrigin: { domainName: "origin.example.com" },
  aliases: ["www.example.com"],
  certificateArn: CERTIFICATE,
  logging: { bucketArn: "arn:aws:s3:::site-logs" },
};

type Behaviour = Record<string, unknown>;

async function distributionInputs(engine: MockedEngine) {
  await engine.settle();
  const [distribution] = engine.ofType("aws:cloudfront/distribution:Distribution");
  if (!distribution) throw new Error("no distribution registered");
  return distribution.inputs;
}

describe("Distribution", () => {
  let engine: MockedEngine;
  beforeEach(async () => {
    engine = await mockEngine("dev-edge", { "aws:region": "eu-west-1" });
  });

  it("defaults: OAC to S3, HTTPS-only ALB for /api/*, TLSv1.2_2021 SNI, redirect to HTTPS, PriceClass_100", async () => {
    const cdn = new Distribution("site", siteAndApi);
    expect(await outputValue(cdn.distributionId)).toBe("ESITE");
    expect(await outputValue(cdn.distributionArn)).toBe("arn:aws:cloudfront::123456789012:distribution/ESITE");
    expect(await outputValue(cdn.domainName)).toBe("d111111abcdef8.cloudfront.net");
    expect(await outputValue(cdn.hostedZoneId)).toBe("Z2FDTNDATAQYW2");
    const inputs = await distributionInputs(engine);

    const [oac] = engine.ofType("aws:cloudfront/originAccessControl:OriginAccessControl");
    expect(oac?.inputs).toMatchObject({
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });
    expect(inputs).toMatchObject({
      enabled: true,
      aliases: ["www.example.com"],
      priceClass: "PriceClass_100",
      defaultRootObject: "index.html",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      viewerCertificate: {
        acmCertificateArn: CERTIFICATE,
        minimumProtocolVersion: "TLSv1.2_2021",
        sslSupportMethod: "sni-only",
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      tags: { "stackline:component": "cdn:Distribution/site" },
    });
    expect(inputs.webAclId).toBeUndefined();
    // Legacy logging needs bucket ACLs; v2 delivery (in us-east-1) writes into an ACL-less bucket.
    expect(inputs.loggingConfig).toBeUndefined();
    const [source] = engine.ofType("aws:cloudwatch/logDeliverySource:LogDeliverySource");
    expect(source?.inputs).toMatchObject({
      logType: "ACCESS_LOGS",
      resourceArn: "arn:aws:cloudfront::123456789012:distribution/ESITE",
      region: "us-east-1",
    });
    const [destination] = engine.ofType("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
    expect(destination?.inputs).toMatchObject({
      deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::site-logs" },
      outputFormat: "w3c",
      region: "us-east-1",
    });
    const [delivery] = engine.ofType("aws:cloudwatch/logDelivery:LogDelivery");
    expect(delivery?.inputs).toMatchObject({
      deliverySourceName: "site-logs-a1b2c3d",
      deliveryDestinationArn: "arn:aws:logs:us-east-1:123456789012:delivery-destination:site-logs-a1b2c3d",
      s3DeliveryConfigurations: [
        { suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false },
      ],
      region: "us-east-1",
    });
    expect(inputs.origins).toEqual([
      {
        originId: "s3",
        domainName: "site.s3.eu-west-1.amazonaws.com",
        originPath: "",
        originAccessControlId: "oac-site-oac",
      },
      {
        originId: "alb",
        domainName: "origin.example.com",
        customOriginConfig: {
          originProtocolPolicy: "https-only",
          originSslProtocols: ["TLSv1.2"],
          httpPort: 80,
          httpsPort: 443,
          originReadTimeout: 30,
        },
      },
    ]);
    expect(inputs.defaultCacheBehavior).toMatchObject({
      targetOriginId: "s3",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD"],
      cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
      responseHeadersPolicyId: "rhp-site-security-headers",
    });
    expect(inputs.orderedCacheBehaviors).toEqual([
      expect.objectContaining({
        pathPattern: "/api/*",
        targetOriginId: "alb",
        viewerProtocolPolicy: "redirect-to-https",
        cachePolicyId: CACHING_DISABLED_POLICY_ID,
        originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
        responseHeadersPolicyId: "rhp-site-security-headers",
      }),
    ]);

    const [headers] = engine.ofType("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    expect(headers?.inputs.securityHeadersConfig).toEqual({
      strictTransportSecurity: {
        accessControlMaxAgeSec: 63_072_000,
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: "DENY", override: true },
      referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
      xssProtection: { protection: true, modeBlock: true, override: true },
    });
  });

  it("takes overrides: https-only, newer TLS, WAF, price class, several API paths, a secret origin header", async () => {
    new Distribution("site", {
      ...siteAndApi,
      albOrigin: {
        domainName: "origin.example.com",
        pathPatterns: ["/api/*", "/auth/*"],
        customHeader: { name: "X-Origin-Verify", value: "s3cr3t" },
        readTimeoutSeconds: 60,
      },
      viewerProtocolPolicy: "https-only",
      minimumProtocolVersion: "TLSv1.2_2025",
      webAclId: WEB_ACL,
      priceClass: "PriceClass_All",
      defaultRootObject: "home.html",
      logging: false,
      securityHeaders: { frameOptions: "SAMEORIGIN", contentSecurityPolicy: "default-src 'self'" },
      tags: { team: "web" },
    });
    const inputs = await distributionInputs(engine);
    expect(inputs).toMatchObject({
      webAclId: WEB_ACL,
      priceClass: "PriceClass_All",
      defaultRootObject: "home.html",
      viewerCertificate: { minimumProtocolVersion: "TLSv1.2_2025" },
      tags: { team: "web" },
    });
    expect(engine.ofType("aws:cloudwatch/logDelivery:LogDelivery")).toHaveLength(0);
    const behaviours = [inputs.defaultCacheBehavior, ...(inputs.orderedCacheBehaviors as Behaviour[])] as Behaviour[];
    expect(behaviours.map((b) => [b.pathPattern, b.targetOriginId, b.viewerProtocolPolicy])).toEqual([
      [undefined, "s3", "https-only"],
      ["/api/*", "alb", "https-only"],
      ["/auth/*", "alb", "https-only"],
    ]);
    for (const behaviour of behaviours) expect(behaviour.responseHeadersPolicyId).toBe("rhp-site-security-headers");
    // The header's value is secret, so the engine keeps the whole origins list encrypted in the state.
    expect(isSecretInput(inputs.origins)).toBe(true);
    const [, alb] = (inputs.origins as { value: { customHeaders: unknown[] }[] }).value;
    expect(alb?.customHeaders).toEqual([{ name: "X-Origin-Verify", value: "s3cr3t" }]);
    const [headers] = engine.ofType("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    expect(headers?.inputs.securityHeadersConfig).toMatchObject({
      frameOptions: { frameOption: "SAMEORIGIN" },
      contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'", override: true },
    });
  });

  it("with only an ALB: no OAC, the ALB is the uncached default, no default root object", async () => {
    new Distribution("api", {
      albOrigin: { domainName: "origin.example.com" },
      certificateArn: CERTIFICATE,
      logging: false,
    });
    const inputs = await distributionInputs(engine);
    expect(engine.ofType("aws:cloudfront/originAccessControl:OriginAccessControl")).toHaveLength(0);
    expect(inputs.defaultRootObject).toBeUndefined();
    expect(inputs.defaultCacheBehavior).toMatchObject({
      targetOriginId: "alb",
      allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      cachePolicyId: CACHING_DISABLED_POLICY_ID,
      originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
    });
    expect(inputs.orderedCacheBehaviors).toEqual([]);
  });

  it("takes the certificate ARN as an Output (the Certificate component's)", async () => {
    new Distribution("site", { ...siteAndApi, certificateArn: pulumi.output(CERTIFICATE) });
    const inputs = await distributionInputs(engine);
    expect(inputs.viewerCertificate).toMatchObject({ acmCertificateArn: CERTIFICATE });
  });

  it("refuses old TLS, a certificate outside us-east-1, a regional WAF, no origin and unset logging", async () => {
    let error: unknown;
    try {
      new Distribution("bad", {
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
        minimumProtocolVersion: "TLSv1.2_2019",
        webAclId: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/a1b2c3d4-e5f6-7890-abcd-ef1234567890",
        priceClass: "PriceClass_300",
        securityHeaders: { hstsMaxAgeSeconds: 3600 },
      } as never);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ComponentArgsError);
    const problems = (error as ComponentArgsError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      "certificateArn",
      "minimumProtocolVersion",
      "logging",
      "webAclId",
      "priceClass",
      "securityHeaders.hstsMaxAgeSeconds",
    ]);
    expect(problems[0]?.expected).toContain("ACM certificate ARN in us-east-1");
    expect(problems[1]).toEqual({
      path: "minimumProtocolVersion",
      expected: "TLSv1.2_2021 or newer (TLSv1.2_2025, TLSv1.3_2025)",
      found: '"TLSv1.2_2019"',
    });
    expect(problems[2]?.found).toBe("nothing (not set)");
    expect(problems[3]?.expected).toContain("WAFv2 web ACL ARN with CLOUDFRONT scope");
    expect(problems[5]).toMatchObject({ expected: "at least 31536000", found: "3600" });
    expect(await engine.settle()).toHaveLength(0);
  });

  it("refuses a distribution without any origin, and a catch-all API path", async () => {
    let error: unknown;
    try {
      new Distribution("bad", { certificateArn: CERTIFICATE, logging: false });
    } catch (err) {
      error = err;
    }
    expect((error as ComponentArgsError).problems).toEqual([
      { path: "s3Origin", expected: "an s3Origin or an albOrigin (or both)", found: "nothing (not set)" },
    ]);
    try {
      new Distribution("bad", { ...siteAndApi, albOrigin: { domainName: "origin.example.com", pathPatterns: ["/*"] } });
    } catch (err) {
      error = err;
    }
    expect((error as ComponentArgsError).problems[0]).toMatchObject({
      path: "albOrigin.pathPatterns.0",
      found: '"/*"',
    });
    expect(await engine.settle()).toHaveLength(0);
  });
});

describe("distribution planning", () => {
  it("accepts TLS policies from TLSv1.2_2021 on, TLS 1.3 ones, and refuses older ones", () => {
    for (const ok of ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"]) {
      expect(minimumProtocolVersion.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ["TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "SSLv3"]) {
      expect(minimumProtocolVersion.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("checks deployed ARNs with the same rules as plain ones", () => {
    expect(checkDeployedArn("certificateArn", CERTIFICATE)).toBe(CERTIFICATE);
    expect(() => checkDeployedArn("certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/x")).toThrow(
      /Distribution certificateArn: expected an ACM certificate ARN in us-east-1/,
    );
    expect(checkDeployedArn("webAclId", WEB_ACL)).toBe(WEB_ACL);
    expect(() => checkDeployedArn("webAclId", "waf-id")).toThrow(/CLOUDFRONT scope/);
  });

  it("refuses HSTS preload without includeSubdomains", () => {
    const result = securityHeadersSchema.safeParse({ hstsIncludeSubdomains: false });
    expect(result.success).toBe(false);
    const relaxed = securityHeadersSchema.parse({ hstsIncludeSubdomains: false, hstsPreload: false });
    expect(securityHeadersConfig(relaxed).strictTransportSecurity).toMatchObject({
      includeSubdomains: false,
      preload: false,
    });
  });

  it("refuses to plan behaviours without an origin", () => {
    expect(() =>
      planCacheBehaviours({
        hasS3Origin: false,
        hasAlbOrigin: false,
        albPathPatterns: [],
        viewerProtocolPolicy: "https-only",
        responseHeadersPolicyId: "p",
      }),
    ).toThrow("A distribution needs an S3 origin, an ALB origin, or both.");
  });
});
