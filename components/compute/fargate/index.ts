import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptedLogGroup } from "../../aws/encrypted-log-group";
import { standardTags } from "../../aws/tags";
import { parseLoadBalancingArgs } from "../alb/resource-name";
import { type FargateServiceArgs, fargateServiceArgsSchema, type ParsedFargateServiceArgs } from "./args";
import { containerDefinition, EFS_VOLUME_NAME, type ResolvedSecret, writableVolumeName } from "./container-definition";
import { ecrRepositoryArn } from "./ecr";
import { ecsTasksTrustPolicy, executionRolePolicy, taskRolePolicy } from "./iam-policies";
import { type PlannedRule, serviceSecurityGroupRules } from "./security-group-rules";

export { DEFAULT_EGRESS, type FargateServiceArgs, fargateServiceArgsSchema, LOG_RETENTION_DAYS } from "./args";

/** The last `/`-separated part of an ARN: a cluster's name, a file system's or access point's id. */
const lastSegment = (value: pulumi.Input<string>) => pulumi.output(value).apply((v) => v.split("/").pop() ?? v);

/**
 * An HTTP service on ECS Fargate behind a LoadBalancer: a cluster with Container Insights (unless
 * one is given), a hardened task definition (read-only root filesystem, non-root user, no
 * capabilities), separate least-privilege execution and task roles, secrets read by ECS from
 * Secrets Manager or SSM, a log group with retention, a rolling deployment with circuit-breaker
 * rollback, tasks in private subnets without public IPs, an IP target group behind the HTTPS
 * listener, security groups that connect only the load balancer and the service, and CPU (and
 * optionally request-count) target-tracking autoscaling.
 */
