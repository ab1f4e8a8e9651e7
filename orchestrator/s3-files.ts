import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { BackendFiles } from "./backend-files";

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

const truthy = (value: string) => /^(1|t|true)$/i.test(value);

/**
 * Reads an `s3://bucket[/prefix]?option=…` backend URL with the options Pulumi's S3 driver (gocloud.dev)
 * takes: region, endpoint, profile, use_path_style (or s3ForcePathStyle), disable_https, dualstack,
 * fips, accelerate, ssetype, kmskeyid, role (assumed with the credentials the chain finds) and anonymous.
 * Options that only tune the engine's own client are ignored.
 */
export function parseS3Url(backendUrl: string): S3Location {
  const url = new URL(backendUrl);
  if (url.protocol !== "s3:" || !url.hostname) {
    throw new Error(`'${backendUrl}' is not an S3 backend URL (expected s3://<bucket>[/<path>][?options]).`);
  }
  const prefix = decodeURIComponent(url.pathname).replace(/^\/+/, "");
  const client: S3ClientConfig = {};
  let endpoint: string | undefined;
  let https = true;
  let encryption: S3Location["encryption"];
  let kmsKeyId: string | undefined;
  let roleArn: string | undefined;
  let anonymous = false;
  for (const [key, value] of url.searchParams) {
    switch (key) {
      case "region":
        client.region = value;
        break;
      case "endpoint":
        endpoint = value;
        break;
      case "profile":
        client.profile = value;
        break;
      case "use_path_style":
      case "s3ForcePathStyle":
        client.forcePathStyle = truthy(value);
        break;
      case "disable_https":
      case "disableSSL":
        https = !truthy(value);
        break;
      case "dualstack":
        client.useDualstackEndpoint = truthy(value);
        break;
      case "fips":
        client.useFipsEndpoint = truthy(value);
        break;
      case "accelerate":
        client.useAccelerateEndpoint = truthy(value);
        break;
      case "ssetype":
        encryption = { type: value as ServerSideEncryption };
        break;
      case "kmskeyid":
        kmsKeyId = value;
        break;
      case "role":
        // As the engine does: assume the role with the credentials the chain finds.
        if (!value.startsWith("arn:")) {
          throw new Error(`The S3 backend option 'role' must be a role ARN (arn:...); found '${value}'.`);
        }
        roleArn = value;
        break;
      case "anonymous":
        anonymous = truthy(value);
        break;
      default:
        // hostname_immutable, rate_limiter_capacity, awssdk and the checksum options tune the engine's client.
        break;
    }
  }
  if (endpoint)
    client.endpoint = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `${https ? "https" : "http"}://${endpoint}`;
  if (encryption && kmsKeyId) encryption.kmsKeyId = kmsKeyId;
  if (anonymous) {
    // Unsigned requests, as the engine sends with anonymous=true.
    client.signer = { sign: async (request) => request };
  } else if (roleArn) {
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
  return {
    describe: (key) => `s3://${location.bucket}/${keyOf(key)}`,
    async list(prefix) {
      const base = prefix ? `${keyOf(prefix)}/` : location.prefix;
      const names = new Set<string>();
      let token: string | undefined;
      do {
        const page = await s3().send(
          new ListObjectsV2Command({ Bucket: location.bucket, Prefix: base, Delimiter: "/", ContinuationToken: token }),
        );
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.add(p.Prefix.slice(base.length, -1));
        for (const o of page.Contents ?? []) if (o.Key) names.add(o.Key.slice(base.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      names.delete("");
      return [...names];
    },
    async read(key) {
      try {
        const object = await s3().send(new GetObjectCommand({ Bucket: location.bucket, Key: keyOf(key) }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === "NoSuchKey") return undefined;
        throw err;
      }
    },
    async write(key, body) {
      // One PUT: S3 replaces an object whole, so a reader never sees half of it.
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
    },
  };
}
