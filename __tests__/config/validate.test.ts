import { describe, expect, it } from "vitest";
import { ConfigError, environments, validateEnvironments, type EnvironmentConfig } from "../../config";
import { KNOWN_REGIONS } from "../../config/regions";
import { OBSERVABILITY_COUNTS, OBSERVABILITY_PERCENTS } from "../../config/validate";
import { variant } from "../support/synth";

type Config = Readonly<Record<string, EnvironmentConfig>>;
const { dev, staging, prod } = environments as Record<"dev" | "staging" | "prod", EnvironmentConfig>;
const BUCKET = "acme-tfstate-123456789012-eu-west-1";
const OTHER_ACCOUNT = "210987654321";

/** The problems `validateEnvironments` reports; fails the test when it does not throw a ConfigError. */
function problemsOf(config: Config, selected?: readonly string[]): readonly string[] {
  try {
    validateEnvironments(config, selected);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration validated");
}

/** The shipped environments with `name` changed by `edit`. */
function shippedWith(name: "dev" | "staging" | "prod", edit: (env: any) => void): Config {
  return { ...environments, [name]: variant(environments[name]!, edit) };
}

/** Problems of the shipped config after editing dev. */
const devProblems = (edit: (env: any) => void): readonly string[] => problemsOf(shippedWith("dev", edit));

/** Problems of a dev-only config, for rules whose mistake would also trip cross-environment checks. */
const devOnlyProblems = (edit: (env: any) => void): readonly string[] => problemsOf({ dev: variant(dev, edit) });

/** Problems of dev plus an edited staging, for the cross-environment rules (one pair, one line). */
const pairProblems = (edit: (env: any) => void): readonly string[] =>
  problemsOf({ dev, staging: variant(staging, edit) });

describe("validateEnvironments", () => {
  describe("shipped configuration", () => {
    it("is valid and returns every environment in declaration order", () => {
      expect(validateEnvironments(environments).map((env) => env.name)).toEqual(["dev", "staging", "prod"]);
    });

    it("returns the selected environments in the order asked for", () => {
      expect(validateEnvironments(environments, ["prod", "dev"])).toEqual([prod, dev]);
    });
  });

  describe("reporting", () => {
    it("reports every problem at once, in one throw", () => {
      const config = shippedWith("dev", (env) => {
        env.network.natStrategy = "dual";
        env.compute.instanceType = "t3small";
        env.budget.monthlyLimitUsd = 0;
      });
      let thrown = 0;
      let error: unknown;
      try {
        validateEnvironments(config);
      } catch (caught) {
        thrown += 1;
        error = caught;
      }
      expect(thrown).toBe(1);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'dev.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az',
        'dev.compute.instanceType: "t3small" is not an EC2 instance type (family.size, e.g. t3.small)',
        "dev.budget.monthlyLimitUsd: 0 must be a positive number of USD",
      ]);
    });

    it("counts the problems in the message header and lists one per line", () => {
      const config = shippedWith("dev", (env) => {
        env.network.natStrategy = "dual";
        env.compute.instanceType = "t3small";
        env.budget.monthlyLimitUsd = 0;
      });
      expect(() => validateEnvironments(config)).toThrow(
        [
          "Environment configuration is invalid (3 problems):",
          '  - dev.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az',
          '  - dev.compute.instanceType: "t3small" is not an EC2 instance type (family.size, e.g. t3.small)',
          "  - dev.budget.monthlyLimitUsd: 0 must be a positive number of USD",
        ].join("\n"),
      );
    });

    it("uses the singular for one problem", () => {
      expect(() => validateEnvironments(environments, ["qa"])).toThrow(
        'Environment configuration is invalid (1 problem):\n  - ENVIRONMENTS: "qa" is not a known environment; known: dev, staging, prod',
      );
    });

    it("names the error ConfigError so main.ts can print it without a stack trace", () => {
      const error = new ConfigError(["x"]);
      expect(error.name).toBe("ConfigError");
      expect(error).toBeInstanceOf(Error);
    });

    it("fails when an environment that is not selected is broken (by design)", () => {
      const config = shippedWith("prod", (env) => {
        env.network.natStrategy = "dual";
      });
      expect(problemsOf(config, ["dev"])).toEqual([
        'prod.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az',
      ]);
    });
  });

  describe("selection (ENVIRONMENTS)", () => {
    it("fails when an unknown environment is requested", () => {
      expect(problemsOf(environments, ["dev", "qa"])).toEqual([
        'ENVIRONMENTS: "qa" is not a known environment; known: dev, staging, prod',
      ]);
    });

    it("fails when an environment is selected twice", () => {
      expect(problemsOf(environments, ["dev", "prod", "dev"])).toEqual(['ENVIRONMENTS: "dev" is selected twice']);
    });

    it("fails when the selection is empty", () => {
      expect(problemsOf(environments, [])).toEqual([
        'ENVIRONMENTS: "" selects no environment; known: dev, staging, prod',
      ]);
    });
  });

  describe("identity", () => {
    it("fails when an environment is not an object", () => {
      expect(problemsOf({ dev: "dev" as unknown as EnvironmentConfig })).toEqual([
        'dev.(environment): "dev" must be an object',
      ]);
    });

    it("fails when the environment name is malformed", () => {
      const Dev = variant(dev, (env) => {
        env.name = "Dev";
        env.tags.Environment = "Dev";
      });
      expect(problemsOf({ Dev })).toEqual([
        'Dev.name: "Dev" must be 2-12 lower-case letters or digits, starting with a letter',
      ]);
    });

    it("fails when the name differs from the key it is registered under", () => {
      expect(
        devProblems((env) => {
          env.name = "qa";
          env.tags.Environment = "qa";
        }),
      ).toEqual(['dev.name: "qa" must equal the key it is registered under (dev)']);
    });

    it("fails when the project name is malformed", () => {
      expect(
        devProblems((env) => {
          env.project = "Acme";
          env.tags.Project = "Acme";
        }),
      ).toEqual(['dev.project: "Acme" must be 3-21 lower-case letters, digits or hyphens, starting with a letter']);
    });

    it("fails when the region is unknown", () => {
      expect(devProblems((env) => (env.region = "eu-west-9"))).toEqual([
        `dev.region: "eu-west-9" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`,
      ]);
    });

    it("fails when the account id is malformed", () => {
      // Single environment: with others the shared state bucket would also be reported (see cross-environment rules).
      expect(devOnlyProblems((env) => (env.accountId = "12345678901a"))).toEqual([
        'dev.accountId: "12345678901a" is not an AWS account id (exactly 12 digits)',
      ]);
    });

    it.each(["tags", "network", "state", "compute", "alerting", "observability", "budget"])("fails when the %s section is not an object", (section) => {
      const problems = devProblems((env) => (env[section] = "oops"));
      expect(problems).toContain(`dev.${section}: "oops" must be an object`);
    });

    it("fails when a section is an array", () => {
      expect(devProblems((env) => (env.budget = []))).toContain("dev.budget: [] must be an object");
    });
  });

  describe("tags", () => {
    it.each(["Project", "Environment", "Owner", "CostCenter", "ManagedBy"])("fails when the required tag %s is missing", (key) => {
      expect(devProblems((env) => delete env.tags[key])).toEqual([`dev.tags.${key}: undefined must be a non-empty string`]);
    });

    it("fails when a required tag is blank", () => {
      expect(devProblems((env) => (env.tags.Owner = "  "))).toEqual(['dev.tags.Owner: "  " must be a non-empty string']);
    });

    it("fails when a tag is not a string or longer than 256 characters", () => {
      const long = "x".repeat(257);
      expect(
        devProblems((env) => {
          env.tags.Extra = 5;
          env.tags.Long = long;
        }),
      ).toEqual([
        "dev.tags.Extra: 5 must be a string of at most 256 characters",
        `dev.tags.Long: "${long}" must be a string of at most 256 characters`,
      ]);
    });

    it("fails when tags.Environment differs from the environment name", () => {
      expect(devProblems((env) => (env.tags.Environment = "development"))).toEqual([
        'dev.tags.Environment: "development" must equal the environment name (dev)',
      ]);
    });

    it("fails when tags.Project differs from the project name", () => {
      expect(devProblems((env) => (env.tags.Project = "other"))).toEqual([
        'dev.tags.Project: "other" must equal the project name (acme)',
      ]);
    });
  });

  describe("network", () => {
    it.each(["10.10.0.0/33", "10.10.0.256/16", "10.10.0.0", "not-a-cidr"])("fails when the VPC CIDR %s is invalid", (cidr) => {
      expect(devProblems((env) => (env.network.vpcCidr = cidr))).toEqual([
        `dev.network.vpcCidr: "${cidr}" is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)`,
      ]);
    });

    it("fails when the VPC CIDR has host bits set", () => {
      expect(devProblems((env) => (env.network.vpcCidr = "10.10.0.1/16"))).toEqual([
        'dev.network.vpcCidr: "10.10.0.1/16" is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)',
      ]);
    });

    it("fails when the VPC prefix is larger than /16", () => {
      expect(devProblems((env) => (env.network.vpcCidr = "10.10.0.0/15"))).toEqual([
        'dev.network.vpcCidr: "10.10.0.0/15" has a prefix length outside /16../28, which AWS allows for VPCs',
      ]);
    });

    it("fails when the VPC prefix is smaller than /28", () => {
      expect(devProblems((env) => (env.network.vpcCidr = "10.10.0.0/29"))).toContain(
        'dev.network.vpcCidr: "10.10.0.0/29" has a prefix length outside /16../28, which AWS allows for VPCs',
      );
    });

    it("fails when two environments' VPC CIDRs overlap", () => {
      const config = shippedWith("staging", (env) => {
        env.network.vpcCidr = "10.10.0.0/16";
        for (const kind of ["publicSubnetCidrs", "privateSubnetCidrs"]) {
          env.network[kind] = env.network[kind].map((cidr: string) => cidr.replace(/^10\.20\./, "10.10."));
        }
      });
      expect(problemsOf(config)).toEqual([
        'staging.network.vpcCidr: "10.10.0.0/16" overlaps dev.network.vpcCidr (10.10.0.0/16); environments need disjoint ranges so they can be peered or routed later',
      ]);
    });

    it("fails when two environments' VPC CIDRs partly overlap", () => {
      const config: Config = {
        dev,
        other: variant(dev, (env) => {
          env.name = "other";
          env.tags.Environment = "other";
          env.state.keyPrefix = "other";
          env.network.vpcCidr = "10.10.128.0/17";
          env.network.publicSubnetCidrs = ["10.10.128.0/24", "10.10.129.0/24"];
          env.network.privateSubnetCidrs = ["10.10.144.0/20", "10.10.160.0/20"];
        }),
      };
      expect(problemsOf(config)).toEqual([
        'other.network.vpcCidr: "10.10.128.0/17" overlaps dev.network.vpcCidr (10.10.0.0/16); environments need disjoint ranges so they can be peered or routed later',
      ]);
    });

    it("fails when a subnet does not fit in the VPC", () => {
      expect(devProblems((env) => (env.network.publicSubnetCidrs[1] = "10.11.1.0/24"))).toEqual([
        'dev.network.publicSubnetCidrs[1]: "10.11.1.0/24" does not fit in the VPC CIDR 10.10.0.0/16',
      ]);
    });

    it("fails when two subnets overlap", () => {
      expect(devProblems((env) => (env.network.privateSubnetCidrs[0] = "10.10.0.0/20"))).toEqual([
        'dev.network.privateSubnetCidrs[0]: "10.10.0.0/20" overlaps network.publicSubnetCidrs[0] (10.10.0.0/24)',
      ]);
    });

    it("fails when a subnet CIDR is invalid or has host bits set", () => {
      expect(devProblems((env) => (env.network.publicSubnetCidrs[0] = "10.10.0.1/24"))).toEqual([
        'dev.network.publicSubnetCidrs[0]: "10.10.0.1/24" is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)',
      ]);
    });

    it("fails when a subnet prefix is outside /16../28", () => {
      expect(devProblems((env) => (env.network.publicSubnetCidrs[0] = "10.10.0.0/29"))).toEqual([
        'dev.network.publicSubnetCidrs[0]: "10.10.0.0/29" has a prefix length outside /16../28, which AWS allows for subnets',
      ]);
    });

    it("fails when a subnet list is not a list", () => {
      expect(devProblems((env) => (env.network.privateSubnetCidrs = "10.10.16.0/20"))).toEqual([
        'dev.network.privateSubnetCidrs: "10.10.16.0/20" must be a list of CIDRs, one per availability zone',
      ]);
    });

    it("fails when there is not one subnet per availability zone", () => {
      expect(devProblems((env) => env.network.publicSubnetCidrs.pop())).toEqual([
        'dev.network.publicSubnetCidrs: ["10.10.0.0/24"] has 1 entries; needs exactly one per availability zone (2)',
      ]);
      expect(devProblems((env) => env.network.privateSubnetCidrs.push("10.10.48.0/20"))).toEqual([
        'dev.network.privateSubnetCidrs: ["10.10.16.0/20","10.10.32.0/20","10.10.48.0/20"] has 3 entries; needs exactly one per availability zone (2)',
      ]);
    });

    it("fails when fewer than 2 availability zones are listed", () => {
      expect(
        devProblems((env) => {
          env.network.availabilityZones = ["eu-west-1a"];
          env.network.publicSubnetCidrs = ["10.10.0.0/24"];
          env.network.privateSubnetCidrs = ["10.10.16.0/20"];
        }),
      ).toEqual(['dev.network.availabilityZones: ["eu-west-1a"] must list at least 2 availability zones (load balancers need two)']);
    });

    it("fails when an availability zone is listed twice", () => {
      expect(devProblems((env) => (env.network.availabilityZones = ["eu-west-1a", "eu-west-1a"]))).toEqual([
        'dev.network.availabilityZones[1]: "eu-west-1a" is listed twice; each availability zone may appear once',
      ]);
    });

    it("fails when an availability zone is not in the region", () => {
      expect(devProblems((env) => (env.network.availabilityZones = ["eu-west-1a", "eu-west-1d"]))).toEqual([
        'dev.network.availabilityZones[1]: "eu-west-1d" is not an availability zone of eu-west-1; allowed: eu-west-1a, eu-west-1b, eu-west-1c',
      ]);
      expect(devProblems((env) => (env.network.availabilityZones = ["eu-west-1a", "us-east-1b"]))).toEqual([
        'dev.network.availabilityZones[1]: "us-east-1b" is not an availability zone of eu-west-1; allowed: eu-west-1a, eu-west-1b, eu-west-1c',
      ]);
    });

    it("fails when natStrategy is not none, single or per-az", () => {
      expect(devProblems((env) => (env.network.natStrategy = "dual"))).toEqual([
        'dev.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az',
      ]);
    });

    it("fails when flowLogRetentionDays is not a CloudWatch Logs retention", () => {
      expect(devProblems((env) => (env.network.flowLogRetentionDays = 10))).toEqual([
        "dev.network.flowLogRetentionDays: 10 is not allowed; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ]);
    });
  });

  describe("state", () => {
    it("fails when the bucket name is not a valid S3 bucket name", () => {
      expect(devOnlyProblems((env) => (env.state.bucket = "Bad_Bucket"))).toEqual([
        'dev.state.bucket: "Bad_Bucket" is not a valid S3 bucket name (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)',
      ]);
    });

    it("fails when the lock table name is not a valid DynamoDB table name", () => {
      expect(devOnlyProblems((env) => (env.state.lockTable = "ab"))).toEqual([
        'dev.state.lockTable: "ab" is not a valid DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)',
      ]);
    });

    it("fails when the state region is unknown", () => {
      expect(devOnlyProblems((env) => (env.state.region = "mars-1"))).toEqual([
        `dev.state.region: "mars-1" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`,
      ]);
    });

    it.each(["aws/s3", "", "bad alias"])("fails when the KMS alias %j is not a valid alias name", (alias) => {
      expect(devOnlyProblems((env) => (env.state.kmsKeyAlias = alias))).toEqual([
        `dev.state.kmsKeyAlias: ${JSON.stringify(alias)} is not a valid KMS alias name (1-250 of a-z A-Z 0-9 / _ -, without the alias/ prefix, not starting with aws/)`,
      ]);
    });

    it.each(["/dev", "dev/", "Dev", "dev//x"])("fails when the key prefix %j is malformed", (prefix) => {
      expect(devProblems((env) => (env.state.keyPrefix = prefix))).toEqual([
        `dev.state.keyPrefix: ${JSON.stringify(prefix)} must be lower-case path segments of a-z 0-9 _ - separated by /, without leading or trailing /`,
      ]);
    });

    it.each(["account", "account/dev"])("fails when the key prefix %j lies under the account stacks' account/", (prefix) => {
      expect(devProblems((env) => (env.state.keyPrefix = prefix))).toEqual([
        `dev.state.keyPrefix: ${JSON.stringify(prefix)} is reserved: account/ holds the account stacks' state (account/<account id>.tfstate)`,
      ]);
    });

    it("accepts a nested key prefix", () => {
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.state.keyPrefix = "team-a/dev")))).not.toThrow();
    });

    it("fails when useLockfile is not a boolean", () => {
      expect(devProblems((env) => (env.state.useLockfile = "yes"))).toEqual([
        'dev.state.useLockfile: "yes" must be true or false',
      ]);
    });
  });

  describe("state across environments", () => {
    it("fails when two environments use the same state keys (bucket and key prefix)", () => {
      expect(pairProblems((env) => (env.state.keyPrefix = "dev"))).toEqual([
        `staging.state.keyPrefix: "dev" is already used by dev in bucket ${BUCKET}; every environment needs its own state keys`,
      ]);
    });

    it("reports the clash against every earlier environment", () => {
      expect(problemsOf(shippedWith("prod", (env) => (env.state.keyPrefix = "dev")))).toEqual([
        `prod.state.keyPrefix: "dev" is already used by dev in bucket ${BUCKET}; every environment needs its own state keys`,
      ]);
    });

    it.each([
      ["region", "eu-west-2"],
      ["lockTable", "other-lock"],
      ["kmsKeyAlias", "other-key"],
    ])("fails when the same bucket is used with a different %s", (field, value) => {
      expect(pairProblems((env) => (env.state[field] = value))).toEqual([
        `staging.state.${field}: ${JSON.stringify(value)} differs from dev.state.${field} (${JSON.stringify((dev.state as any)[field])}) although both use bucket ${BUCKET}; one bucket has one region, lock table and key`,
      ]);
    });

    it("fails when the same bucket is used by two accounts", () => {
      expect(pairProblems((env) => (env.accountId = OTHER_ACCOUNT))).toEqual([
        `staging.accountId: "${OTHER_ACCOUNT}" differs from dev.accountId ("123456789012") although both keep state in bucket ${BUCKET}; give each account its own state bucket`,
      ]);
    });

    it("fails when one account uses two buckets", () => {
      expect(pairProblems((env) => (env.state.bucket = "other-bucket"))).toEqual([
        `staging.state.bucket: "other-bucket" differs from dev.state.bucket ("${BUCKET}") although both deploy into account 123456789012; one account keeps all its state in one bucket`,
      ]);
    });

    it("accepts another account with its own bucket", () => {
      const config = shippedWith("prod", (env) => {
        env.accountId = OTHER_ACCOUNT;
        env.state.bucket = `acme-tfstate-${OTHER_ACCOUNT}-eu-west-1`;
      });
      expect(() => validateEnvironments(config)).not.toThrow();
    });
  });

  describe("compute", () => {
    it("fails when the instance type is malformed", () => {
      expect(devProblems((env) => (env.compute.instanceType = "t3small"))).toEqual([
        'dev.compute.instanceType: "t3small" is not an EC2 instance type (family.size, e.g. t3.small)',
      ]);
    });

    it("fails when minCapacity exceeds desiredCapacity", () => {
      expect(devProblems((env) => Object.assign(env.compute, { minCapacity: 2, desiredCapacity: 1, maxCapacity: 2 }))).toEqual([
        "dev.compute.minCapacity: 2 must not exceed desiredCapacity (1)",
      ]);
    });

    it("fails when desiredCapacity exceeds maxCapacity", () => {
      expect(devProblems((env) => Object.assign(env.compute, { minCapacity: 1, desiredCapacity: 3, maxCapacity: 2 }))).toEqual([
        "dev.compute.desiredCapacity: 3 must not exceed maxCapacity (2)",
      ]);
    });

    it("fails when minCapacity exceeds maxCapacity", () => {
      // desiredCapacity is broken so the min/max comparison is the only ordering rule that can run.
      expect(devProblems((env) => Object.assign(env.compute, { minCapacity: 3, desiredCapacity: "x", maxCapacity: 2 }))).toEqual([
        'dev.compute.desiredCapacity: "x" must be an integer >= 0',
        "dev.compute.minCapacity: 3 must not exceed maxCapacity (2)",
      ]);
    });

    it("reports every ordering rule a config breaks", () => {
      expect(devProblems((env) => Object.assign(env.compute, { minCapacity: 5, desiredCapacity: 4, maxCapacity: 3 }))).toEqual([
        "dev.compute.minCapacity: 5 must not exceed desiredCapacity (4)",
        "dev.compute.desiredCapacity: 4 must not exceed maxCapacity (3)",
        "dev.compute.minCapacity: 5 must not exceed maxCapacity (3)",
      ]);
    });

    it("fails when a capacity is not a non-negative integer", () => {
      expect(devProblems((env) => (env.compute.minCapacity = 0.5))).toEqual([
        "dev.compute.minCapacity: 0.5 must be an integer >= 0",
      ]);
      expect(devProblems((env) => (env.compute.desiredCapacity = "1"))).toEqual([
        'dev.compute.desiredCapacity: "1" must be an integer >= 0',
      ]);
      expect(devProblems((env) => (env.compute.minCapacity = -1))).toEqual([
        "dev.compute.minCapacity: -1 must be an integer >= 0",
      ]);
    });

    it("fails when maxCapacity is below 1", () => {
      expect(devProblems((env) => Object.assign(env.compute, { minCapacity: 0, desiredCapacity: 0, maxCapacity: 0 }))).toEqual([
        "dev.compute.maxCapacity: 0 must be an integer >= 1",
      ]);
    });
  });

  describe("alerting and budget", () => {
    it("fails when an e-mail address is malformed", () => {
      expect(devProblems((env) => (env.alerting.emails = ["ok@example.com", "not-an-email", "a b@example.com"]))).toEqual([
        'dev.alerting.emails[1]: "not-an-email" is not a valid e-mail address',
        'dev.alerting.emails[2]: "a b@example.com" is not a valid e-mail address',
      ]);
    });

    it("fails when the e-mail list is empty", () => {
      expect(devProblems((env) => (env.alerting.emails = []))).toEqual([
        "dev.alerting.emails: [] must list at least one e-mail address",
      ]);
    });

    it.each([0, -100])("fails when the budget is %d", (limit) => {
      expect(devProblems((env) => (env.budget.monthlyLimitUsd = limit))).toEqual([
        `dev.budget.monthlyLimitUsd: ${limit} must be a positive number of USD`,
      ]);
    });

    it("fails when the budget is not a number", () => {
      expect(devProblems((env) => (env.budget.monthlyLimitUsd = "150"))).toEqual([
        'dev.budget.monthlyLimitUsd: "150" must be a positive number of USD',
      ]);
    });
  });

  describe("alerting chat webhook", () => {
    it("accepts an https URL", () => {
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.alerting.chatWebhookUrl = "https://chat.example.com/hooks/T0/B0")))).not.toThrow();
    });

    it.each(["http://chat.example.com/hook", "chat.example.com/hook", "https://", 42])("fails when it is %s", (url) => {
      expect(devProblems((env) => (env.alerting.chatWebhookUrl = url))).toEqual([
        `dev.alerting.chatWebhookUrl: ${JSON.stringify(url)} is not an https:// URL (SNS must not send alarms over plain HTTP)`,
      ]);
    });
  });

  describe("observability", () => {
    it.each(OBSERVABILITY_COUNTS)("fails when %s is 0 or fractional", (key) => {
      expect(devProblems((env) => (env.observability[key] = 0))).toEqual([`dev.observability.${key}: 0 must be an integer >= 1`]);
      expect(devProblems((env) => (env.observability[key] = 1.5))).toEqual([`dev.observability.${key}: 1.5 must be an integer >= 1`]);
    });

    it.each(OBSERVABILITY_PERCENTS)("fails when %s is outside (0, 100]", (key) => {
      for (const value of [0, 101, "80"]) {
        expect(devProblems((env) => (env.observability[key] = value))).toEqual([
          `dev.observability.${key}: ${JSON.stringify(value)} must be a number above 0 and at most 100 (percent)`,
        ]);
      }
    });

    it.each(["targetResponseTimeP99Seconds", "apiLatencyP95Ms"])("fails when %s is not positive", (key) => {
      expect(devProblems((env) => (env.observability[key] = 0))).toEqual([`dev.observability.${key}: 0 must be a positive number`]);
    });

    it("fails when the target response time p95 is not positive, without comparing it to the p99", () => {
      expect(devProblems((env) => (env.observability.targetResponseTimeP95Seconds = -1))).toEqual([
        "dev.observability.targetResponseTimeP95Seconds: -1 must be a positive number",
      ]);
    });

    it("fails when the p95 response time threshold exceeds the p99 one", () => {
      expect(devProblems((env) => Object.assign(env.observability, { targetResponseTimeP95Seconds: 2, targetResponseTimeP99Seconds: 1 }))).toEqual([
        "dev.observability.targetResponseTimeP95Seconds: 2 must not exceed targetResponseTimeP99Seconds (1); a p95 is never above the p99",
      ]);
    });

    it.each([99, 201])("fails when capacityProviderReservationPercent is %d", (value) => {
      expect(devProblems((env) => (env.observability.capacityProviderReservationPercent = value))).toEqual([
        `dev.observability.capacityProviderReservationPercent: ${value} must be an integer from 100 to 200 percent`,
      ]);
    });

    it.each([0, 11])("fails when capacityAnomalyBandWidth is %d", (value) => {
      expect(devProblems((env) => (env.observability.capacityAnomalyBandWidth = value))).toEqual([
        `dev.observability.capacityAnomalyBandWidth: ${value} must be an integer from 1 to 10 standard deviations`,
      ]);
    });
  });

  describe("regressions", () => {
    it("reports a null environment as a ConfigError, not a TypeError, when other environments exist", () => {
      // The cross-environment checks must skip what is not an object, not crash on it.
      expect(problemsOf({ dev, staging: null as unknown as EnvironmentConfig })).toEqual([
        "staging.(environment): null must be an object",
      ]);
    });

    it("rejects a KMS alias given with the alias/ prefix, as its message says", () => {
      // "alias/acme" would otherwise become alias/alias/acme.
      expect(devOnlyProblems((env) => (env.state.kmsKeyAlias = "alias/acme"))).toEqual([
        'dev.state.kmsKeyAlias: "alias/acme" is not a valid KMS alias name (1-250 of a-z A-Z 0-9 / _ -, without the alias/ prefix, not starting with aws/)',
      ]);
    });
  });
});

