import { IAspect } from "cdktf";
import { IConstruct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";

/**
 * Puts a permissions boundary on every IAM role of a stack that has none. The CI apply role may
 * create roles only with its environment's boundary (`iam:PermissionsBoundary` condition), so an
 * environment applied by CI adds this aspect: `Aspects.of(stack).add(new PermissionsBoundary(arn))`.
 */
export class PermissionsBoundary implements IAspect {
  constructor(readonly policyArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.policyArn;
  }
}
