/**
 * The policy rules (one per file) and how stacks apply them. `stacks/app.ts` applies them all,
 * in one place; a construct that must be exempt says so with `suppressRule`, and why.
 */
import { dynamodbKms } from "./dynamodb-kms";
import { dynamodbPitr } from "./dynamodb-pitr";
import { ecsContainerNonRoot } from "./ecs-container-non-root";
import { ecsContainerNotPrivileged } from "./ecs-container-not-privileged";
import { ecsContainerReadOnlyRoot } from "./ecs-container-read-only-root";
import { iamNoServiceWideAction } from "./iam-no-service-wide-action";
import { iamNoWildcardAction } from "./iam-no-wildcard-action";
import { iamNoWildcardResource } from "./iam-no-wildcard-resource";
import { kmsKeyRotation } from "./kms-key-rotation";
import { launchTemplateEncryptedVolumes } from "./launch-template-encrypted-volumes";
import { launchTemplateImdsv2 } from "./launch-template-imdsv2";
import { logGroupKms } from "./log-group-kms";
import { logGroupRetention } from "./log-group-retention";
import { outputDescribed } from "./output-described";
import { providerDefaultTags } from "./provider-default-tags";
import { providerPinsAccount } from "./provider-pins-account";
import type { PolicyRule } from "./rule";
import { s3BucketKmsEncrypted } from "./s3-bucket-kms-encrypted";
import { s3BucketPublicAccessBlocked } from "./s3-bucket-public-access-blocked";
import { s3BucketTlsOnly } from "./s3-bucket-tls-only";
import { s3LogTargetSseS3 } from "./s3-log-target-sse-s3";
import { securityGroupNoPublicIngress } from "./security-group-no-public-ingress";
import { subnetNoPublicIp } from "./subnet-no-public-ip";

export { iamRolePermissionsBoundary } from "./iam-role-permissions-boundary";
export { describeFinding, describeSuppressions, PolicyChecks, PolicyViolations, type Finding } from "./checks";
export type { PolicyRule } from "./rule";
export { suppressRule } from "./suppress";

export interface StackRuleOptions {
  /** Actions AWS offers no resource-level permissions for: the only ones an identity policy may allow on "*". */
  readonly actionsWithoutResourceScope: ReadonlySet<string>;
}

/** The rules every stack is held to. */
export function everyStackRules(options: StackRuleOptions): PolicyRule[] {
  return [
    s3BucketTlsOnly,
    s3BucketPublicAccessBlocked,
    s3BucketKmsEncrypted,
    s3LogTargetSseS3,
    logGroupKms,
    logGroupRetention,
    kmsKeyRotation,
    dynamodbPitr,
    dynamodbKms,
    iamNoWildcardAction,
    iamNoServiceWideAction,
    iamNoWildcardResource(options.actionsWithoutResourceScope),
    securityGroupNoPublicIngress,
    subnetNoPublicIp,
    launchTemplateImdsv2,
    launchTemplateEncryptedVolumes,
    ecsContainerNotPrivileged,
    ecsContainerReadOnlyRoot,
    ecsContainerNonRoot,
    providerPinsAccount,
    providerDefaultTags,
    outputDescribed,
  ];
}