describe("validateEnvironments", () => {
  describe("serverless", () => {
    const RETENTIONS = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
    const NOT_AN_ORIGIN = "is not an origin (scheme://host[:port], no path, no wildcard)";

    it("accepts the shipped serverless settings of every environment", () => {
      expect(() => validateEnvironments(environments)).not.toThrow();
    });

    it("fails when the serverless section is not an object", () => {
      expect(devProblems((env) => (env.serverless = "oops"))).toContain('dev.serverless: "oops" must be an object');
    });

    it("fails when the serverless section is missing, and names every field it needs", () => {
      expect(devProblems((env) => delete env.serverless)).toEqual([
        "dev.serverless: undefined must be an object",
        "dev.serverless.functionMemoryMiB: undefined must be an integer from 128 to 10240 (Lambda's range)",
        "dev.serverless.reservedConcurrency: undefined must be an integer >= 1",
        "dev.serverless.throttlingRateLimit: undefined must be a positive number of requests per second",
        "dev.serverless.throttlingBurstLimit: undefined must be an integer >= 1",
        "dev.serverless.corsAllowOrigins: undefined must be a list of origins (empty for no CORS)",
        `dev.serverless.logRetentionDays: undefined is not allowed; allowed: ${RETENTIONS}`,
        "dev.serverless.tableDeletionProtection: undefined must be true or false",
      ]);
    });

    it.each([127, 10241, 0, -256])("fails when functionMemoryMiB is %s (out of range)", (memory) => {
      expect(devProblems((env) => (env.serverless.functionMemoryMiB = memory))).toEqual([
        `dev.serverless.functionMemoryMiB: ${memory} must be an integer from 128 to 10240 (Lambda's range)`,
      ]);
    });

    it("fails when functionMemoryMiB is not an integer", () => {
      expect(devProblems((env) => (env.serverless.functionMemoryMiB = 256.5))).toEqual([
        "dev.serverless.functionMemoryMiB: 256.5 must be an integer from 128 to 10240 (Lambda's range)",
      ]);
      expect(devProblems((env) => (env.serverless.functionMemoryMiB = "256"))).toEqual([
        'dev.serverless.functionMemoryMiB: "256" must be an integer from 128 to 10240 (Lambda\'s range)',
      ]);
    });

    it.each([128, 10240])("accepts functionMemoryMiB %s (the bounds)", (memory) => {
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.serverless.functionMemoryMiB = memory)))).not.toThrow();
    });

    it.each([0, -1, 1.5])("fails when reservedConcurrency is %s", (reserved) => {
      expect(devProblems((env) => (env.serverless.reservedConcurrency = reserved))).toEqual([
        `dev.serverless.reservedConcurrency: ${reserved} must be an integer >= 1`,
      ]);
    });

    it("fails when reservedConcurrency is not a number", () => {
      expect(devProblems((env) => (env.serverless.reservedConcurrency = "5"))).toEqual([
        'dev.serverless.reservedConcurrency: "5" must be an integer >= 1',
      ]);
    });

    it.each([0, -10])("fails when throttlingRateLimit is %s", (rate) => {
      expect(devProblems((env) => (env.serverless.throttlingRateLimit = rate))).toEqual([
        `dev.serverless.throttlingRateLimit: ${rate} must be a positive number of requests per second`,
      ]);
    });

    it("fails when throttlingRateLimit is not a number", () => {
      expect(devProblems((env) => (env.serverless.throttlingRateLimit = "20"))).toEqual([
        'dev.serverless.throttlingRateLimit: "20" must be a positive number of requests per second',
      ]);
    });

    it.each([Number.POSITIVE_INFINITY, Number.NaN])("fails when throttlingRateLimit is %s (not finite)", (rate) => {
      const problems = devProblems((env) => (env.serverless.throttlingRateLimit = rate));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^dev\.serverless\.throttlingRateLimit: .+ must be a positive number of requests per second$/);
    });

    it("accepts a fractional throttlingRateLimit", () => {
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.serverless.throttlingRateLimit = 0.5)))).not.toThrow();
    });

    it.each([0, -1, 2.5])("fails when throttlingBurstLimit is %s", (burst) => {
      expect(devProblems((env) => (env.serverless.throttlingBurstLimit = burst))).toEqual([
        `dev.serverless.throttlingBurstLimit: ${burst} must be an integer >= 1`,
      ]);
    });

    it("fails when corsAllowOrigins is not a list", () => {
      expect(devProblems((env) => (env.serverless.corsAllowOrigins = "https://tips.example.com"))).toEqual([
        'dev.serverless.corsAllowOrigins: "https://tips.example.com" must be a list of origins (empty for no CORS)',
      ]);
      expect(devProblems((env) => (env.serverless.corsAllowOrigins = null))).toEqual([
        "dev.serverless.corsAllowOrigins: null must be a list of origins (empty for no CORS)",
      ]);
    });

    it.each([
      ["with a path", "https://tips.example.com/app"],
      ["with a trailing slash", "https://tips.example.com/"],
      ["a wildcard", "*"],
      ["a wildcard subdomain", "https://*.example.com"],
      ["without a scheme", "tips.example.com"],
      ["with a scheme other than http(s)", "ftp://tips.example.com"],
      ["empty", ""],
    ])("fails when a CORS origin is %s", (_case, origin) => {
      expect(devProblems((env) => (env.serverless.corsAllowOrigins = [origin]))).toEqual([
        `dev.serverless.corsAllowOrigins[0]: ${JSON.stringify(origin)} ${NOT_AN_ORIGIN}`,
      ]);
    });

    it("reports each bad origin with its index", () => {
      expect(
        devProblems((env) => (env.serverless.corsAllowOrigins = ["https://ok.example.com", "*", "http://localhost:3000", 42])),
      ).toEqual([`dev.serverless.corsAllowOrigins[1]: "*" ${NOT_AN_ORIGIN}`, `dev.serverless.corsAllowOrigins[3]: 42 ${NOT_AN_ORIGIN}`]);
    });

    it("accepts origins with a port, and an empty list (no CORS)", () => {
      expect(() =>
        validateEnvironments(shippedWith("dev", (env) => (env.serverless.corsAllowOrigins = ["http://localhost:3000", "https://tips.example.com:8443"]))),
      ).not.toThrow();
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.serverless.corsAllowOrigins = [])))).not.toThrow();
    });

    it.each([10, 0, "30"])("fails when logRetentionDays is %j", (days) => {
      expect(devProblems((env) => (env.serverless.logRetentionDays = days))).toEqual([
        `dev.serverless.logRetentionDays: ${JSON.stringify(days)} is not allowed; allowed: ${RETENTIONS}`,
      ]);
    });

    it.each(["yes", 1, null])("fails when tableDeletionProtection is %j", (value) => {
      expect(devProblems((env) => (env.serverless.tableDeletionProtection = value))).toEqual([
        `dev.serverless.tableDeletionProtection: ${JSON.stringify(value)} must be true or false`,
      ]);
    });

    it("reports every serverless problem at once, in field order", () => {
      expect(
        devProblems((env) =>
          Object.assign(env.serverless, {
            functionMemoryMiB: 64,
            reservedConcurrency: 0,
            throttlingRateLimit: 0,
            throttlingBurstLimit: 0,
            corsAllowOrigins: ["*"],
            logRetentionDays: 10,
            tableDeletionProtection: "no",
          }),
        ),
      ).toEqual([
        "dev.serverless.functionMemoryMiB: 64 must be an integer from 128 to 10240 (Lambda's range)",
        "dev.serverless.reservedConcurrency: 0 must be an integer >= 1",
        "dev.serverless.throttlingRateLimit: 0 must be a positive number of requests per second",
        "dev.serverless.throttlingBurstLimit: 0 must be an integer >= 1",
        `dev.serverless.corsAllowOrigins[0]: "*" ${NOT_AN_ORIGIN}`,
        `dev.serverless.logRetentionDays: 10 is not allowed; allowed: ${RETENTIONS}`,
        'dev.serverless.tableDeletionProtection: "no" must be true or false',
      ]);
    });

    it("reports problems of prod's serverless section under prod", () => {
      expect(problemsOf(shippedWith("prod", (env) => (env.serverless.reservedConcurrency = 0)))).toEqual([
        "prod.serverless.reservedConcurrency: 0 must be an integer >= 1",
      ]);
    });
  });
});

