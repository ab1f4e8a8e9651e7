import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";

/** A real S3 server on loopback (Versity's S3 gateway, storing objects as files under `dataDir`). */
export interface S3Server {
  endpoint: string;
  /** Credentials it accepts, as the AWS SDKs read them from the environment. */
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string };
  /** The backend URL of a bucket, optionally under a path, as a user would write it. */
  backendUrl(bucket: string, prefix?: string): string;
  /** Where the server keeps a bucket's objects on disk: one file per key. */
  bucketDir(bucket: string): string;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });

/** Starts versitygw with `buckets` (folders under its data dir) and waits until it answers /health. */
export async function startS3Server(dataDir: string, buckets: readonly string[]): Promise<S3Server> {
  const bin = process.env.STACKLINE_VERSITYGW;
  if (!bin) throw new Error("STACKLINE_VERSITYGW is unset: run the tests through 'npm test', which builds versitygw");
  const root = path.join(dataDir, "buckets");
  for (const bucket of buckets) mkdirSync(path.join(root, bucket), { recursive: true });
  const env = {
    AWS_ACCESS_KEY_ID: "stackline-test",
    AWS_SECRET_ACCESS_KEY: "stackline-test-secret",
    AWS_REGION: "us-east-1",
  };
  const port = await freePort();
  const log = openSync(path.join(dataDir, "server.log"), "a");
  const server: ChildProcess = spawn(
    bin,
    ["--port", `127.0.0.1:${port}`, "--region", env.AWS_REGION, "--health", "/health", "--quiet", "posix", root],
    {
      // Keys in the environment, not the command line, as an operator would run it.
      env: {
        ...process.env,
        ROOT_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
        ROOT_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
      },
      stdio: ["ignore", log, log],
    },
  );
  closeSync(log); // the child holds its own copy
  const endpoint = `http://127.0.0.1:${port}`;
  let failure: Error | undefined;
  // A wrong binary path is an 'error' event, not an exception: report it as one.
  server.once("error", (err) => {
    failure = new Error(`versitygw could not start (${bin}): ${err.message}`);
  });
  const exited = new Promise<void>((resolve) => server.once("close", () => resolve()));
  for (let attempt = 0; ; attempt++) {
    if (failure) throw failure;
    if (server.exitCode !== null) throw new Error(`versitygw exited (${server.exitCode}); see ${dataDir}/server.log`);
    const healthy = await fetch(`${endpoint}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) break;
    if (attempt > 100) {
      server.kill();
      throw new Error(`versitygw did not answer ${endpoint}/health within 10 s; see ${dataDir}/server.log`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    env,
    backendUrl: (bucket, prefix) =>
      `s3://${bucket}${prefix ? `/${prefix}` : ""}?endpoint=${endpoint}&region=${env.AWS_REGION}&use_path_style=true`,
    bucketDir: (bucket) => path.join(root, bucket),
    async stop() {
      if (server.exitCode === null && !failure) server.kill();
      await exited;
    },
  };
}
