import { Cache } from "../../components/database/cache";
import { RelationalDatabase } from "../../components/database/relational-database";
import { readConfig } from "../config";
import type { LayerProgram } from "../layers";
import { upstreamStack } from "../upstream";
import { dataConfigSchema } from "./config";
import { networkInputs } from "./network-inputs";

/**
 * The data layer: a relational database and a cache in the network layer's isolated subnets, each
 * reachable only through its client security group, which downstream layers attach.
 */
const program: LayerProgram = async (context) => {
  const config = readConfig("stackline", dataConfigSchema);
  const network = networkInputs(upstreamStack(context, "network"), `${context.environment}-network`);
  const placement = { vpcId: network.vpcId, subnetIds: network.isolatedSubnetIds, tags: config.tags };

  const database = new RelationalDatabase("database", {
    ...placement,
    ...config.database,
    production: config.production,
    protect: config.production,
  });
  const cache = new Cache("cache", { ...placement, ...config.cache, protect: config.production });

  return {
    databaseEndpoint: database.endpoint,
    databasePort: database.port,
    databaseSecretArn: database.secretArn,
    // The key RDS encrypts the managed secret with: readers of the secret need kms:Decrypt on it.
    databaseKmsKeyArn: database.kmsKeyArn,
    databaseClientSecurityGroupId: database.clientSecurityGroupId,
    cacheEndpoint: cache.primaryEndpoint,
    cacheClientSecurityGroupId: cache.clientSecurityGroupId,
    // What a client needs to sign in to the cache with IAM (elasticache:Connect on both ARNs).
    cacheUserName: cache.userName,
    cacheArn: cache.arn,
    cacheUserArn: cache.userArn,
  };
};

export default program;
