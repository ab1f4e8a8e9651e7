import { UnknownValueError } from "@pulumi/policy";

/**
 * A value the engine does not know yet. During a preview, a property computed from a resource that
 * does not exist yet (a new KMS key's ARN, a new VPC's id) is unknown, and the policy SDK's property
 * proxy throws `UnknownValueError` when a policy reads it.
 */
export const UNKNOWN: unique symbol = Symbol("unknown until the update");
export type Unknown = typeof UNKNOWN;

/**
 * Reads a property that may be unknown during preview and returns UNKNOWN instead of throwing, so a
 * policy can decide: a value that will exist (an ARN) counts as set, while a value that must be a
 * particular literal cannot be judged yet. Other errors propagate.
 */
export function peek<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/**
 * True when a property is set, or will be set by the engine (an unknown value comes from another
 * resource, so it is not empty). Empty strings, lists and objects are not set.
 */
export function isSet(read: () => unknown): boolean {
  const value = peek(read);
  if (value === UNKNOWN) return true;
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/**
 * The elements of a list property, each read on its own so one unknown element does not hide the
 * others. Returns UNKNOWN when the whole list is unknown and [] when it is absent.
 */
export function elements<T>(read: () => readonly T[] | null | undefined): (T | Unknown)[] | Unknown {
  const list = peek(read);
  if (list === UNKNOWN) return UNKNOWN;
  if (list === undefined || list === null) return [];
  const result: (T | Unknown)[] = [];
  for (let index = 0; index < list.length; index++) result.push(peek(() => list[index] as T));
  return result;
}

/** The known elements of a list property (unknown ones dropped); [] when the list is absent or unknown. */
export function knownElements<T>(read: () => readonly T[] | null | undefined): T[] {
  const list = elements(read);
  return list === UNKNOWN ? [] : list.filter((item): item is T => item !== UNKNOWN);
}

/** Booleans some providers take as text (a launch template's EBS `encrypted` is "true"). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** JSON documents (IAM policies, ECS container definitions) arrive as text or as objects; undefined when unreadable. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** One value or a list of them, as IAM policy fields allow, as a list. */
export function asList<T>(value: T | readonly T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}

/** A value quoted for a violation message. */
export function shown(value: unknown): string {
  if (value === UNKNOWN) return "(unknown until the update)";
  if (value === undefined) return "not set";
  return JSON.stringify(value);
}
