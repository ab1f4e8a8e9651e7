import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { idInput, inputOf } from "../aws/inputs";
import { extraTagsSchema, standardTags } from "../aws/tags";
import { parseComponentArgs } from "../validation";
import { assertDistinctRecords, planValidationSlots, validationRecordFor } from "./certificate-validation";
import { certificateDomainName } from "./domain-name";

/** An AWS region code such as `eu-west-1` or `us-east-1`. */
export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, "an AWS region code like eu-west-1 or us-east-1");

/** CloudFront takes certificates from this region only. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

const nameInput = inputOf(certificateDomainName);

export const certificateArgsSchema = z
  .object({
    /** The certificate's main name, for example `www.example.com` or `*.example.com`. */
    domainName: nameInput,
    /** More names the certificate covers. @default [] */
    subjectAlternativeNames: z.array(nameInput).max(99).default([]),
    /** The Route 53 hosted zone where the DNS validation records are created; every name must be in it. */
    zoneId: idInput,
    /**
     * The region the certificate is created in. Use `us-east-1` for CloudFront, whatever the stack's
     * region. @default the stack's (provider's) region
     */
    region: awsRegion.optional(),
    /** The key type. CloudFront and ALBs take both. @default "RSA_2048" */
    keyAlgorithm: z.enum(["RSA_2048", "EC_prime256v1"]).default("RSA_2048"),
    /** TTL of the validation CNAME records, in seconds. @default 300 */
    validationRecordTtl: z.number().int().min(60).max(86_400).default(300),
    /** Extra tags for the certificate. @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export type CertificateArgs = z.input<typeof certificateArgsSchema>;

const isKnownName = (name: unknown): name is string => typeof name === "string";

/**
 * A public ACM certificate validated by DNS: one CNAME per name ACM validates separately, created in
 * the given zone, and a CertificateValidation that waits until ACM has issued the certificate, so
 * `certificateArn` is only available once the certificate can be used.
 */
export class Certificate extends pulumi.ComponentResource {
  static readonly type = "stackline:dns:Certificate";
  /** The issued certificate's ARN (available once validation succeeded). */
  readonly certificateArn: pulumi.Output<string>;
  /** The names of the validation records. */
  readonly validationRecordFqdns: pulumi.Output<string[]>;

  constructor(name: string, args: CertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseComponentArgs(Certificate.type, name, certificateArgsSchema, args);
    super(Certificate.type, name, {}, opts);
    const child = { parent: this };

    const certificate = new aws.acm.Certificate(
      name,
      {
        domainName: parsed.domainName,
        subjectAlternativeNames: parsed.subjectAlternativeNames,
        validationMethod: "DNS",
        keyAlgorithm: parsed.keyAlgorithm,
        region: parsed.region,
        tags: standardTags(Certificate.type, name, parsed.tags),
      },
      child,
    );

    const slots = planValidationSlots([parsed.domainName, ...parsed.subjectAlternativeNames], isKnownName);
    const records = pulumi
      .all([certificate.domainValidationOptions, pulumi.all(slots.map((slot) => slot.name))])
      .apply(([options, names]) => {
        const found = names.map((slotName) => ({ name: slotName, option: validationRecordFor(options, slotName) }));
        assertDistinctRecords(found.map((f) => ({ name: f.name, recordName: f.option.resourceRecordName })));
        return found.map((f) => f.option);
      });

    const validationRecords = slots.map(
      (slot, index) =>
        new aws.route53.Record(
          `${name}-validation-${slot.key}`,
          {
            zoneId: parsed.zoneId,
            name: records.apply((r) => r[index]?.resourceRecordName ?? ""),
            type: records.apply((r) => r[index]?.resourceRecordType ?? "CNAME"),
            records: [records.apply((r) => r[index]?.resourceRecordValue ?? "")],
            ttl: parsed.validationRecordTtl,
            // ACM uses the same record for a name in every certificate of the account (other regions,
            // other stacks): taking over an identical existing record is expected, not a conflict.
            allowOverwrite: true,
          },
          child,
        ),
    );

    const validation = new aws.acm.CertificateValidation(
      name,
      {
        certificateArn: certificate.arn,
        validationRecordFqdns: validationRecords.map((record) => record.fqdn),
        region: parsed.region,
      },
      child,
    );

    this.certificateArn = validation.certificateArn;
    this.validationRecordFqdns = pulumi.all(validationRecords.map((record) => record.fqdn));
    this.registerOutputs({ certificateArn: this.certificateArn, validationRecordFqdns: this.validationRecordFqdns });
  }
}
