/**
 * The TargetGroupBinding that makes the AWS Load Balancer Controller register the LangSmith
 * frontend pods in the Terraform-owned target group. A plain typed object:
 * it is a custom resource, so it is delivered by the local `charts/k8s-manifests` release that
 * depends on the controller's release (no CRD needed at plan time), never as `kubernetes_manifest`.
 *
 * Reference: aws-load-balancer-controller docs, "TargetGroupBinding" (apiVersion
 * elbv2.k8s.aws/v1beta1; spec.serviceRef, spec.targetGroupARN, spec.targetType).
 */
import { FRONTEND_SERVICE, RELEASE } from "./langsmith-values/chart";

export interface TargetGroupBinding {
  readonly apiVersion: "elbv2.k8s.aws/v1beta1";
  readonly kind: "TargetGroupBinding";
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: {
    readonly serviceRef: { readonly name: string; readonly port: number };
    readonly targetGroupARN: string;
    readonly targetType: "ip" | "instance";
  };
}

export interface TargetGroupBindingProps {
  /** ARN of the target group (`Ingress.targetGroupArn`; a CDKTF token is fine). */
  readonly targetGroupArn: string;
  /** @default "langsmith" */
  readonly namespace?: string;
  /** @default the chart's frontend Service, `langsmith-frontend` port 80 */
  readonly service?: { readonly name: string; readonly port: number };
}

/**
 * The binding of the frontend Service to the target group. `spec.networking` is left out on
 * purpose: Terraform owns the node security group rule from the ALB (modules/ingress), and the
 * controller would otherwise add its own rule to the same group.
 */
export function targetGroupBinding(props: TargetGroupBindingProps): TargetGroupBinding {
  const service = props.service ?? { name: FRONTEND_SERVICE.name, port: FRONTEND_SERVICE.port };
  return {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "TargetGroupBinding",
    metadata: {
      name: service.name,
      namespace: props.namespace ?? RELEASE.namespace,
      labels: { "app.kubernetes.io/part-of": RELEASE.name },
    },
    // targetType ip: pod IPs, matching the target group's target_type (the ALB reaches pod port 8080).
    spec: { serviceRef: service, targetGroupARN: props.targetGroupArn, targetType: "ip" },
  };
}
