import { z } from "zod";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+${LABEL}$`);
const WILDCARD_DOMAIN = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)+${LABEL}$`);

/** True for a fully qualified, lower-case DNS name of at most 253 characters, without a trailing dot. */
export function isDomainName(value: string): boolean {
  return value.length <= 253 && DOMAIN.test(value);
}

/** A fully qualified, lower-case domain name such as `example.com` or `www.example.com`. */
export const domainName = z
  .string()
  .refine(isDomainName, "a lower-case domain name like example.com (labels of a-z, 0-9 and '-', no trailing dot)");

/** A domain name that may start with one wildcard label, as certificates allow (`*.example.com`). */
export const certificateDomainName = z
  .string()
  .refine(
    (value) => value.length <= 253 && WILDCARD_DOMAIN.test(value),
    "a lower-case domain name like example.com or *.example.com",
  );

/** The name ACM validates for a certificate name: `*.example.com` and `example.com` share one record. */
export function validationBaseName(name: string): string {
  return name.startsWith("*.") ? name.slice(2) : name;
}

/** `www` under `example.com` is `www.example.com`; an empty or `@` subdomain is the apex itself. */
export function recordFqdn(subdomain: string, zoneDomain: string): string {
  return subdomain === "" || subdomain === "@" ? zoneDomain : `${subdomain}.${zoneDomain}`;
}
