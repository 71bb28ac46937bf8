/**
 * Gate 11: the account-level services this stack does not create but production expects (CIS AWS
 * Foundations, AWS FSBP; README "From zero to a first trace"): a multi-region CloudTrail trail
 * that is logging, GuardDuty enabled in the region with EKS audit log, RDS login and S3 data event
 * protection, and an AWS Config recorder that is recording. Read-only calls, in the stack's region.
 */
import { describeError } from "../clients";
import { need } from "../target";
import { fail, Gate, GateContext, listed, pass } from "./types";
import { sdk } from "../sdk";

/** GuardDuty protection plans the gate requires, by feature name (GetDetector `Features`). */
export const GUARDDUTY_REQUIRED_FEATURES = {
  EKS_AUDIT_LOGS: "EKS Protection (audit logs)",
  RDS_LOGIN_EVENTS: "RDS Protection (login events)",
  S3_DATA_EVENTS: "S3 Protection (data events)",
} as const;

interface Check {
  readonly ok: boolean;
  readonly evidence: string[];
  readonly hint?: string;
}

async function cloudTrail(ctx: GateContext): Promise<Check> {
  const c = ctx.clients.cloudtrail;
  const trails = (await c.send(new sdk.cloudtrail.DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
  const multi = trails.filter((t) => t.IsMultiRegionTrail);
  const evidence: string[] = [];
  let logging = 0;
  for (const t of multi) {
    const status = await c.send(new sdk.cloudtrail.GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name }));
    if (status.IsLogging) logging++;
    evidence.push(`CloudTrail ${t.Name}: multi-region, ${status.IsLogging ? "logging" : "NOT logging"}, log file validation ${t.LogFileValidationEnabled ? "on" : "off"}${t.IsOrganizationTrail ? ", organization trail" : ""}`);
  }
  const single = trails.length - multi.length;
  if (multi.length === 0) evidence.push(`CloudTrail: no multi-region trail (${trails.length} trail(s), ${single} single-region)`);
  return logging > 0
    ? { ok: true, evidence }
    : { ok: false, evidence, hint: "CloudTrail: create a multi-region trail (or an organization trail) and start logging: `aws cloudtrail start-logging --name <trail>`" };
}

async function guardDuty(ctx: GateContext): Promise<Check> {
  const g = ctx.clients.guardduty;
  const region = need(ctx.target, "region");
  const ids = (await g.send(new sdk.guardduty.ListDetectorsCommand({}))).DetectorIds ?? [];
  if (ids.length === 0) return { ok: false, evidence: [`GuardDuty: no detector in ${region}`], hint: `GuardDuty: enable it in ${region} (or from the delegated administrator account), with EKS, RDS and S3 protection` };
  const d = await g.send(new sdk.guardduty.GetDetectorCommand({ DetectorId: ids[0] }));
  const features = new Map((d.Features ?? []).map((f) => [f.Name as string, f.Status as string]));
  const missing = Object.entries(GUARDDUTY_REQUIRED_FEATURES).filter(([name]) => features.get(name) !== "ENABLED");
  const evidence = [
    `GuardDuty detector ${ids[0]}: ${d.Status}`,
    ...Object.entries(GUARDDUTY_REQUIRED_FEATURES).map(([name, what]) => `GuardDuty ${what}: ${features.get(name) ?? "not reported"}`),
  ];
  const runtime = features.get("RUNTIME_MONITORING") ?? features.get("EKS_RUNTIME_MONITORING");
  evidence.push(`GuardDuty Runtime Monitoring: ${runtime ?? "not reported"} (recommended, not required)`);
  const ok = d.Status === "ENABLED" && missing.length === 0;
  return ok
    ? { ok, evidence }
    : { ok, evidence, hint: `GuardDuty: ${d.Status !== "ENABLED" ? "enable the detector; " : ""}turn on ${listed(missing.map(([name]) => name))}: \`aws guardduty update-detector --detector-id ${ids[0]} --features Name=<feature>,Status=ENABLED\`` };
}

async function configRecorder(ctx: GateContext): Promise<Check> {
  const statuses = (await ctx.clients.config.send(new sdk.config.DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [];
  const evidence = statuses.map((s) => `AWS Config recorder ${s.name}: ${s.recording ? "recording" : "NOT recording"}, last status ${s.lastStatus ?? "none"}${s.lastErrorCode ? ` (${s.lastErrorCode})` : ""}`);
  if (statuses.length === 0) evidence.push(`AWS Config: no configuration recorder in ${need(ctx.target, "region")}`);
  const ok = statuses.some((s) => s.recording && s.lastStatus !== "Failure");
  return ok ? { ok, evidence } : { ok, evidence, hint: "AWS Config: create a recorder for all resources with a delivery channel and start it: `aws configservice start-configuration-recorder --configuration-recorder-name <name>`" };
}

export const accountServices: Gate = {
  id: "account-services",
  title: "Account services are on (CloudTrail, GuardDuty with EKS/RDS/S3 protection, AWS Config)",
  triage: [
    "the README's account-level services (From zero to a first trace): CIS AWS Foundations, AWS FSBP",
    "in an AWS Organization these may be run from a delegated administrator account: check there, then here",
  ],
  async run(ctx) {
    const checks: [string, (c: GateContext) => Promise<Check>][] = [
      ["CloudTrail", cloudTrail],
      ["GuardDuty", guardDuty],
      ["AWS Config", configRecorder],
    ];
    const results = await Promise.all(
      checks.map(async ([what, f]): Promise<Check> => {
        try {
          return await f(ctx);
        } catch (e) {
          return { ok: false, evidence: [`${what}: cannot read (${describeError(e)})`], hint: `${what}: the verifying identity needs read access (docs/operations.md, permissions)` };
        }
      }),
    );
    const evidence = results.flatMap((r) => r.evidence);
    const hints = results.flatMap((r) => (r.ok || !r.hint ? [] : [r.hint]));
    return results.every((r) => r.ok) ? pass(evidence) : fail(evidence, hints);
  },
};