describe("validateEnvironments", () => {
  describe("platform", () => {
    const RETENTIONS = "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
    const CONTAINER_PORT_RULE = "must be an integer from 1024 to 65535 (unprivileged ports only: the container runs as non-root)";
    const IMAGE_TAG_RULE = "is not a valid image tag (1-128 of A-Z a-z 0-9 _ . -, not starting with . or -)";
    const CERTIFICATE_RULE = "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)";

    it("accepts the shipped platform settings of every environment", () => {
      expect(() => validateEnvironments(environments)).not.toThrow();
    });

    it("fails when the platform section is not an object", () => {
      expect(devProblems((env) => (env.platform = "oops"))).toContain('dev.platform: "oops" must be an object');
    });

    describe("instance placement", () => {
      it("fails when instanceSubnets is not private or public", () => {
        expect(devProblems((env) => (env.platform.instanceSubnets = "isolated"))).toEqual([
          'dev.platform.instanceSubnets: "isolated" is not allowed; allowed: private, public',
        ]);
      });

      it("fails when instances are private but there is no NAT (natStrategy none)", () => {
        expect(devProblems((env) => (env.platform.instanceSubnets = "private"))).toEqual([
          'dev.platform.instanceSubnets: "private" needs NAT to reach ECS and ECR, but network.natStrategy is "none"; set a NAT strategy or use "public"',
        ]);
      });

      it.each([
        ["staging", "single"],
        ["prod", "per-az"],
      ] as const)("fails when %s puts instances in public subnets although it has NAT (%s)", (name, nat) => {
        expect(problemsOf(shippedWith(name, (env) => (env.platform.instanceSubnets = "public")))).toEqual([
          `${name}.platform.instanceSubnets: "public" is only for environments without NAT; network.natStrategy is "${nat}", so use "private"`,
        ]);
      });

      it("fails when public instances meet a newly added NAT gateway", () => {
        expect(devProblems((env) => (env.network.natStrategy = "single"))).toEqual([
          'dev.platform.instanceSubnets: "public" is only for environments without NAT; network.natStrategy is "single", so use "private"',
        ]);
      });

      it.each(["public", "private"])("reports only the NAT problem, not the %s placement, when natStrategy is invalid", (placement) => {
        expect(
          devProblems((env) => {
            env.network.natStrategy = "dual";
            env.platform.instanceSubnets = placement;
          }),
        ).toEqual(['dev.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az']);
      });

      it("accepts private instances once the environment has NAT", () => {
        const config = shippedWith("dev", (env) => {
          env.network.natStrategy = "single";
          env.platform.instanceSubnets = "private";
        });
        expect(() => validateEnvironments(config)).not.toThrow();
      });
    });

    it.each(["yes", 1, null])("fails when managedTerminationProtection is %j", (value) => {
      expect(devProblems((env) => (env.platform.managedTerminationProtection = value))).toEqual([
        `dev.platform.managedTerminationProtection: ${JSON.stringify(value)} must be true or false`,
      ]);
    });

    it.each([80, 1023, 70000, 65536, 8080.5])("fails when containerPort is %s", (port) => {
      expect(devProblems((env) => (env.platform.containerPort = port))).toEqual([
        `dev.platform.containerPort: ${port} ${CONTAINER_PORT_RULE}`,
      ]);
    });

    it.each([1024, 65535])("accepts containerPort %s (the bounds)", (port) => {
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.platform.containerPort = port)))).not.toThrow();
    });

    it.each([".hidden", "-rc1", "1.0 beta", "", "v".repeat(129), "tag:latest"])("fails when imageTag is %j", (tag) => {
      expect(devProblems((env) => (env.platform.imageTag = tag))).toEqual([
        `dev.platform.imageTag: ${JSON.stringify(tag)} ${IMAGE_TAG_RULE}`,
      ]);
    });

    it("fails when imageTag is not a string", () => {
      expect(devProblems((env) => (env.platform.imageTag = 1))).toEqual([`dev.platform.imageTag: 1 ${IMAGE_TAG_RULE}`]);
    });

    it.each(["latest", "1.2.3", "sha-0a1b2c3", "_build", "v".repeat(128)])("accepts imageTag %j", (tag) => {
      expect(() => validateEnvironments(shippedWith("dev", (env) => (env.platform.imageTag = tag)))).not.toThrow();
    });

    it.each([64, 16385, 256.5])("fails when taskCpu is %s", (cpu) => {
      expect(devProblems((env) => (env.platform.taskCpu = cpu))).toEqual([
        `dev.platform.taskCpu: ${cpu} must be an integer from 128 to 16384 CPU units`,
      ]);
    });

    it.each([127, 122881, "512"])("fails when taskMemoryMiB is %j", (memory) => {
      expect(devProblems((env) => (env.platform.taskMemoryMiB = memory))).toEqual([
        `dev.platform.taskMemoryMiB: ${JSON.stringify(memory)} must be an integer from 128 to 122880 MiB`,
      ]);
    });

    describe("task counts", () => {
      const counts = (minTaskCount: unknown, desiredTaskCount: unknown, maxTaskCount: unknown) => (env: any) =>
        Object.assign(env.platform, { minTaskCount, desiredTaskCount, maxTaskCount });

      it("fails when minTaskCount exceeds desiredTaskCount", () => {
        expect(devProblems(counts(2, 1, 2))).toEqual(["dev.platform.minTaskCount: 2 must not exceed desiredTaskCount (1)"]);
      });

      it("fails when desiredTaskCount exceeds maxTaskCount", () => {
        expect(devProblems(counts(1, 3, 2))).toEqual(["dev.platform.desiredTaskCount: 3 must not exceed maxTaskCount (2)"]);
      });

      it("fails when minTaskCount exceeds maxTaskCount", () => {
        // desiredTaskCount is broken so the min/max comparison is the only ordering rule that can run.
        expect(devProblems(counts(3, "x", 2))).toEqual([
          'dev.platform.desiredTaskCount: "x" must be an integer >= 1',
          "dev.platform.minTaskCount: 3 must not exceed maxTaskCount (2)",
        ]);
      });

      it("reports every ordering rule a config breaks", () => {
        expect(devProblems(counts(5, 4, 3))).toEqual([
          "dev.platform.minTaskCount: 5 must not exceed desiredTaskCount (4)",
          "dev.platform.desiredTaskCount: 4 must not exceed maxTaskCount (3)",
          "dev.platform.minTaskCount: 5 must not exceed maxTaskCount (3)",
        ]);
      });

      it("fails when a task count is below 1 (a service always runs a task)", () => {
        expect(devProblems(counts(0, 0, 0))).toEqual([
          "dev.platform.minTaskCount: 0 must be an integer >= 1",
          "dev.platform.desiredTaskCount: 0 must be an integer >= 1",
          "dev.platform.maxTaskCount: 0 must be an integer >= 1",
        ]);
      });
    });

    it.each([5, 9, 91, 60.5])("fails when cpuTargetPercent is %s", (percent) => {
      expect(devProblems((env) => (env.platform.cpuTargetPercent = percent))).toEqual([
        `dev.platform.cpuTargetPercent: ${percent} must be an integer from 10 to 90 percent`,
      ]);
    });

    it.each([0, -1, 1.5])("fails when requestsPerTargetPerMinute is %s", (requests) => {
      expect(devProblems((env) => (env.platform.requestsPerTargetPerMinute = requests))).toEqual([
        `dev.platform.requestsPerTargetPerMinute: ${requests} must be an integer >= 1`,
      ]);
    });

    it.each([4000, 3601, -1])("fails when healthCheckGracePeriodSeconds is %s", (seconds) => {
      expect(devProblems((env) => (env.platform.healthCheckGracePeriodSeconds = seconds))).toEqual([
        `dev.platform.healthCheckGracePeriodSeconds: ${seconds} must be an integer from 0 to 3600 seconds`,
      ]);
    });

    it.each([
      "arn:aws:acm:eu-west-1:123456789012:certificate/not-a-uuid",
      "arn:aws:iam::123456789012:server-certificate/acme",
      "arn:aws:acm:eu-west-1:12345:certificate/00000000-0000-0000-0000-000000000001",
      "",
    ])("fails when certificateArn is %j", (arn) => {
      expect(problemsOf(shippedWith("staging", (env) => (env.platform.certificateArn = arn)))).toEqual([
        `staging.platform.certificateArn: ${JSON.stringify(arn)} ${CERTIFICATE_RULE}`,
      ]);
    });

    it.each(["true", 0, null])("fails when albDeletionProtection is %j", (value) => {
      expect(devProblems((env) => (env.platform.albDeletionProtection = value))).toEqual([
        `dev.platform.albDeletionProtection: ${JSON.stringify(value)} must be true or false`,
      ]);
    });

    it.each([5, 9, 2_000_000_001, 99.5])("fails when wafRateLimitPer5Minutes is %s", (limit) => {
      expect(devProblems((env) => (env.platform.wafRateLimitPer5Minutes = limit))).toEqual([
        `dev.platform.wafRateLimitPer5Minutes: ${limit} must be an integer from 10 to 2000000000 requests`,
      ]);
    });

    it.each([0, 1001, 2.5])("fails when ecrKeepImages is %s", (keep) => {
      expect(devProblems((env) => (env.platform.ecrKeepImages = keep))).toEqual([
        `dev.platform.ecrKeepImages: ${keep} must be an integer from 1 to 1000 images`,
      ]);
    });

    it.each([10, 0, "365"])("fails when logRetentionDays is %j", (days) => {
      expect(devProblems((env) => (env.platform.logRetentionDays = days))).toEqual([
        `dev.platform.logRetentionDays: ${JSON.stringify(days)} is not allowed; allowed: ${RETENTIONS}`,
      ]);
    });

    it.each(["no", 0, undefined])("fails when tableDeletionProtection is %j", (value) => {
      expect(devProblems((env) => (env.platform.tableDeletionProtection = value))).toEqual([
        `dev.platform.tableDeletionProtection: ${value === undefined ? "undefined" : JSON.stringify(value)} must be true or false`,
      ]);
    });

    it("reports problems of prod's platform section under prod", () => {
      expect(problemsOf(shippedWith("prod", (env) => (env.platform.ecrKeepImages = 0)))).toEqual([
        "prod.platform.ecrKeepImages: 0 must be an integer from 1 to 1000 images",
      ]);
    });

    it("reports every platform problem at once, in field order", () => {
      expect(
        devProblems((env) =>
          Object.assign(env.platform, {
            instanceSubnets: "private",
            managedTerminationProtection: "no",
            containerPort: 80,
            imageTag: ".x",
            taskCpu: 64,
            taskMemoryMiB: 64,
            cpuTargetPercent: 5,
            requestsPerTargetPerMinute: 0,
            healthCheckGracePeriodSeconds: 4000,
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x",
            albDeletionProtection: "no",
            wafRateLimitPer5Minutes: 5,
            ecrKeepImages: 0,
            logRetentionDays: 10,
            tableDeletionProtection: "no",
          }),
        ),
      ).toEqual([
        'dev.platform.instanceSubnets: "private" needs NAT to reach ECS and ECR, but network.natStrategy is "none"; set a NAT strategy or use "public"',
        'dev.platform.managedTerminationProtection: "no" must be true or false',
        `dev.platform.containerPort: 80 ${CONTAINER_PORT_RULE}`,
        `dev.platform.imageTag: ".x" ${IMAGE_TAG_RULE}`,
        "dev.platform.taskCpu: 64 must be an integer from 128 to 16384 CPU units",
        "dev.platform.taskMemoryMiB: 64 must be an integer from 128 to 122880 MiB",
        "dev.platform.cpuTargetPercent: 5 must be an integer from 10 to 90 percent",
        "dev.platform.requestsPerTargetPerMinute: 0 must be an integer >= 1",
        "dev.platform.healthCheckGracePeriodSeconds: 4000 must be an integer from 0 to 3600 seconds",
        `dev.platform.certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" ${CERTIFICATE_RULE}`,
        'dev.platform.albDeletionProtection: "no" must be true or false',
        "dev.platform.wafRateLimitPer5Minutes: 5 must be an integer from 10 to 2000000000 requests",
        "dev.platform.ecrKeepImages: 0 must be an integer from 1 to 1000 images",
        `dev.platform.logRetentionDays: 10 is not allowed; allowed: ${RETENTIONS}`,
        'dev.platform.tableDeletionProtection: "no" must be true or false',
      ]);
    });
  });
});

