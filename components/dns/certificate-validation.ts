import type * as pulumi from "@pulumi/pulumi";
import { validationBaseName } from "./domain-name";

/** One validation record the certificate needs, for a name given as text or as an Output. */
export interface ValidationSlot<Name> {
  /** Stable suffix of the record's resource name: the domain (dots as dashes) when known, else its position. */
  key: string;
  name: Name;
}

/**
 * The validation records to create, one per name ACM validates separately. ACM validates `*.example.com`
 * and `example.com` with one CNAME, so names known as text are de-duplicated on their base name. Names
 * that are Outputs cannot be compared before deployment: each gets its own slot, keyed by position,
 * and `validationRecordFor` refuses two slots that resolve to the same record.
 */
export function planValidationSlots<Name>(
  names: readonly (string | Name)[],
  isKnown: (name: string | Name) => name is string,
): ValidationSlot<string | Name>[] {
  const seen = new Set<string>();
  const slots: ValidationSlot<string | Name>[] = [];
  names.forEach((name, index) => {
    if (!isKnown(name)) {
      slots.push({ key: `name${index}`, name });
      return;
    }
    const base = validationBaseName(name);
    if (seen.has(base)) return;
    seen.add(base);
    slots.push({ key: base.replaceAll(".", "-"), name });
  });
  return slots;
}

export interface DomainValidationOption {
  domainName: string;
  resourceRecordName: string;
  resourceRecordType: string;
  resourceRecordValue: string;
}

/** The record ACM asks for to validate `name`, from the certificate's domain validation options. */
export function validationRecordFor(options: readonly DomainValidationOption[], name: string): DomainValidationOption {
  const found =
    options.find((option) => option.domainName === name) ??
    options.find((option) => validationBaseName(option.domainName) === validationBaseName(name));
  if (!found) {
    const known = options.map((option) => option.domainName).join(", ");
    throw new Error(`ACM gave no DNS validation record for '${name}' (it gave records for: ${known || "none"}).`);
  }
  return found;
}

/** Fails when two names given as Outputs turned out to need the same validation record. */
export function assertDistinctRecords(records: readonly { name: string; recordName: string }[]): void {
  const byRecord = new Map<string, string>();
  for (const record of records) {
    const other = byRecord.get(record.recordName);
    if (other !== undefined) {
      throw new Error(
        `Certificate names '${other}' and '${record.name}' share the validation record ${record.recordName}: ` +
          "give one of them only, or pass them as plain strings so they are de-duplicated.",
      );
    }
    byRecord.set(record.recordName, record.name);
  }
}

export type NameInput = string | pulumi.Output<string>;
