import * as pulumi from "@pulumi/pulumi";
import { isDomainName } from "../../components/dns/domain-name";
import type { LayerContext, LayerName } from "../layers";
import { upstreamStack } from "../upstream";

/** What the compute layer takes from the network, data and storage layers, checked before anything is created. */
export interface ComputeUpstream {
  network: {
    vpcId: string;
    /** For the internet-facing load balancer (two zones or more). */
    publicSubnetIds: string[];
    /** For the tasks, the EKS cluster and the workers (two zones or more). */
    privateSubnetIds: string[];
    hostedZoneId: string;
    domainName: string;
  };
  data: {
    databaseClientSecurityGroupId: string;
    /** The database's managed master user secret (JSON with username and password). */
    databaseSecretArn: string;
    /** The key that encrypts that secret. */
    databaseKmsKeyArn: string;
    cacheClientSecurityGroupId: string;
    /** The replication group and the IAM-authenticated user, for `elasticache:Connect`. */
    cacheArn: string;
    cacheUserArn: string;
  };
  storage: {
    assetsBucketArn: string;
    /** The key the assets bucket is encrypted with: reading its objects needs `kms:Decrypt` on it. */
    assetsKmsKeyArn: string;
    /** Read only when the service mounts the file system. */
    fileSystem?: { clientSecurityGroupId: string; fileSystemArn: string; accessPointIds: Record<string, string> };
  };
}

/** One output the layer reads: what it must look like, as a phrase for errors and as a test. */
interface Expectation {
  expected: string;
  valid(value: unknown): boolean;
}

const text = (pattern: RegExp) => (value: unknown) => typeof value === "string" && pattern.test(value);
const idList = (pattern: RegExp, minimum: number) => (value: unknown) =>
  Array.isArray(value) && value.length >= minimum && value.every(text(pattern));
