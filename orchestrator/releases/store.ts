import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { problemsFrom } from "../../components/validation";
import { type Release, releaseSchema, TAG_PATTERN } from "./record";

/** The release records of one project's environment. */
export interface ReleaseStore {
  /** `<backend dir>/.stackline/releases/<project>/<environment>`: one folder per release tag. */
  root: string;
  /** Writes `<tag>/release.json` (validated first). */
  save(release: Release): void;
  /** Reads and validates `<tag>/release.json`; throws ReleaseRecordError naming the file and field. */
  load(tag: string): Release;
  /** Every complete release (a folder with a release.json), newest first. */
  list(): Release[];
  /** Where a file of a release goes. */
  path(tag: string, file: string): string;
}

/** A release.json that is missing, not JSON, or not a release record. */
export class ReleaseRecordError extends Error {
  readonly file: string;

  constructor(file: string, detail: string) {
    super(
      `${file} is not a valid release record:\n${detail}\n` +
        `Stackline writes these files itself: restore it, or delete its folder to forget that release.`,
    );
    this.name = "ReleaseRecordError";
    this.file = file;
  }
}

/**
 * The folder a `file://` backend URL names: Pulumi reads `file://~` as the home folder, and query
 * parameters (`?no_tmp_dir=true`) are options, not part of the path.
 */
export function fileBackendDir(backendUrl: string): string {
  const raw = decodeURIComponent(backendUrl.slice("file://".length).split("?")[0] ?? "");
  if (raw === "~" || raw.startsWith("~/")) return path.join(os.homedir(), raw.slice(1));
  return path.resolve(raw);
}

/** The release store next to a backend's state, or undefined when the backend is not `file://`. */
export function releaseStoreFor(
  backendUrl: string | undefined,
  project: string,
  environment: string,
): ReleaseStore | undefined {
  // Other backends (s3://, gs://, azblob://, Pulumi Cloud) would need their own storage: not yet.
  if (!backendUrl?.startsWith("file://")) return undefined;
  return directoryStore(path.join(fileBackendDir(backendUrl), ".stackline", "releases", project, environment));
}

/** A release store in a folder (what a file backend gets). */
export function directoryStore(root: string): ReleaseStore {
  const pathOf = (tag: string, file: string): string => {
    // Tags become folder names: refuse anything that could point outside the store.
    if (!TAG_PATTERN.test(tag)) throw new Error(`'${tag}' is not a release tag (like dev-20261125T173012Z-9f3a).`);
    return path.join(root, tag, file);
  };
  const load = (tag: string): Release => {
    const file = pathOf(tag, "release.json");
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new ReleaseRecordError(file, `  - ${(err as Error).message}`);
    }
    const parsed = releaseSchema.safeParse(data);
    if (!parsed.success) {
      const lines = problemsFrom(parsed.error, data).map(
        (p) => `  - ${p.path || "(record)"}: expected ${p.expected}, found ${p.found}`,
      );
      throw new ReleaseRecordError(file, lines.join("\n"));
    }
    if (parsed.data.tag !== tag) {
      throw new ReleaseRecordError(
        file,
        `  - tag: expected ${JSON.stringify(tag)} (its folder), found "${parsed.data.tag}"`,
      );
    }
    return parsed.data;
  };
  return {
    root,
    path: pathOf,
    load,
    save(release) {
      const valid = releaseSchema.parse(release);
      const file = pathOf(valid.tag, "release.json");
      mkdirSync(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a record.
      writeFileSync(`${file}.tmp`, `${JSON.stringify(valid, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    },
    list() {
      if (!existsSync(root)) return [];
      // A folder without release.json is a capture that did not finish; it is not a release.
      const tags = readdirSync(root).filter(
        (name) => TAG_PATTERN.test(name) && existsSync(pathOf(name, "release.json")),
      );
      return tags
        .map(load)
        .sort(
          (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0),
        );
    },
  };
}
