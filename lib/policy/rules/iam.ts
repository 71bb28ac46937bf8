/** Least-privilege IAM (reference architecture section 10; project rules: no `*` on `*`, no PassRole on `*`, exact IRSA trust). */
import type { PolicyResource, RuleContext } from "../types";
import { blocks, globMatch, isSet, list, pointsAt, policyStatements, Statement, statementLabel, strings, stringsPointAt, unresolved } from "../values";
import { ALL_TIERS, each, rule } from "./rule";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../elb-log-delivery";

/** OIDC providers a role may trust: an EKS cluster issuer (IRSA), GitHub Actions (CI roles). */
const TRUSTED_OIDC = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[A-Za-z0-9]+|token\.actions\.githubusercontent\.com)$/;
/** AWS services the stacks' roles are for (the CI apply role's PassRole list, plus their helpers). */
const TRUSTED_SERVICES: readonly string[] = ["eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com", "dlm.amazonaws.com"];

/**
 * AWS-managed policies a pod's role (IRSA) may carry: those an upstream controller documents and
 * that cannot be narrowed without forking AWS's list (each scopes itself by tags or needs `*`).
 * Most AWS-managed policies for agents write account-wide (CloudWatchAgentServerPolicy: every log
 * group): a pod gets an inline policy on its own resources instead.
 */
export const IRSA_MANAGED_POLICIES: readonly string[] = [
  // EBS CSI driver docs: volume writes conditioned on the driver's own tags.
  "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
  // VPC CNI docs: ENI and IP management of the nodes (no resource-level form).
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
];

/** Services that act for an account and set aws:SourceAccount when they assume a role. */
const CONFUSED_DEPUTY_SERVICES: readonly string[] = ["vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com", "dlm.amazonaws.com", "delivery.logs.amazonaws.com"];

interface PolicyDoc {
  readonly resource: PolicyResource;
  /** Which document of the resource, for messages. */
  readonly label: string;
  readonly statements: Statement[];
}

/**
 * Several rules read the same documents: each list is parsed once per evaluation (per
 * context) and shared, read-only.
 */
function once(read: (ctx: RuleContext) => PolicyDoc[]): (ctx: RuleContext) => readonly PolicyDoc[] {
  const cache = new WeakMap<RuleContext, PolicyDoc[]>();
  return (ctx) => {
    let docs = cache.get(ctx);
    if (!docs) cache.set(ctx, (docs = read(ctx)));
    return docs;
  };
}

/** Identity policies: what a role, user or group may do. */
const identityPolicies = once((ctx) => {
  const docs: PolicyDoc[] = [];
  for (const r of ctx.ofType("aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy")) {
    const statements = policyStatements(r.values.policy);
    if (statements) docs.push({ resource: r, label: "policy", statements });
  }
  for (const r of ctx.ofType("aws_iam_role")) {
    for (const p of blocks(r.values.inline_policy)) {
      const statements = policyStatements(p.policy);
      if (statements) docs.push({ resource: r, label: `inline policy ${p.name ?? ""}`.trim(), statements });
    }
  }
  return docs;
});

const RESOURCE_POLICY_TYPES = [
  "aws_s3_bucket_policy",
  "aws_kms_key",
  "aws_secretsmanager_secret",
  "aws_secretsmanager_secret_policy",
  "aws_sns_topic",
  "aws_sns_topic_policy",
  "aws_sqs_queue_policy",
  "aws_ecr_repository_policy",
];

/** Resource policies (who may use a bucket, key, secret...) and role trust policies. */
const resourcePolicies = once((ctx) => {
  const docs: PolicyDoc[] = [];
  for (const r of ctx.ofType(...RESOURCE_POLICY_TYPES)) {
    const statements = policyStatements(r.values.policy);
    if (statements) docs.push({ resource: r, label: "policy", statements });
  }
  for (const r of ctx.ofType("aws_iam_role")) {
    const statements = policyStatements(r.values.assume_role_policy);
    if (statements) docs.push({ resource: r, label: "trust policy", statements });
  }
  return docs;
});

