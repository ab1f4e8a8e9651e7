import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { BackendEntry, BackendFiles } from "./backend-files";

export function isS3Backend(backendUrl: string): boolean {
  return backendUrl.startsWith("s3://");
}

/** Where an `s3://` backend keeps its state, and how to reach it: the URL's options, as Pulumi reads them. */
export interface S3Location {
  bucket: string;
  /** The key prefix Pulumi puts before `.pulumi/` (`s3://bucket/team-a` → `team-a/`); empty for none. */
  prefix: string;
  client: S3ClientConfig;
  /** Server-side encryption the backend asks for (`ssetype`, `kmskeyid`), applied to what Stackline writes too. */
  encryption?: { type: ServerSideEncryption; kmsKeyId?: string };
}

/** The encryption types the driver takes for `ssetype` (case-insensitive). */
const SSE_TYPES: readonly ServerSideEncryption[] = ["AES256", "aws:kms", "aws:kms:dsse"];

/** An option Pulumi's S3 driver would refuse too: a bad boolean, an unknown encryption type. */
function invalid(key: string, value: string, expected: string): Error {
  return new Error(`The S3 backend option '${key}' must be ${expected}; found '${value}'.`);
}

/** Go's strconv.ParseBool, which the driver uses. */
function parseBool(key: string, value: string): boolean {
  if (/^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw invalid(key, value, "true or false");
}

function checksumMode(key: string, value: string): "WHEN_SUPPORTED" | "WHEN_REQUIRED" {
  const mode = value.toLowerCase();
  if (mode === "when_supported" || mode === "when_required") return mode.toUpperCase() as "WHEN_REQUIRED";
  throw invalid(key, value, "when_supported or when_required");
}

/**
 * Reads an `s3://bucket[/prefix]?option=…` backend URL with the options Pulumi's S3 driver (gocloud.dev,
 * and Pulumi's defaults before it) takes, so Stackline reaches the same bucket the same way: region,
 * endpoint, profile, use_path_style (or s3ForcePathStyle), hostname_immutable, disable_https, dualstack,
 * fips, accelerate, request_checksum_calculation, response_checksum_validation, ssetype, kmskeyid, role
 * (assumed with the credentials the chain finds) and anonymous. The first value of a repeated option
 * counts, as in Go; options that only tune the engine's client (awssdk, rate_limiter_capacity) are ignored.
 */
export function parseS3Url(backendUrl: string, env: NodeJS.ProcessEnv = process.env): S3Location {
  const url = new URL(backendUrl);
  if (url.protocol !== "s3:" || !url.hostname) {
    throw new Error(`'${backendUrl}' is not an S3 backend URL (expected s3://<bucket>[/<path>][?options]).`);
  }
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+/, "");
  const options = new Map<string, string>();
  for (const [key, value] of url.searchParams) if (!options.has(key)) options.set(key, value);
  const flag = (key: string) => {
    const value = options.get(key);
    return value === undefined ? undefined : parseBool(key, value);
  };

  const client: S3ClientConfig = {};
  // The JavaScript SDK reads AWS_REGION only; the Go SDK the engine uses reads AWS_DEFAULT_REGION too.
  const region = options.get("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) client.region = region;
  const profile = options.get("profile");
  if (profile) client.profile = profile;
  const pathStyle = flag("use_path_style") ?? flag("s3ForcePathStyle");
  const hostnameImmutable = flag("hostname_immutable") ?? false;
  // An immutable hostname keeps the bucket out of it, in the path.
  if (pathStyle || hostnameImmutable) client.forcePathStyle = true;
  const dualstack = flag("dualstack");
  if (dualstack !== undefined) client.useDualstackEndpoint = dualstack;
  const fips = flag("fips");
  if (fips !== undefined) client.useFipsEndpoint = fips;
  const accelerate = flag("accelerate");
  if (accelerate !== undefined) client.useAccelerateEndpoint = accelerate;

  const https = !(flag("disable_https") ?? flag("disableSSL") ?? false);
  const endpoint = options.get("endpoint");
  if (endpoint) {
    const withScheme = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `${https ? "https" : "http"}://${endpoint}`;
    // The driver downgrades every request to http when told to, whatever the endpoint says.
    client.endpoint = !https && !hostnameImmutable ? withScheme.replace(/^https:/i, "http:") : withScheme;
  } else if (!https) {
    client.tls = false;
  }

  // With a custom endpoint Pulumi sends checksums only when required: many S3-compatible stores refuse them.
  const requestChecksum = options.get("request_checksum_calculation");
  if (requestChecksum)
    client.requestChecksumCalculation = checksumMode("request_checksum_calculation", requestChecksum);
  else if (endpoint && !env.AWS_REQUEST_CHECKSUM_CALCULATION) client.requestChecksumCalculation = "WHEN_REQUIRED";
  const responseChecksum = options.get("response_checksum_validation");
  if (responseChecksum)
    client.responseChecksumValidation = checksumMode("response_checksum_validation", responseChecksum);
  else if (endpoint && !env.AWS_RESPONSE_CHECKSUM_VALIDATION) client.responseChecksumValidation = "WHEN_REQUIRED";

  let encryption: S3Location["encryption"];
  const sseType = options.get("ssetype");
  if (sseType) {
    const type = SSE_TYPES.find((t) => t.toLowerCase() === sseType.toLowerCase());
    if (!type) throw invalid("ssetype", sseType, SSE_TYPES.join(", "));
    encryption = { type };
    const kmsKeyId = options.get("kmskeyid");
    if (kmsKeyId) encryption.kmsKeyId = kmsKeyId;
  }

  const roleArn = options.get("role");
  if (flag("anonymous")) {
    // Unsigned requests, as the engine sends them. Empty credentials stop the SDK looking for any.
    client.credentials = { accessKeyId: "", secretAccessKey: "" };
    client.signer = { sign: async (request) => request };
  } else if (roleArn !== undefined) {
    // As the engine does: assume the role with the credentials the chain finds.
    if (!roleArn.startsWith("arn:")) throw invalid("role", roleArn, "a role ARN (arn:...)");
    client.credentials = fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: "stackline" },
      clientConfig: { region: client.region, profile: client.profile },
    });
  }
  return { bucket: url.hostname, prefix: prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix, client, encryption };
}

