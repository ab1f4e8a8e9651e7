import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

/** The project's root folder (where Pulumi.yaml and package.json are). */
export const projectRoot = path.resolve(__dirname, "..");

/** No usable `pulumi` CLI: the message says how to get one. */
export class EngineNotFoundError extends Error {
  constructor(detail: string) {
    super(
      `${detail}\nRun any npm script (for example 'npm run setup') to build the engine from the Go module proxy, ` +
        "or install Pulumi from https://www.pulumi.com/docs/install/ and put it on PATH.",
    );
    this.name = "EngineNotFoundError";
  }
}

export interface EngineInfo {
  /** Absolute path of the `pulumi` executable. */
  path: string;
  /** Its version without the leading `v`, as `pulumi version` prints it. */
  version: string;
}

/** A dependency's exact version pinned in package.json (the engine must be at least `@pulumi/pulumi`'s). */
export function dependencyVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const version = pkg.dependencies[name];
  if (!version) throw new Error(`package.json has no ${name} dependency`);
  return version;
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Finds the CLI that set-up chose (STACKLINE_PULUMI), else the first `pulumi` on PATH. */
export function locateEngine(): EngineInfo {
  const found = process.env.STACKLINE_PULUMI || which("pulumi");
  if (!found)
    throw new EngineNotFoundError("No Pulumi CLI found (STACKLINE_PULUMI is unset and PATH has no 'pulumi').");
  let version: string;
  try {
    version = execFileSync(found, ["version"], { encoding: "utf8" }).trim().replace(/^v/, "");
  } catch (err) {
    throw new EngineNotFoundError(`The Pulumi CLI at ${found} did not run: ${(err as Error).message}`);
  }
  if (!version)
    throw new EngineNotFoundError(
      `The Pulumi CLI at ${found} prints no version (built without -X .../version.Version?).`,
    );
  return { path: found, version };
}

/** The Automation API's handle on the located CLI. */
export async function pulumiCommand(engine: EngineInfo = locateEngine()): Promise<PulumiCommand> {
  const root = path.dirname(path.dirname(engine.path));
  if (path.join(root, "bin", "pulumi") !== engine.path) {
    throw new EngineNotFoundError(`The Automation API needs the CLI at <root>/bin/pulumi; found ${engine.path}.`);
  }
  return PulumiCommand.get({ root });
}
