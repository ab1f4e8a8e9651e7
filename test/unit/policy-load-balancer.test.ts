import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { MODERN_TLS_POLICY } from "../../policy/load-balancer";
import { describeRules } from "./support/policy-harness";

const loadBalancerArn = "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/1";
const certificateArn = "arn:aws:acm:eu-west-1:1:certificate/c";
const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };
const forward = { type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web/1" };
const hostCondition = [{ hostHeader: { values: ["example.com"] } }];

describe("MODERN_TLS_POLICY", () => {
  it.each([
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  ])("accepts %s", (policy) => expect(MODERN_TLS_POLICY.test(policy)).toBe(true));
  it.each([
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-FS-2018-06",
  ])("refuses %s", (policy) => expect(MODERN_TLS_POLICY.test(policy)).toBe(false));
});

describeRules([
  {
    policy: "alb-drop-invalid-headers",
    level: "mandatory",
    bad: [
      {
        name: "an ALB keeping invalid headers (the default)",
        program: () => new aws.lb.LoadBalancer("web", { subnets: ["subnet-1"] }),
        blames: "web",
        message: /dropInvalidHeaderFields is not set/,
      },
      {
        name: "the same under the aws.alb alias",
        program: () => new aws.alb.LoadBalancer("alias", { dropInvalidHeaderFields: false }),
        blames: "alias",
      },
    ],
    good: [
      {
        name: "an ALB dropping them; a network load balancer",
        program: () => {
          new aws.lb.LoadBalancer("web", { dropInvalidHeaderFields: true });
          new aws.lb.LoadBalancer("tcp", { loadBalancerType: "network" });
        },
      },
    ],
  },
  {
    policy: "lb-deletion-protection",
    level: "advisory",
    bad: [
      {
        name: "no deletion protection",
        program: () => new aws.lb.LoadBalancer("web", {}),
        blames: "web",
        message: /enableDeletionProtection is not set/,
      },
    ],
    good: [
      {
        name: "deletion protection",
        program: () => new aws.lb.LoadBalancer("web", { enableDeletionProtection: true }),
      },
    ],
  },
  {
    policy: "alb-access-logs",
    level: "advisory",
    bad: [
      {
        name: "access logs configured but disabled",
        program: () => new aws.lb.LoadBalancer("web", { accessLogs: { bucket: "logs", enabled: false } }),
        blames: "web",
        message: /Access logs are off/,
      },
    ],
    good: [
      {
        name: "access logs to a bucket",
        program: () => {
          const logs = new aws.s3.Bucket("logs");
          new aws.lb.LoadBalancer("web", { accessLogs: { bucket: logs.bucket, enabled: true } });
        },
      },
    ],
  },
  {
    policy: "lb-listener-tls",
    level: "mandatory",
    bad: [
      {
        name: "an HTTPS listener with the default policy",
        program: () =>
          new aws.lb.Listener("https", {
            loadBalancerArn,
            protocol: "HTTPS",
            port: 443,
            certificateArn,
            defaultActions: [forward],
          }),
        blames: "https",
        message: /sslPolicy is not set \(ELBSecurityPolicy-2016-08 accepts TLS 1.0\)/,
      },
      {
        name: "a TLS listener allowing TLS 1.1",
        program: () =>
          new aws.lb.Listener("tls", {
            loadBalancerArn,
            protocol: "TLS",
            port: 443,
            certificateArn,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06",
            defaultActions: [forward],
          }),
        blames: "tls",
        message: /TLS13-1-1/,
      },
    ],
    good: [
      {
        name: "HTTPS with TLS 1.3/1.2",
        program: () =>
          new aws.lb.Listener("https", {
            loadBalancerArn,
            protocol: "HTTPS",
            port: 443,
            certificateArn,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            defaultActions: [forward],
          }),
      },
    ],
  },
  {
    policy: "lb-http-listener-redirects",
    level: "mandatory",
    bad: [
      {
        name: "an HTTP listener forwarding to targets",
        program: () =>
          new aws.lb.Listener("http", { loadBalancerArn, protocol: "HTTP", port: 80, defaultActions: [forward] }),
        blames: "http",
        message: /default actions include "forward"/,
      },
      {
        name: "a listener without protocol (HTTP) redirecting to HTTP",
        program: () =>
          new aws.alb.Listener("plain", {
            loadBalancerArn,
            port: 80,
            defaultActions: [
              { type: "redirect", redirect: { protocol: "HTTP", port: "8080", statusCode: "HTTP_302" } },
            ],
          }),
        blames: "plain",
      },
    ],
    good: [
      {
        name: "an HTTP listener redirecting to HTTPS",
        program: () =>
          new aws.lb.Listener("http", { loadBalancerArn, protocol: "HTTP", port: 80, defaultActions: [redirect] }),
      },
    ],
  },
  {
    policy: "lb-http-listener-rules-redirect",
    level: "mandatory",
    bad: [
      {
        name: "a forwarding rule on the HTTP listener",
        program: () => {
          const http = new aws.lb.Listener("http", {
            loadBalancerArn,
            protocol: "HTTP",
            port: 80,
            defaultActions: [redirect],
          });
          new aws.lb.ListenerRule("api", { listenerArn: http.arn, actions: [forward], conditions: hostCondition });
        },
        blames: "api",
        message: /on HTTP aws:lb\/listener:Listener "http" has actions "forward"/,
      },
      {
        name: "the same during a first preview",
        preview: true,
        program: () => {
          const http = new aws.lb.Listener("http", {
            loadBalancerArn,
            protocol: "HTTP",
            port: 80,
            defaultActions: [redirect],
          });
          new aws.lb.ListenerRule("api", { listenerArn: http.arn, actions: [forward], conditions: hostCondition });
        },
        blames: "api",
      },
    ],
    good: [
      {
        name: "forwarding rules on the HTTPS listener",
        program: () => {
          new aws.lb.Listener("http", { loadBalancerArn, protocol: "HTTP", port: 80, defaultActions: [redirect] });
          const https = new aws.lb.Listener("https", {
            loadBalancerArn,
            protocol: "HTTPS",
            port: 443,
            certificateArn,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            defaultActions: [forward],
          });
          new aws.lb.ListenerRule("api", { listenerArn: https.arn, actions: [forward], conditions: hostCondition });
        },
      },
    ],
  },
]);
