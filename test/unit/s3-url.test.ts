import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { backendFilesFor } from "../../orchestrator/backend-files";
import { parseS3Url } from "../../orchestrator/s3-files";

const NO_ENV = {};

// The S3 backend URL is read the way Pulumi's own S3 driver (gocloud.dev, with Pulumi's defaults) reads
// it, so release records land in the same bucket, under the same path, through the same endpoint.
describe("an s3:// backend URL", () => {
  it("names the bucket, and no prefix when there is no path", () => {
    expect(parseS3Url("s3://acme-pulumi-state", NO_ENV)).toEqual({
      bucket: "acme-pulumi-state",
      prefix: "",
      client: {},
      encryption: undefined,
    });
  });

  it("takes a path as the key prefix, as Pulumi's PrefixedBucket does", () => {
    expect(parseS3Url("s3://acme-state/teams/platform", NO_ENV).prefix).toBe("teams/platform/");
    expect(parseS3Url("s3://acme-state/teams/platform/?region=eu-west-1", NO_ENV).prefix).toBe("teams/platform/");
    expect(backendFilesFor("s3://acme-state/teams/platform?region=eu-west-1")?.describe(".pulumi/meta.yaml")).toBe(
      "s3://acme-state/teams/platform/.pulumi/meta.yaml",
    );
  });

  it("passes the driver's options on to the AWS SDK", () => {
    const { client } = parseS3Url(
      "s3://state?region=us-east-2&endpoint=minio.internal:9000&disable_https=true&use_path_style=true&profile=ops&fips=true&dualstack=false",
      NO_ENV,
    );
    expect(client).toEqual({
      region: "us-east-2",
      endpoint: "http://minio.internal:9000",
      forcePathStyle: true,
      profile: "ops",
      useFipsEndpoint: true,
      useDualstackEndpoint: false,
      // A custom endpoint: checksums only when required, as Pulumi defaults.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    // The V1 spelling, and an endpoint that already says its scheme.
    expect(parseS3Url("s3://state?s3ForcePathStyle=true&endpoint=https://s3.example.com", NO_ENV).client).toMatchObject(
      {
        forcePathStyle: true,
        endpoint: "https://s3.example.com",
      },
    );
    expect(parseS3Url("s3://state?endpoint=s3.example.com", NO_ENV).client.endpoint).toBe("https://s3.example.com");
  });

  it("downgrades every request to http with disable_https, as the driver does", () => {
    expect(parseS3Url("s3://state?endpoint=https://s3.example.com&disable_https=true", NO_ENV).client.endpoint).toBe(
      "http://s3.example.com",
    );
    expect(parseS3Url("s3://state?disable_https=true", NO_ENV).client.tls).toBe(false);
  });

  it("puts the bucket in the path when the hostname is immutable", () => {
    expect(
      parseS3Url("s3://state?endpoint=https://gw.example.com&hostname_immutable=true", NO_ENV).client,
    ).toMatchObject({ endpoint: "https://gw.example.com", forcePathStyle: true });
  });

  it("takes the region from AWS_DEFAULT_REGION too, as the engine's SDK does", () => {
    expect(parseS3Url("s3://state", { AWS_DEFAULT_REGION: "ap-south-1" }).client.region).toBe("ap-south-1");
    expect(parseS3Url("s3://state", { AWS_REGION: "eu-west-3", AWS_DEFAULT_REGION: "x" }).client.region).toBe(
      "eu-west-3",
    );
    expect(parseS3Url("s3://state?region=us-west-2", { AWS_REGION: "eu-west-3" }).client.region).toBe("us-west-2");
  });

  it("honours the checksum options, and the environment's choice over Pulumi's default", () => {
    const url = "s3://state?endpoint=http://127.0.0.1:9000&request_checksum_calculation=WHEN_SUPPORTED";
    expect(parseS3Url(url, NO_ENV).client).toMatchObject({
      requestChecksumCalculation: "WHEN_SUPPORTED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    const fromEnv = parseS3Url("s3://state?endpoint=http://127.0.0.1:9000", {
      AWS_REQUEST_CHECKSUM_CALCULATION: "when_supported",
    }).client;
    expect(fromEnv.requestChecksumCalculation).toBeUndefined();
    expect(parseS3Url("s3://state", NO_ENV).client.requestChecksumCalculation).toBeUndefined();
  });

  it("keeps the backend's server-side encryption for what Stackline writes", () => {
    expect(parseS3Url("s3://state?ssetype=aws:kms&kmskeyid=alias/pulumi-state", NO_ENV).encryption).toEqual({
      type: "aws:kms",
      kmsKeyId: "alias/pulumi-state",
    });
    // Case-insensitive, as the driver matches it.
    expect(parseS3Url("s3://state?ssetype=aes256", NO_ENV).encryption).toEqual({ type: "AES256" });
  });

  it("takes the first of a repeated option, and ignores options that only tune the engine's client", () => {
    expect(parseS3Url("s3://state?region=eu-west-1&region=us-east-1", NO_ENV).client.region).toBe("eu-west-1");
    expect(parseS3Url("s3://state?awssdk=v2&rate_limiter_capacity=100", NO_ENV).client).toEqual({});
  });

  it("assumes the backend's role with the credentials the chain finds", () => {
    const withRole = parseS3Url("s3://state?region=eu-west-1&role=arn:aws:iam::123456789012:role/deployer", NO_ENV);
    expect(typeof withRole.client.credentials).toBe("function");
  });

  it("sends unsigned requests when anonymous, looking for no credentials", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-type": "application/octet-stream" }).end("public");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const saved = { ...process.env };
    // Nowhere to find credentials: a client that looked for some would fail.
    for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) {
      delete process.env[key];
    }
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent";
    process.env.AWS_CONFIG_FILE = "/nonexistent";
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    try {
      const { client } = parseS3Url(
        `s3://public?anonymous=true&region=us-east-1&endpoint=${endpoint}&use_path_style=true`,
      );
      const object = await new S3Client(client).send(new GetObjectCommand({ Bucket: "public", Key: "x.json" }));
      expect(await object.Body?.transformToString()).toBe("public");
      expect(seen).toHaveLength(1);
      expect(seen[0]?.authorization).toBeUndefined();
    } finally {
      process.env = saved;
      server.close();
    }
  });

  it("refuses what Pulumi's driver refuses, saying which option and what it expected", () => {
    expect(() => parseS3Url("s3://state?role=deployer", NO_ENV)).toThrow(
      "The S3 backend option 'role' must be a role ARN (arn:...); found 'deployer'.",
    );
    expect(() => parseS3Url("s3://state?use_path_style=yes", NO_ENV)).toThrow(
      "The S3 backend option 'use_path_style' must be true or false; found 'yes'.",
    );
    expect(() => parseS3Url("s3://state?ssetype=aws:fsx", NO_ENV)).toThrow(
      /'ssetype' must be AES256, aws:kms, aws:kms:dsse/,
    );
    expect(() => parseS3Url("s3://state?request_checksum_calculation=always", NO_ENV)).toThrow(
      /must be when_supported or when_required/,
    );
    expect(() => parseS3Url("gs://state", NO_ENV)).toThrow(/not an S3 backend URL/);
  });
});
