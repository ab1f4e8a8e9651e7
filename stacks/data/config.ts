import { z } from "zod";
import { extraTagsSchema } from "../../components/aws/tags";
import { cacheFields, checkCache } from "../../components/database/cache";
import { checkRelationalDatabase, relationalDatabaseFields } from "../../components/database/relational-database";

/** The data layer's stack config (`stackline:*` keys), checked with the components' own field schemas. */
export const dataConfigSchema = z
  .object({
    /**
     * A production environment: Multi-AZ and deletion protection on the database (unless overridden
     * under `database`), and Pulumi `protect` on the database, the cache and their keys. @default false
     */
    production: z.boolean().default(false),
    /** The relational database (RDS). @default PostgreSQL 17 on db.t4g.medium, 20-100 GiB, 7 days of backups */
    database: relationalDatabaseFields
      .pick({
        engine: true,
        engineVersion: true,
        instanceClass: true,
        allocatedStorage: true,
        maxAllocatedStorage: true,
        backupRetentionDays: true,
        multiAz: true,
        deletionProtection: true,
      })
      .strict()
      .superRefine(checkRelationalDatabase)
      .prefault({}),
    /** The cache (ElastiCache). @default Valkey 8.0, two cache.t4g.small nodes with automatic failover */
    cache: cacheFields
      .pick({
        engine: true,
        engineVersion: true,
        nodeType: true,
        numCacheClusters: true,
        automaticFailover: true,
        snapshotRetentionDays: true,
      })
      .strict()
      .superRefine(checkCache)
      .prefault({}),
    /** Extra tags on every taggable resource (a team, a cost centre). @default {} */
    tags: extraTagsSchema,
  })
  .strict();

export type DataConfig = z.output<typeof dataConfigSchema>;
