import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync, zstdCompressSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { knownGoodConfig, withConfig } from "../../orchestrator/releases/known-good";

describe("the known-good config of a stack", () => {
  const backend = mkdtempSync(path.join(os.tmpdir(), "known-good-"));
  afterAll(() => rmSync(backend, { recursive: true, force: true }));
  const history = path.join(backend, ".pulumi", "history", "shop", "dev-api");
  mkdirSync(history, { recursive: true });
  // Entries as the file backend writes them: an older success, a refresh, and the newest update, failed.
  const entry = (time: number, kind: string, result: string, config: Record<string, unknown>) =>
    writeFileSync(
      path.join(history, `dev-api-${time}.history.json`),
      JSON.stringify({ kind, result, startTime: time, endTime: time + 5, message: "", config, version: 0 }),
    );
  entry(100, "update", "succeeded", { "shop:replicas": "2", "shop:token": { secure: "v1:abc" } });
  entry(200, "refresh", "succeeded", { "shop:replicas": "9" });
  entry(300, "update", "failed", { "shop:replicas": "3", "shop:token": { secure: "v1:def" } });

  it("is the newest update that succeeded, secrets still as ciphertext", async () => {
    expect(await knownGoodConfig(pathToFileURL(backend).href, "shop", "dev-api")).toEqual({
      config: { "shop:replicas": "2", "shop:token": { secure: "v1:abc" } },
      endTime: 105,
    });
  });

  it("is unknown for a stack never updated, and for backends Stackline cannot read", async () => {
    expect(await knownGoodConfig(pathToFileURL(backend).href, "shop", "dev-web")).toBeUndefined();
    expect(await knownGoodConfig("gs://bucket", "shop", "dev-api")).toBeUndefined();
    expect(await knownGoodConfig("https://api.pulumi.com", "shop", "dev-api")).toBeUndefined();
  });

  it("reads compressed history (PULUMI_DIY_BACKEND_GZIP or _ZSTD) and skips a file that is not an entry", async () => {
    const compressed = path.join(backend, ".pulumi", "history", "shop", "dev-web");
    mkdirSync(compressed, { recursive: true });
    const json = (time: number, result: string, replicas: string) =>
      Buffer.from(
        JSON.stringify({
          kind: "update",
          result,
          startTime: time,
          endTime: time + 5,
          config: { "shop:replicas": replicas },
        }),
      );
    // Names carry unix nanoseconds, as the backend writes them: by name is by time.
    writeFileSync(
      path.join(compressed, "dev-web-1000000000000000100.history.json.gz"),
      gzipSync(json(100, "succeeded", "2")),
    );
    writeFileSync(
      path.join(compressed, "dev-web-1000000000000000200.history.json.zst"),
      zstdCompressSync(json(200, "succeeded", "4")),
    );
    writeFileSync(
      path.join(compressed, "dev-web-1000000000000000300.history.json.zst"),
      zstdCompressSync(json(300, "failed", "5")),
    );
    writeFileSync(path.join(compressed, "dev-web-1000000000000000400.history.json"), "{ damaged");
    writeFileSync(path.join(compressed, "dev-web-1000000000000000300.checkpoint.json"), json(300, "succeeded", "9"));
    expect(await knownGoodConfig(pathToFileURL(backend).href, "shop", "dev-web")).toEqual({
      config: { "shop:replicas": "4" },
      endTime: 205,
    });
    expect(await knownGoodConfig(pathToFileURL(backend).href, "shop", "dev-web", 150)).toEqual({
      config: { "shop:replicas": "2" },
      endTime: 105,
    });
    rmSync(compressed, { recursive: true });
  });

  it("goes into the stack file, keeping its encryption salt and comments", () => {
    const current =
      '# the API\nencryptionsalt: v1:salt==\nconfig:\n  shop:replicas: "3"\n  shop:token:\n    secure: v1:def\n';
    const text = withConfig(current, { "shop:replicas": "2", "shop:token": { secure: "v1:abc" } });
    expect(text).toContain("# the API");
    expect(parse(text)).toEqual({
      encryptionsalt: "v1:salt==",
      config: { "shop:replicas": "2", "shop:token": { secure: "v1:abc" } },
    });
  });
});
