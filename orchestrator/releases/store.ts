import { problemsFrom } from "../../components/validation";
import { type BackendFiles, backendFilesFor, folderFiles, inBatches } from "../backend-files";
import { type Release, releaseSchema, TAG_PATTERN } from "./record";

/** The release records of one project's environment, next to its state. */
export interface ReleaseStore {
  /** Where the records are, for people: `<backend>/.stackline/releases/<project>/<environment>`. */
  location: string;
  /** Where one release's files are, for people. */
  locationOf(tag: string): string;
  /**
   * Writes the release's files (checkpoints, config copies), then its release.json (validated first),
   * so a release without its files is never listed. Without files, rewrites release.json only.
   */
  save(release: Release, files?: Readonly<Record<string, string>>): Promise<void>;
  /** Reads and validates `<tag>/release.json`; throws ReleaseRecordError naming the file and field. */
  load(tag: string): Promise<Release>;
  /** Every complete release (one with a release.json), newest first. */
  list(): Promise<Release[]>;
  /** One of a release's files, as saved. */
  readFile(tag: string, file: string): Promise<string>;
  /** Removes a release that never took effect (release.json first, so it stops being listed at once). */
  discard(release: Release): Promise<void>;
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

/** The release store next to a backend's state, or undefined when Stackline cannot write there. */
export function releaseStoreFor(
  backendUrl: string | undefined,
  project: string,
  environment: string,
): ReleaseStore | undefined {
  const files = backendFilesFor(backendUrl);
  return files && releaseStore(files, `.stackline/releases/${project}/${environment}`);
}

/** A release store in a local folder (tests, and what a file backend gets). */
export function directoryStore(root: string): ReleaseStore {
  return releaseStore(folderFiles(root), "");
}

// Tags and file names become keys: refuse anything that could point outside the store.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Release records under `root` (a key prefix) of a backend's files: one folder per release tag. */
export function releaseStore(files: BackendFiles, root: string): ReleaseStore {
  const keyOf = (tag: string, file: string): string => {
    if (!TAG_PATTERN.test(tag)) throw new Error(`'${tag}' is not a release tag (like dev-20261125T173012Z-9f3a).`);
    if (!FILE_NAME.test(file)) throw new Error(`'${file}' is not a release file name.`);
    return root ? `${root}/${tag}/${file}` : `${tag}/${file}`;
  };
  const parse = (tag: string, text: string | undefined): Release => {
    const where = files.describe(keyOf(tag, "release.json"));
    if (text === undefined) throw new ReleaseRecordError(where, "  - there is no such file: no release has that tag");
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new ReleaseRecordError(where, `  - ${(err as Error).message}`);
    }
    const parsed = releaseSchema.safeParse(data);
    if (!parsed.success) {
      const lines = problemsFrom(parsed.error, data).map(
        (p) => `  - ${p.path || "(record)"}: expected ${p.expected}, found ${p.found}`,
      );
      throw new ReleaseRecordError(where, lines.join("\n"));
    }
    if (parsed.data.tag !== tag) {
      throw new ReleaseRecordError(
        where,
        `  - tag: expected ${JSON.stringify(tag)} (its folder), found "${parsed.data.tag}"`,
      );
    }
    return parsed.data;
  };
  const readText = async (key: string) => (await files.read(key))?.toString("utf8");
  return {
    location: files.describe(root),
    locationOf: (tag) => files.describe(keyOf(tag, "release.json")).replace(/[/\\]release\.json$/, ""),
    async save(release, extra = {}) {
      const valid = releaseSchema.parse(release);
      // Every key checked before the first write: a bad name must not leave half a release behind.
      const writes = Object.entries(extra).map(([name, body]) => [keyOf(valid.tag, name), body] as const);
      await inBatches(writes, 4, ([key, body]) => files.write(key, body));
      await files.write(keyOf(valid.tag, "release.json"), `${JSON.stringify(valid, null, 2)}\n`);
    },
    async load(tag) {
      return parse(tag, await readText(keyOf(tag, "release.json")));
    },
    async list() {
      const tags = (await files.list(root)).map((e) => e.name).filter((name) => TAG_PATTERN.test(name));
      const texts = await inBatches(tags, 8, (tag) => readText(keyOf(tag, "release.json")));
      // A folder without release.json is a capture that did not finish; it is not a release.
      return tags
        .flatMap((tag, i) => (texts[i] === undefined ? [] : [parse(tag, texts[i])]))
        .sort(
          (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0),
        );
    },
    async discard(release) {
      await files.remove(keyOf(release.tag, "release.json"));
      const names = Object.values(release.stacks).flatMap((s) => [s.checkpointFile, s.configFile ?? []].flat());
      await inBatches(names, 4, (name) => files.remove(keyOf(release.tag, name)));
    },
    async readFile(tag, file) {
      const text = await readText(keyOf(tag, file));
      if (text === undefined) throw new Error(`${files.describe(keyOf(tag, file))} is missing from release ${tag}.`);
      return text;
    },
  };
}
