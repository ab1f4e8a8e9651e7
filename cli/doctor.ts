import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { backendFilesFor } from "../orchestrator/backend-files";
import { dependencyVersion, type EngineInfo, locateEngine, projectRoot } from "../orchestrator/engine";
import { describeLock } from "../orchestrator/locks";
import {
  countPending,
  inspectBackendFiles,
  isInterrupted,
  projectName,
  type StackFindings,
} from "../orchestrator/recovery";

export type CheckStatus = "ok" | "warn" | "missing";

/** One line of the doctor's report: what was checked, what was found, and the fix when it is not ok. */
export interface Check {
  name: string;
  status: CheckStatus;
  found: string;
  fix?: string;
}

const MIN_NODE_MAJOR = 24;

function checkNode(): Check {
  const version = process.versions.node;
  const major = Number.parseInt(version.split(".")[0] ?? "0", 10);
  return major >= MIN_NODE_MAJOR
    ? { name: "Node.js", status: "ok", found: `${version} (${process.execPath})` }
    : {
        name: "Node.js",
        status: "missing",
        found: version,
        fix: `run through npm scripts (they provide Node.js ${MIN_NODE_MAJOR} from the npm registry) or install Node.js ${MIN_NODE_MAJOR} LTS`,
      };
}

function checkEngine(): { check: Check; engine?: EngineInfo } {
  let engine: EngineInfo;
  try {
    engine = locateEngine();
  } catch (err) {
    return { check: { name: "Pulumi CLI", status: "missing", found: "none", fix: (err as Error).message } };
  }
  const sdk = dependencyVersion("@pulumi/pulumi");
  const found = `${engine.version} at ${engine.path}`;
  if (semver.lt(engine.version, sdk)) {
    return {
      engine,
      check: {
        name: "Pulumi CLI",
        status: "missing",
        found: `${found}, older than @pulumi/pulumi ${sdk}`,
        fix: "upgrade Pulumi, or remove it from PATH so set-up builds the pinned engine",
      },
    };
  }
  const note = engine.version === sdk ? "equals @pulumi/pulumi" : `newer than @pulumi/pulumi ${sdk}`;
  return { engine, check: { name: "Pulumi CLI", status: "ok", found: `${found} (${note})` } };
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

function checkLanguageHost(): Check {
  const host = onPath("pulumi-language-nodejs");
  return host
    ? { name: "Node.js language host", status: "ok", found: host }
    : {
        name: "Node.js language host",
        status: "missing",
        found: "none on PATH",
        fix: "run through npm scripts (they put engine/bin on PATH) or install Pulumi, which ships one",
      };
}

interface PluginRow {
  name: string;
  kind: string;
  version: string;
}

/** Resource plugins the stacks load, at the versions their SDKs in package.json ask for. */
function requiredPlugins(): { name: string; version: string; neededFor: string }[] {
  return [
    {
      name: "kubernetes",
      version: dependencyVersion("@pulumi/kubernetes"),
      neededFor: "Kubernetes layers (local environment)",
    },
    { name: "aws", version: dependencyVersion("@pulumi/aws"), neededFor: "AWS layers" },
  ];
}

function checkPlugins(engine: EngineInfo | undefined): Check[] {
  if (!engine)
    return [
      { name: "Plugins", status: "missing", found: "unknown (no Pulumi CLI)", fix: "install the Pulumi CLI first" },
    ];
  let installed: PluginRow[];
  try {
    installed = JSON.parse(
      execFileSync(engine.path, ["plugin", "ls", "--json"], { encoding: "utf8" }) || "[]",
    ) as PluginRow[];
  } catch (err) {
    return [{ name: "Plugins", status: "warn", found: `could not list: ${(err as Error).message.split("\n")[0]}` }];
  }
  const offline = process.env.STACKLINE_OFFLINE === "1";
  return requiredPlugins().map(({ name, version, neededFor }): Check => {
    const label = `Plugin ${name}`;
    if (installed.some((p) => p.kind === "resource" && p.name === name && p.version === version)) {
      return { name: label, status: "ok", found: `${version} installed` };
    }
    if (!offline)
      return { name: label, status: "ok", found: `${version} not installed yet; the engine downloads it on first use` };
    const fix =
      name === "kubernetes"
        ? "run 'npm run setup', which builds it from the Go module proxy"
        : `where downloads work: pulumi plugin install resource ${name} ${version} (the ${neededFor} need it; offline mode will not download it)`;
    return { name: label, status: name === "kubernetes" ? "missing" : "warn", found: `${version} not installed`, fix };
  });
}

function checkBackend(): Check {
  const url = process.env.PULUMI_BACKEND_URL;
  if (!url) {
    return {
      name: "Backend",
      status: "missing",
      found: "PULUMI_BACKEND_URL is unset (the CLI would assume Pulumi Cloud)",
      fix: "run through npm scripts or bin/stackline, which default to the embedded file:// backend",
    };
  }
  const embedded = process.env.STACKLINE_EMBEDDED_BACKEND === "1" ? " (embedded default, local passphrase)" : "";
  return { name: "Backend", status: "ok", found: `${url}${embedded}` };
}

function checkOffline(): Check {
  const offline = process.env.STACKLINE_OFFLINE === "1";
  const flags = ["PULUMI_SKIP_UPDATE_CHECK", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"]
    .map((name) => `${name}=${process.env[name] ?? "unset"}`)
    .join(", ");
  return { name: "Offline mode", status: "ok", found: `${offline ? "on" : "off"} (${flags})` };
}

/** Stale locks and pending operations an interrupted run left, read from a file or S3 backend's files. */
async function checkInterruptedRuns(): Promise<Check> {
  const name = "Interrupted runs";
  const url = process.env.PULUMI_BACKEND_URL;
  if (!backendFilesFor(url)) {
    return {
      name,
      status: "ok",
      found: "not checked here (not a file:// or s3:// backend); 'stackline recover --env <env>' checks",
    };
  }
  let found: StackFindings[];
  try {
    found = (await inspectBackendFiles(url, projectName(projectRoot))).filter(isInterrupted);
  } catch (err) {
    return { name, status: "warn", found: `could not read the backend's files: ${(err as Error).message}` };
  }
  if (found.length === 0) return { name, status: "ok", found: "no stale locks or pending operations" };
  const stacks = found.map((f) => {
    const lock = f.locks[0];
    const owner = lock ? `locked by ${describeLock(lock.lock)}, ${lock.why}` : "";
    return `${f.stack}: ${[owner, countPending(f.pending)].filter(Boolean).join(", ")}`;
  });
  const environments = [...new Set(found.map((f) => f.stack.split("-")[0]))];
  return {
    name,
    status: "warn",
    found: stacks.join("; "),
    fix: environments.map((env) => `stackline recover --env ${env}`).join(" and "),
  };
}

export async function runDoctor(): Promise<Check[]> {
  const { check: engineCheck, engine } = checkEngine();
  return [
    checkNode(),
    engineCheck,
    checkLanguageHost(),
    ...checkPlugins(engine),
    checkBackend(),
    await checkInterruptedRuns(),
    checkOffline(),
  ];
}

export function formatDoctor(checks: Check[]): string {
  const mark: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", missing: "MISS" };
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => {
    const line = `[${mark[c.status]}] ${c.name.padEnd(width)}  ${c.found}`;
    return c.fix ? `${line}\n       ${" ".repeat(width)}  fix: ${c.fix}` : line;
  });
  const missing = checks.filter((c) => c.status === "missing").length;
  lines.push(
    "",
    missing === 0 ? "Everything Stackline needs is in place." : `${missing} thing(s) missing; see the fixes above.`,
  );
  return lines.join("\n");
}
