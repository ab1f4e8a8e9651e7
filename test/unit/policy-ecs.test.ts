import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runsAsRoot } from "../../policy/ecs";
import { describeRules } from "./support/policy-harness";

const hardened = { name: "app", image: "nginx", readonlyRootFilesystem: true, privileged: false, user: "101:101" };

function task(name: string, container: Record<string, unknown>) {
  return new aws.ecs.TaskDefinition(name, {
    family: name,
    containerDefinitions: JSON.stringify([hardened, { ...hardened, name: "sidecar", ...container }]),
  });
}

const subnets = ["subnet-1"];

describe("runsAsRoot", () => {
  it.each([undefined, "", "root", "0", "0:0", "root:staff"])("%j is root", (user) => {
    expect(runsAsRoot(user)).toBe(true);
  });
  it.each(["1000", "1000:1000", "nginx", "101:0"])("%j is not root", (user) => {
    expect(runsAsRoot(user)).toBe(false);
  });
});

describeRules([
  {
    policy: "ecs-container-read-only-root",
    level: "mandatory",
    bad: [
      {
        name: "a container with a writable root filesystem",
        program: () => task("writable", { readonlyRootFilesystem: undefined }),
        blames: "writable",
        message: /Container "sidecar" has readonlyRootFilesystem not set/,
      },
    ],
    good: [{ name: "read-only containers", program: () => task("hardened", {}) }],
  },
  {
    policy: "ecs-container-not-privileged",
    level: "mandatory",
    bad: [
      {
        name: "a privileged container",
        program: () => task("privileged", { privileged: true }),
        blames: "privileged",
        message: /"sidecar" is privileged/,
      },
    ],
    good: [{ name: "unprivileged containers", program: () => task("hardened", {}) }],
  },
  {
    policy: "ecs-container-non-root-user",
    level: "mandatory",
    bad: [
      {
        name: "a container without user",
        program: () => task("rooted", { user: undefined }),
        blames: "rooted",
        message: /"sidecar" runs as root \(user not set\)/,
      },
    ],
    good: [
      {
        name: "containers with a non-root uid, definitions built from Outputs",
        program: () =>
          new aws.ecs.TaskDefinition("built", {
            family: "built",
            containerDefinitions: pulumi.jsonStringify([{ ...hardened, image: pulumi.output("repo/app:1") }]),
          }),
      },
    ],
  },
  {
    policy: "ecs-service-no-public-ip",
    level: "mandatory",
    bad: [
      {
        name: "a service assigning public IPs",
        program: () => new aws.ecs.Service("public", { networkConfiguration: { subnets, assignPublicIp: true } }),
        blames: "public",
        message: /assignPublicIp is true/,
      },
    ],
    good: [
      {
        name: "a service in private subnets",
        program: () => new aws.ecs.Service("private", { networkConfiguration: { subnets, assignPublicIp: false } }),
      },
    ],
  },
  {
    policy: "ecs-service-circuit-breaker",
    level: "advisory",
    bad: [
      {
        name: "a circuit breaker that does not roll back",
        program: () =>
          new aws.ecs.Service("no-rollback", { deploymentCircuitBreaker: { enable: true, rollback: false } }),
        blames: "no-rollback",
        message: /rollback: true/,
      },
    ],
    good: [
      {
        name: "enable and rollback; a CodeDeploy-controlled service",
        program: () => {
          new aws.ecs.Service("safe", { deploymentCircuitBreaker: { enable: true, rollback: true } });
          new aws.ecs.Service("blue-green", { deploymentController: { type: "CODE_DEPLOY" } });
        },
      },
    ],
  },
]);
