export { parseAvailabilityZone } from "./availability-zones";
export { planSubnets, SUBNET_TIERS, type SubnetPlan, SubnetPlanError, type SubnetTier, TIER_LAYOUT } from "./cidr-plan";
export { SecurityGroup, type SecurityGroupArgs, securityGroupArgsSchema } from "./security-group";
export { type EgressRule, egressRuleSchema, type IngressRule, ingressRuleSchema } from "./security-group-rules";
export { Vpc } from "./vpc";
export { LOG_RETENTION_DAYS, NAT_STRATEGIES, type NatStrategy, type VpcArgs, vpcArgsSchema } from "./vpc-args";