describe("validateEnvironments", () => {
  describe("destroy protection", () => {
    const HALF_DESTROY_RULE =
      "needs preventDestroy: true; without it a destroy deletes the service, cluster and functions before AWS refuses this resource, leaving the environment half gone. Set preventDestroy: true (the destroy plan then fails before anything is deleted) or turn this off";

    it.each([
      ["preventDestroy", "yes"],
      ["preventDestroy", undefined],
      ["decommission", 1],
      ["decommission", undefined],
    ])("fails when %s is %j", (field, value) => {
      expect(devProblems((env) => (env[field] = value))).toEqual([`dev.${field}: ${value === undefined ? "undefined" : JSON.stringify(value)} must be true or false`]);
    });

    it("fails for AWS-side deletion protection without preventDestroy, naming each field", () => {
      expect(
        problemsOf(
          shippedWith("prod", (env) => {
            env.preventDestroy = false;
          }),
        ),
      ).toEqual([
        `prod.platform.albDeletionProtection: true ${HALF_DESTROY_RULE}`,
        `prod.platform.tableDeletionProtection: true ${HALF_DESTROY_RULE}`,
        `prod.serverless.tableDeletionProtection: true ${HALF_DESTROY_RULE}`,
      ]);
    });

    it("accepts preventDestroy without deletion protection, and decommission on either", () => {
      const config = {
        ...environments,
        dev: variant(dev, (env: any) => {
          env.preventDestroy = true;
          env.decommission = true;
        }),
        prod: variant(prod, (env: any) => (env.decommission = true)),
      };
      expect(validateEnvironments(config).map((env) => env.name)).toEqual(Object.keys(environments));
    });
  });
});

