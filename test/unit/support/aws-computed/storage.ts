import type { ComputedFields } from "./index";

/** Provider-computed fields of the storage module's resource types. */
export const storageComputed: Record<string, ComputedFields> = {
  "aws:s3/bucket:Bucket": (name, inputs, { region }) => {
    const bucket = String(inputs.bucket ?? `${name}-a1b2c3d`);
    return {
      id: bucket,
      bucket,
      arn: `arn:aws:s3:::${bucket}`,
      bucketDomainName: `${bucket}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
      hostedZoneId: "Z3AQBSTGFYJSTF",
    };
  },
  "aws:efs/fileSystem:FileSystem": (name, _inputs, { region }) => ({
    id: `fs-${name}`,
    dnsName: `fs-${name}.efs.${region}.amazonaws.com`,
    arn: `arn:aws:elasticfilesystem:${region}:123456789012:file-system/fs-${name}`,
  }),
  "aws:efs/accessPoint:AccessPoint": (name, _inputs, { region }) => ({
    id: `fsap-${name}`,
    arn: `arn:aws:elasticfilesystem:${region}:123456789012:access-point/fsap-${name}`,
  }),
  "aws:efs/mountTarget:MountTarget": (name) => ({ id: `fsmt-${name}` }),
};
