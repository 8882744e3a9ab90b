import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { attachPolicy, unscopedStatement, type Grantable } from "../core/iam";
import type { KmsKey } from "../core/kms-key";
import { validateProps } from "../core/validation";

export interface EcrRepositoryProps {
  readonly repositoryName: string;
  readonly kmsKey: KmsKey;
  /**
   * Tagged images kept; older ones expire.
   * @default 20
   */
  readonly keepImages?: number;
  /**
   * Days an untagged image (a superseded build layer) is kept.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Let `destroy` delete the repository with the images in it (`force_delete`), for the repository
   * of a disposable environment; without it a destroy fails once anything was pushed.
   * @default false
   */
  readonly enableForceDelete?: boolean;
}

/**
 * A private ECR repository: scan on push, immutable tags (a tag always means the same image),
 * KMS encryption, and a lifecycle policy so old images do not accumulate cost.
 */
export class EcrRepository extends Construct {
  readonly repository: EcrRepositoryResource;
  readonly url: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const keepImages = props.keepImages ?? 20;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 7;
    validateProps(this, props, (check) => {
      check.integer("keepImages", keepImages, 1, 1000, " images");
      check.integer("untaggedExpiryDays", untaggedExpiryDays, 1);
    });

    this.repository = new EcrRepositoryResource(this, "repository", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKey.arn }],
      forceDelete: props.enableForceDelete ?? false,
    });
    this.url = this.repository.repositoryUrl;
    this.arn = this.repository.arn;

    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untaggedExpiryDays} days`,
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: untaggedExpiryDays,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${keepImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }

  /**
   * Lets `grantee` pull images: `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`,
   * `ecr:BatchCheckLayerAvailability` on this repository, and `ecr:GetAuthorizationToken`,
   * which has no resource-level permissions.
   */
  grantPull(grantee: Grantable): void {
    attachPolicy(grantee, "ecr-pull", [
      {
        Sid: "PullImages",
        Effect: "Allow",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        Resource: this.arn,
      },
      unscopedStatement("RegistryLogin", ["ecr:GetAuthorizationToken"]),
    ]);
  }
}
