/**
 * The typed shape of an environment. One object per environment lives in `config/<env>.ts`;
 * `validateEnvironments` checks every field before any construct is made.
 */

/** How private subnets reach the internet. */
export type NatStrategy = "none" | "single" | "per-az";

/** Tags every resource carries through the provider's `default_tags`. */
export interface EnvironmentTags {
  readonly Project: string;
  readonly Environment: string;
  readonly Owner: string;
  readonly CostCenter: string;
  readonly ManagedBy: string;
  /** Any further tags the team wants on every resource. */
  readonly [key: string]: string;
}

export interface NetworkConfig {
  /** IPv4 CIDR of the VPC, e.g. `10.10.0.0/16`. Must not overlap another environment's VPC. */
  readonly vpcCidr: string;
  /** Availability zones to use, in order. Explicit so plans are deterministic. */
  readonly availabilityZones: readonly string[];
  /** One public subnet CIDR per availability zone, in the same order. */
  readonly publicSubnetCidrs: readonly string[];
  /** One private subnet CIDR per availability zone, in the same order. */
  readonly privateSubnetCidrs: readonly string[];
  /** `none` (cheapest: gateway endpoints only), `single` (one NAT gateway), `per-az` (highly available). */
  readonly natStrategy: NatStrategy;
  /** Days VPC flow logs are kept. Must be a value CloudWatch Logs accepts. */
  readonly flowLogRetentionDays: number;
}

/** Where this environment's Terraform state lives; created by the `bootstrap` stack. */
export interface StateConfig {
  /** S3 bucket holding the state objects. */
  readonly bucket: string;
  /** DynamoDB table used for state locking (`LockID` hash key). */
  readonly lockTable: string;
  /** Region of the state bucket and lock table. */
  readonly region: string;
  /** Alias (without `alias/`) of the KMS key that encrypts the state bucket and lock table. */
  readonly kmsKeyAlias: string;
  /** Prefix of every state key of this environment: `<keyPrefix>/<layer>.tfstate`. */
  readonly keyPrefix: string;
  /** Also take Terraform's S3-native lock file (`use_lockfile`), beside DynamoDB locking. */
  readonly useLockfile: boolean;
}

/** Container platform sizing, used by the platform layer. */
export interface ComputeConfig {
  /** EC2 instance type of the ECS container instances. */
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly desiredCapacity: number;
  readonly maxCapacity: number;
}

export interface AlertingConfig {
  /** Addresses that receive alarm notifications and budget alerts. */
  readonly emails: readonly string[];
}

export interface BudgetConfig {
  /** Monthly cost limit in USD. */
  readonly monthlyLimitUsd: number;
}

export interface EnvironmentConfig {
  /** Short environment name: part of every stack id, physical name and state key. */
  readonly name: string;
  /** Project name: first part of every physical name. Lower-case letters, digits and hyphens. */
  readonly project: string;
  /** AWS region the environment deploys into. */
  readonly region: string;
  /** The only AWS account this environment may deploy into (provider `allowed_account_ids`). */
  readonly accountId: string;
  readonly tags: EnvironmentTags;
  readonly network: NetworkConfig;
  readonly state: StateConfig;
  readonly compute: ComputeConfig;
  readonly alerting: AlertingConfig;
  readonly budget: BudgetConfig;
}
