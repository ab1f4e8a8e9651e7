// Stackline's Node.js language host for the Pulumi engine.
//
// The engine runs a `nodejs` project through a plugin named `pulumi-language-nodejs`. Pulumi ships that
// plugin as a Go binary with its release archives, but its Go module is not available from the Go module
// proxy, so an engine built from the proxy has no Node.js language host. This file implements the same
// gRPC service (pulumirpc.LanguageRuntime) with the SDK's own generated stubs, and runs programs exactly
// as Pulumi's host does: `node <@pulumi/pulumi>/cmd/run <flags> <entry point>`, with config passed in
// PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS. Where a user's official `pulumi` CLI is on PATH, its own
// host is found first and this one is not used.
//
// Runs on Node.js 24 directly (type stripping), so it must stay erasable TypeScript in one file.

import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as langproto from "@pulumi/pulumi/proto/language_pb.js";

const requireFromHere = createRequire(import.meta.url);
const grpc: typeof grpcTypes = requireFromHere("@grpc/grpc-js");
const services = requireFromHere("@pulumi/pulumi/proto/language_grpc_pb");
const messages: typeof langproto = requireFromHere("@pulumi/pulumi/proto/language_pb");
const pluginMessages = requireFromHere("@pulumi/pulumi/proto/plugin_pb");
const emptyMessages = requireFromHere("google-protobuf/google/protobuf/empty_pb");
const sdkPackage: { version: string } = requireFromHere("@pulumi/pulumi/package.json");

/** Exit code by which `cmd/run` says it already showed the user an actionable message. */
const EXITED_AFTER_USER_MESSAGE = 32;

interface RuntimeOptions {
  typescript: boolean;
  tsconfig?: string;
  nodeargs: string[];
}

/** The `runtime.options` of Pulumi.yaml that the Node.js runtime understands. */
function parseOptions(options: Record<string, unknown>): RuntimeOptions {
  const typescript = options.typescript ?? true;
  if (typeof typescript !== "boolean") throw new Error("runtime option 'typescript' must be a boolean");
  const tsconfig = options.tsconfig;
  if (tsconfig !== undefined && typeof tsconfig !== "string")
    throw new Error("runtime option 'tsconfig' must be a string");
  const nodeargs = options.nodeargs ?? "";
  if (typeof nodeargs !== "string") throw new Error("runtime option 'nodeargs' must be a string");
  return { typescript, tsconfig, nodeargs: nodeargs.split(/\s+/).filter((a) => a !== "") };
}

/** Older SDKs read `<namespace>:config:<name>`; the current one reads both, so send the old form as Pulumi's host does. */
export function toRuntimeConfig(config: Map<string, string> | Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of config) {
    const first = key.indexOf(":");
    if (first < 0) throw new Error(`config key '${key}' has no namespace`);
    const namespace = key.slice(0, first);
    const rest = key.slice(first + 1);
    out[rest.startsWith("config:") ? key : `${namespace}:config:${rest}`] = value;
  }
  return out;
}

/** The command line for `cmd/run`, mirroring Pulumi's host flag for flag. */
export function runArguments(req: langproto.RunRequest, runPath: string, engineAddress: string): string[] {
  const info = req.getInfo();
  const args = [runPath];
  const add = (flag: string, value: string | undefined) => {
    if (value) args.push(`--${flag}`, value);
  };
  add("monitor", req.getMonitorAddress());
  add("engine", engineAddress);
  add("organization", req.getOrganization());
  add("project", req.getProject());
  add("root-directory", info?.getRootDirectory());
  add("stack", req.getStack());
  add("pwd", info?.getProgramDirectory() || req.getPwd());
  if (req.getDryrun()) args.push("--dry-run");
  add("parallel", String(req.getParallel()));
  args.push(info?.getEntryPoint() || req.getProgram() || ".");
  args.push(...req.getArgsList());
  return args;
}

class NodeLanguageHost {
  private engineAddress: string;
  private readonly running = new Set<ChildProcess>();

