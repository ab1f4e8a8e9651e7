import type { Policies } from "@pulumi/policy";
import { cdnPolicies } from "./cdn";
import { computePolicies } from "./compute";
import { databasePolicies } from "./database";
import { ecsPolicies } from "./ecs";
import { eksPolicies } from "./eks";
import { kmsPolicies } from "./kms";
import { loadBalancerPolicies } from "./load-balancer";
import { networkPolicies } from "./network";
import { storagePolicies } from "./storage";
import { taggingPolicies } from "./tagging";

/**
 * Every policy of the stackline-aws pack, by area. Importing this module does not start the policy
 * server (constructing the PolicyPack in index.ts does), so tests and tools can use the policies.
 */
export const policyAreas = {
  network: networkPolicies,
  compute: computePolicies,
  ecs: ecsPolicies,
  loadBalancer: loadBalancerPolicies,
  eks: eksPolicies,
  database: databasePolicies,
  storage: storagePolicies,
  kms: kmsPolicies,
  cdn: cdnPolicies,
  tagging: taggingPolicies,
} satisfies Record<string, Policies>;

export const stacklinePolicies: Policies = Object.values(policyAreas).flat();
