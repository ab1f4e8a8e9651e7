import type {
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import { peek, UNKNOWN } from "./props";

/** A resource validation that knows which type tokens it judges. */
export type TypedValidation = ResourceValidation & { readonly types: readonly string[] };

/**
 * A resource validation for the given type tokens, with the resource's inputs typed by its Args
 * interface. Takes several tokens because @pulumi/aws registers some resources twice (`aws:lb/...`
 * and its alias `aws:alb/...`); other types are reported as not applicable, as the SDK's
 * `validateResourceOfType` does.
 */
export function validateTypes<TArgs>(
  types: readonly string[],
  validate: (props: Unwrap<TArgs>, args: ResourceValidationArgs, report: ReportViolation) => void,
): TypedValidation {
  const validation: ResourceValidation = (args, report) => {
    if (!types.includes(args.type)) args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
    return validate(args.props as Unwrap<TArgs>, args, report);
  };
  // With one token, the SDK's server skips other types without calling the validation at all.
  if (types.length === 1) Object.assign(validation, { __pulumiType: types[0] });
  return Object.assign(validation, { types });
}

/**
 * One validation made of several typed ones: runs those that judge the resource's type, and reports
 * the policy not applicable (once) when none does. Passing the SDK an array instead would report a
 * judged resource as also "not applicable" by the array's other members.
 */
export function validateAnyOf(...validations: TypedValidation[]): ResourceValidation {
  const types = validations.flatMap((validation) => validation.types);
  return async (args, report) => {
    const matching = validations.filter((validation) => validation.types.includes(args.type));
    if (matching.length === 0) args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
    for (const validation of matching) await validation(args, report);
  };
}

/** The stack's resources of the given types. */
export function resourcesOf(args: StackValidationArgs, types: readonly string[]): PolicyResource[] {
  return args.resources.filter((resource) => types.includes(resource.type));
}

/** How a resource refers to another: which property, and how to read its value. */
export interface Reference {
  /** The top-level property the engine records dependencies for (`vpcId`, `bucket`, `accessLogs`). */
  property: string;
  /** Reads the referring value when it sits deeper (`accessLogs.bucket`). @default props[property] */
  value?: (props: Record<string, unknown>) => unknown;
}

/**
 * True when `resource` refers to `target` through `reference`. During a preview a new resource's id
 * is unknown, so the engine's record of the resources each property was computed from
 * (`propertyDependencies`) decides; otherwise (after an update, or when the id was written as text)
 * the property's value is compared with the target's identifying outputs (`id`, `arn`, a bucket's name).
 */
export function refersTo(
  resource: PolicyResource,
  reference: Reference,
  target: PolicyResource,
  identifiers: readonly string[],
): boolean {
  const dependencies = resource.propertyDependencies[reference.property] ?? [];
  if (dependencies.some((dependency) => dependency.urn === target.urn)) return true;
  const read = reference.value ?? ((props: Record<string, unknown>) => props[reference.property]);
  const value = peek(() => read(resource.props));
  if (typeof value !== "string" || value === "") return false;
  return identifiers.some((key) => {
    const identifier = peek(() => target.props[key]);
    return identifier !== UNKNOWN && identifier === value;
  });
}

/** The resources of `types` that refer to `target` through `reference`. */
export function referrers(
  args: StackValidationArgs,
  types: readonly string[],
  reference: Reference,
  target: PolicyResource,
  identifiers: readonly string[],
): PolicyResource[] {
  return resourcesOf(args, types).filter((resource) => refersTo(resource, reference, target, identifiers));
}

/** A resource named for a violation message: its type and name. */
export function described(resource: PolicyResource): string {
  return `${resource.type} "${resource.name}"`;
}