  constructor(engineAddress: string) {
    this.engineAddress = engineAddress;
  }

  handshake(req: langproto.LanguageHandshakeRequest): langproto.LanguageHandshakeResponse {
    this.engineAddress = req.getEngineAddress();
    return new messages.LanguageHandshakeResponse();
  }

  // Plugins are resolved on demand when a resource registers, so nothing is pre-installed here.
  getRequiredPackages(): langproto.GetRequiredPackagesResponse {
    return new messages.GetRequiredPackagesResponse();
  }

  getPluginInfo(): unknown {
    const info = new pluginMessages.PluginInfo();
    info.setVersion(sdkPackage.version);
    return info;
  }

  about(): langproto.AboutResponse {
    const res = new messages.AboutResponse();
    res.setExecutable(process.execPath);
    res.setVersion(process.versions.node);
    return res;
  }

  cancel(): void {
    for (const child of this.running) child.kill("SIGINT");
  }

  async run(req: langproto.RunRequest): Promise<langproto.RunResponse> {
    const res = new messages.RunResponse();
    const info = req.getInfo();
    const programDir = info?.getProgramDirectory() || req.getPwd() || process.cwd();
    let options: RuntimeOptions;
    let runPath: string;
    try {
      options = parseOptions((info?.getOptions()?.toJavaScript() ?? {}) as Record<string, unknown>);
      runPath = createRequire(path.join(programDir, "index.js")).resolve("@pulumi/pulumi/cmd/run");
    } catch (err) {
      res.setError(err instanceof Error ? err.message : String(err));
      return res;
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(toRuntimeConfig(req.getConfigMap().entries() as Iterable<[string, string]>)),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
    };
    if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    const args = [...options.nodeargs, ...runArguments(req, runPath, this.engineAddress)];
    const code = await new Promise<number | string>((resolve) => {
      // stdout is our gRPC port channel only until the port is printed; after that the engine relays it.
      const child = spawn(process.execPath, args, { cwd: programDir, env, stdio: "inherit" });
      this.running.add(child);
      child.on("error", (err) => resolve(`could not start node: ${err.message}`));
      child.on("exit", (exitCode, signal) => {
        this.running.delete(child);
        resolve(exitCode ?? `killed by ${signal}`);
      });
    });
    if (code === EXITED_AFTER_USER_MESSAGE) res.setBail(true);
    else if (typeof code === "string") res.setError(`Program exited unexpectedly: ${code}`);
    else if (code !== 0) res.setError(`Program exited with non-zero exit code: ${code}`);
    return res;
  }
}

type Handler = grpcTypes.handleUnaryCall<unknown, unknown>;

function unary<Request>(fn: (request: Request) => unknown): Handler {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request as Request))
      .then((value) => callback(null, value))
      .catch((err: unknown) =>
        callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) }),
      );
  };
}

function main(): void {
  // Pulumi passes flags first (-tracing, -root, ...) and the engine's address as the only positional argument.
  const positional = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const host = new NodeLanguageHost(positional[0] ?? "");
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const unimplemented: Handler = (_call, callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not supported by Stackline's Node.js language host" });
  const implementation: grpcTypes.UntypedServiceImplementation = {};
  for (const name of Object.keys(services.LanguageRuntimeService)) implementation[name] = unimplemented;
  Object.assign(implementation, {
    handshake: unary((req: langproto.LanguageHandshakeRequest) => host.handshake(req)),
    getRequiredPackages: unary(() => host.getRequiredPackages()),
    getPluginInfo: unary(() => host.getPluginInfo()),
    about: unary(() => host.about()),
    run: unary((req: langproto.RunRequest) => host.run(req)),
    cancel: unary(() => {
      host.cancel();
      return new emptyMessages.Empty();
    }),
  });
  server.addService(services.LanguageRuntimeService, implementation);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`could not start the language host: ${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
  const stop = () => server.tryShutdown(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.main) main();
