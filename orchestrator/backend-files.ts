import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isS3Backend, s3Files } from "./s3-files";

/**
 * Files beside a self-managed backend's state, by key (`/`-separated, relative to the backend's root):
 * a `file://` backend's folder, or the bucket (and path) of an `s3://` backend.
 */
export interface BackendFiles {
  /** Where a key lives, for people: a path, or `s3://bucket/key`. */
  describe(key: string): string;
  /** The names directly under a key (files and folders alike); none when there is nothing there. */
  list(prefix: string): Promise<string[]>;
  /** The content at a key; undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Writes a key whole: a reader sees the old content or the new, never half. */
  write(key: string, body: string): Promise<void>;
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

/** The files of a backend that Stackline can read and write, or undefined (Pulumi Cloud, gs://, azblob://). */
export function backendFilesFor(backendUrl: string | undefined): BackendFiles | undefined {
  if (backendUrl?.startsWith("file://")) return folderFiles(fileBackendDir(backendUrl));
  if (backendUrl && isS3Backend(backendUrl)) return s3Files(backendUrl);
  return undefined;
}

/** Which backends keep release records, for messages that say why one does not. */
export const SUPPORTED_BACKENDS = "a file:// or s3:// backend";

/** Files in a local folder. */
export function folderFiles(root: string): BackendFiles {
  const full = (key: string) => path.join(root, ...key.split("/"));
  return {
    describe: full,
    async list(prefix) {
      try {
        return readdirSync(full(prefix));
      } catch {
        return [];
      }
    },
    async read(key) {
      try {
        return readFileSync(full(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
    async write(key, body) {
      const file = full(key);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, body);
      renameSync(`${file}.tmp`, file);
    },
  };
}
