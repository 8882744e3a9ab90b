import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { attachPolicy, policyDocument, RoleGrantee, type PolicyStatement } from "../core/iam";
import { deployStatements, guardStatements, planStatements, stateStatements, workloadBoundaryStatements, type EnvironmentScope } from "./deploy-permissions";

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** IAM quota: characters of one customer managed policy, whitespace excluded (IAM User Guide, "IAM and AWS STS quotas"). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** Statements packed, in order, into as few documents as fit the managed policy quota. */
export function packStatements(statements: readonly PolicyStatement[], maxChars = MANAGED_POLICY_MAX_CHARS): PolicyStatement[][] {
  const documents: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  for (const statement of statements) {
    const candidate = [...current, statement];
    if (current.length > 0 && policyDocument(candidate).length > maxChars) {
      documents.push(current);
      current = [statement];
    } else {
      current = candidate;
    }
    if (policyDocument(current).length > maxChars) throw new Error(`statement ${statement.Sid ?? "?"} alone exceeds ${maxChars} characters`);
  }
  if (current.length > 0) documents.push(current);
  return documents;
}

/** One environment's CI roles. */
export interface DeployRoleDefinition extends EnvironmentScope {
  /** Exact OIDC `sub` claim allowed to assume the deploy role, e.g. `repo:acme/platform:environment:dev`. */
  readonly subject: string;
}

export interface GithubDeployRolesProps {
  readonly accountId: string;
  readonly roles: readonly DeployRoleDefinition[];
  /**
   * The account's existing GitHub OIDC provider (IAM allows one per URL), used instead of creating one.
   * @default - the provider is created
   */
  readonly existingProviderArn?: string;
  /**
   * Exact OIDC `sub` of the pull-request workflows, e.g. `repo:acme/platform:pull_request`. When
   * set, each environment also gets a read-only plan role (`<namePrefix>-github-plan`) that such a
   * workflow can assume to run `terraform plan -lock=false`: AWS's ReadOnlyAccess to refresh
   * resources, its own state read-only, and an explicit deny on reading data (objects, items,
   * decryption) outside the state.
   * @default - no plan roles
   */
  readonly planSubject?: string;
  /**
   * Longest session a workflow gets; a deploy that runs longer must re-authenticate.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * Keyless CI deploys: the GitHub Actions OIDC provider and, per environment, a deploy role that
 * only a workflow of the given repository and GitHub environment (or branch) can assume, a
 * read-only plan role for pull requests, and the permissions boundary every role the environment's
 * stacks create must carry. A deploy role writes only its environment's resources (names and the
 * `Environment` tag), can never change a CI role, a boundary or the OIDC provider, and every role
 * it creates is held by the boundary, so no policy it writes can give more.
 */
export class GithubDeployRoles extends Construct {
  readonly providerArn: string;
  /** Deploy role per environment name. */
  readonly roles: ReadonlyMap<string, IamRole>;
  /** Read-only plan role per environment name; empty without `planSubject`. */
  readonly planRoles: ReadonlyMap<string, IamRole>;
  /** Permissions boundary policy per environment name. */
  readonly boundaries: ReadonlyMap<string, IamPolicy>;

  constructor(scope: Construct, id: string, props: GithubDeployRolesProps) {
    super(scope, id);
    for (const subject of [...props.roles.map((role) => role.subject), ...(props.planSubject ? [props.planSubject] : [])]) {
      // A wildcard in the subject would let any branch or fork-triggered workflow in.
      if (/[*?]/.test(subject) || !subject.startsWith("repo:")) {
        throw new Error(`subject (${subject}) must be an exact repo:<owner>/<repo>:... claim without wildcards`);
      }
    }
    this.providerArn =
      props.existingProviderArn ??
      new IamOpenidConnectProvider(this, "provider", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: ["sts.amazonaws.com"],
        // IAM trusts GitHub's issuer through its own root CAs; the thumbprint is only a required
        // placeholder for this provider (AWS documentation, "Configuring a role for GitHub OIDC").
        thumbprintList: ["6938fd4d98bab03faadb97b34396831e3780aea1"],
      }).arn;

