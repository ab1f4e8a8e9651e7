import { z } from "zod";
import { extraTagsSchema } from "../../components/aws/tags";
import { s3BucketName, secureBucketArgsSchema } from "../../components/storage/bucket";
import { bucketLifecycleSchema } from "../../components/storage/bucket-lifecycle";
import { fileSystemArgsShape } from "../../components/storage/file-system";

const fileSystemFields = fileSystemArgsShape.shape;

/** The storage layer's stack config (`stackline:*` keys), checked with the components' own field schemas. */
export const storageConfigSchema = z
  .object({
    /**
     * A production environment: Pulumi `protect` on the buckets, the file system and their keys, and
     * `forceDestroy` refused. @default false
     */
    production: z.boolean().default(false),
    /** Let `pulumi destroy` empty and delete the buckets (throwaway environments only). @default false */
    forceDestroy: z.boolean().default(false),
    /** The application's assets bucket (SSE-KMS, versioned, logged). */
    assets: z
      .object({
        /** Its globally unique name. @default auto-named "assets-<random>" */
        bucketName: s3BucketName.optional(),
        /** Lifecycle rules. @default abort incomplete uploads after 7 days, noncurrent versions kept 90 days */
        lifecycle: bucketLifecycleSchema.prefault({}),
        /** Oldest TLS version accepted. @default "1.2" */
        minimumTlsVersion: secureBucketArgsSchema.shape.minimumTlsVersion,
      })
      .strict()
      .prefault({}),
    /** The bucket receiving the S3 server access logs of the layer's buckets. */
    accessLogs: z
      .object({
        /** Its globally unique name. @default auto-named "access-logs-<random>" */
        bucketName: s3BucketName.optional(),
        /** Days an access log is kept. @default 365 */
        retentionDays: z.number().int().min(1).default(365),
      })
      .strict()
      .prefault({}),
    /** The shared EFS file system. */
    fileSystem: z
      .object({
        /** Create it. @default true */
        enabled: z.boolean().default(true),
        /**
         * Mount targets, one per private subnet of the network layer: its number of availability zones.
         * @default 2
         */
        mountTargets: z.number().int().min(1).max(6).default(2),
        performanceMode: fileSystemFields.performanceMode,
        throughputMode: fileSystemFields.throughputMode,
        provisionedThroughputInMibps: fileSystemFields.provisionedThroughputInMibps,
        transitionToIa: fileSystemFields.transitionToIa,
        backups: fileSystemFields.backups,
        accessPoints: fileSystemFields.accessPoints,
      })
      .strict()
      .prefault({}),
    /** Extra tags on every taggable resource (a team, a cost centre). @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export type StorageConfig = z.output<typeof storageConfigSchema>;