/** The files of an `s3://` backend, through the AWS SDK's usual credential chain. */
export function s3Files(backendUrl: string): BackendFiles {
  const location = parseS3Url(backendUrl);
  let client: S3Client | undefined;
  // Created on first use: a command that never reads records needs no credentials.
  const s3 = () => {
    client ??= new S3Client(location.client);
    return client;
  };
  const keyOf = (key: string) => `${location.prefix}${key}`;
  const describe = (key: string) => `s3://${location.bucket}/${keyOf(key)}`;
  /** S3's errors name neither the bucket nor the key: say which, and what was being done. */
  const failed = (what: string, key: string, err: unknown) =>
    new Error(
      `Could not ${what} ${describe(key)}: ${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? err}`,
      {
        cause: err,
      },
    );
  return {
    describe,
    async list(prefix) {
      const base = prefix ? `${keyOf(prefix)}/` : location.prefix;
      const entries = new Map<string, BackendEntry>();
      let token: string | undefined;
      try {
        do {
          const page = await s3().send(
            new ListObjectsV2Command({
              Bucket: location.bucket,
              Prefix: base,
              Delimiter: "/",
              ContinuationToken: token,
            }),
          );
          for (const p of page.CommonPrefixes ?? []) {
            if (p.Prefix) entries.set(p.Prefix.slice(base.length, -1), { name: p.Prefix.slice(base.length, -1) });
          }
          for (const o of page.Contents ?? []) {
            if (o.Key)
              entries.set(o.Key.slice(base.length), { name: o.Key.slice(base.length), modified: o.LastModified });
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (err) {
        throw failed("list", prefix, err);
      }
      entries.delete("");
      return [...entries.values()];
    },
    async read(key) {
      try {
        const object = await s3().send(new GetObjectCommand({ Bucket: location.bucket, Key: keyOf(key) }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") return undefined;
        throw failed("read", key, err);
      }
    },
    async write(key, body) {
      // One PUT: S3 replaces an object whole, so a reader never sees half of it.
      try {
        await s3().send(
          new PutObjectCommand({
            Bucket: location.bucket,
            Key: keyOf(key),
            Body: body,
            ContentType: key.endsWith(".json") ? "application/json" : "application/yaml",
            ServerSideEncryption: location.encryption?.type,
            SSEKMSKeyId: location.encryption?.kmsKeyId,
          }),
        );
      } catch (err) {
        throw failed("write", key, err);
      }
    },
    async remove(key) {
      try {
        await s3().send(new DeleteObjectCommand({ Bucket: location.bucket, Key: keyOf(key) }));
      } catch (err) {
        throw failed("delete", key, err);
      }
    },
  };
}
