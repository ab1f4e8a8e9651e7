import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../../aws/tags";
import { type LoadBalancerArgs, loadBalancerArgsSchema } from "./args";
import { loadBalancerIngress } from "./ingress";
import { parseLoadBalancingArgs } from "./resource-name";

export { type LoadBalancerArgs, loadBalancerArgsSchema, TLS_POLICIES } from "./args";

/**
 * What a service needs to sit behind a load balancer: its security group (the service allows
 * ingress from it and adds the matching egress to it), its HTTPS listener (the service adds a rule)
 * and its ARN suffix (for request-count autoscaling).
 */
export interface LoadBalancerAttachment {
  securityGroupId: pulumi.Output<string>;
  httpsListenerArn: pulumi.Output<string>;
  arnSuffix: pulumi.Output<string>;
}

/**
 * An Application Load Balancer that only speaks HTTPS: an HTTPS listener with a TLS 1.3 policy
 * (answering 404 until a service adds its rule), an optional port-80 listener that only redirects,
 * access logs to S3, invalid header fields dropped, deletion protection, an optional WAF web ACL,
 * and its own security group. The group's egress stays empty until a service attaches (see
 * `attachment`), so the load balancer can reach nothing but its targets' port.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  static readonly type = "stackline:compute:LoadBalancer";
  readonly loadBalancerArn: pulumi.Output<string>;
  /** The `app/<name>/<id>` part of the ARN, as CloudWatch metrics and scaling policies name it. */
  readonly arnSuffix: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  /** The Route 53 hosted zone of the DNS name, for alias records. */
  readonly zoneId: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  /** Pass as a FargateService's `loadBalancer` to put the service behind this load balancer. */
  readonly attachment: LoadBalancerAttachment;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseLoadBalancingArgs(LoadBalancer.type, name, "load balancer", loadBalancerArgsSchema, args);
    super(LoadBalancer.type, name, {}, opts);
    const child = { parent: this };
    const tags = standardTags(LoadBalancer.type, name, parsed.tags);

    // No inline rules: every rule is its own resource, so services can add egress without the
    // group's inline list removing it on the next update. The provider deletes AWS's default
    // allow-all egress rule when it creates the group.
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-alb`,
      {
        vpcId: parsed.vpcId,
        description: `Load balancer ${name}: HTTPS from clients, egress only to attached services`,
        revokeRulesOnDelete: true,
        tags: { ...tags, Name: `${name}-alb` },
      },
      child,
    );
    for (const rule of loadBalancerIngress(parsed)) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${rule.key}`,
        {
          securityGroupId: securityGroup.id,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          cidrIpv4: rule.cidr,
          description: rule.description,
          tags,
        },
        child,
      );
    }

    const loadBalancer = new aws.lb.LoadBalancer(
      name,
      {
        loadBalancerType: "application",
        internal: parsed.scheme === "internal",
        subnets: parsed.subnetIds,
        securityGroups: [securityGroup.id],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "defensive",
        enableDeletionProtection: parsed.deletionProtection,
        enableHttp2: true,
        // With a web ACL attached, a WAF outage blocks traffic rather than letting it through unfiltered.
        enableWafFailOpen: false,
        idleTimeout: parsed.idleTimeoutSeconds,
        accessLogs: {
          bucket: parsed.accessLogs.bucket,
          prefix: parsed.accessLogs.prefix ?? name,
          enabled: true,
        },
        tags,
      },
      child,
    );

    const https = new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: parsed.sslPolicy,
        certificateArn: parsed.certificateArn,
        defaultActions: [
          {
            type: "fixed-response",
            fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" },
          },
        ],
        tags,
      },
      child,
    );

    if (parsed.httpRedirect) {
      new aws.lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: loadBalancer.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
          tags,
        },
        child,
      );
    }

    if (parsed.webAclArn !== undefined) {
      new aws.wafv2.WebAclAssociation(
        `${name}-waf`,
        { resourceArn: loadBalancer.arn, webAclArn: parsed.webAclArn },
        child,
      );
    }

    this.loadBalancerArn = loadBalancer.arn;
    this.arnSuffix = loadBalancer.arnSuffix;
    this.dnsName = loadBalancer.dnsName;
    this.zoneId = loadBalancer.zoneId;
    this.securityGroupId = securityGroup.id;
    this.httpsListenerArn = https.arn;
    this.attachment = {
      securityGroupId: this.securityGroupId,
      httpsListenerArn: this.httpsListenerArn,
      arnSuffix: this.arnSuffix,
    };
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      securityGroupId: this.securityGroupId,
      httpsListenerArn: this.httpsListenerArn,
    });
  }
}
