/**
 * Elastic Load Balancing's own account in each region opened before August 2022: the principal that
 * writes a load balancer's access logs there. Newer regions use the log delivery service principal.
 * Published by AWS ("Enable access logs for your Application Load Balancer", bucket policy).
 */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

/** The principal of regions opened in August 2022 or later. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export interface ElbLogDelivery {
  bucketArn: string;
  /** The load balancer's `accessLogs.prefix`: ELB writes under `<prefix>/AWSLogs/<account>/`. */
  prefix: string;
  /** The account of the load balancer (ELB writes its logs under that account's folder). */
  accountId: string;
  region: string;
  partition: string;
}

/**
 * The bucket policy statement that lets Elastic Load Balancing write this account's access logs under
 * the load balancer's prefix, and nowhere else in the bucket.
 */
export function elbLogDeliveryStatement(delivery: ElbLogDelivery) {
  const elbAccount = ELB_ACCOUNT_BY_REGION[delivery.region];
  return {
    Sid: "AllowElbAccessLogDelivery",
    Effect: "Allow" as const,
    Principal: elbAccount
      ? { AWS: `arn:${delivery.partition}:iam::${elbAccount}:root` }
      : { Service: ELB_LOG_DELIVERY_SERVICE },
    Action: "s3:PutObject",
    Resource: `${delivery.bucketArn}/${delivery.prefix}/AWSLogs/${delivery.accountId}/*`,
  };
}
