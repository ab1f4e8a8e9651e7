import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { bucketLifecycleSchema, lifecycleRules } from "../../components/storage/bucket-lifecycle";
import { type BucketPolicyPlan, bucketPolicyDocument } from "../../components/storage/bucket-policy";
import { fileSystemPolicyDocument } from "../../components/storage/file-system-policy";
import { keyPolicyDocument } from "../../components/storage/key-policy";
import { policyStatementSchema } from "../../components/storage/statements";
import { problemsFrom } from "../../components/validation";

const BUCKET = "arn:aws:s3:::assets";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

const plan = (overrides: Partial<BucketPolicyPlan> = {}): BucketPolicyPlan => ({
  bucketArn: BUCKET,
  encryption: { algorithm: "aws:kms", kmsKeyArn: KEY },
  minimumTlsVersion: "1.2",
  callerStatements: [],
  ...overrides,
});

describe("bucketPolicyDocument", () => {
  it("always denies plain HTTP first and puts caller statements after every guard, for every option", () => {
    const caller = {
      Sid: "AllowReader",
      Effect: "Allow" as const,
      Principal: { AWS: "arn:aws:iam::1:role/r" },
      Action: "s3:GetObject",
    };
    for (const encryption of [{ algorithm: "aws:kms", kmsKeyArn: KEY } as const, { algorithm: "AES256" } as const]) {
      for (const minimumTlsVersion of ["1.2", "1.3", false] as const) {
        for (const accessLogDelivery of [undefined, { accountId: "1", prefix: "", sourceBucketArns: [] }]) {
          const document = bucketPolicyDocument(
            plan({ encryption, minimumTlsVersion, accessLogDelivery, callerStatements: [caller] }),
          );
          const sids = document.Statement.map((s) => s.Sid);
          expect(sids[0]).toBe("DenyInsecureTransport");
          expect(sids.at(-1)).toBe("AllowReader");
          expect(sids.includes("DenyOutdatedTls")).toBe(minimumTlsVersion !== false);
          expect(sids.includes("DenyOtherKmsKeys")).toBe(encryption.algorithm === "aws:kms");
          expect(sids.includes("AllowS3ServerAccessLogs")).toBe(accessLogDelivery !== undefined);
        }
      }
    }
  });

  it("denies TLS below the floor as a number, and scopes a caller statement without Resource to the objects", () => {
    const document = bucketPolicyDocument(
      plan({
        minimumTlsVersion: "1.3",
        callerStatements: [
          { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" },
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:role/r" }, Action: "s3:ListBucket", Resource: BUCKET },
        ],
      }),
    );
    expect(document.Statement.find((s) => s.Sid === "DenyOutdatedTls")?.Condition).toEqual({
      NumericLessThan: { "s3:TlsVersion": 1.3 },
    });
    const [objects, list] = document.Statement.slice(-2);
    expect(objects?.Resource).toBe(`${BUCKET}/*`);
    expect(list?.Resource).toBe(BUCKET);
  });

  it("allows log delivery from the account only (and from named buckets when given), under its prefix", () => {
    const anyBucket = bucketPolicyDocument(
      plan({
        encryption: { algorithm: "AES256" },
        accessLogDelivery: { accountId: "1", prefix: "s3/", sourceBucketArns: [] },
      }),
    ).Statement.find((s) => s.Sid === "AllowS3ServerAccessLogs");
    expect(anyBucket).toMatchObject({
      Resource: `${BUCKET}/s3/*`,
      Condition: { StringEquals: { "aws:SourceAccount": "1" } },
    });
    // No named buckets: any bucket of the account, so no ArnLike.
    expect(anyBucket?.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "1" } });
  });

  it("refuses two statements with one Sid", () => {
    expect(() =>
      bucketPolicyDocument(
        plan({
          callerStatements: [
            { Sid: "A", Effect: "Deny", Principal: "*", Action: "s3:DeleteObject" },
            { Sid: "A", Effect: "Deny", Principal: "*", Action: "s3:PutObject" },
          ],
        }),
      ),
    ).toThrow("Bucket policy of arn:aws:s3:::assets: two statements have the Sid 'A'");
  });
});

