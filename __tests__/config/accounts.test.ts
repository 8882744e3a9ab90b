import { describe, expect, it } from "vitest";
import { accounts, ConfigError, environments, validateEnvironments, type AccountConfig, type EnvironmentConfig } from "../../config";
import { ACCOUNT_DEFAULTS } from "../../config/accounts";
import { KNOWN_REGIONS } from "../../config/regions";
import { LOG_RETENTION_DAYS } from "../../config/validate";
import { variant } from "../support/synth";

const ACCOUNT = "123456789012";
const OTHER = "210987654321";
const shipped = accounts[ACCOUNT]!;

function problemsOf(
  account: Readonly<Record<string, AccountConfig>>,
  envs: Readonly<Record<string, EnvironmentConfig>> = environments,
): readonly string[] {
  try {
    validateEnvironments(envs, undefined, account);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration validated");
}

/** Problems of the shipped account after `edit`. */
const accountProblems = (edit: (account: any) => void): readonly string[] => {
  const copy = structuredClone(shipped) as any;
  edit(copy);
  return problemsOf({ [ACCOUNT]: copy });
};
const P = `accounts.${ACCOUNT}`;

describe("account validation", () => {
  it("accepts the shipped accounts", () => {
    expect(validateEnvironments(environments, undefined, accounts)).toHaveLength(3);
  });

  it("ships safe defaults", () => {
    expect(ACCOUNT_DEFAULTS).toEqual({
      trail: { logRetentionDays: 365, archiveAfterDays: 30, expireAfterDays: 2557, objectLockMode: "COMPLIANCE", objectLockDays: 365 },
      guardDuty: { enableS3Protection: true },
      securityHub: { foundationalBestPractices: true, cis: true },
      awsConfig: {
        enableRules: true,
        dailyResourceTypes: [
          "AWS::EC2::Instance",
          "AWS::EC2::NetworkInterface",
          "AWS::ECS::Service",
          "AWS::ECS::TaskDefinition",
          "AWS::AutoScaling::AutoScalingGroup",
          "AWS::CloudWatch::Alarm",
        ],
      },
      passwordPolicy: { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 },
      billing: { alarmThresholdUsd: 3500 },
    });
  });

  it("is skipped when no accounts are given (environment-only callers)", () => {
    expect(validateEnvironments(environments)).toHaveLength(3);
  });

  it("fails when an environment's account has no entry", () => {
    const envs = { ...environments, prod: variant(environments.prod!, (env) => {
      env.accountId = OTHER;
      env.state.bucket = `acme-tfstate-${OTHER}-eu-west-1`;
    }) };
    expect(problemsOf(accounts, envs)).toEqual([
      `prod.accountId: "${OTHER}" has no entry in config/accounts.ts; every account needs its security baseline`,
    ]);
  });

  it("reports account problems together with environment problems, in one throw", () => {
    const envs = { ...environments, dev: variant(environments.dev!, (env) => (env.budget.monthlyLimitUsd = 0)) };
    const broken = { [ACCOUNT]: { ...shipped, securityAlertEmails: [] } };
    expect(problemsOf(broken, envs)).toEqual([
      "dev.budget.monthlyLimitUsd: 0 must be a positive number of USD",
      `${P}.securityAlertEmails: [] must list at least one e-mail address`,
    ]);
  });

  describe("identity", () => {
    it("fails when an account is not an object", () => {
      expect(problemsOf({ [ACCOUNT]: "x" as unknown as AccountConfig })).toEqual([`${P}.(account): "x" must be an object`]);
    });

    it("fails when the account id is malformed", () => {
      expect(accountProblems((a) => (a.accountId = "12345"))).toEqual([`${P}.accountId: "12345" is not an AWS account id (exactly 12 digits)`]);
    });

    it("fails when the account id differs from its key", () => {
      expect(accountProblems((a) => (a.accountId = OTHER))).toEqual([`${P}.accountId: "${OTHER}" must equal the key it is registered under (${ACCOUNT})`]);
    });

    it("fails when the region is unknown", () => {
      expect(accountProblems((a) => (a.region = "eu-west-9"))).toEqual([`${P}.region: "eu-west-9" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`]);
    });

    it("accepts a home region its environments do not use: the regional parts follow the environments", () => {
      expect(() => validateEnvironments(environments, undefined, { [ACCOUNT]: { ...shipped, region: "eu-central-1" } })).not.toThrow();
    });

    it("fails when the home region is not a known region", () => {
      expect(accountProblems((a) => (a.region = "eu-middle-1"))).toEqual([`${P}.region: "eu-middle-1" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`]);
    });

    it.each(["github", "trail", "guardDuty", "securityHub", "awsConfig", "passwordPolicy", "billing"])("fails when the %s section is not an object", (section) => {
      expect(accountProblems((a) => (a[section] = "oops"))).toContain(`${P}.${section}: "oops" must be an object`);
    });
  });

  describe("security alert e-mails", () => {
    it("fails when the list is empty", () => {
      expect(accountProblems((a) => (a.securityAlertEmails = []))).toEqual([`${P}.securityAlertEmails: [] must list at least one e-mail address`]);
    });

    it("fails on a malformed address", () => {
      expect(accountProblems((a) => (a.securityAlertEmails = ["ok@example.com", "nope"]))).toEqual([
        `${P}.securityAlertEmails[1]: "nope" is not a valid e-mail address`,
      ]);
    });
  });

  describe("github", () => {
    it("fails on a malformed owner", () => {
      expect(accountProblems((a) => (a.github.owner = "-acme"))).toEqual([
        `${P}.github.owner: "-acme" is not a GitHub owner name (1-39 letters, digits or single hyphens)`,
      ]);
    });

    it("fails on a malformed repository", () => {
      expect(accountProblems((a) => (a.github.repository = "plat form"))).toEqual([
        `${P}.github.repository: "plat form" is not a GitHub repository name (1-100 of A-Z a-z 0-9 _ . -)`,
      ]);
    });

    it("fails when subjects is not an object", () => {
      expect(accountProblems((a) => (a.github.subjects = []))).toEqual([`${P}.github.subjects: [] must be an object`]);
    });

    it("fails when a subject names no environment of the account", () => {
      expect(accountProblems((a) => (a.github.subjects = { qa: { environment: "qa" } }))).toEqual([
        `${P}.github.subjects.qa: {"environment":"qa"} names no environment of this account; known: dev, staging, prod`,
      ]);
    });

    it("fails when a subject is neither an environment nor a branch", () => {
      expect(accountProblems((a) => (a.github.subjects = { dev: { environment: "dev", branch: "main" } }))).toEqual([
        `${P}.github.subjects.dev: {"environment":"dev","branch":"main"} must be { environment: "<name>" } or { branch: "<name>" }`,
      ]);
    });

    it("fails on a wildcard branch", () => {
      expect(accountProblems((a) => (a.github.subjects = { prod: { branch: "release/*" } }))).toEqual([
        `${P}.github.subjects.prod.branch: "release/*" is not a GitHub environment or branch name usable in an OIDC subject (1-255 of A-Z a-z 0-9 _ . / -)`,
      ]);
    });

    it("accepts a branch and an environment subject", () => {
      const ok = { [ACCOUNT]: { ...shipped, github: { ...shipped.github, subjects: { prod: { branch: "main" }, dev: { environment: "development" } } } } };
      expect(validateEnvironments(environments, undefined, ok)).toHaveLength(3);
    });
  });

  describe("trail", () => {
    it("fails on a log retention CloudWatch Logs does not accept", () => {
      expect(accountProblems((a) => (a.trail.logRetentionDays = 100))).toEqual([
        `${P}.trail.logRetentionDays: 100 is not allowed; allowed: ${LOG_RETENTION_DAYS.join(", ")}`,
      ]);
    });

    it("fails when archiveAfterDays is not a positive integer", () => {
      expect(accountProblems((a) => (a.trail.archiveAfterDays = 0))).toEqual([`${P}.trail.archiveAfterDays: 0 must be an integer >= 1`]);
    });

    it("fails when trail files would expire within a year", () => {
      expect(accountProblems((a) => {
        a.trail.expireAfterDays = 90;
        a.trail.objectLockDays = 30;
      })).toEqual([`${P}.trail.expireAfterDays: 90 must be an integer >= 365`]);
    });

    it("fails when files would stay locked past their expiry", () => {
      expect(accountProblems((a) => (a.trail.objectLockDays = 3000))).toEqual([`${P}.trail.objectLockDays: 3000 must not exceed expireAfterDays (2557)`]);
    });

    it.each([0, 1.5, "365"])("fails when objectLockDays is %s", (days) => {
      expect(accountProblems((a) => (a.trail.objectLockDays = days))).toEqual([
        `${P}.trail.objectLockDays: ${JSON.stringify(days)} must be an integer from 1 to 36500 days`,
      ]);
    });

    it("fails when objectLockMode is neither COMPLIANCE nor GOVERNANCE", () => {
      expect(accountProblems((a) => (a.trail.objectLockMode = "LEGAL_HOLD"))).toEqual([
        `${P}.trail.objectLockMode: "LEGAL_HOLD" is not allowed; allowed: COMPLIANCE, GOVERNANCE`,
      ]);
    });

    it("fails when files would expire less than 90 days after the move to Glacier IR", () => {
      const problems = accountProblems((a) => {
        a.trail.archiveAfterDays = 400;
        a.trail.expireAfterDays = 450;
      });
      expect(problems).toEqual([
        `${P}.trail.expireAfterDays: 450 must be at least archiveAfterDays + 90 (490): Glacier Instant Retrieval bills 90 days minimum`,
      ]);
    });
  });

  describe("guardDuty, securityHub, awsConfig", () => {
    it("fails on a malformed detector id to adopt", () => {
      expect(accountProblems((a) => (a.guardDuty.adoptDetectorId = "abc"))).toEqual([
        `${P}.guardDuty.adoptDetectorId: "abc" is not a GuardDuty detector id (32 lower-case hex characters)`,
      ]);
    });

    it("accepts a detector id to adopt", () => {
      const ok = { [ACCOUNT]: { ...shipped, guardDuty: { ...shipped.guardDuty, adoptDetectorId: "12abc34d567e8fa901bc2d34e56789f0" } } };
      expect(validateEnvironments(environments, undefined, ok)).toHaveLength(3);
    });

    it.each([
      ["guardDuty", "enableS3Protection"],
      ["securityHub", "foundationalBestPractices"],
      ["securityHub", "cis"],
      ["awsConfig", "enableRules"],
    ])("fails when %s.%s is not a boolean", (section, field) => {
      expect(accountProblems((a) => (a[section][field] = "yes"))).toEqual([`${P}.${section}.${field}: "yes" must be true or false`]);
    });

    it("fails when dailyResourceTypes is not a list, or holds a malformed or repeated type", () => {
      expect(accountProblems((a) => (a.awsConfig.dailyResourceTypes = "AWS::EC2::Instance"))).toEqual([
        `${P}.awsConfig.dailyResourceTypes: "AWS::EC2::Instance" must be a list of resource types (empty to record every type continuously)`,
      ]);
      expect(accountProblems((a) => (a.awsConfig.dailyResourceTypes = ["EC2::Instance", "AWS::ECS::Service", "AWS::ECS::Service"]))).toEqual([
        `${P}.awsConfig.dailyResourceTypes[0]: "EC2::Instance" is not an AWS Config resource type (AWS::<Service>::<Resource>, e.g. AWS::EC2::Instance)`,
        `${P}.awsConfig.dailyResourceTypes[2]: "AWS::ECS::Service" is listed twice`,
      ]);
    });
  });

  describe("passwordPolicy", () => {
    it("fails on a minimum length below 14", () => {
      expect(accountProblems((a) => (a.passwordPolicy.minimumLength = 8))).toEqual([
        `${P}.passwordPolicy.minimumLength: 8 must be an integer from 14 to 128 characters (CIS asks for at least 14)`,
      ]);
    });

    it("fails when fewer than 24 passwords are remembered", () => {
      expect(accountProblems((a) => (a.passwordPolicy.reusePrevention = 5))).toEqual([
        `${P}.passwordPolicy.reusePrevention: 5 must be 24 (CIS: remember the last 24 passwords, IAM's maximum)`,
      ]);
    });

    it("fails on a maximum age above 90 days", () => {
      expect(accountProblems((a) => (a.passwordPolicy.maxAgeDays = 365))).toEqual([
        `${P}.passwordPolicy.maxAgeDays: 365 must be an integer from 1 to 90 days (CIS: rotate within 90 days)`,
      ]);
    });
  });

  describe("billing", () => {
    it.each([0, -5, Number.NaN])("fails when alarmThresholdUsd is %s", (value) => {
      expect(accountProblems((a) => (a.billing.alarmThresholdUsd = value))).toEqual([
        `${P}.billing.alarmThresholdUsd: ${Number.isNaN(value) ? "NaN" : value} must be a positive number of USD`,
      ]);
    });
  });
});
