import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interpolate, readSmokeChecks, runSmokeChecks, SmokeConfigError } from "../../orchestrator/smoke";

describe("smoke checks", () => {
  let server: Server;
  let base: string;
  let dir: string;
  let hits = 0;
  beforeAll(async () => {
    // A real HTTP server: /ok answers 200, /down 503, /flaky 503 twice then 200.
    server = createServer((req, res) => {
      if (req.url === "/flaky") hits++;
      const status = req.url === "/ok" || (req.url === "/flaky" && hits > 2) ? 200 : 503;
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(os.tmpdir(), "smoke-"));
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outputs = { url: { value: "", secret: false }, token: { value: "x", secret: true } };

  it("passes an endpoint that answers 200 and fails one that keeps answering 503", async () => {
    const results = await runSmokeChecks(
      [
        {
          name: "api up",
          http: "{{outputs.url}}/ok",
          expectStatus: 200,
          timeoutSeconds: 5,
          attempts: 1,
          intervalSeconds: 0,
        },
        {
          name: "api down",
          http: `${base}/down`,
          expectStatus: 200,
          timeoutSeconds: 5,
          attempts: 2,
          intervalSeconds: 0,
        },
      ],
      { ...outputs, url: { value: base, secret: false } },
      dir,
    );
    expect(results).toEqual([
      { name: "api up", ok: true, detail: "HTTP 200 (expected 200)", attempts: 1 },
      { name: "api down", ok: false, detail: "HTTP 503 (expected 200)", attempts: 2 },
    ]);
  });

  it("retries a new deployment that needs a moment", async () => {
    const [result] = await runSmokeChecks(
      [
        {
          name: "warming",
          http: `${base}/flaky`,
          expectStatus: 200,
          timeoutSeconds: 5,
          attempts: 4,
          intervalSeconds: 0,
        },
      ],
      outputs,
      dir,
    );
    expect(result).toMatchObject({ ok: true, attempts: 3 });
  });

  it("runs commands without a shell, in the project folder, and reports the exit and stderr", async () => {
    writeFileSync(path.join(dir, "present.txt"), "x");
    const results = await runSmokeChecks(
      [
        {
          name: "file there",
          command: ["test", "-f", "present.txt"],
          timeoutSeconds: 5,
          attempts: 1,
          intervalSeconds: 0,
        },
        {
          name: "failing",
          command: ["sh", "-c", "echo boom >&2; exit 3"],
          timeoutSeconds: 5,
          attempts: 1,
          intervalSeconds: 0,
        },
      ],
      outputs,
      dir,
    );
    expect(results.map((r) => [r.ok, r.detail])).toEqual([
      [true, "exit 0"],
      [false, "exit 3: boom"],
    ]);
  });

  it("never puts a secret output into a check, and does not retry what cannot be built", async () => {
    expect(() => interpolate("{{outputs.token}}", outputs)).toThrow("output 'token' is secret");
    const [result] = await runSmokeChecks(
      [
        {
          name: "leaky",
          http: `${base}/{{outputs.token}}`,
          expectStatus: 200,
          timeoutSeconds: 5,
          attempts: 3,
          intervalSeconds: 0,
        },
      ],
      outputs,
      dir,
    );
    expect(result).toEqual({
      name: "leaky",
      ok: false,
      detail: "output 'token' is secret and is never put into a check",
      attempts: 1,
    });
  });

  it("reads a stack's checks from its config file and refuses malformed ones naming the key", () => {
    writeFileSync(
      path.join(dir, "Pulumi.dev-api.yaml"),
      "config:\n  smoke:checks:\n    - name: health\n      http: https://api.example.com/healthz\n",
    );
    expect(readSmokeChecks(dir, "dev-api")).toEqual([
      {
        name: "health",
        http: "https://api.example.com/healthz",
        expectStatus: 200,
        timeoutSeconds: 10,
        attempts: 3,
        intervalSeconds: 2,
      },
    ]);
    expect(readSmokeChecks(dir, "dev-none")).toEqual([]);
    writeFileSync(
      path.join(dir, "Pulumi.dev-bad.yaml"),
      "config:\n  smoke:checks:\n    - name: health\n      expectStatus: 200\n      http: 5\n",
    );
    expect(() => readSmokeChecks(dir, "dev-bad")).toThrow(SmokeConfigError);
    expect(() => readSmokeChecks(dir, "dev-bad")).toThrow(
      /Stack 'dev-bad' has invalid smoke checks in Pulumi\.dev-bad\.yaml:\n {2}- smoke:checks\[0\]/,
    );
  });
});
