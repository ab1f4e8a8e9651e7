import type * as pulumi from "@pulumi/pulumi";

/**
 * Launch template settings both the Auto Scaling group and the EKS node group enforce. They are not
 * inputs: they are what makes an instance safe to run, and no caller should need to turn them off.
 */

/**
 * IMDSv2 only (session tokens required), and a hop limit of 1 so containers behind a bridge or an
 * extra network hop cannot reach the instance's credentials; instance tags stay out of the metadata.
 */
export const IMDSV2_ONLY = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: "disabled",
} as const;

/** The root volume of an instance. */
export interface RootVolume {
  /** The AMI's root device, for example /dev/xvda. */
  deviceName: string;
  sizeGiB: number;
  /** A customer KMS key; without one EBS uses the account's aws/ebs key. Encryption is on either way. */
  kmsKeyArn?: pulumi.Input<string>;
}

/** The launch template's block device mapping for an encrypted gp3 root volume. */
export function encryptedRootVolume(volume: RootVolume) {
  return {
    deviceName: volume.deviceName,
    ebs: {
      volumeSize: volume.sizeGiB,
      volumeType: "gp3",
      // The launch template API takes these flags as strings.
      encrypted: "true",
      deleteOnTermination: "true",
      ...(volume.kmsKeyArn === undefined ? {} : { kmsKeyId: volume.kmsKeyArn }),
    },
  };
}

/** Tag specifications so volumes and network interfaces carry the same tags as the instance. */
export function launchTagSpecifications<Tags>(tags: Tags, resourceTypes: readonly string[]) {
  return resourceTypes.map((resourceType) => ({ resourceType, tags }));
}
