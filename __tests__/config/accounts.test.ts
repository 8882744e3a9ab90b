import { describe, expect, it } from "vitest";
import { accounts, checkConfig, environments, validateEnvironments, type AccountInput } from "../../config";
import { KNOWN_REGIONS } from "../../config/regions";
import { LOG_RETENTION_DAYS } from "../../config/schema";
import { configProblems, inAccount, variant } from "../support/synth";

const names = Object.keys(environments);
const [KEY, OTHER] = names as [string, string];
const ACCOUNT = environments[KEY]!.accountId;
const REGION = environments[KEY]!.region;
const OTHER_ACCOUNT = "210987654321";
const shipped = accounts[ACCOUNT]!;
/** The shipped environments that deploy into the shipped account. */
const own = names.filter((name) => environments[name]!.accountId === ACCOUNT);

const problemsOf = (account: Readonly<Record<string, unknown>>, envs: Readonly<Record<string, unknown>> = environments): readonly string[] =>
  configProblems(envs, undefined, account);

/** Problems of the shipped account after `edit`. */
const accountProblems = (edit: (account: any) => void): readonly string[] => problemsOf({ [ACCOUNT]: variant(shipped, edit) });
const P = `accounts.${ACCOUNT}`;

describe("account validation", () => {
  it("gives an account the safe defaults for every section it leaves out", () => {
    const minimal: AccountInput = { accountId: ACCOUNT, region: REGION, securityAlertEmails: ["sec@example.com"], github: { owner: "acme", repository: "platform" } };
    expect(checkConfig(environments, undefined, { [ACCOUNT]: minimal }).build?.accounts?.[ACCOUNT]).toEqual({
      ...minimal,
      github: { ...minimal.github, subjects: {} },
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
      billing: { alarmThresholdUsd: 3500, activateCostAllocationTags: false },
    });
  });

  it("keeps a default for what a section leaves out when it sets something else", () => {
    const account = variant(shipped, (a) => (a.trail = { expireAfterDays: 3650 }));
    expect(checkConfig(environments, undefined, { [ACCOUNT]: account }).build?.accounts?.[ACCOUNT]?.trail).toEqual({
      logRetentionDays: 365,
      archiveAfterDays: 30,
      expireAfterDays: 3650,
      objectLockMode: "COMPLIANCE",
      objectLockDays: 365,
    });
  });

  it("is skipped when no accounts are given (environment-only callers)", () => {
    expect(validateEnvironments(environments)).toHaveLength(names.length);
  });

  it("fails when an environment's account has no entry", () => {
    const envs = { ...environments, [OTHER]: inAccount(environments[OTHER]!, OTHER_ACCOUNT) };
    expect(problemsOf(accounts, envs)).toEqual([`${OTHER}.accountId: "${OTHER_ACCOUNT}" has no entry in config/accounts.ts; every account needs its security baseline`]);
  });

  it("reports account problems together with environment problems, in one throw", () => {
    const envs = { ...environments, [KEY]: variant(environments[KEY]!, (env) => (env.network.natStrategy = "dual")) };
    const broken = { [ACCOUNT]: variant(shipped, (a) => (a.region = "mars-1")) };
    expect(problemsOf(broken, envs)).toEqual([
      `${KEY}.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az`,
      `${P}.region: "mars-1" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`,
    ]);
  });

  describe("identity", () => {
    it("fails when an account is not an object", () => {
      expect(problemsOf({ [ACCOUNT]: "x" })).toEqual([`${P}: "x" is a string, not an object`]);
    });

    it("fails when the account id is malformed or a number", () => {
      expect(accountProblems((a) => (a.accountId = "12345"))).toEqual([`${P}.accountId: "12345" is not an AWS account id (exactly 12 digits)`]);
      expect(accountProblems((a) => (a.accountId = Number(ACCOUNT)))).toEqual([`${P}.accountId: ${ACCOUNT} is a number, not a string`]);
    });

    it("fails when the account id differs from its key", () => {
      expect(accountProblems((a) => (a.accountId = OTHER_ACCOUNT))).toEqual([`${P}.accountId: "${OTHER_ACCOUNT}" must equal the key it is registered under (${ACCOUNT})`]);
    });

    it("accepts a home region its environments do not use: the regional parts follow the environments", () => {
      const elsewhere = KNOWN_REGIONS.find((region) => region !== REGION)!;
      const ok = { [ACCOUNT]: variant(shipped, (a) => (a.region = elsewhere)) };
      expect(validateEnvironments(environments, undefined, ok)).toHaveLength(names.length);
    });

    it("fails on an unknown key, suggesting the setting it resembles", () => {
      expect(accountProblems((a) => (a.trail = { expireAfterDay: 400 }))).toEqual([`${P}.trail.expireAfterDay: 400 is not a setting of trail; did you mean expireAfterDays?`]);
    });
  });

  describe("security alert e-mails", () => {
    it("fails on a malformed address", () => {
      expect(accountProblems((a) => (a.securityAlertEmails = ["ok@example.com", "nope"]))).toEqual([`${P}.securityAlertEmails[1]: "nope" is not a valid e-mail address`]);
    });
  });

  describe("github", () => {
    it("fails on a malformed owner", () => {
      expect(accountProblems((a) => (a.github.owner = "-acme"))).toEqual([`${P}.github.owner: "-acme" is not a GitHub owner name (1-39 letters, digits or single hyphens)`]);
    });

    it("fails on a malformed repository", () => {
      expect(accountProblems((a) => (a.github.repository = "plat form"))).toEqual([`${P}.github.repository: "plat form" is not a GitHub repository name (1-100 of A-Z a-z 0-9 _ . -)`]);
    });

    it("fails when a subject names no environment of the account", () => {
      expect(accountProblems((a) => (a.github.subjects = { nope: { environment: "nope" } }))).toEqual([
        `${P}.github.subjects.nope: {"environment":"nope"} names no environment of this account; known: ${own.join(", ")}`,
      ]);
    });

    it("fails when a subject is neither an environment nor a branch", () => {
      expect(accountProblems((a) => (a.github.subjects = { [KEY]: { environment: KEY, branch: "main" } }))).toEqual([
        `${P}.github.subjects.${KEY}: {"environment":"${KEY}","branch":"main"} must be { environment: "<name>" } or { branch: "<name>" }`,
      ]);
    });

    it("fails on a wildcard branch", () => {
      expect(accountProblems((a) => (a.github.subjects = { [KEY]: { branch: "release/*" } }))).toEqual([
        `${P}.github.subjects.${KEY}.branch: "release/*" is not a GitHub environment or branch name usable in an OIDC subject (1-255 of A-Z a-z 0-9 _ . / -)`,
      ]);
    });

    it("accepts a branch and an environment subject", () => {
      const ok = { [ACCOUNT]: variant(shipped, (a) => (a.github.subjects = { [KEY]: { branch: "main" }, [OTHER]: { environment: "development" } })) };
      expect(validateEnvironments(environments, undefined, ok)).toHaveLength(names.length);
    });
  });

  describe("trail", () => {
    it("fails on a log retention CloudWatch Logs does not accept", () => {
      expect(accountProblems((a) => (a.trail = { logRetentionDays: 100 }))).toEqual([
        `${P}.trail.logRetentionDays: 100 is not allowed; allowed: ${LOG_RETENTION_DAYS.join(", ")}`,
      ]);
    });

    it("fails when the Object Lock mode is neither COMPLIANCE nor GOVERNANCE", () => {
      expect(accountProblems((a) => (a.trail = { objectLockMode: "LEGAL_HOLD" }))).toEqual([
        `${P}.trail.objectLockMode: "LEGAL_HOLD" is not allowed; allowed: COMPLIANCE, GOVERNANCE`,
      ]);
    });

    it("fails when objectLockDays is not a number", () => {
      expect(accountProblems((a) => (a.trail = { objectLockDays: "365" }))).toEqual([`${P}.trail.objectLockDays: "365" is a string, not a number`]);
    });

    it("fails when trail files would expire within a year", () => {
      expect(accountProblems((a) => (a.trail = { expireAfterDays: 90 }))).toEqual([`${P}.trail.expireAfterDays: 90 must be an integer >= 365`]);
    });

    it("fails when files would expire less than 90 days after the move to Glacier IR", () => {
      expect(accountProblems((a) => (a.trail = { archiveAfterDays: 400, expireAfterDays: 450 }))).toEqual([
        `${P}.trail.expireAfterDays: 450 must be at least archiveAfterDays + 90 (490): Glacier Instant Retrieval bills 90 days minimum`,
      ]);
    });
  });

  describe("guardDuty", () => {
    it("accepts a detector id to adopt", () => {
      const ok = { [ACCOUNT]: variant(shipped, (a) => (a.guardDuty = { adoptDetectorId: "12abc34d567e8fa901bc2d34e56789f0" })) };
      expect(validateEnvironments(environments, undefined, ok)).toHaveLength(names.length);
    });

    it("fails on enableRuntimeMonitoring, which is no longer a setting (the agent stays off)", () => {
      expect(accountProblems((a) => (a.guardDuty = { enableRuntimeMonitoring: true }))).toEqual([
        `${P}.guardDuty.enableRuntimeMonitoring: true is not a setting of guardDuty; known: adoptDetectorId, enableS3Protection`,
      ]);
    });
  });

  describe("awsConfig", () => {
    it("fails when dailyResourceTypes is not a list, or holds a malformed or repeated type", () => {
      expect(accountProblems((a) => (a.awsConfig = { dailyResourceTypes: "AWS::EC2::Instance" }))).toEqual([
        `${P}.awsConfig.dailyResourceTypes: "AWS::EC2::Instance" is a string, not a list`,
      ]);
      expect(accountProblems((a) => (a.awsConfig = { dailyResourceTypes: ["EC2::Instance", "AWS::ECS::Service", "AWS::ECS::Service"] }))).toEqual([
        `${P}.awsConfig.dailyResourceTypes[0]: "EC2::Instance" is not an AWS Config resource type (AWS::<Service>::<Resource>, e.g. AWS::EC2::Instance)`,
        `${P}.awsConfig.dailyResourceTypes[2]: "AWS::ECS::Service" is listed twice`,
      ]);
    });

    it("accepts an empty dailyResourceTypes: every type recorded continuously", () => {
      const ok = { [ACCOUNT]: variant(shipped, (a) => (a.awsConfig = { dailyResourceTypes: [] })) };
      expect(validateEnvironments(environments, undefined, ok)).toHaveLength(names.length);
    });
  });

  describe("passwordPolicy", () => {
    it("fails when fewer than 24 passwords are remembered", () => {
      expect(accountProblems((a) => (a.passwordPolicy = { reusePrevention: 5 }))).toEqual([
        `${P}.passwordPolicy.reusePrevention: 5 must be 24 (CIS: remember the last 24 passwords, IAM's maximum)`,
      ]);
    });

    it("fails on a maximum age above 90 days", () => {
      expect(accountProblems((a) => (a.passwordPolicy = { maxAgeDays: 365 }))).toEqual([
        `${P}.passwordPolicy.maxAgeDays: 365 must be an integer from 1 to 90 days (CIS: rotate within 90 days)`,
      ]);
    });
  });
});
