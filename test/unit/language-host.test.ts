import { ProgramInfo, RunRequest } from "@pulumi/pulumi/proto/language_pb";
import { describe, expect, it } from "vitest";
import { runArguments, toRuntimeConfig } from "../../engine/language-host/main.mjs";

describe("Stackline's Node.js language host", () => {
  it("passes config in the <namespace>:config:<name> form older SDKs read", () => {
    expect(
      toRuntimeConfig([
        ["stackline:namespaces", '[{"name":"web"}]'],
        ["aws:region", "eu-west-1"],
        ["kubernetes:config:context", "kind"],
      ]),
    ).toEqual({
      "stackline:config:namespaces": '[{"name":"web"}]',
      "aws:config:region": "eu-west-1",
      "kubernetes:config:context": "kind",
    });
    expect(() => toRuntimeConfig([["nonamespace", "x"]])).toThrow("config key 'nonamespace' has no namespace");
  });

  it("builds cmd/run's command line flag for flag like Pulumi's host", () => {
    const info = new ProgramInfo();
    info.setRootDirectory("/repo");
    info.setProgramDirectory("/repo");
    info.setEntryPoint(".");
    const req = new RunRequest();
    req.setMonitorAddress("127.0.0.1:1234");
    req.setOrganization("organization");
    req.setProject("stackline");
    req.setStack("local-platform");
    req.setDryrun(true);
    req.setParallel(16);
    req.setInfo(info);
    req.setArgsList(["extra"]);
    expect(runArguments(req, "/repo/node_modules/@pulumi/pulumi/cmd/run/index.js", "127.0.0.1:999")).toEqual([
      "/repo/node_modules/@pulumi/pulumi/cmd/run/index.js",
      "--monitor",
      "127.0.0.1:1234",
      "--engine",
      "127.0.0.1:999",
      "--organization",
      "organization",
      "--project",
      "stackline",
      "--root-directory",
      "/repo",
      "--stack",
      "local-platform",
      "--pwd",
      "/repo",
      "--dry-run",
      "--parallel",
      "16",
      ".",
      "extra",
    ]);
  });
});
