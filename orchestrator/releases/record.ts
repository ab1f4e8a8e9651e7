import { randomBytes } from "node:crypto";
import { z } from "zod";

/** `<environment>-<UTC yyyymmddThhmmssZ>-<4 hex>`, e.g. `dev-20261125T173012Z-9f3a`: sorts by time. */
export const TAG_PATTERN = /^[a-z][a-z0-9]*-\d{8}T\d{6}Z-[0-9a-f]{4}$/;

/** A stack output as recorded: a secret output's value is never written, only that there is one. */
const recordedOutputSchema = z.discriminatedUnion("secret", [
  z.object({ secret: z.literal(false), value: z.unknown() }).strict(),
  z.object({ secret: z.literal(true) }).strict(),
]);

/** One stack as it was before the run changed anything. */
export const stackReleaseSchema = z
  .object({
    /** false: the stack had no deployment yet, so rolling it back means destroying what the run created. */
    existed: z.boolean(),
    /** How many operations the stack's history held (Pulumi Cloud's update version); null when none. */
    lastUpdateVersion: z.number().int().min(0).nullable(),
    outputs: z.record(z.string(), recordedOutputSchema),
    /** File name, in the release's folder, of the copied `Pulumi.<stack>.yaml` (secrets as ciphertext). */
    configFile: z.string().min(1).nullable(),
    /** File name, in the release's folder, of the stack's checkpoint as `pulumi stack export` writes it (encrypted). */
    checkpointFile: z.string().min(1),
  })
  .strict();

export const releaseStatusSchema = z.enum(["recorded", "succeeded", "failed", "rolled-back", "rollback-failed"]);

/** release.json: what an environment's stacks were before one `stackline up`, and how the run ended. */
export const releaseSchema = z
  .object({
    tag: z.string().regex(TAG_PATTERN, "a tag like dev-20261125T173012Z-9f3a"),
    project: z.string().min(1),
    environment: z.string().min(1),
    createdAt: z.iso.datetime("an ISO 8601 UTC time like 2026-11-25T17:30:12.000Z"),
    /** The program's git commit; null when the program is not in a git repository. */
    git: z.object({ commit: z.string().regex(/^[0-9a-f]{7,64}$/, "a git commit hash"), dirty: z.boolean() }).nullable(),
    /** `<username>@<hostname>` of whoever ran the update. */
    user: z.string().min(1),
    status: releaseStatusSchema,
    stacks: z.record(z.string(), stackReleaseSchema),
  })
  .strict();

export type Release = z.infer<typeof releaseSchema>;
export type StackRelease = z.infer<typeof stackReleaseSchema>;
export type ReleaseStatus = z.infer<typeof releaseStatusSchema>;
export type RecordedOutput = z.infer<typeof recordedOutputSchema>;

/** A new release tag for `environment` at `now` (UTC, to the second) with 4 random hex digits. */
export function newTag(environment: string, now: Date = new Date()): string {
  const time = now
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
  return `${environment}-${time}-${randomBytes(2).toString("hex")}`;
}
