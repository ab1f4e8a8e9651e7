import type * as aws from "@pulumi/aws";
import type { Policies } from "@pulumi/policy";
import { isSet, knownElements, peek, shown, UNKNOWN } from "./support/props";
import { described, refersTo, resourcesOf, validateTypes } from "./support/resources";

/** @pulumi/aws registers load balancers under two tokens: aws:lb/... and the alias aws:alb/... */
const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const LISTENER_RULES = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];

/**
 * ELB security policies offering TLS 1.2 and newer only: the TLS13-1-2/1-3, TLS-1-2 and FS-1-2
 * families (with their Res, Ext, FIPS and PQ variants). The default ELBSecurityPolicy-2016-08 and the
 * TLS13-1-0/1-1 and FS-2018 policies still accept TLS 1.0 or 1.1.
 */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

/** A listener's protocol; an unset one is HTTP, the Application Load Balancer default. */
function protocolOf(listener: { protocol?: string }): string {
  return (listener.protocol ?? "HTTP").toUpperCase();
}

interface Action {
  type?: string;
  redirect?: { protocol?: string };
}

/** The actions that do something other than redirect to HTTPS. */
function nonRedirects(actions: Action[]): Action[] {
  return actions.filter((action) => action.type !== "redirect" || action.redirect?.protocol?.toUpperCase() !== "HTTPS");
}

function isApplication(balancer: { loadBalancerType?: string }): boolean {
  return (balancer.loadBalancerType ?? "application") === "application";
}

export const loadBalancerPolicies: Policies = [
  {
    name: "alb-drop-invalid-headers",
    description:
      "Application Load Balancers drop HTTP headers with invalid names (dropInvalidHeaderFields), against request smuggling.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.lb.LoadBalancerArgs>(LOAD_BALANCERS, (balancer, args, report) => {
      if (!isApplication(balancer)) args.notApplicable("not an Application Load Balancer");
      if (balancer.dropInvalidHeaderFields !== true)
        report(`dropInvalidHeaderFields is ${shown(balancer.dropInvalidHeaderFields)} (must be true).`);
    }),
  },
  {
    name: "lb-deletion-protection",
    description: "Load balancers have deletion protection, so a mistaken destroy cannot take the service down.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.lb.LoadBalancerArgs>(LOAD_BALANCERS, (balancer, _args, report) => {
      if (balancer.enableDeletionProtection !== true)
        report(
          `enableDeletionProtection is ${shown(balancer.enableDeletionProtection)}. Set it to true (at least in production).`,
        );
    }),
  },
  {
    name: "alb-access-logs",
    description: "Application Load Balancers write access logs to S3.",
    enforcementLevel: "advisory",
    validateResource: validateTypes<aws.lb.LoadBalancerArgs>(LOAD_BALANCERS, (balancer, args, report) => {
      if (!isApplication(balancer)) args.notApplicable("not an Application Load Balancer");
      const logs = balancer.accessLogs;
      if (logs?.enabled !== true || !isSet(() => logs.bucket))
        report(
          "Access logs are off. Set accessLogs { bucket, enabled: true } (the bucket uses SSE-S3 and a policy letting the ELB log delivery write).",
        );
    }),
  },
  {
    name: "lb-listener-tls",
    description: "HTTPS and TLS listeners use an ELB security policy offering TLS 1.2 or newer only.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.lb.ListenerArgs>(LISTENERS, (listener, args, report) => {
      const protocol = protocolOf(listener);
      if (protocol !== "HTTPS" && protocol !== "TLS") args.notApplicable(`a ${protocol} listener`);
      const policy = peek(() => listener.sslPolicy);
      if (policy === UNKNOWN) return;
      if (typeof policy !== "string" || !MODERN_TLS_POLICY.test(policy))
        report(
          `sslPolicy is ${policy === undefined ? "not set (ELBSecurityPolicy-2016-08 accepts TLS 1.0)" : shown(policy)}. Use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy.`,
        );
    }),
  },
  {
    name: "lb-http-listener-redirects",
    description: "Plain HTTP listeners only redirect to HTTPS; they serve nothing over plain text.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes<aws.lb.ListenerArgs>(LISTENERS, (listener, args, report) => {
      if (protocolOf(listener) !== "HTTP") args.notApplicable("not an HTTP listener");
      const wrong = nonRedirects(knownElements(() => listener.defaultActions));
      if (wrong.length > 0)
        report(
          `This HTTP listener's default actions include ${wrong.map((a) => shown(a.type)).join(", ")}. Use a single redirect action with redirect.protocol "HTTPS" (statusCode "HTTP_301").`,
        );
    }),
  },
  {
    name: "lb-http-listener-rules-redirect",
    description: "Listener rules attached to plain HTTP listeners only redirect to HTTPS.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
      const httpListeners = resourcesOf(args, LISTENERS).filter((listener) => {
        const protocol = peek(() => listener.props.protocol);
        return protocol !== UNKNOWN && protocolOf({ protocol: protocol as string | undefined }) === "HTTP";
      });
      for (const rule of resourcesOf(args, LISTENER_RULES)) {
        const listener = httpListeners.find((l) => refersTo(rule, { property: "listenerArn" }, l, ["arn", "id"]));
        if (!listener) continue;
        const wrong = nonRedirects(knownElements(() => rule.props.actions as Action[]));
        if (wrong.length > 0)
          report(
            `${described(rule)} on HTTP ${described(listener)} has actions ${wrong.map((a) => shown(a.type)).join(", ")}. Attach it to the HTTPS listener, or make it redirect to HTTPS.`,
            rule.urn,
          );
      }
    },
  },
];