export class FargateService extends pulumi.ComponentResource {
  static readonly type = "stackline:compute:FargateService";
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly serviceArn: pulumi.Output<string>;
  /** The application's role: add grants here, not to the execution role. */
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  /** The tasks' own security group; a server may allow ingress from it. */
  readonly securityGroupId: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed: ParsedFargateServiceArgs = parseLoadBalancingArgs(
      FargateService.type,
      name,
      "target group",
      fargateServiceArgsSchema,
      args,
    );
    super(FargateService.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(FargateService.type, name, parsed.tags);
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;

    // Cluster.
    let clusterArn: pulumi.Output<string>;
    let clusterName: pulumi.Output<string>;
    if (parsed.clusterArn !== undefined) {
      clusterArn = pulumi.output(parsed.clusterArn);
      clusterName = lastSegment(parsed.clusterArn);
    } else {
      const cluster = new aws.ecs.Cluster(
        name,
        { settings: [{ name: "containerInsights", value: parsed.containerInsights }], tags },
        child,
      );
      clusterArn = cluster.arn;
      clusterName = cluster.name;
    }

    // Logs.
    const logGroupName = `/ecs/${pulumi.getStack()}/${name}`;
    // Application logs may carry personal data: encrypted with a customer key, the caller's or one of their own.
    const logGroup =
      parsed.logs.kmsKeyArn !== undefined
        ? new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: logGroupName, retentionInDays: parsed.logs.retentionDays, kmsKeyId: parsed.logs.kmsKeyArn, tags },
            child,
          )
        : encryptedLogGroup(this, `${name}-logs`, {
            logGroupName,
            retentionInDays: parsed.logs.retentionDays,
            what: `the ${name} service's container logs`,
            tags,
            protect: false,
          }).logGroup;

    // Roles: the execution role is the ECS agent's (pull, logs, secrets); the task role is the application's.
    const trust = accountId.apply((id) => JSON.stringify(ecsTasksTrustPolicy(id)));
    const executionRole = new aws.iam.Role(
      `${name}-execution`,
      { description: `ECS agent of ${name}: pull the image, write logs, read secrets`, assumeRolePolicy: trust, tags },
      child,
    );
    const secrets = Object.entries(parsed.secrets).map(([secretName, secret]) => ({ name: secretName, ...secret }));
    new aws.iam.RolePolicy(
      `${name}-execution`,
      {
        role: executionRole.name,
        policy: pulumi
          .output({
            logGroupArn: logGroup.arn,
            secretsManagerArns: secrets.filter((s) => s.store === "secretsmanager").map((s) => s.arn),
            parameterArns: secrets.filter((s) => s.store === "ssm").map((s) => s.arn),
            kmsKeyArn: parsed.secretsKmsKeyArn,
          })
          .apply((needs) =>
            JSON.stringify(executionRolePolicy({ ...needs, ecrRepositoryArn: ecrRepositoryArn(parsed.image) })),
          ),
      },
      child,
    );
    const taskRole = new aws.iam.Role(
      `${name}-task`,
      { description: `Application ${name}: only the grants it was given`, assumeRolePolicy: trust, tags },
      child,
    );
    this.addTaskRolePolicy(name, parsed, taskRole);

    // Task definition.
    const resolvedSecrets: pulumi.Output<ResolvedSecret[]> = pulumi.output(secrets);
    const containerDefinitions = pulumi
      .all([resolvedSecrets, logGroup.name, logGroup.region])
      .apply(([resolved, logGroupName, region]) =>
        JSON.stringify([
          containerDefinition({
            name: parsed.containerName,
            image: parsed.image,
            port: parsed.containerPort,
            user: parsed.user,
            environment: parsed.environment,
            secrets: resolved,
            writablePaths: parsed.writablePaths,
            efs: parsed.efs,
            logGroupName,
            region,
          }),
        ]),
      );
    const volumes: aws.types.input.ecs.TaskDefinitionVolume[] = parsed.writablePaths.map((path) => ({
      name: writableVolumeName(path),
    }));
    if (parsed.efs) {
      volumes.push({
        name: EFS_VOLUME_NAME,
        efsVolumeConfiguration: {
          fileSystemId: lastSegment(parsed.efs.fileSystemArn),
          transitEncryption: "ENABLED",
          authorizationConfig: { accessPointId: lastSegment(parsed.efs.accessPointArn), iam: "ENABLED" },
        },
      });
    }
    const taskDefinition = new aws.ecs.TaskDefinition(
      name,
      {
        family: `${pulumi.getStack()}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-"),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(parsed.cpu),
        memory: String(parsed.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: parsed.cpuArchitecture },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions,
        volumes,
        tags,
      },
      child,
    );

    // Network: the service's group, connected to the load balancer's group in both directions.
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-service`,
      {
        vpcId: parsed.vpcId,
        description: `Service ${name}: ingress only from its load balancer`,
        revokeRulesOnDelete: true,
        tags: { ...tags, Name: `${name}-service` },
      },
      child,
    );
    const plan = serviceSecurityGroupRules({
      serviceName: name,
      containerPort: parsed.containerPort,
      loadBalancerSecurityGroupId: parsed.loadBalancer.securityGroupId,
      serviceSecurityGroupId: securityGroup.id,
      egress: parsed.egress,
    });
    const rule = (planned: PlannedRule, securityGroupId: pulumi.Input<string>) => ({
      securityGroupId,
      ipProtocol: planned.protocol,
      fromPort: planned.port,
      toPort: planned.port,
      cidrIpv4: planned.cidr,
      referencedSecurityGroupId: planned.securityGroupId,
      prefixListId: planned.prefixListId,
      description: planned.description,
      tags,
    });
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-${plan.ingressFromLoadBalancer.key}`,
      rule(plan.ingressFromLoadBalancer, securityGroup.id),
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-${plan.loadBalancerEgress.key}`,
      rule(plan.loadBalancerEgress, parsed.loadBalancer.securityGroupId),
      child,
    );
    for (const egress of plan.egress) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-${egress.key}`, rule(egress, securityGroup.id), child);
    }

    // Load balancing.
    const targetGroup = new aws.lb.TargetGroup(
      name,
      {
        vpcId: parsed.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: parsed.containerPort,
        deregistrationDelay: parsed.deregistrationDelaySeconds,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: parsed.healthCheck.path,
          matcher: parsed.healthCheck.matcher,
          interval: parsed.healthCheck.intervalSeconds,
          timeout: parsed.healthCheck.timeoutSeconds,
          healthyThreshold: parsed.healthCheck.healthyThreshold,
          unhealthyThreshold: parsed.healthCheck.unhealthyThreshold,
        },
        tags,
      },
      child,
    );
    const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
    if (parsed.listenerRule.pathPatterns.length > 0) {
      conditions.push({ pathPattern: { values: parsed.listenerRule.pathPatterns } });
    }
    if (parsed.listenerRule.hostHeaders.length > 0) {
      conditions.push({ hostHeader: { values: parsed.listenerRule.hostHeaders } });
    }
    const listenerRule = new aws.lb.ListenerRule(
      name,
      {
        listenerArn: parsed.loadBalancer.httpsListenerArn,
        priority: parsed.listenerRule.priority,
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        conditions,
        tags,
      },
      child,
    );

    // Service.
    const service = new aws.ecs.Service(
      name,
      {
        cluster: clusterArn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        desiredCount: parsed.autoScaling.minCapacity,
        deploymentCircuitBreaker: { enable: true, rollback: parsed.deployment.rollback },
        deploymentMinimumHealthyPercent: parsed.deployment.minimumHealthyPercent,
        deploymentMaximumPercent: parsed.deployment.maximumPercent,
        healthCheckGracePeriodSeconds: parsed.healthCheck.gracePeriodSeconds,
        networkConfiguration: {
          subnets: parsed.subnetIds,
          securityGroups: [securityGroup.id, ...parsed.clientSecurityGroupIds],
          assignPublicIp: false,
        },
        loadBalancers: [
          { targetGroupArn: targetGroup.arn, containerName: parsed.containerName, containerPort: parsed.containerPort },
        ],
        enableExecuteCommand: false,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        tags,
      },
      // The autoscaler owns the task count after creation; the target group must be behind the
      // listener before ECS registers tasks in it.
      { parent: this, dependsOn: [listenerRule], ignoreChanges: ["desiredCount"] },
    );

    // Autoscaling.
    const scalable = new aws.appautoscaling.Target(
      name,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${clusterName}/${service.name}`,
        minCapacity: parsed.autoScaling.minCapacity,
        maxCapacity: parsed.autoScaling.maxCapacity,
        tags,
      },
      child,
    );
    const scaling = parsed.autoScaling;
    const targetTracking = (metric: string, targetValue: number, resourceLabel?: pulumi.Input<string>) => ({
      policyType: "TargetTrackingScaling",
      serviceNamespace: scalable.serviceNamespace,
      scalableDimension: scalable.scalableDimension,
      resourceId: scalable.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        targetValue,
        scaleInCooldown: scaling.scaleInCooldownSeconds,
        scaleOutCooldown: scaling.scaleOutCooldownSeconds,
      },
    });
    new aws.appautoscaling.Policy(
      `${name}-cpu`,
      targetTracking("ECSServiceAverageCPUUtilization", scaling.cpuTargetPercent),
      child,
    );
    if (scaling.requestsPerTarget !== undefined && parsed.loadBalancer.arnSuffix !== undefined) {
      new aws.appautoscaling.Policy(
        `${name}-requests`,
        targetTracking(
          "ALBRequestCountPerTarget",
          scaling.requestsPerTarget,
          pulumi.interpolate`${parsed.loadBalancer.arnSuffix}/${targetGroup.arnSuffix}`,
        ),
        child,
      );
    }

    this.clusterName = clusterName;
    this.clusterArn = clusterArn;
    this.serviceName = service.name;
    this.serviceArn = service.arn;
    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRole.arn;
    this.securityGroupId = securityGroup.id;
    this.targetGroupArn = targetGroup.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      serviceName: this.serviceName,
      serviceArn: this.serviceArn,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      securityGroupId: this.securityGroupId,
      targetGroupArn: this.targetGroupArn,
      logGroupName: this.logGroupName,
    });
  }

  /** The task role's inline policy, only when something is granted. */
  private addTaskRolePolicy(name: string, parsed: ParsedFargateServiceArgs, role: aws.iam.Role): void {
    const { s3Read, s3ReadWrite } = parsed.grants;
    if (s3Read.length === 0 && s3ReadWrite.length === 0 && parsed.efs === undefined) return;
    const efs = parsed.efs;
    new aws.iam.RolePolicy(
      `${name}-task`,
      {
        role: role.name,
        policy: pulumi
          .output({
            s3Read,
            s3ReadWrite,
            efs: efs && {
              fileSystemArn: efs.fileSystemArn,
              accessPointArn: efs.accessPointArn,
              readOnly: efs.readOnly,
            },
          })
          .apply((grants) => JSON.stringify(taskRolePolicy(grants))),
      },
      { parent: this },
    );
  }
}
