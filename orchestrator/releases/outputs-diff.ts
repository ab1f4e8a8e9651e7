import { isDeepStrictEqual } from "node:util";
import type { RecordedOutput } from "./record";

/**
 * How a stack's outputs after a rollback differ from those its release recorded. Secret outputs were
 * recorded without their values, so for them only presence is compared.
 */
export function outputDifferences(
  recorded: Readonly<Record<string, RecordedOutput>>,
  now: Readonly<Record<string, { value: unknown; secret: boolean }>>,
): string[] {
  const differences: string[] = [];
  for (const [name, was] of Object.entries(recorded)) {
    const is = now[name];
    if (!is) differences.push(`${name}: recorded, now missing`);
    else if (was.secret !== is.secret)
      differences.push(`${name}: was ${was.secret ? "" : "not "}secret, now is ${is.secret ? "" : "not "}secret`);
    else if (!was.secret && !isDeepStrictEqual(was.value, is.value)) {
      differences.push(`${name}: recorded ${JSON.stringify(was.value)}, now ${JSON.stringify(is.value)}`);
    }
  }
  for (const name of Object.keys(now)) {
    if (!(name in recorded)) differences.push(`${name}: not recorded, now present`);
  }
  return differences;
}