/**
 * Managed policies used as permissions boundaries: named by a role's `permissions_boundary`, or
 * by an `iam:PermissionsBoundary` condition (a CI role may create roles only with this boundary).
 */
function boundaryPolicies(ctx: RuleContext): Set<string> {
  const conditionValues = [...identityPolicies(ctx), ...resourcePolicies(ctx)].flatMap((d) =>
    d.statements.flatMap((s) => Object.values(s.Condition).flatMap((kv) => Object.entries(kv ?? {}).filter(([k]) => k.toLowerCase() === "iam:permissionsboundary").map(([, v]) => v))),
  );
  // Flattened once, then tested against each policy (not once per policy and reference).
  const refs = [...ctx.ofType("aws_iam_role").map((r) => r.values.permissions_boundary), ...conditionValues].flatMap(strings);
  return new Set(ctx.ofType("aws_iam_policy").filter((p) => stringsPointAt(refs, p)).map((p) => p.address));
}

const FULL_WILDCARD = (a: string) => a === "*" || a === "*:*";
const ANY_RESOURCE = (s: Statement) => s.Resource.some((x) => x === "*") || s.NotResource.length > 0;
/** `*`, or every role of an account (`arn:aws:iam::123456789012:role/*`). */
const ANY_ROLE = (s: Statement) => s.Resource.some((x) => x === "*" || /:role\/\*$/.test(x)) || s.NotResource.length > 0;
const allows = (s: Statement) => s.Effect === "Allow";
const ADMIN_POLICY = /:policy\/AdministratorAccess$/;

