import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
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
