import { describe, expect, it } from "vitest";
import { loadBalancerIngress } from "../../components/compute/alb/ingress";
import { isCanonicalIpv4Cidr } from "../../components/compute/alb/input-schemas";
import { loadBalancingNameProblems } from "../../components/compute/alb/resource-name";

describe("isCanonicalIpv4Cidr", () => {
  it.each(["0.0.0.0/0", "10.0.0.0/8", "10.20.0.0/16", "192.168.1.128/25", "203.0.113.7/32"])("accepts %s", (cidr) => {
    expect(isCanonicalIpv4Cidr(cidr)).toBe(true);
  });

  it.each([
    ["10.0.0.1/16", "host bits set"],
    ["256.0.0.0/8", "an octet above 255"],
    ["10.0.0.0/33", "a prefix above 32"],
    ["10.0.0.0", "no prefix"],
    ["::/0", "IPv6"],
    [" 10.0.0.0/8", "surrounding space"],
  ])("refuses %s (%s)", (cidr) => {
    expect(isCanonicalIpv4Cidr(cidr)).toBe(false);
  });
});

describe("loadBalancerIngress", () => {
  it("opens 443 and 80 to the world for an internet-facing load balancer, and only then", () => {
    expect(loadBalancerIngress({ scheme: "internet-facing", httpRedirect: true })).toEqual([
      { key: "https-0-0-0-0-0", port: 443, cidr: "0.0.0.0/0", description: "HTTPS from clients in 0.0.0.0/0" },
      {
        key: "http-0-0-0-0-0",
        port: 80,
        cidr: "0.0.0.0/0",
        description: "HTTP from clients, redirected to HTTPS in 0.0.0.0/0",
      },
    ]);
  });

  it("takes the VPC CIDR for an internal load balancer, and never the world", () => {
    const rules = loadBalancerIngress({ scheme: "internal", vpcCidrBlock: "10.20.0.0/16", httpRedirect: false });
    expect(rules).toEqual([
      { key: "https-vpc", port: 443, cidr: "10.20.0.0/16", description: "HTTPS from clients in 10.20.0.0/16" },
    ]);
    expect(() => loadBalancerIngress({ scheme: "internal", httpRedirect: true })).toThrow(/vpcCidrBlock/);
  });

  it("names rules by port and source, so adding a CIDR does not rename the others", () => {
    const one = loadBalancerIngress({
      scheme: "internet-facing",
      ingressCidrs: ["198.51.100.0/24"],
      httpRedirect: false,
    });
    const two = loadBalancerIngress({
      scheme: "internet-facing",
      ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
      httpRedirect: false,
    });
    expect(two.map((r) => r.key)).toEqual(expect.arrayContaining(one.map((r) => r.key)));
    expect(two.map((r) => r.key)).toEqual(["https-203-0-113-0-24", "https-198-51-100-0-24"]);
  });
});

describe("loadBalancingNameProblems", () => {
  it("accepts short names of letters, digits and '-'", () => {
    expect(loadBalancingNameProblems("web", "load balancer")).toEqual([]);
    expect(loadBalancingNameProblems("a".repeat(24), "target group")).toEqual([]);
  });

  it("refuses long names, other characters and edge hyphens", () => {
    for (const name of ["a".repeat(25), "web_app", "-web", "web-", ""]) {
      expect(loadBalancingNameProblems(name, "target group").map((p) => p.path)).toEqual(["(name)"]);
    }
  });

  it("refuses 'internal' only where AWS does: for load balancers", () => {
    expect(loadBalancingNameProblems("internal", "load balancer")).toHaveLength(1);
    expect(loadBalancingNameProblems("Internal-api", "load balancer")).toHaveLength(1);
    expect(loadBalancingNameProblems("internals", "load balancer")).toEqual([]);
    expect(loadBalancingNameProblems("internal-api", "target group")).toEqual([]);
  });
});
