import { cacheConnectPolicy } from "../../components/database/cache-auth";

/** An IAM policy statement as AWS reads it. */
export interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arnParts(arn: string): { partition: string; service: string; region: string; account: string } {
  const [prefix, partition, service, region, account] = arn.split(":");
  if (prefix !== "arn" || !partition || !service || region === undefined || account === undefined) {
    throw new Error(`'${arn}' is not an ARN.`);
  }
  return { partition, service, region, account };
}

/** The role's name, the last part of its ARN (`arn:aws:iam::123456789012:role/path/name` -> `name`). */
export function roleNameFromArn(roleArn: string): string {
  const name = roleArn.split("/").pop();
  if (!roleArn.includes(":role/") || !name) throw new Error(`'${roleArn}' is not an IAM role ARN.`);
  return name;
}

export interface AppAccess {
  cacheArn: string;
  cacheUserArn: string;
  assetsBucketArn: string;
  assetsKmsKeyArn: string;
}

/**
 * What the application needs beyond the FargateService's S3 read grant: connecting to the cache as its
 * IAM user (`elasticache:Connect` on that replication group and user only), and decrypting the assets
 * bucket's objects with its key, only through S3 and only for that bucket (with S3 Bucket Keys the
 * encryption context is the bucket's ARN, without them the object's).
 */
export function appAccessPolicy(access: AppAccess): PolicyDocument {
  const [connect] = cacheConnectPolicy(access.cacheArn, access.cacheUserArn).Statement;
  const { region } = arnParts(access.assetsKmsKeyArn);
  const statements: Statement[] = [];
  if (connect) statements.push({ ...connect, Effect: "Allow" });
  statements.push({
    Sid: "DecryptAssetsThroughS3",
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: access.assetsKmsKeyArn,
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [access.assetsBucketArn, `${access.assetsBucketArn}/*`] },
    },
  });
  return { Version: "2012-10-17", Statement: statements };
}

/** An EFS access point's ARN, from its file system's ARN (same account and region) and its id. */
export function accessPointArn(fileSystemArn: string, accessPointId: string): string {
  if (!/:file-system\/fs-[a-f0-9]+$/.test(fileSystemArn)) {
    throw new Error(`'${fileSystemArn}' is not an EFS file system ARN.`);
  }
  return fileSystemArn.replace(/:file-system\/fs-[a-f0-9]+$/, `:access-point/${accessPointId}`);
}
