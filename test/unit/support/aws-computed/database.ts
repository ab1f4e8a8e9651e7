import type { ComputedFields } from "./index";

/** Provider-computed fields of the database module's resource types. */
export const databaseComputed: Record<string, ComputedFields> = {
  "aws:rds/instance:Instance": (name, inputs, { region }) => ({
    address: `${name}.cabcdefghijk.${region}.rds.amazonaws.com`,
    endpoint: `${name}.cabcdefghijk.${region}.rds.amazonaws.com:${String(inputs.port ?? 5432)}`,
    port: inputs.port ?? 5432,
    resourceId: `db-${name.toUpperCase()}`,
    masterUserSecrets: inputs.manageMasterUserPassword
      ? [
          {
            secretArn: `arn:aws:secretsmanager:${region}:123456789012:secret:rds!db-${name}`,
            secretStatus: "active",
            kmsKeyId: inputs.masterUserSecretKmsKeyId,
          },
        ]
      : [],
  }),
  "aws:rds/subnetGroup:SubnetGroup": (name, inputs) => ({ id: String(inputs.name ?? name), name: inputs.name ?? name }),
  "aws:rds/parameterGroup:ParameterGroup": (name, inputs) => ({
    id: String(inputs.name ?? name),
    name: inputs.name ?? name,
  }),
  "aws:elasticache/replicationGroup:ReplicationGroup": (name, inputs, { region }) => ({
    primaryEndpointAddress: `master.${name}.abcdef.use1.cache.amazonaws.com`,
    readerEndpointAddress: `replica.${name}.abcdef.use1.cache.amazonaws.com`,
    port: inputs.port ?? 6379,
    arn: `arn:aws:elasticache:${region}:123456789012:replicationgroup:${name}`,
  }),
  "aws:elasticache/subnetGroup:SubnetGroup": (name, inputs) => ({
    id: String(inputs.name ?? name),
    name: inputs.name ?? name,
  }),
  "aws:elasticache/user:User": (name, inputs, { region }) => ({
    id: String(inputs.userId ?? name),
    arn: `arn:aws:elasticache:${region}:123456789012:user:${String(inputs.userId ?? name)}`,
  }),
  "aws:elasticache/userGroup:UserGroup": (name, inputs, { region }) => ({
    id: String(inputs.userGroupId ?? name),
    arn: `arn:aws:elasticache:${region}:123456789012:usergroup:${String(inputs.userGroupId ?? name)}`,
  }),
  "aws:secretsmanager/secret:Secret": (name, _inputs, { region }) => ({
    arn: `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-AbCdEf`,
  }),
};