describe("validateEnvironments", () => {
  describe("HTTPS and domains", () => {
    const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/3f1c2a9e-8b7d-4c65-9a21-0e5f4d3c2b1a";
    const ZONE_RULE = "is not a DNS zone name (lower-case labels of a-z 0-9 - separated by dots, no trailing dot, e.g. example.com)";
    const NAME_RULE = "is not a DNS name (lower-case labels of a-z 0-9 - separated by dots, no wildcard, e.g. app.example.com)";
    const HTTPS_RULE =
      "is required: platform.requireHttps is true, so the load balancer needs a domain (its certificate is made in the hosted zone) or platform.certificateArn";

    it("ships every environment that requires HTTPS with a domain or a certificate, and dev without either", () => {
      for (const env of Object.values(environments)) {
        if (env.platform.requireHttps) expect(env.platform.domain ?? env.platform.certificateArn, env.name).toBeDefined();
      }
      expect(dev.platform.requireHttps).toBe(false);
      expect(dev.platform.domain).toBeUndefined();
    });

    it("fails for an environment that requires HTTPS with neither domain nor certificate, naming the field", () => {
      expect(problemsOf(shippedWith("staging", (env) => delete env.platform.domain))).toEqual([`staging.platform.domain: undefined ${HTTPS_RULE}`]);
    });

    it("accepts an existing certificate of the environment's account and region instead of a domain", () => {
      const config = shippedWith("prod", (env) => {
        delete env.platform.domain;
        env.platform.certificateArn = CERTIFICATE;
      });
      expect(validateEnvironments(config).map((env) => env.name)).toEqual(Object.keys(environments));
    });

    it.each([
      ["arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000001"],
      ["arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"],
      ["arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"],
    ])("refuses the placeholder certificate %s", (arn) => {
      expect(problemsOf(shippedWith("prod", (env) => (env.platform.certificateArn = arn)))).toEqual([
        `prod.platform.certificateArn: ${JSON.stringify(arn)} is a placeholder (a documentation certificate id), not a certificate; give the ARN of one issued in this account, or set platform.domain to have one made`,
      ]);
    });

    it("refuses a certificate of another account or region, naming both", () => {
      const arn = CERTIFICATE.replace("eu-west-1:123456789012", `us-east-1:${OTHER_ACCOUNT}`);
      expect(problemsOf(shippedWith("prod", (env) => (env.platform.certificateArn = arn)))).toEqual([
        `prod.platform.certificateArn: ${JSON.stringify(arn)} is in us-east-1; a load balancer can only use a certificate of its own region (eu-west-1)`,
        `prod.platform.certificateArn: ${JSON.stringify(arn)} is in account ${OTHER_ACCOUNT}; a load balancer can only use a certificate of its own account (123456789012)`,
      ]);
    });

    it.each([["yes"], [undefined], [1]])("fails when requireHttps is %j", (value) => {
      expect(devProblems((env) => (env.platform.requireHttps = value))).toEqual([
        `dev.platform.requireHttps: ${value === undefined ? "undefined" : JSON.stringify(value)} must be true or false`,
      ]);
    });

    it.each([
      ["platform", "hostedZone", "Example.com", ZONE_RULE],
      ["platform", "hostedZone", "example.com.", ZONE_RULE],
      ["serverless", "hostedZone", "localhost", ZONE_RULE],
      ["serverless", "recordName", "*.staging.example.com", NAME_RULE],
      ["platform", "recordName", "app.staging.example.org", "is not in the hosted zone example.com; use the zone's name or a name ending in .example.com"],
      ["serverless", "recordName", "notexample.com", "is not in the hosted zone example.com; use the zone's name or a name ending in .example.com"],
    ])("fails when %s.domain.%s is %j", (section, field, value, rule) => {
      expect(problemsOf(shippedWith("staging", (env) => (env[section].domain[field] = value)))).toEqual([
        `staging.${section}.domain.${field}: ${JSON.stringify(value)} ${rule}`,
      ]);
    });

    it("fails for a record name longer than a certificate's common name allows", () => {
      const name = `${"a".repeat(53)}.example.com`;
      expect(problemsOf(shippedWith("staging", (env) => (env.serverless.domain.recordName = name)))).toEqual([
        `staging.serverless.domain.recordName: ${JSON.stringify(name)} is 65 characters; ACM certificates take at most 64 (the common name)`,
      ]);
    });

    it("fails for a domain that is not an object", () => {
      expect(problemsOf(shippedWith("staging", (env) => (env.serverless.domain = "api.example.com")))).toEqual([
        'staging.serverless.domain: "api.example.com" must be an object',
      ]);
    });

    it("fails when two endpoints share a record name, within or across environments", () => {
      const config = {
        ...environments,
        staging: variant(staging, (env: any) => (env.serverless.domain.recordName = env.platform.domain.recordName)),
        prod: variant(prod, (env: any) => (env.platform.domain.recordName = staging.platform.domain!.recordName)),
      };
      const name = JSON.stringify(staging.platform.domain!.recordName);
      expect(problemsOf(config)).toEqual([
        `staging.serverless.domain.recordName: ${name} is already used by staging.platform.domain.recordName; each endpoint needs its own name`,
        `prod.platform.domain.recordName: ${name} is already used by staging.platform.domain.recordName; each endpoint needs its own name`,
      ]);
    });
  });
});
