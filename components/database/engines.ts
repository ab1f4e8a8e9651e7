/** Relational engines the RelationalDatabase component runs, with the settings each needs. */
export const databaseEngines = ["postgres", "mysql"] as const;
export type DatabaseEngine = (typeof databaseEngines)[number];

/** A DB parameter; `value` is text as the RDS API takes it. */
export interface DbParameter {
  name: string;
  value: string;
}

interface EngineSettings {
  /** Major version used when none is given; pinned so a new AWS default never upgrades a database by surprise. */
  defaultVersion: string;
  port: number;
  /** Logs exported to CloudWatch Logs. */
  logExports: string[];
  /** Parameters that refuse unencrypted connections, then the ones that make the exported logs useful. */
  parameters: DbParameter[];
  /** How many leading version parts name the parameter group family (postgres17, mysql8.4). */
  familyParts: number;
}

export const ENGINE_SETTINGS: Record<DatabaseEngine, EngineSettings> = {
  postgres: {
    defaultVersion: "17",
    port: 5432,
    logExports: ["postgresql", "upgrade"],
    parameters: [{ name: "rds.force_ssl", value: "1" }],
    familyParts: 1,
  },
  mysql: {
    defaultVersion: "8.4",
    port: 3306,
    logExports: ["error", "general", "slowquery"],
    // The general log stays off (it records every statement); its export is ready for when it is switched on.
    parameters: [
      { name: "require_secure_transport", value: "ON" },
      { name: "slow_query_log", value: "1" },
      { name: "log_output", value: "FILE" },
    ],
    familyParts: 2,
  },
};

/** Version text RDS accepts: a major version (`17`), or major.minor(.patch) (`8.4`, `16.4`, `8.0.39`). */
export const ENGINE_VERSION_PATTERN = /^\d+(\.\d+){0,2}$/;

/**
 * Why `version` cannot be used with `engine`, or undefined when it can. MySQL's parameter group family
 * is named by major.minor, so a bare major version does not say which family to use.
 */
export function engineVersionProblem(engine: DatabaseEngine, version: string): string | undefined {
  if (!ENGINE_VERSION_PATTERN.test(version)) return "a version like 17 or 16.4 (postgres), 8.4 or 8.0.39 (mysql)";
  if (version.split(".").length < ENGINE_SETTINGS[engine].familyParts) {
    return `a ${engine} version with major and minor parts, like ${ENGINE_SETTINGS[engine].defaultVersion}`;
  }
  return undefined;
}

/** The DB parameter group family of an engine version: postgres 17.2 -> postgres17, mysql 8.0.39 -> mysql8.0. */
export function parameterGroupFamily(engine: DatabaseEngine, version: string): string {
  const parts = version.split(".").slice(0, ENGINE_SETTINGS[engine].familyParts);
  return `${engine}${parts.join(".")}`;
}

/** Cache engines the Cache component runs; both are 7+ so IAM authentication works. */
export const cacheEngines = ["valkey", "redis"] as const;
export type CacheEngine = (typeof cacheEngines)[number];

export const CACHE_DEFAULT_VERSIONS: Record<CacheEngine, string> = { valkey: "8.0", redis: "7.1" };

/** Why `version` cannot run with IAM authentication, or undefined when it can (Valkey 7.2+ or Redis OSS 7+). */
export function cacheVersionProblem(engine: CacheEngine, version: string): string | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (!match) return "a major.minor version like 8.0 (valkey) or 7.1 (redis)";
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const supported = engine === "valkey" ? major > 7 || (major === 7 && minor >= 2) : major >= 7;
  return supported
    ? undefined
    : `${engine} ${engine === "valkey" ? "7.2" : "7.0"} or later (IAM authentication needs it)`;
}