    const trustedBy = (subject: string): string =>
      policyDocument([
        {
          Sid: "GithubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: this.providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
              [`${GITHUB_OIDC_HOST}:sub`]: subject,
            },
          },
        },
      ]);

    const roleArn = (name: string) => `arn:aws:iam::${props.accountId}:role/${name}`;
    const boundaryArn = (definition: DeployRoleDefinition) => `arn:aws:iam::${props.accountId}:policy/${definition.boundaryName}`;
    const ciRoleArns = props.roles.flatMap((definition) => [
      roleArn(`${definition.namePrefix}-github-deploy`),
      ...(props.planSubject ? [roleArn(`${definition.namePrefix}-github-plan`)] : []),
    ]);
    const deployPolicies = new Map(props.roles.map((definition) => [definition.environment, packStatements(deployStatements(definition))]));
    const deployPolicyName = (definition: DeployRoleDefinition, index: number) => `${definition.namePrefix}-github-deploy-${index + 1}`;
    // The guarded policies: every boundary, and the deploy roles' own grants.
    const boundaryArns = [
      ...props.roles.map(boundaryArn),
      ...props.roles.flatMap((definition) =>
        (deployPolicies.get(definition.environment) ?? []).map((_, index) => `arn:aws:iam::${props.accountId}:policy/${deployPolicyName(definition, index)}`),
      ),
    ];

    const roles = new Map<string, IamRole>();
    const planRoles = new Map<string, IamRole>();
    const boundaries = new Map<string, IamPolicy>();
    for (const definition of props.roles) {
      const { environment, namePrefix } = definition;
      boundaries.set(
        environment,
        new IamPolicy(this, `${environment}-boundary`, {
          name: definition.boundaryName,
          description: `Permissions boundary of every role the ${environment} stacks create: the most any of them can do`,
          policy: policyDocument(workloadBoundaryStatements(definition)),
        }),
      );

      const role = new IamRole(this, `${environment}-role`, {
        name: `${namePrefix}-github-deploy`,
        description: `Assumed by GitHub Actions (${definition.subject}) to deploy ${environment}`,
        maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
        assumeRolePolicy: trustedBy(definition.subject),
      });
      const grantee = new RoleGrantee(this, `${environment}-grantee`, role);
      attachPolicy(grantee, "terraform-state", stateStatements(definition, true));
      // The grants exceed IAM's 10,240-character inline quota per role: customer managed policies.
      (deployPolicies.get(environment) ?? []).forEach((document, index) => {
        const policy = new IamPolicy(this, `${environment}-deploy-${index + 1}`, {
          name: deployPolicyName(definition, index),
          description: `What the ${environment} deploy role may change (${index + 1})`,
          policy: policyDocument(document),
        });
        new IamRolePolicyAttachment(this, `${environment}-deploy-${index + 1}-attachment`, { role: role.name, policyArn: policy.arn });
      });
      attachPolicy(grantee, "guard-rails", guardStatements(definition, { ciRoleArns, boundaryArns, oidcProviderArn: this.providerArn, boundaryArn: boundaryArn(definition) }));
      roles.set(environment, role);

      if (props.planSubject) {
        const planRole = new IamRole(this, `${environment}-plan-role`, {
          name: `${namePrefix}-github-plan`,
          description: `Assumed by GitHub Actions (${props.planSubject}) to plan ${environment} read-only`,
          maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
          assumeRolePolicy: trustedBy(props.planSubject),
        });
        new IamRolePolicyAttachment(this, `${environment}-plan-read-only`, {
          role: planRole.name,
          policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        });
        const planGrantee = new RoleGrantee(this, `${environment}-plan-grantee`, planRole);
        attachPolicy(planGrantee, "terraform-state-read", planStatements(definition));
        planRoles.set(environment, planRole);
      }
    }
    this.roles = roles;
    this.planRoles = planRoles;
    this.boundaries = boundaries;
  }
}
