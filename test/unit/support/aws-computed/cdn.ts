import type { ComputedFields } from "./index";

/** Provider-computed fields of the CDN and DNS module's resource types. */
export const cdnComputed: Record<string, ComputedFields> = {
  "aws:cloudfront/distribution:Distribution": (name) => ({
    id: `E${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
    domainName: `d111111abcdef8.cloudfront.net`,
    hostedZoneId: "Z2FDTNDATAQYW2",
    arn: `arn:aws:cloudfront::123456789012:distribution/E${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
  }),
  "aws:cloudfront/originAccessControl:OriginAccessControl": (name) => ({ id: `oac-${name}` }),
  "aws:acm/certificate:Certificate": (_name, inputs, { arn }) => {
    const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])].map(String);
    return {
      arn,
      domainValidationOptions: [...new Set(names)].map((domainName) => ({
        domainName,
        // ACM validates a wildcard and its base name with the same record.
        resourceRecordName: `_a79865eb4cd1a6ab990a45779b4e0b96.${domainName.replace(/^\*\./, "")}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_424c7224e9b0146f9a8808af955727d0.acm-validations.aws.`,
      })),
    };
  },
  "aws:route53/zone:Zone": (name, inputs) => ({
    id: `Z${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
    zoneId: `Z${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
    name: inputs.name,
    nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"],
  }),
  "aws:route53/record:Record": (_name, inputs) => ({
    fqdn: typeof inputs.name === "string" ? inputs.name.replace(/\.$/, "").toLowerCase() : inputs.name,
  }),
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (name) => ({
    id: `rhp-${name}`,
    etag: "E2QWRUHAPOMQZL",
  }),
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": (name, inputs, { region }) => {
    const sourceName = typeof inputs.name === "string" ? inputs.name : `${name}-a1b2c3d`;
    return { name: sourceName, arn: `arn:aws:logs:${region}:123456789012:delivery-source:${sourceName}` };
  },
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": (name, inputs, { region }) => {
    const destinationName = typeof inputs.name === "string" ? inputs.name : `${name}-a1b2c3d`;
    return {
      name: destinationName,
      arn: `arn:aws:logs:${region}:123456789012:delivery-destination:${destinationName}`,
      deliveryDestinationType: "S3",
    };
  },
  "aws:wafv2/webAcl:WebAcl": (name) => ({ id: `waf-${name}` }),
};
