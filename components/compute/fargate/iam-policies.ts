/** An IAM policy statement as AWS reads it. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Service: string };
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const document = (statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

const unique = (values: string[]) => [...new Set(values)];

/**
 * Lets ECS tasks assume a role, but only for tasks of this account (`aws:SourceAccount`), so another
 * account's task definition cannot name the role (the confused deputy problem).
 */
export function ecsTasksTrustPolicy(accountId: string): PolicyDocument {
  return document([
    {
      Sid: "EcsTasksOfThisAccount",
      Effect: "Allow",
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

export interface ExecutionRoleNeeds {
  /** The image's ECR repository, when it comes from ECR. */
  ecrRepositoryArn?: string;
  logGroupArn: string;
  secretsManagerArns: string[];
  parameterArns: string[];
  /** Customer managed key of the secrets. */
  kmsKeyArn?: string;
}

/**
 * What the ECS agent needs to start the task, and nothing else: pull this one image, write to this
 * one log group, read these secrets and parameters, and decrypt with this key when one is given.
 */
export function executionRolePolicy(needs: ExecutionRoleNeeds): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (needs.ecrRepositoryArn !== undefined) {
    statements.push(
      {
        Sid: "PullImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: needs.ecrRepositoryArn,
      },
      // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" here.
      { Sid: "LogInToEcr", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    );
  }
  statements.push({
    Sid: "WriteLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${needs.logGroupArn.replace(/:\*$/, "")}:log-stream:*`,
  });
  if (needs.secretsManagerArns.length > 0) {
    statements.push({
      Sid: "ReadSecrets",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: unique(needs.secretsManagerArns),
    });
  }
  if (needs.parameterArns.length > 0) {
    statements.push({
      Sid: "ReadParameters",
      Effect: "Allow",
      Action: "ssm:GetParameters",
      Resource: unique(needs.parameterArns),
    });
  }
  if (needs.kmsKeyArn !== undefined) {
    statements.push({ Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: needs.kmsKeyArn });
  }
  return document(statements);
}

export interface TaskRoleGrants {
  s3Read: string[];
  s3ReadWrite: string[];
  efs?: { fileSystemArn: string; accessPointArn: string; readOnly: boolean };
}

/**
 * The application's own permissions: only what `grants` and `efs` ask for, each on its named
 * resource. Undefined when nothing is granted, so the task role carries no policy at all.
 */
export function taskRolePolicy(grants: TaskRoleGrants): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  const buckets = unique([...grants.s3Read, ...grants.s3ReadWrite]);
  if (buckets.length > 0) {
    statements.push({ Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: buckets });
  }
  const readOnly = grants.s3Read.filter((bucket) => !grants.s3ReadWrite.includes(bucket));
  if (readOnly.length > 0) {
    statements.push({
      Sid: "ReadObjects",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: unique(readOnly).map((bucket) => `${bucket}/*`),
    });
  }
  if (grants.s3ReadWrite.length > 0) {
    statements.push({
      Sid: "ReadWriteObjects",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: unique(grants.s3ReadWrite).map((bucket) => `${bucket}/*`),
    });
  }
  if (grants.efs) {
    statements.push({
      Sid: "MountFileSystemThroughAccessPoint",
      Effect: "Allow",
      Action: grants.efs.readOnly
        ? "elasticfilesystem:ClientMount"
        : ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Resource: grants.efs.fileSystemArn,
      Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": grants.efs.accessPointArn } },
    });
  }
  return statements.length > 0 ? document(statements) : undefined;
}
