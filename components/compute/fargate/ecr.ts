/**
 * The ECR repository an image is pulled from, as an ARN, or undefined for any other registry
 * (public registries need no IAM permission; the execution role then gets no ECR statements).
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2.3` ->
 * `arn:aws:ecr:eu-west-1:123456789012:repository/team/app`.
 */
export function ecrRepositoryArn(image: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/(.+)$/.exec(image);
  if (!match) return undefined;
  const [, account, region = "", china, reference = ""] = match;
  // Drop the digest, else the tag (a ':' after the last '/').
  const withoutDigest = reference.split("@")[0] ?? reference;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const tagColon = withoutDigest.indexOf(":", lastSlash + 1);
  const repository = tagColon === -1 ? withoutDigest : withoutDigest.slice(0, tagColon);
  const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
}
