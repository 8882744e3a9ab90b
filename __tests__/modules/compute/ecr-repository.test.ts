import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { EcrRepository, type EcrRepositoryProps } from "../../../modules/compute/ecr-repository";
import { RoleGrantee, serviceTrustPolicy } from "../../../modules/core/iam";
import { KmsKey } from "../../../modules/core/kms-key";
import { problemsOf, referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

const ACCOUNT = "123456789012";

/** A repository, and with `pull` a role granted pulls from it. */
function addRepository(scope: Construct, props: Partial<Omit<EcrRepositoryProps, "kmsKey">> = {}, pull = false): void {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-images", description: "images", accountId: ACCOUNT });
  const repository = new EcrRepository(scope, "repository", { repositoryName: "acme-test-backend", kmsKey, ...props });
  if (pull) {
    const role = new IamRole(scope, "puller", { name: "puller", assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", ACCOUNT) });
    repository.grantPull(new RoleGrantee(scope, "grantee", role));
  }
}

const synthRepository = (props: Partial<Omit<EcrRepositoryProps, "kmsKey">> = {}, pull = false): StackJson =>
  synthConstruct((scope) => addRepository(scope, props, pull));

interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: Record<string, unknown>;
  action: { type: string };
}

const lifecycleRules = (json: StackJson): LifecycleRule[] =>
  (JSON.parse(resource(json, EcrLifecyclePolicy).policy as string) as { rules: LifecycleRule[] }).rules;

describe("EcrRepository", () => {
  describe("defaults", () => {
    let json: StackJson;
    let repository: Record<string, unknown>;
    beforeAll(() => {
      json = synthRepository();
      repository = resource(json, EcrRepositoryResource);
    });

    it("names the repository", () => {
      expect(repository).toEqual(expect.objectContaining({ name: "acme-test-backend" }));
    });

    it("makes tags immutable, so a tag always means the same image", () => {
      expect(repository).toEqual(expect.objectContaining({ image_tag_mutability: "IMMUTABLE" }));
    });

    it("scans every image on push", () => {
      expect(repository).toEqual(expect.objectContaining({ image_scanning_configuration: { scan_on_push: true } }));
    });

    it("encrypts images with the given KMS key", () => {
      expect(repository).toEqual(
        expect.objectContaining({
          encryption_configuration: [{ encryption_type: "KMS", kms_key: referenceTo(json, KmsKeyResource, "arn") }],
        }),
      );
    });

    it("attaches the lifecycle policy to the repository", () => {
      expect(resource(json, EcrLifecyclePolicy)).toEqual(
        expect.objectContaining({ repository: referenceTo(json, EcrRepositoryResource, "name") }),
      );
    });

    it("expires untagged images after 7 days, then keeps the last 20 images", () => {
      expect(lifecycleRules(json)).toEqual([
        {
          rulePriority: 1,
          description: "Expire untagged images after 7 days",
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: "Keep the last 20 images",
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 20 },
          action: { type: "expire" },
        },
      ]);
    });

    it("evaluates the tagStatus any rule last, as ECR requires", () => {
      const rules = lifecycleRules(json);
      const any = rules.find((rule) => rule.selection.tagStatus === "any")!;
      expect(any.rulePriority).toBe(Math.max(...rules.map((rule) => rule.rulePriority)));
    });

    it("refuses to delete a repository that still holds images (no force_delete)", () => {
      expect(repository.force_delete).toBe(false);
    });

    it("has no repository policy: access is granted on IAM roles only", () => {
      expect(resources(json, EcrRepositoryPolicy)).toEqual([]);
    });
  });

  describe("options", () => {
    it("deletes the repository with its images on destroy with enableForceDelete", () => {
      expect(resource(synthRepository({ enableForceDelete: true }), EcrRepositoryResource).force_delete).toBe(true);
    });

    it("keeps keepImages images and expires untagged ones after untaggedExpiryDays", () => {
      const rules = lifecycleRules(synthRepository({ keepImages: 50, untaggedExpiryDays: 3 }));
      expect(rules[0]).toEqual(
        expect.objectContaining({
          description: "Expire untagged images after 3 days",
          selection: expect.objectContaining({ tagStatus: "untagged", countNumber: 3 }),
        }),
      );
      expect(rules[1]).toEqual(
        expect.objectContaining({
          description: "Keep the last 50 images",
          selection: expect.objectContaining({ tagStatus: "any", countNumber: 50 }),
        }),
      );
    });
  });

  describe("grantPull", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthRepository({}, true);
    });

    it("attaches one ecr-pull policy to the grantee's role", () => {
      expect(resource(json, IamRolePolicy)).toEqual(
        expect.objectContaining({ name: "ecr-pull", role: referenceTo(json, IamRole) }),
      );
    });

    it("allows exactly the pull actions on this repository, and GetAuthorizationToken (no resource-level permissions) on *", () => {
      expect(statements(resource(json, IamRolePolicy).policy)).toEqual([
        {
          Sid: "PullImages",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
          Resource: referenceTo(json, EcrRepositoryResource, "arn"),
        },
        { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      ]);
    });
  });

  describe("validation", () => {
    const problems = (props: Partial<Omit<EcrRepositoryProps, "kmsKey">>): string[] =>
      problemsOf((scope) => addRepository(scope, props));

    it.each([0, -1, 1.5, 1001])("fails when keepImages is %s", (keepImages) => {
      expect(problems({ keepImages })).toEqual([`keepImages: ${keepImages} must be an integer from 1 to 1000 images`]);
    });

    it.each([1, 1000])("accepts keepImages %s (the bounds)", (keepImages) => {
      expect(problems({ keepImages })).toEqual([]);
    });

    it.each([0, -7, 2.5])("fails when untaggedExpiryDays is %s", (untaggedExpiryDays) => {
      expect(problems({ untaggedExpiryDays })).toEqual([`untaggedExpiryDays: ${untaggedExpiryDays} must be an integer >= 1`]);
    });
  });
});
