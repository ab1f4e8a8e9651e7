/** What a kubeconfig for an EKS cluster is made of. */
export interface KubeconfigParts {
  clusterName: string;
  endpoint: string;
  /** Base64 PEM of the cluster's certificate authority, as EKS returns it. */
  certificateAuthorityData: string;
  region: string;
  /** A role `aws eks get-token` assumes first (an access entry's principal). */
  roleArn?: string;
  /** An AWS CLI profile to take credentials from. */
  profile?: string;
}

/**
 * A kubeconfig that authenticates with `aws eks get-token` (exec credentials, short-lived tokens,
 * nothing long-lived stored in it), as JSON, which every YAML reader (kubectl, the Kubernetes
 * provider) accepts.
 */
export function buildKubeconfig(parts: KubeconfigParts): string {
  const name = parts.clusterName;
  const args = ["eks", "get-token", "--cluster-name", name, "--region", parts.region, "--output", "json"];
  if (parts.roleArn) args.push("--role-arn", parts.roleArn);
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args,
    ...(parts.profile ? { env: [{ name: "AWS_PROFILE", value: parts.profile }] } : {}),
  };
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name, cluster: { server: parts.endpoint, "certificate-authority-data": parts.certificateAuthorityData } },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user: { exec } }],
    preferences: {},
  });
}
