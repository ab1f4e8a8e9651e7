import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatReleases } from "../../cli/releases-command";
import { outputsOf } from "../../orchestrator/releases/capture";
import { gitState } from "../../orchestrator/releases/git";
import { newTag, type Release, releaseSchema } from "../../orchestrator/releases/record";
import { directoryStore, ReleaseRecordError, releaseStoreFor } from "../../orchestrator/releases/store";

const temp = mkdtempSync(path.join(os.tmpdir(), "releases-record-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function release(tag: string, createdAt: string, overrides: Partial<Release> = {}): Release {
  return {
    tag,
    project: "shop",
    environment: "dev",
    createdAt,
    git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: true },
    user: "ana@build-7",
    status: "recorded",
    stacks: {
      "dev-api": {
        existed: true,
        lastUpdateVersion: 4,
        outputs: { url: { secret: false, value: "https://api.example.com" }, token: { secret: true } },
        configFile: "dev-api.config.yaml",
        checkpointFile: "dev-api.checkpoint.json",
      },
      "dev-web": {
        existed: false,
        lastUpdateVersion: null,
        outputs: {},
        configFile: null,
        checkpointFile: "dev-web.checkpoint.json",
      },
    },
    ...overrides,
  };
}

describe("release records", () => {
  it("round-trips through JSON and the schema unchanged", () => {
    const record = release("dev-20261125T173012Z-9f3a", "2026-11-25T17:30:12.345Z");
    expect(releaseSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it("has no room for a secret output's value", () => {
    const leaky = release("dev-20261125T173012Z-9f3a", "2026-11-25T17:30:12.345Z");
    (leaky.stacks["dev-api"]?.outputs as Record<string, unknown>).token = { secret: true, value: "hunter2" };
    expect(releaseSchema.safeParse(leaky).success).toBe(false);
  });

  it("tags are <env>-<UTC time to the second>-<4 hex> and sort by time", () => {
    const tag = newTag("dev", new Date("2026-11-25T17:30:12.999Z"));
    expect(tag).toMatch(/^dev-20261125T173012Z-[0-9a-f]{4}$/);
    const times = ["2026-01-02T03:04:05Z", "2026-11-25T09:00:00Z", "2026-11-25T17:30:12Z", "2027-01-01T00:00:00Z"];
    const tags = times.map((t) => newTag("dev", new Date(t)));
    expect([...tags].reverse().sort()).toEqual(tags);
    expect(new Set(Array.from({ length: 20 }, () => newTag("dev"))).size).toBeGreaterThan(1);
  });
});

describe("the release store", () => {
  const root = path.join(temp, "store");
  const store = directoryStore(root);
  const older = release("dev-20261125T090000Z-aaaa", "2026-11-25T09:00:00.000Z", { status: "succeeded" });
  const newer = release("dev-20261125T173012Z-0001", "2026-11-25T17:30:12.000Z", { status: "failed" });

  it("is empty before the first release", async () => {
    expect(await directoryStore(path.join(temp, "nothing-here")).list()).toEqual([]);
  });

  it("lists saved releases newest first, and loads each by tag with its files", async () => {
    await store.save(older, { "dev-api.checkpoint.json": '{"version":3}' });
    await store.save(newer);
    // A capture that did not finish leaves a folder without release.json: not a release.
    mkdirSync(path.join(root, "dev-20261126T000000Z-beef"), { recursive: true });
    expect((await store.list()).map((r) => r.tag)).toEqual([newer.tag, older.tag]);
    expect(await store.load(older.tag)).toEqual(older);
    expect(await store.readFile(older.tag, "dev-api.checkpoint.json")).toBe('{"version":3}');
    expect(readFileSync(path.join(root, older.tag, "dev-api.checkpoint.json"), "utf8")).toBe('{"version":3}');
    expect(store.locationOf(newer.tag)).toBe(path.join(root, newer.tag));
    await expect(store.readFile(newer.tag, "dev-api.checkpoint.json")).rejects.toThrow(
      `${path.join(root, newer.tag, "dev-api.checkpoint.json")} is missing from release ${newer.tag}`,
    );
    await expect(store.load("dev-20261127T000000Z-0000")).rejects.toThrow(/no release has that tag/);
  });

  it("discards a release that never took effect, files and all", async () => {
    const tag = "dev-20261129T000000Z-d15c";
    const doomed = release(tag, "2026-11-29T00:00:00.000Z");
    await store.save(doomed, {
      "dev-api.checkpoint.json": "{}",
      "dev-api.config.yaml": "config: {}\n",
      "dev-web.checkpoint.json": "{}",
    });
    expect((await store.list()).map((r) => r.tag)).toContain(tag);
    await store.discard(doomed);
    expect((await store.list()).map((r) => r.tag)).not.toContain(tag);
    expect(existsSync(path.join(root, tag))).toBe(false);
  });

  it("refuses a corrupted release.json, naming the file and the field", async () => {
    const tag = "dev-20261125T120000Z-bad0";
    const file = path.join(root, tag, "release.json");
    const broken = release(tag, "2026-11-25T12:00:00.000Z") as unknown as { stacks: Record<string, object> };
    broken.stacks["dev-api"] = { ...broken.stacks["dev-api"], lastUpdateVersion: "four" };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(broken));
    await expect(store.load(tag)).rejects.toThrow(ReleaseRecordError);
    await expect(store.load(tag)).rejects.toThrow(file);
    await expect(store.load(tag)).rejects.toThrow(/stacks\.dev-api\.lastUpdateVersion: expected number, found "four"/);
    // Listing reads every record, so it refuses too rather than hide a release.
    await expect(store.list()).rejects.toThrow(file);
    writeFileSync(file, "{ not json");
    await expect(store.load(tag)).rejects.toThrow(file);
    rmSync(path.dirname(file), { recursive: true });
  });

  it("never reads or writes outside its folder", async () => {
    await expect(store.readFile("../../etc", "passwd")).rejects.toThrow(/not a release tag/);
    await expect(store.readFile(older.tag, "../../../etc/passwd")).rejects.toThrow(/not a release file name/);
    // Every name is checked before the first write: nothing of a refused release is left behind.
    const tag = "dev-20261128T000000Z-0bad";
    await expect(
      store.save(release(tag, "2026-11-28T00:00:00.000Z"), { "a.checkpoint.json": "{}", "../escape.json": "{}" }),
    ).rejects.toThrow(/not a release file name/);
    expect(existsSync(path.join(root, tag))).toBe(false);
  });

  it("lives next to a file or S3 backend's state; other backends have none yet", () => {
    const backend = path.join(temp, "state");
    expect(releaseStoreFor(pathToFileURL(backend).href, "shop", "dev")?.location).toBe(
      path.join(backend, ".stackline", "releases", "shop", "dev"),
    );
    expect(releaseStoreFor("file://~/state", "shop", "dev")?.location).toBe(
      path.join(os.homedir(), "state", ".stackline", "releases", "shop", "dev"),
    );
    expect(releaseStoreFor("s3://state-bucket?region=eu-west-1", "shop", "dev")?.location).toBe(
      "s3://state-bucket/.stackline/releases/shop/dev",
    );
    expect(
      releaseStoreFor("s3://state-bucket/team-a?region=eu-west-1", "shop", "dev")?.locationOf(
        "dev-20261125T090000Z-aaaa",
      ),
    ).toBe("s3://state-bucket/team-a/.stackline/releases/shop/dev/dev-20261125T090000Z-aaaa");
    for (const url of ["gs://bucket", "azblob://container", "https://api.pulumi.com", undefined]) {
      expect(releaseStoreFor(url, "shop", "dev")).toBeUndefined();
    }
  });
});

describe("recorded outputs", () => {
  const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };

  it("keep plain values and only the fact of a secret, also one nested in a plain value", () => {
    const checkpoint = {
      deployment: {
        resources: [
          { type: "pulumi:pulumi:Stack", outputs: { url: "https://x", token: secret, nested: { a: 1, b: secret } } },
          { type: "pulumi:pulumi:Stack", parent: "urn:other", outputs: { other: 1 } },
        ],
      },
    };
    expect(outputsOf(checkpoint)).toEqual({
      url: { secret: false, value: "https://x" },
      token: { secret: true },
      nested: { secret: true },
    });
    expect(outputsOf({ deployment: {} })).toEqual({});
  });
});

describe("gitState", () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      stdio: "ignore",
    });

  it("is the commit and whether the tree differs from it; null outside a repository", () => {
    const repo = path.join(temp, "repo");
    mkdirSync(path.join(repo, "program"), { recursive: true });
    git(repo, "init", "-q");
    expect(gitState(repo)).toBeNull(); // no commit yet
    writeFileSync(path.join(repo, "program", "index.ts"), "export {};\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "first");
    const head = execFileSync("git", ["-C", repo, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    expect(gitState(path.join(repo, "program"))).toEqual({ commit: head, dirty: false });
    writeFileSync(path.join(repo, "program", "index.ts"), "export const changed = 1;\n");
    expect(gitState(path.join(repo, "program"))).toEqual({ commit: head, dirty: true });
    const outside = mkdtempSync(path.join(temp, "no-repo-"));
    expect(gitState(outside)).toBeNull();
  });
});

describe("stackline releases", () => {
  it("shows each release's tag, time, short commit (+dirty), user, status and stacks", () => {
    const text = formatReleases([
      release("dev-20261125T173012Z-9f3a", "2026-11-25T17:30:12.345Z", { status: "succeeded" }),
      release("dev-20261125T090000Z-aaaa", "2026-11-25T09:00:00.000Z", { git: null, status: "failed" }),
    ]);
    const [header, first, second] = text.split("\n");
    expect(header).toMatch(/^TAG\s+CREATED \(UTC\)\s+GIT\s+USER\s+STATUS\s+STACKS$/);
    expect(first).toMatch(
      /^dev-20261125T173012Z-9f3a {2}2026-11-25 17:30:12Z {2}0123456\+dirty {2}ana@build-7 {2}succeeded {2}dev-api, dev-web$/,
    );
    expect(second).toMatch(/^dev-20261125T090000Z-aaaa {2}2026-11-25 09:00:00Z {2}- +ana@build-7 {2}failed +dev-api/);
  });
});
