import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from "../../lib/ci";
import { PolicyDocument, policyDocument, policyJson } from "../../lib/iam";
import { boundaryPolicy, CiScope, dataPolicy, edgePolicy, iamEksPolicy, networkPolicy, protectDataPolicy, readPolicy, statePolicy } from "./policies";

export { CiScope } from "./policies";
export { PermissionsBoundary } from "./boundary";
export { PlanRoleClusterAccess } from "./cluster-access";

/**
 * The account's IAM OIDC provider for GitHub Actions. No thumbprint: IAM trusts GitHub's
 * certificate through its own CA library, and fetching one would call the network at plan time.
 */
export class GithubOidcProvider extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const provider = new IamOpenidConnectProvider(this, "provider", { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: [GITHUB_OIDC_AUDIENCE] });
    this.arn = provider.arn;
  }
}

export interface CiRolesProps {
  /** ARN of the account's GitHub OIDC provider (`GithubOidcProvider.arn`, or the existing one's). */
  readonly oidcProviderArn: string;
  /** Role and policy names (`ciNames(env)` in lib/ci.ts). */
  readonly names: {
    readonly planRole: string;
    readonly applyRole: string;
    readonly boundaryPolicy: string;
    readonly policyPrefix: string;
  };
  /** Exact OIDC `sub` claims: `repo:<owner>/<name>:pull_request` and `repo:<owner>/<name>:environment:<env>`. */
  readonly subjects: { readonly plan: string; readonly apply: string };
  /** What the policies are scoped to (the boundary ARN is filled in by this construct). */
  readonly scope: Omit<CiScope, "boundaryPolicyArn">;
  /**
   * Longest session of the plan role, in seconds.
   * @default 3600
   */
  readonly planSessionSeconds?: number;
  /**
   * Longest session of the apply role, in seconds: a first apply (EKS, Multi-AZ RDS) can pass an
   * hour, and credentials that expire mid-apply leave resources Terraform did not record.
   * @default 7200
   */
  readonly applySessionSeconds?: number;
}

const DEFAULTS = { planSessionSeconds: 3600, applySessionSeconds: 7200 } as const;

/**
 * An environment's CI roles: `plan` (read-only refresh, state read, lock) trusted by the
 * repository's pull_request jobs, and `apply` (what the stack manages, scoped to the
 * environment's names and tags) trusted by its jobs in one GitHub environment; plus the
 * permissions boundary the apply role must put on every role it creates.
 */
export class CiRoles extends Construct {
  readonly planRoleArn: string;
  readonly applyRoleArn: string;
  readonly boundaryPolicyArn: string;
  /** The policy documents by short name, for tests and docs. */
  readonly documents: Readonly<Record<string, PolicyDocument>>;

  constructor(scope: Construct, id: string, props: CiRolesProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    for (const [kind, sub] of Object.entries(p.subjects)) {
      if (/[*?]/.test(sub)) throw new Error(`CiRoles ${id}: the ${kind} subject must be exact, got ${sub}`);
    }
    const boundaryDoc = boundaryPolicy(p.scope);
    const boundary = new IamPolicy(this, "boundary", {
      name: p.names.boundaryPolicy,
      description: "Permissions boundary of every IAM role the CI apply role creates",
      policy: policyJson(boundaryDoc),
    });
    this.boundaryPolicyArn = boundary.arn;
    const s: CiScope = { ...p.scope, boundaryPolicyArn: boundary.arn };

    const docs: Record<string, PolicyDocument> = {
      read: readPolicy(s),
      "state-plan": statePolicy(s, "plan"),
      "state-apply": statePolicy(s, "apply"),
      network: networkPolicy(s),
      "iam-eks": iamEksPolicy(s),
      data: dataPolicy(s),
      edge: edgePolicy(s),
      ...(s.protectData ? { "protect-data": protectDataPolicy(s) } : {}),
    };
    this.documents = { ...docs, boundary: boundaryDoc };
    const policies = Object.fromEntries(
      Object.entries(docs).map(([name, doc]) => [name, new IamPolicy(this, `policy-${name}`, { name: `${p.names.policyPrefix}${name}`, policy: policyJson(doc) })]),
    );

    const role = (kind: "plan" | "apply", name: string, seconds: number, attach: string[]) => {
      const r = new IamRole(this, `${kind}-role`, {
        name,
        description: `GitHub Actions ${kind} role (${p.subjects[kind]})`,
        maxSessionDuration: seconds,
        assumeRolePolicy: policyJson(githubTrust(p.oidcProviderArn, p.subjects[kind])),
      });
      attach.forEach((policy) => new IamRolePolicyAttachment(this, `${kind}-${policy}`, { role: r.name, policyArn: policies[policy].arn }));
      return r;
    };
    this.planRoleArn = role("plan", p.names.planRole, p.planSessionSeconds, ["read", "state-plan"]).arn;
    this.applyRoleArn = role("apply", p.names.applyRole, p.applySessionSeconds, ["read", "state-apply", "network", "iam-eks", "data", "edge", ...(s.protectData ? ["protect-data"] : [])]).arn;
  }
}

/** Trust for exactly one GitHub OIDC subject, with the STS audience. */
export function githubTrust(oidcProviderArn: string, subject: string): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Principal: { Federated: oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subject } },
  });
}
