import { describe, expect, it } from "vitest";
import { backendFilesFor } from "../../orchestrator/backend-files";
import { parseS3Url } from "../../orchestrator/s3-files";

// The S3 backend URL is read the way Pulumi's own S3 driver (gocloud.dev) reads it, so release records
// land in the same bucket, under the same path, through the same endpoint as the state.
describe("an s3:// backend URL", () => {
  it("names the bucket, and no prefix when there is no path", () => {
    expect(parseS3Url("s3://acme-pulumi-state")).toEqual({
      bucket: "acme-pulumi-state",
      prefix: "",
      client: {},
      encryption: undefined,
    });
  });

  it("takes a path as the key prefix, as Pulumi's PrefixedBucket does", () => {
    expect(parseS3Url("s3://acme-state/teams/platform").prefix).toBe("teams/platform/");
    expect(parseS3Url("s3://acme-state/teams/platform/?region=eu-west-1").prefix).toBe("teams/platform/");
    expect(backendFilesFor("s3://acme-state/teams/platform?region=eu-west-1")?.describe(".pulumi/meta.yaml")).toBe(
      "s3://acme-state/teams/platform/.pulumi/meta.yaml",
    );
  });

  it("passes the driver's options on to the AWS SDK", () => {
    const { client } = parseS3Url(
      "s3://state?region=us-east-2&endpoint=minio.internal:9000&disable_https=true&use_path_style=true&profile=ops&fips=true&dualstack=false",
    );
    expect(client).toEqual({
      region: "us-east-2",
      endpoint: "http://minio.internal:9000",
      forcePathStyle: true,
      profile: "ops",
      useFipsEndpoint: true,
      useDualstackEndpoint: false,
    });
    // The V1 spelling, and an endpoint that already says its scheme.
    expect(parseS3Url("s3://state?s3ForcePathStyle=true&endpoint=https://s3.example.com").client).toEqual({
      forcePathStyle: true,
      endpoint: "https://s3.example.com",
    });
    expect(parseS3Url("s3://state?endpoint=s3.example.com").client.endpoint).toBe("https://s3.example.com");
  });

  it("keeps the backend's server-side encryption for what Stackline writes", () => {
    expect(parseS3Url("s3://state?ssetype=aws:kms&kmskeyid=alias/pulumi-state").encryption).toEqual({
      type: "aws:kms",
      kmsKeyId: "alias/pulumi-state",
    });
    expect(parseS3Url("s3://state?ssetype=AES256").encryption).toEqual({ type: "AES256" });
  });

  it("ignores options that only tune the engine's client", () => {
    expect(parseS3Url("s3://state?awssdk=v2&rate_limiter_capacity=100&hostname_immutable=true").client).toEqual({});
  });

  it("assumes the backend's role, or signs nothing when it is anonymous, as the engine does", async () => {
    const withRole = parseS3Url("s3://state?region=eu-west-1&role=arn:aws:iam::123456789012:role/deployer").client;
    expect(typeof withRole.credentials).toBe("function");
    const anonymous = parseS3Url("s3://public-state?anonymous=true").client;
    expect(anonymous.credentials).toBeUndefined();
    const request = { headers: {} };
    expect(await (anonymous.signer as { sign: (r: unknown) => Promise<unknown> }).sign(request)).toBe(request);
  });

  it("refuses what is not an S3 URL or not a role ARN, saying why", () => {
    expect(() => parseS3Url("s3://state?role=deployer")).toThrow(
      /'role' must be a role ARN \(arn:...\); found 'deployer'/,
    );
    expect(() => parseS3Url("gs://state")).toThrow(/not an S3 backend URL/);
  });
});
