import { describe, expect, it } from "vitest";
import {
  flowLogGroupName,
  flowLogKeyPolicy,
  flowLogRolePolicy,
  KEY_ADMINISTRATION_ACTIONS,
} from "../../components/network/flow-log-policies";

const china = {
  partition: "aws-cn",
  dnsSuffix: "amazonaws.com.cn",
  region: "cn-north-1",
  accountId: "210987654321",
  logGroupName: "/stackline/prod-network/prod/vpc-flow-logs",
};
const chinaGroupArn = "arn:aws-cn:logs:cn-north-1:210987654321:log-group:/stackline/prod-network/prod/vpc-flow-logs";

describe("flow log policies", () => {
  it("name the log group from project, stack and component, keeping only characters log groups allow", () => {
    expect(flowLogGroupName("stackline", "prod-network", "prod")).toBe("/stackline/prod-network/prod/vpc-flow-logs");
    expect(flowLogGroupName("stackline", "dev-network", "main vpc:1")).toBe(
      "/stackline/dev-network/main-vpc-1/vpc-flow-logs",
    );
  });

  it("follow the partition: ARNs and the logs service principal", () => {
    const [admin, logs] = flowLogKeyPolicy(china).Statement;
    expect(admin?.Principal).toEqual({ AWS: "arn:aws-cn:iam::210987654321:root" });
    expect(logs?.Principal).toEqual({ Service: "logs.cn-north-1.amazonaws.com.cn" });
    expect(logs?.Condition).toEqual({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": chinaGroupArn } });
    expect(flowLogRolePolicy(china).Statement[0]?.Resource).toEqual([chinaGroupArn, `${chinaGroupArn}:*`]);
  });

  it("never grant a wildcard action, and keep data use of the key to CloudWatch Logs", () => {
    const actions = [
      ...flowLogKeyPolicy(china).Statement.flatMap((s) => s.Action),
      ...flowLogRolePolicy(china).Statement.flatMap((s) => s.Action),
    ];
    expect(actions.filter((action) => action.includes("*"))).toEqual([]);
    const dataActions = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"];
    expect(KEY_ADMINISTRATION_ACTIONS.filter((a) => dataActions.includes(a))).toEqual([]);
  });
});