const ACCOUNT_ARN = (service: string, rest: string) =>
  new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:${rest}$`);

/** Every output the compute layer reads, by upstream layer and name. */
export const EXPECTATIONS = {
  network: {
    vpcId: { expected: "a VPC id like vpc-0123456789abcdef0", valid: text(/^vpc-[0-9a-z-]+$/) },
    publicSubnetIds: {
      expected: "a list of at least two subnet ids (one per zone)",
      valid: idList(/^subnet-[0-9a-z-]+$/, 2),
    },
    privateSubnetIds: {
      expected: "a list of at least two subnet ids (one per zone)",
      valid: idList(/^subnet-[0-9a-z-]+$/, 2),
    },
    hostedZoneId: {
      expected: "a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ (set stackline:domainName there)",
      valid: text(/^Z[A-Z0-9]{1,31}$/),
    },
    domainName: {
      expected: "a domain name like example.com (set stackline:domainName there)",
      valid: (value) => typeof value === "string" && isDomainName(value),
    },
  },
  data: {
    databaseClientSecurityGroupId: { expected: "a security group id", valid: text(/^sg-[0-9a-z-]+$/) },
    databaseSecretArn: {
      expected: "a Secrets Manager secret ARN",
      valid: text(ACCOUNT_ARN("secretsmanager", "secret:.+")),
    },
    databaseKmsKeyArn: { expected: "a KMS key ARN", valid: text(ACCOUNT_ARN("kms", "key/[A-Za-z0-9-]+")) },
    cacheClientSecurityGroupId: { expected: "a security group id", valid: text(/^sg-[0-9a-z-]+$/) },
    cacheArn: {
      expected: "an ElastiCache replication group ARN",
      valid: text(ACCOUNT_ARN("elasticache", "replicationgroup:.+")),
    },
    cacheUserArn: { expected: "an ElastiCache user ARN", valid: text(ACCOUNT_ARN("elasticache", "user:.+")) },
  },
  storage: {
    assetsBucketArn: {
      expected: "an S3 bucket ARN",
      valid: text(/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    },
    assetsKmsKeyArn: { expected: "a KMS key ARN", valid: text(ACCOUNT_ARN("kms", "key/[A-Za-z0-9-]+")) },
    fileSystemClientSecurityGroupId: {
      expected: "a security group id (enable stackline:fileSystem there)",
      valid: text(/^sg-[0-9a-z-]+$/),
    },
    fileSystemArn: {
      expected: "an EFS file system ARN (enable stackline:fileSystem there)",
      valid: text(ACCOUNT_ARN("elasticfilesystem", "file-system/fs-[a-f0-9]+")),
    },
    fileSystemAccessPointIds: {
      expected: "a map of access point names to ids (fsap-...)",
      valid: (value) =>
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every(text(/^fsap-[a-f0-9]+$/)),
    },
  },
} as const satisfies Partial<Record<LayerName, Record<string, Expectation>>>;

type Upstream = keyof typeof EXPECTATIONS;

/** An upstream output the layer needs is missing or unusable. */
export interface UpstreamProblem {
  stack: string;
  layer: Upstream;
  output: string;
  expected: string;
  found: unknown;
}

/** Upstream stacks are missing outputs the compute layer needs; thrown before any resource is registered. */
export class UpstreamOutputError extends pulumi.RunError {
  readonly problems: UpstreamProblem[];

  constructor(problems: UpstreamProblem[]) {
    const lines = problems.map(
      (p) =>
        `  - output '${p.output}' of stack '${p.stack}': expected ${p.expected}, found ${JSON.stringify(p.found) ?? "nothing"}`,
    );
    const layers = [...new Set(problems.map((p) => p.layer))];
    super(
      `The compute layer cannot start: upstream outputs it needs are missing or unusable:\n${lines.join("\n")}\n` +
        `Deploy the ${layers.join(", ")} layer${layers.length > 1 ? "s" : ""} of this environment first (stackline up), then retry.`,
    );
    this.name = "UpstreamOutputError";
    this.problems = problems;
  }
}

/** The problem with one upstream value, or undefined when it is usable. */
export function checkUpstreamOutput(
  layer: Upstream,
  output: string,
  stack: string,
  value: unknown,
): UpstreamProblem | undefined {
  const expectation = (EXPECTATIONS[layer] as Record<string, Expectation>)[output];
  if (!expectation) throw new Error(`The compute layer has no check for output '${output}' of layer '${layer}'.`);
  return expectation.valid(value) ? undefined : { stack, layer, output, expected: expectation.expected, found: value };
}

/** The value of an upstream output. StackReference outputs are known in previews too, so this settles. */
function settledValue(output: pulumi.Output<unknown>): Promise<unknown> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

/**
 * Reads and checks every upstream output the compute layer uses, before it registers anything, so a
 * missing upstream stops the layer with one error naming each stack and output. Only ids and ARNs
 * are read (none of them secret), so nothing secret becomes plain text here.
 */
export async function computeUpstreamInputs(
  context: LayerContext,
  needs: { fileSystem: boolean },
): Promise<ComputeUpstream> {
  const wanted: Record<Upstream, string[]> = {
    network: Object.keys(EXPECTATIONS.network),
    data: Object.keys(EXPECTATIONS.data),
    storage: [
      "assetsBucketArn",
      "assetsKmsKeyArn",
      ...(needs.fileSystem ? ["fileSystemClientSecurityGroupId", "fileSystemArn", "fileSystemAccessPointIds"] : []),
    ],
  };
  const values: Record<string, Record<string, unknown>> = {};
  const problems: UpstreamProblem[] = [];
  for (const layer of Object.keys(wanted) as Upstream[]) {
    const stack = `${context.environment}-${layer}`;
    const reference = upstreamStack(context, layer);
    const read = await Promise.all(wanted[layer].map((name) => settledValue(reference.output(name))));
    values[layer] = Object.fromEntries(wanted[layer].map((name, i) => [name, read[i]]));
    wanted[layer].forEach((name, i) => {
      const problem = checkUpstreamOutput(layer, name, stack, read[i]);
      if (problem) problems.push(problem);
    });
  }
  if (problems.length > 0) throw new UpstreamOutputError(problems);

  // Checked above: the casts only restate what the expectations verified.
  const network = values.network as ComputeUpstream["network"];
  const data = values.data as ComputeUpstream["data"];
  const storage = values.storage as Record<string, unknown>;
  return {
    network,
    data,
    storage: {
      assetsBucketArn: storage.assetsBucketArn as string,
      assetsKmsKeyArn: storage.assetsKmsKeyArn as string,
      fileSystem: needs.fileSystem
        ? {
            clientSecurityGroupId: storage.fileSystemClientSecurityGroupId as string,
            fileSystemArn: storage.fileSystemArn as string,
            accessPointIds: storage.fileSystemAccessPointIds as Record<string, string>,
          }
        : undefined,
    },
  };
}