describe("keyPolicyDocument and fileSystemPolicyDocument", () => {
  it("key policy: the account administers through IAM; caller statements default to this key", () => {
    const document = keyPolicyDocument("arn:aws:iam::1:root", [
      { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "kms:Decrypt" },
    ]);
    expect(document.Statement).toEqual([
      {
        Sid: "AllowAccountToManageKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::1:root" },
        Action: "kms:*",
        Resource: "*",
      },
      { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" },
    ]);
  });

  it("file system policy: anonymous mounting only when asked, TLS always", () => {
    const open = fileSystemPolicyDocument({
      fileSystemArn: "arn:fs",
      allowAnonymousAccess: true,
      allowRootAccess: false,
      callerStatements: [],
    });
    expect(open.Statement[0]).toMatchObject({ Sid: "DenyInsecureTransport", Effect: "Deny" });
    expect(open.Statement[1]?.Action).toEqual(["elasticfilesystem:ClientWrite", "elasticfilesystem:ClientMount"]);
  });
});

describe("lifecycleRules", () => {
  const parse = (input: unknown) => bucketLifecycleSchema.parse(input);

  it("defaults: abort uploads after 7 days, expire noncurrent versions after 90 (only when versioned)", () => {
    expect(lifecycleRules(parse({}), true).map((r) => r.id)).toEqual([
      "abort-incomplete-multipart-uploads",
      "expire-noncurrent-versions",
    ]);
    expect(lifecycleRules(parse({}), false).map((r) => r.id)).toEqual(["abort-incomplete-multipart-uploads"]);
    expect(
      lifecycleRules(
        parse({ abortIncompleteMultipartUploadDays: false, noncurrentVersionExpirationDays: false }),
        true,
      ),
    ).toEqual([]);
  });

  it("takes other default days, and a caller rule of a default's id replaces it in place of the default", () => {
    const rules = lifecycleRules(
      parse({
        noncurrentVersionExpirationDays: 30,
        rules: [
          {
            id: "abort-incomplete-multipart-uploads",
            prefix: "uploads/",
            abortIncompleteMultipartUploadDays: 1,
            enabled: false,
          },
        ],
      }),
      true,
    );
    expect(rules).toEqual([
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
      },
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Disabled",
        filter: { prefix: "uploads/" },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ]);
  });

  it("explains a bad day count", () => {
    const result = bucketLifecycleSchema.safeParse({ noncurrentVersionExpirationDays: "90" });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(problemsFrom(result.error, { noncurrentVersionExpirationDays: "90" })).toEqual([
        {
          path: "noncurrentVersionExpirationDays",
          expected: "a number of days (a whole number, at least 1), or false to turn the rule off",
          found: '"90"',
        },
      ]);
    }
  });
});

describe("policyStatementSchema", () => {
  const schema = policyStatementSchema(["Mine"]);

  it("accepts aws.iam.PolicyStatement shapes, with Outputs anywhere", () => {
    const arn = pulumi.output("arn:aws:cloudfront::1:distribution/E1");
    const statement = {
      Effect: "Allow" as const,
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: ["s3:GetObject"],
      Condition: { StringEquals: { "AWS:SourceArn": arn } },
    };
    const parsed = schema.parse(statement);
    // Outputs pass through untouched, to be resolved when the policy is written.
    expect(parsed.Condition).toBe(statement.Condition);
    expect(schema.safeParse({ Effect: pulumi.output("Deny"), Principal: "*", Action: arn }).success).toBe(true);
    // A '*' principal is fine when a condition narrows it (an organization, a source ARN).
    expect(
      schema.safeParse({
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } },
      }).success,
    ).toBe(true);
  });

  it("refuses statements that grant too much or say nothing", () => {
    const issues = (input: Record<string, unknown>) => {
      const result = schema.safeParse(input);
      return result.success ? [] : problemsFrom(result.error, input).map((p) => `${p.path}: ${p.expected}`);
    };
    expect(issues({ Effect: "Allow", Principal: { AWS: "arn:r" } })).toEqual([
      "Action: Action or NotAction (a statement must name what it allows or denies)",
    ]);
    expect(issues({ Effect: "Allow", Principal: { AWS: "arn:r" }, NotAction: "s3:DeleteObject" })).toEqual([
      "NotAction: Action (an Allow with NotAction grants too much)",
    ]);
    expect(issues({ Effect: "Allow", NotPrincipal: { AWS: "arn:r" }, Action: "*" })).toEqual([
      "Action: named actions (least privilege: no '*' or '<service>:*' in an Allow)",
      "NotPrincipal: Principal (NotPrincipal is for Deny only)",
    ]);
    expect(issues({ Sid: "Mine", Effect: "Deny", Principal: "*", Action: "s3:*" })).toEqual([
      "Sid: a statement id other than Mine (the component's own statements)",
    ]);
    expect(issues({ Effect: "Deny", Principal: { Users: "x" }, Action: [], Extra: 1 })).toEqual([
      'Principal: "*" or { AWS | Service | Federated: ... }',
      "Action: a non-empty string or list of strings",
      "Extra: a known key (nothing reads this one: check the spelling)",
    ]);
  });
});
