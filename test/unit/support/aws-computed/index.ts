import { cdnComputed } from "./cdn";
import { computeComputed } from "./compute";
import { databaseComputed } from "./database";
import { networkComputed } from "./network";
import { storageComputed } from "./storage";

export const MOCK_ACCOUNT = "123456789012";

/** What the provider computes for one resource type, from the resource's name and inputs. */
export type ComputedFields = (
  name: string,
  inputs: Record<string, unknown>,
  ids: { id: string; arn: string; region: string },
) => Record<string, unknown>;

const byType: Record<string, ComputedFields> = {
  ...networkComputed,
  ...computeComputed,
  ...databaseComputed,
  ...storageComputed,
  ...cdnComputed,
};

/** `aws:ec2/vpc:Vpc` -> ["ec2", "vpc"]. */
function serviceAndResource(type: string): [string, string] {
  const [, module = "index", resource = ""] = type.split(":");
  const service = module.split("/")[0] ?? module;
  return [service === "index" ? "iam" : service, resource.toLowerCase()];
}

/**
 * The fields an AWS provider returns beyond the inputs: an id shaped like the real one, an ARN in the
 * resource's region (the per-resource `region` input of @pulumi/aws v7, else the stack's), and the
 * type-specific fields a downstream resource reads (endpoints, DNS names, zone ids).
 */
export function awsComputedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  stackRegion: string,
): { id: string; state: Record<string, unknown> } {
  const [service, resource] = serviceAndResource(type);
  const region = typeof inputs.region === "string" ? inputs.region : stackRegion;
  const id = `${resource}-${name}`;
  const arn = `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}/${name}`;
  const extra = byType[type]?.(name, inputs, { id, arn, region }) ?? {};
  const computedId = typeof extra.id === "string" ? extra.id : id;
  return {
    id: computedId,
    state: { ...inputs, arn, region, tagsAll: inputs.tags, ...extra, id: computedId },
  };
}

/** Results of the data-source calls components make. */
export function awsCall(token: string, stackRegion: string): Record<string, unknown> | undefined {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/mock`,
        userId: "AIDAMOCK",
        id: MOCK_ACCOUNT,
      };
    case "aws:index/getRegion:getRegion":
      return {
        name: stackRegion,
        region: stackRegion,
        id: stackRegion,
        endpoint: `ec2.${stackRegion}.amazonaws.com`,
        description: stackRegion,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        names: ["a", "b", "c"].map((z) => `${stackRegion}${z}`),
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
        id: stackRegion,
      };
    default:
      return undefined;
  }
}
