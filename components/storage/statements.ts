import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { outputOr } from "./input-schemas";

type Statement = aws.iam.PolicyStatement;

/** A statement after every Output inside it has resolved: what goes into the policy JSON. */
export type ResolvedStatement = pulumi.Unwrap<Statement>;

const isOutput = (value: unknown) => pulumi.Output.isInstance(value);
const isText = (value: unknown) => (typeof value === "string" && value.length > 0) || isOutput(value);
const isTextOrList = (value: unknown) =>
  isText(value) || (Array.isArray(value) && value.length > 0 && value.every(isText));
const isPrincipal = (value: unknown) =>
  value === "*" ||
  isOutput(value) ||
  (typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.entries(value).every(([key, v]) => ["AWS", "Service", "Federated"].includes(key) && isTextOrList(v)));
const isCondition = (value: unknown) =>
  isOutput(value) ||
  (typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => isOutput(v) || (typeof v === "object" && v !== null && !Array.isArray(v))));

/** A statement field typed as @pulumi/aws types it, so an `aws.iam.PolicyStatement` is accepted as it is. */
function field<Key extends keyof Statement>(check: (value: unknown) => boolean, expected: string) {
  return z.custom<Statement[Key]>(check, { error: expected });
}

const textOrList = "a non-empty string or list of strings";

const statementObject = z
  .object({
    Sid: field<"Sid">(
      (v) => isOutput(v) || (typeof v === "string" && /^[A-Za-z0-9]+$/.test(v)),
      "a statement id of letters and digits",
    ).optional(),
    Effect: field<"Effect">((v) => v === "Allow" || v === "Deny" || isOutput(v), 'one of "Allow", "Deny"'),
    Principal: field<"Principal">(isPrincipal, '"*" or { AWS | Service | Federated: ... }').optional(),
    NotPrincipal: field<"NotPrincipal">(isPrincipal, '"*" or { AWS | Service | Federated: ... }').optional(),
    Action: field<"Action">(isTextOrList, textOrList).optional(),
    NotAction: field<"NotAction">(isTextOrList, textOrList).optional(),
    Resource: field<"Resource">(isTextOrList, textOrList).optional(),
    NotResource: field<"NotResource">(isTextOrList, textOrList).optional(),
    Condition: field<"Condition">(isCondition, "an object of condition operators, each an object of keys").optional(),
  })
  .strict();

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
/** `*` or a whole service (`s3:*`): a grant nobody can review. */
const isWildcardAction = (action: unknown) =>
  action === "*" || (typeof action === "string" && /^[\w-]+:\*$/.test(action));
const isEveryone = (principal: unknown) =>
  principal === "*" ||
  (typeof principal === "object" && principal !== null && listOf((principal as { AWS?: unknown }).AWS).includes("*"));

/**
 * A caller's policy statement, in the shape of `aws.iam.PolicyStatement` (values may be Outputs).
 * Plain values are checked for least privilege: an Allow names its actions (no `*`, no `s3:*`), uses
 * neither NotAction nor NotPrincipal, and is not granted to everyone without a condition. Statement
 * ids the component uses itself (`reservedSids`) are refused, so one document never has two.
 */
export function policyStatementSchema(reservedSids: readonly string[]) {
  return statementObject.superRefine((statement, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message, input: statement[path as keyof typeof statement] });
    if (statement.Action === undefined && statement.NotAction === undefined) {
      problem("Action", "Action or NotAction (a statement must name what it allows or denies)");
    }
    if (typeof statement.Sid === "string" && reservedSids.includes(statement.Sid)) {
      problem("Sid", `a statement id other than ${reservedSids.join(", ")} (the component's own statements)`);
    }
    if (statement.Effect !== "Allow") return;
    if (listOf(statement.Action).some(isWildcardAction)) {
      problem("Action", "named actions (least privilege: no '*' or '<service>:*' in an Allow)");
    }
    if (statement.NotAction !== undefined) problem("NotAction", "Action (an Allow with NotAction grants too much)");
    if (statement.NotPrincipal !== undefined) problem("NotPrincipal", "Principal (NotPrincipal is for Deny only)");
    if (isEveryone(statement.Principal) && statement.Condition === undefined) {
      problem("Principal", "a named principal, or a Condition that narrows '*' (a bare '*' makes it public)");
    }
  });
}

/** Extra statements, as a list (statements may hold Outputs) or as an Output of the whole list. */
export function policyStatementsInput(reservedSids: readonly string[]) {
  return outputOr(z.array(policyStatementSchema(reservedSids)));
}

/** Fills a caller statement's Resource when it names none, so it applies to `defaultResource`. */
export function withDefaultResource(
  statement: ResolvedStatement,
  defaultResource: string | string[],
): ResolvedStatement {
  if (statement.Resource !== undefined || statement.NotResource !== undefined) return statement;
  return { ...statement, Resource: defaultResource };
}

/** Refuses a merged document with two statements of one id (IAM rejects it, later and less clearly). */
export function assertUniqueSids(statements: readonly ResolvedStatement[], where: string): void {
  const seen = new Set<string>();
  for (const { Sid } of statements) {
    if (Sid === undefined || Sid === "") continue;
    if (seen.has(Sid)) throw new Error(`${where}: two statements have the Sid '${Sid}'; give each a distinct Sid.`);
    seen.add(Sid);
  }
}
