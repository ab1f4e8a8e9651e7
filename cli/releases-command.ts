import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { SUPPORTED_BACKENDS } from "../orchestrator/backend-files";
import { projectRoot } from "../orchestrator/engine";
import type { Release } from "../orchestrator/releases/record";
import { releaseStoreFor } from "../orchestrator/releases/store";
import { runFlagsShape } from "./run-flags";

export const releasesFlagsSchema = z
  .object({
    env: runFlagsShape.env,
    /** Print the release records as JSON instead of a table. */
    json: z.boolean().default(false),
  })
  .strict();

export type ReleasesFlags = z.infer<typeof releasesFlagsSchema>;

/** `2026-11-25T17:30:12.345Z` as `2026-11-25 17:30:12Z`. */
function shortTime(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function shortGit(git: Release["git"]): string {
  return git ? `${git.commit.slice(0, 7)}${git.dirty ? "+dirty" : ""}` : "-";
}

/** One row per release, newest first: tag, time (UTC), git commit, user, status, stacks. */
export function formatReleases(releases: readonly Release[]): string {
  const header = ["TAG", "CREATED (UTC)", "GIT", "USER", "STATUS", "STACKS"];
  const rows = releases.map((r) => [
    r.tag,
    shortTime(r.createdAt),
    shortGit(r.git),
    r.user,
    r.status,
    Object.keys(r.stacks).join(", "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `stackline releases --env <env>`: the environment's release records, newest first. */
export async function runReleasesCommand(flags: ReleasesFlags): Promise<number> {
  const backendUrl = process.env.PULUMI_BACKEND_URL;
  const project = z
    .object({ name: z.string() })
    .parse(parse(readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8"))).name;
  const store = releaseStoreFor(backendUrl, project, flags.env);
  if (!store) {
    process.stderr.write(
      `Release records need ${SUPPORTED_BACKENDS}; PULUMI_BACKEND_URL is ${backendUrl ?? "unset"}, so '${flags.env}' has none.\n`,
    );
    return 1;
  }
  const releases = await store.list();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(releases, null, 2)}\n`);
    return 0;
  }
  if (releases.length === 0) {
    process.stdout.write(
      `No releases of '${flags.env}' yet (looked in ${store.location}): 'stackline up --env ${flags.env}' records one per run.\n`,
    );
    return 0;
  }
  process.stdout.write(
    `Releases of '${flags.env}', newest first (in ${store.location}):\n${formatReleases(releases)}\n`,
  );
  return 0;
}