export const IAM_RULES = [
  rule({
    id: "LS-IAM-001",
    title: "No policy allows every action on every resource (`*` on `*`, NotAction, AdministratorAccess)",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "Full administrator rights turn any compromise of the holder (a pod, a CI job) into account takeover.",
    source: "AWS FSBP IAM.1; reference architecture section 10 (least-privilege IAM)",
    check: (ctx, fail) => [
      ...[...identityPolicies(ctx), ...resourcePolicies(ctx).filter((d) => d.label !== "trust policy")].flatMap((d) =>
        d.statements.flatMap((s, i) => {
          if (!allows(s)) return [];
          if (s.Action.some(FULL_WILDCARD) && ANY_RESOURCE(s)) {
            return [fail(d.resource, `${d.label} ${statementLabel(s, i)} allows "*" on "*"`, "list the actions the holder needs, on the ARNs it needs (lib/iam.ts policyDocument)")];
          }
          if (s.NotAction.length > 0 && ANY_RESOURCE(s)) {
            return [fail(d.resource, `${d.label} ${statementLabel(s, i)} allows everything except ${s.NotAction.join(", ")} (NotAction) on "*"`, "replace NotAction by an explicit Action list")];
          }
          return [];
        }),
      ),
      ...each(ctx, ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"], (r) =>
        typeof r.values.policy_arn === "string" && ADMIN_POLICY.test(r.values.policy_arn)
          ? fail(r, "attaches AdministratorAccess", "attach a policy scoped to what the role needs")
          : undefined,
      ),
      ...each(ctx, ["aws_iam_role"], (r) =>
        list(r.values.managed_policy_arns).some((a) => typeof a === "string" && ADMIN_POLICY.test(a))
          ? fail(r, "role has AdministratorAccess in managed_policy_arns", "attach a policy scoped to what the role needs")
          : undefined,
      ),
    ],
  }),
  rule({
    id: "LS-IAM-002",
    title: "No policy allows iam:PassRole on every role",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "PassRole on `*` lets the holder hand any role (including admin roles) to a service it controls: privilege escalation.",
    source: "AWS IAM User Guide (granting permission to pass a role); reference architecture section 10",
    check: (ctx, fail) =>
      identityPolicies(ctx).flatMap((d) =>
        d.statements.flatMap((s, i) => {
          const pass = s.Action.filter((a) => !FULL_WILDCARD(a) && globMatch(a, "iam:PassRole"));
          return allows(s) && pass.length > 0 && ANY_ROLE(s)
            ? [fail(d.resource, `${d.label} ${statementLabel(s, i)} allows ${pass.join(", ")} on every role`, "scope Resource to the ARNs of the roles it must pass, and add Condition iam:PassedToService")]
            : [];
        }),
      ),
  }),
  rule({
    id: "LS-IAM-003",
    title: "Web-identity (IRSA, CI OIDC) trust names exact subjects and the audience",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Without an exact `sub`, any service account in the cluster (or any repository) can assume the role; without `aud`, tokens minted for other audiences work.",
    source: "CIS EKS Benchmark 5.2.1; EKS Best Practices Guide (IRSA: scope the trust policy to the service account)",
    check: (ctx, fail) =>
      resourcePolicies(ctx)
        .filter((d) => d.label === "trust policy")
        .flatMap(({ resource: r, statements }) =>
          statements.flatMap((s, i) => {
            if (!allows(s) || !s.Action.some((a) => globMatch(a, "sts:AssumeRoleWithWebIdentity"))) return [];
            const where = `trust policy ${statementLabel(s, i)}`;
            const problems: string[] = [];
            if (s.Principal === "*" || !s.Principal?.Federated?.length) problems.push("trusts a principal other than one OIDC provider (Principal.Federated)");
            const conditions = Object.entries(s.Condition).flatMap(([op, kv]) => Object.entries(kv ?? {}).map(([key, value]) => ({ op, key, values: list(value).map(String) })));
            const subs = conditions.filter((c) => c.key.endsWith(":sub"));
            const auds = conditions.filter((c) => c.key.endsWith(":aud"));
            const wildcard = (v: string) => /[*?]/.test(v.replace(/\$\{[^}]*\}/g, ""));
            if (subs.length === 0) problems.push("has no :sub condition (any service account or repository could assume it)");
            for (const c of subs) {
              if (c.op !== "StringEquals") problems.push(`matches :sub with ${c.op} instead of StringEquals`);
              if (c.values.some(wildcard)) problems.push(`matches :sub against a wildcard (${c.values.filter(wildcard).join(", ")})`);
            }
            if (!auds.some((c) => c.op === "StringEquals" && c.values.length > 0 && !c.values.some(wildcard))) problems.push('has no exact :aud condition (StringEquals "sts.amazonaws.com")');
            return problems.map((p) =>
              fail(r, `${where} ${p}`, 'use IrsaRole: StringEquals { "<issuer>:sub" = "system:serviceaccount:<namespace>:<name>", "<issuer>:aud" = "sts.amazonaws.com" }'),
            );
          }),
        ),
  }),
  rule({
    id: "LS-IAM-004",
    title: "No resource or trust policy allows anyone (`Principal: *`) without a condition",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "An unconditioned `*` principal grants access to every AWS account and, for S3, to anonymous users.",
    source: "AWS FSBP S3.2, S3.3 (public buckets); IAM Access Analyzer public-access findings",
    check: (ctx, fail) =>
      resourcePolicies(ctx).flatMap((d) =>
        d.statements.flatMap((s, i) => {
          const anyone = s.Principal === "*" || (s.Principal !== undefined && Object.values(s.Principal).some((ps) => ps.includes("*")));
          return allows(s) && anyone && Object.keys(s.Condition).length === 0
            ? [fail(d.resource, `${d.label} ${statementLabel(s, i)} allows Principal "*" without a condition`, "name the principals (role ARNs, the account root) or add a condition such as aws:SourceAccount / aws:PrincipalOrgID")]
            : [];
        }),
      ),
  }),
  rule({
    id: "LS-IAM-005",
    title: "Identity policies grant no service-wide wildcard (`s3:*`) on every resource (permissions boundaries excepted)",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "`<service>:*` on `*` includes that service's destructive and permission-changing actions on every resource; a boundary only caps what other policies grant.",
    source: "AWS FSBP IAM.21",
    check: (ctx, fail) => {
      const boundaries = boundaryPolicies(ctx);
      return identityPolicies(ctx)
        .filter((d) => !boundaries.has(d.resource.address))
        .flatMap((d) =>
        d.statements.flatMap((s, i) => {
          const wild = s.Action.filter((a) => /^[a-z0-9-]+:\*$/i.test(a) && !globMatch(a, "iam:PassRole"));
          return allows(s) && wild.length > 0 && ANY_RESOURCE(s)
            ? [fail(d.resource, `${d.label} ${statementLabel(s, i)} allows ${wild.join(", ")} on "*"`, "list the actions needed, or scope Resource to ARNs")]
            : [];
        }),
      );
    },
  }),
  rule({
    id: "LS-IAM-006",
    title: "ElastiCache requires authentication (IAM user group or AUTH token)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Without auth, anything that reaches port 6379 can read queued traces and flush the queues.",
    source: "AWS FSBP ElastiCache.6; this project uses ElastiCache IAM auth (no Redis password)",
    check: (ctx, fail) =>
      each(ctx, ["aws_elasticache_replication_group"], (r) =>
        isSet(r.values.user_group_ids) || isSet(r.values.auth_token) || unresolved(r.values.user_group_ids)
          ? undefined
          : fail(r, "Redis accepts unauthenticated connections", "attach a user group (user_group_ids) whose users use authentication_mode { type = \"iam\" } and whose default user is disabled"),
      ),
  }),
  rule({
    id: "LS-IAM-007",
    title: "No EKS access entry gets a view policy that reads Secrets (AmazonEKSAdminViewPolicy)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "AmazonEKSAdminViewPolicy reads every Secret of the cluster (license key, OAuth secret, database URLs): a read-only principal such as the CI plan role must get a custom group without Secrets instead; admins get AmazonEKSClusterAdminPolicy on purpose.",
    source: "EKS user guide, access policy permissions (AmazonEKSAdminViewPolicy vs AmazonEKSViewPolicy); CIS EKS Benchmark 4.1.2 (minimize access to secrets)",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_access_policy_association"], (r) =>
        String(r.values.policy_arn ?? "").endsWith("/AmazonEKSAdminViewPolicy")
          ? fail(r, "access policy AmazonEKSAdminViewPolicy lets a read-only principal read every Kubernetes Secret", "put the principal in a Kubernetes group bound to a ClusterRole without secrets (kubernetes_groups on the access entry; modules/ci-role/cluster-access.ts)")
          : undefined,
      ),
  }),  rule({
    id: "LS-IAM-009",
    title: "Role trust names only OIDC providers (an EKS issuer, GitHub) and the AWS services the stack uses, never an AWS account or role",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "IAM has no condition key on the content of a trust policy, so the CI apply role could make an environment role (e.g. the External Secrets role) trust another account; this rule on the reviewed plan is the check (policy-check runs before every apply).",
    source: "AWS IAM user guide (confused deputy; cross-account trust); AWS FSBP IAM.21",
    check: (ctx, fail) =>
      resourcePolicies(ctx)
        .filter((d) => d.label === "trust policy")
        .flatMap((d) =>
          d.statements.flatMap((st, i) => {
            if (st.Effect !== "Allow" || !st.Principal || st.Principal === "*") return [];
            const where = `trust policy ${statementLabel(st, i)}`;
            const bad: string[] = [
              ...(st.Principal.AWS ?? []).map((a) => `trusts the AWS principal ${a}`),
              ...(st.Principal.Federated ?? []).filter((f) => !unresolved(f) && !TRUSTED_OIDC.test(f)).map((f) => `trusts the identity provider ${f}`),
              ...(st.Principal.Service ?? []).filter((v) => !unresolved(v) && !TRUSTED_SERVICES.includes(v)).map((v) => `trusts the service ${v}`),
              ...Object.keys(st.Principal).filter((k) => !["AWS", "Federated", "Service"].includes(k)).map((k) => `trusts a ${k} principal`),
            ];
            return bad.map((b) => fail(d.resource, `${where} ${b}`, "trust only this account's EKS OIDC provider (IRSA), GitHub's OIDC provider (CI roles) or a service listed in TRUSTED_SERVICES (lib/policy/rules/iam.ts)"));
          }),
        ),
  }),
  rule({
    id: "LS-IAM-010",
    title: "Roles for services that act on behalf of an account (flow logs, RDS monitoring, DLM) trust them only with aws:SourceAccount or aws:SourceArn",
    severity: "low",
    tiers: ALL_TIERS,
    rationale: "Without it, the service could be made to assume the role on behalf of another account (the cross-service confused deputy).",
    source: "AWS IAM user guide, cross-service confused deputy prevention; VPC Flow Logs user guide (IAM role trust)",
    check: (ctx, fail) =>
      resourcePolicies(ctx)
        .filter((d) => d.label === "trust policy")
        .flatMap((d) =>
          d.statements.flatMap((st, i) => {
            if (st.Effect !== "Allow" || !st.Principal || st.Principal === "*") return [];
            const deputies = (st.Principal.Service ?? []).filter((v) => CONFUSED_DEPUTY_SERVICES.includes(v));
            if (deputies.length === 0) return [];
            const keys = Object.values(st.Condition).flatMap((kv) => Object.keys(kv ?? {}).map((k) => k.toLowerCase()));
            return keys.includes("aws:sourceaccount") || keys.includes("aws:sourcearn")
              ? []
              : [fail(d.resource, `trust policy ${statementLabel(st, i)} trusts ${deputies.join(", ")} without aws:SourceAccount`, "add Condition StringEquals aws:SourceAccount = <account id> (serviceTrust(service, accountId) in lib/iam.ts)")];
          }),
        ),
  }),
  rule({
    id: "LS-IAM-011",
    title: "Resource policies (buckets, keys, secrets, topics) allow no AWS principal outside the stack's accounts",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "IAM cannot condition s3:PutBucketPolicy or kms:PutKeyPolicy on the policy's content, so an apply could open the blob bucket or a key to another account; the reviewed plan is where that shows, and this rule fails it (the accounts are the providers' allowed_account_ids).",
    source: "AWS FSBP S3.6 (no cross-account access); AWS IAM user guide (resource-based policies, cross-account access)",
    check: (ctx, fail) => {
      const accounts = new Set(ctx.ofType("provider").flatMap((p) => (Array.isArray(p.values.allowed_account_ids) ? p.values.allowed_account_ids.map(String) : [])));
      if (accounts.size === 0) return [];
      // AWS's own log-delivery accounts (ALB access logs in regions without the service principal).
      const trusted = new Set([...accounts, ...Object.values(ELB_LOG_DELIVERY_ACCOUNTS)]);
      return resourcePolicies(ctx)
        .filter((d) => d.label !== "trust policy")
        .flatMap((d) =>
          d.statements.flatMap((st, i) => {
            if (st.Effect !== "Allow" || !st.Principal || st.Principal === "*") return [];
            const outside = (st.Principal.AWS ?? []).filter((a) => !unresolved(a) && !trusted.has(/^\d{12}$/.test(a) ? a : (/^arn:aws[a-z-]*:(iam|sts)::(\d{12}):/.exec(a)?.[2] ?? "?")));
            return outside.map((a) => fail(d.resource, `${d.label} ${statementLabel(st, i)} allows ${a}, outside the stack's accounts (${[...accounts].join(", ")})`, "grant only principals of this account; share data across accounts deliberately, with a waiver that says why"));
          }),
        );
    },
  }),
  rule({
    id: "LS-IAM-012",
    title: "Every Secrets Manager secret has a resource policy that denies its value to the roles that do not read it",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale:
      "Identity policies give secret values to the secret stores only, but a role widened later (a pod role, a node role, a CI role: the CI boundary allows GetSecretValue on the environment's secrets) would read every secret; a Deny in the secret's own policy keeps the readers exact whatever is granted elsewhere.",
    source: "AWS Secrets Manager user guide (resource-based policies; limit access with aws:PrincipalArn); AWS FSBP SecretsManager; reference architecture section 10 (least-privilege IAM)",
    check: (ctx, fail) => {
      const policies = ctx.ofType("aws_secretsmanager_secret_policy");
      return each(ctx, ["aws_secretsmanager_secret"], (secret) => {
        const docs = [secret.values.policy, ...policies.filter((p) => pointsAt(p.values.secret_arn, secret)).map((p) => p.values.policy)];
        const guarded = docs.some((d) =>
          (policyStatements(d) ?? []).some(
            (st) => st.Effect === "Deny" && st.Principal === "*" && st.Action.some((a) => globMatch(a, "secretsmanager:GetSecretValue")) && Object.keys(st.Condition).length > 0,
          ),
        );
        return guarded
          ? undefined
          : fail(secret, "no resource policy denies secretsmanager:GetSecretValue to the roles that do not read this secret", "call Secrets.restrictReads (modules/secrets) with every store that reads it: an aws_secretsmanager_secret_policy Deny for the environment's roles except its readers");
      });
    },
  }),
  rule({
    id: "LS-IAM-013",
    title: "Pod roles (IRSA) attach only the AWS-managed policies an upstream controller requires",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale:
      "AWS-managed policies for agents are written for any account layout, so they grant account-wide (CloudWatchAgentServerPolicy writes and sets the retention of every log group): a pod, one container escape from a node, should hold an inline policy on its own resources.",
    source: "EKS Best Practices Guide (IAM: least-privileged IRSA roles); AWS IAM user guide (AWS managed policies: get started, then reduce)",
    check: (ctx, fail) => {
      const podRoles = ctx.ofType("aws_iam_role").filter((r) =>
        (policyStatements(r.values.assume_role_policy) ?? []).some(
          (s) => s.Effect === "Allow" && s.Action.some((a) => globMatch(a, "sts:AssumeRoleWithWebIdentity")) && s.Principal !== "*" && (s.Principal?.Federated ?? []).some((f) => !/token\.actions\.githubusercontent\.com/.test(f)),
        ),
      );
      const allowed = (arn: unknown) => typeof arn !== "string" || unresolved(arn) || !arn.startsWith("arn:aws:iam::aws:policy/") || IRSA_MANAGED_POLICIES.includes(arn);
      const fix = "give the role an inline policy on the resources it uses (IrsaRole policies); a managed policy an upstream controller requires goes into IRSA_MANAGED_POLICIES (lib/policy/rules/iam.ts) with its source";
      return podRoles.flatMap((role) => [
        ...ctx
          .pointingAt(role, "aws_iam_role_policy_attachment", "role")
          .filter((a) => !allowed(a.values.policy_arn))
          .map((a) => fail(a, `pod role ${role.address} attaches the AWS-managed ${String(a.values.policy_arn)}`, fix)),
        ...list(role.values.managed_policy_arns)
          .filter((arn) => !allowed(arn))
          .map((arn) => fail(role, `pod role attaches the AWS-managed ${String(arn)} (managed_policy_arns)`, fix)),
      ]);
    },
  }),
  rule({
    id: "LS-IAM-008",
    title: "EKS gives the cluster creator no implicit admin entry (bootstrap_cluster_creator_admin_permissions false)",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale:
      "With the bootstrap setting, whoever first applied (possibly a person) stays cluster-admin through an entry Terraform does not manage; admins should be explicit access entries that a plan shows.",
    source: "EKS user guide, access entries (bootstrapClusterCreatorAdminPermissions); CIS EKS Benchmark 4.1.1",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_cluster"], (r) => {
        const access = blocks(r.values.access_config);
        return access.some((a) => a.bootstrap_cluster_creator_admin_permissions === true || a.bootstrap_cluster_creator_admin_permissions === "true")
          ? fail(r, "the cluster creator gets an admin access entry Terraform does not manage", "set access_config.bootstrap_cluster_creator_admin_permissions = false and give the applying role an explicit aws_eks_access_entry")
          : undefined;
      }),
  }),
];
