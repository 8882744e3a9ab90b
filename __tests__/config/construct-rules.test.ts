/**
 * Range rules owned by the constructs (modules/*), reported as `npm run synth` reports them: under
 * the setting the value came from, together with the configuration's own problems. Each case
 * builds the stacks of the environment it edits, so faults are grouped by layer.
 */
import { describe, expect, it } from "vitest";
import { accounts, environments } from "../../config";
import { propProblems } from "../../modules/core/validation";
import { appProblems, shippedApp, variant } from "../support/synth";

const names = Object.keys(environments);
const [KEY, OTHER] = names as [string, string];
const ACCOUNT = environments[KEY]!.accountId;
const P = `accounts.${ACCOUNT}`;

/** What a run reports for environment `name` alone, changed by `edit`: its settings are reported the same beside the others. */
const problems = (edit: (env: any) => void, name = KEY): string[] => appProblems({ [name]: variant(environments[name]!, edit) }, accounts);

describe("construct rules, reported under the setting", () => {
  it("reports nothing for the shipped configuration", () => {
    // The shipped app is built from a configuration without problems (synthApp refuses one otherwise).
    expect(propProblems(shippedApp().stacks.bootstrap[0]!.node.root)).toEqual([]);
  });

  it("serverless: Lambda's memory and timeout ranges, reserved concurrency and API throttling", () => {
    const found = problems((env) =>
      Object.assign(env.serverless, { functionMemoryMiB: 64, timeoutSeconds: 1000, reservedConcurrency: 0, throttlingRateLimit: 0, throttlingBurstLimit: 1.5 }),
    );
    expect(found).toEqual([
      `${KEY}.serverless.throttlingRateLimit: 0 must be a positive number of requests per second`,
      `${KEY}.serverless.throttlingBurstLimit: 1.5 must be an integer >= 1`,
      // Once, though every function of the API reports it.
      `${KEY}.serverless.functionMemoryMiB: 64 must be an integer from 128 to 10240 (Lambda's range)`,
      `${KEY}.serverless.timeoutSeconds: 1000 must be an integer from 1 to 900 seconds (Lambda's limit)`,
      `${KEY}.serverless.reservedConcurrency: 0 must be an integer >= 1`,
    ]);
  });

  it("platform and compute: ECS task, counts, capacities, port, WAF and ECR ranges, in the config's names", () => {
    const found = problems((env) => {
      Object.assign(env.compute, { minCapacity: 3, desiredCapacity: 2, maxCapacity: 4 });
      Object.assign(env.platform, {
        containerPort: 80,
        taskCpu: 64,
        taskMemoryMiB: 122881,
        minTaskCount: 2,
        desiredTaskCount: 1,
        maxTaskCount: 2,
        cpuTargetPercent: 95,
        requestsPerTargetPerMinute: 0,
        healthCheckGracePeriodSeconds: 4000,
        wafRateLimitPer5Minutes: 5,
        ecrKeepImages: 0,
      });
    });
    expect(found).toEqual([
      `${KEY}.platform.ecrKeepImages: 0 must be an integer from 1 to 1000 images`,
      `${KEY}.compute.minCapacity: 3 must not exceed desiredCapacity (2)`,
      `${KEY}.platform.wafRateLimitPer5Minutes: 5 must be an integer from 10 to 2000000000 requests`,
      `${KEY}.platform.containerPort: 80 must be an integer from 1024 to 65535 (unprivileged ports only: the container runs as non-root)`,
      `${KEY}.platform.taskCpu: 64 must be an integer from 128 to 16384 CPU units`,
      `${KEY}.platform.taskMemoryMiB: 122881 must be an integer from 128 to 122880 MiB`,
      `${KEY}.platform.minTaskCount: 2 must not exceed desiredTaskCount (1)`,
      `${KEY}.platform.cpuTargetPercent: 95 must be an integer from 10 to 90 percent`,
      `${KEY}.platform.requestsPerTargetPerMinute: 0 must be an integer >= 1`,
      `${KEY}.platform.healthCheckGracePeriodSeconds: 4000 must be an integer from 0 to 3600 seconds`,
    ]);
  });

  it("serverless: the API's per-client WAF limit, in WAF's range", () => {
    expect(problems((env) => (env.serverless.wafRateLimitPer5Minutes = 5))).toEqual([
      `${KEY}.serverless.wafRateLimitPer5Minutes: 5 must be an integer from 10 to 2000000000 requests`,
    ]);
  });

  it("network, budget and alerting: one subnet per AZ, a positive budget, 1 to 10 budget e-mails", () => {
    const found = problems((env) => {
      env.network.publicSubnetCidrs.pop();
      env.budget.monthlyLimitUsd = 0;
      env.alerting.emails = [];
    });
    const left = environments[KEY]!.network.publicSubnetCidrs.slice(0, -1);
    const azs = environments[KEY]!.network.availabilityZones.length;
    expect(found).toEqual([
      `${KEY}.network.publicSubnetCidrs: ${JSON.stringify(left)} has ${left.length} entries; needs exactly one per availability zone (${azs})`,
      `${KEY}.budget.monthlyLimitUsd: 0 must be a positive number of USD`,
      `${KEY}.alerting.emails: [] must list 1 to 10 e-mail addresses`,
    ]);
  });

  describe("domains: the name must lie in the hosted zone and fit a certificate", () => {
    const ZONE = "example.org";
    /** The first environment serving `section` on `recordName` in ZONE. */
    const onDomain = (section: string, recordName: string) => (env: any) => {
      env[section].domain = { hostedZone: ZONE, recordName };
      if (section === "serverless") return;
      delete env.platform.certificateArn;
    };

    it.each(["platform", "serverless"])("%s: fails, once, for a record name outside the zone (certificate and alias record both check it)", (section) => {
      expect(problems(onDomain(section, "app.example.net"))).toEqual([
        `${KEY}.${section}.domain.recordName: "app.example.net" is not in the hosted zone ${ZONE}; use the zone's name or a name ending in .${ZONE}`,
      ]);
      expect(problems(onDomain(section, `not${ZONE}`))).toEqual([
        `${KEY}.${section}.domain.recordName: "not${ZONE}" is not in the hosted zone ${ZONE}; use the zone's name or a name ending in .${ZONE}`,
      ]);
    });

    it.each(["platform", "serverless"])("%s: fails for a record name longer than a certificate's common name", (section) => {
      const name = `${"a".repeat(65 - ZONE.length - 1)}.${ZONE}`;
      expect(problems(onDomain(section, name))).toEqual([
        `${KEY}.${section}.domain.recordName: "${name}" is 65 characters; ACM certificates take at most 64 (the common name)`,
      ]);
    });

    it("platform: accepts a long record name when an existing certificate serves it (no certificate is made)", () => {
      const name = `${"a".repeat(65 - ZONE.length - 1)}.${ZONE}`;
      const env = environments[KEY]!;
      const certificateArn = `arn:aws:acm:${env.region}:${env.accountId}:certificate/3f1c2a9e-8b7d-4c65-9a21-0e5f4d3c2b1a`;
      expect(problems((copy) => (copy.platform = { ...copy.platform, domain: { hostedZone: ZONE, recordName: name }, certificateArn }))).toEqual([]);
    });
  });

  it.each(["Name", "AmazonECSManaged", "aws:cloudformation:stack-name"])("tags: fails when the environment's tags set %s, which the ECS cluster sets itself", (key) => {
    expect(problems((env) => (env.tags[key] = "x"))).toEqual([
      `${KEY}.tags.${key}: "x" is not allowed: Name and AmazonECSManaged are set by the cluster, and aws: is reserved by AWS`,
    ]);
  });

  it("account: trail archive days, password length, detector id, billing threshold, security e-mails", () => {
    const account = variant(accounts[ACCOUNT]!, (a) => {
      a.securityAlertEmails = [];
      a.passwordPolicy = { minimumLength: 8 };
      a.guardDuty = { adoptDetectorId: "abc" };
      a.billing = { alarmThresholdUsd: 0 };
      a.trail = { archiveAfterDays: 0.5 };
    });
    expect(appProblems({ [KEY]: environments[KEY]! }, { [ACCOUNT]: account })).toEqual([
      // Checked by the trail's bucket, named as the account's setting.
      `${P}.trail.archiveAfterDays: 0.5 must be an integer >= 1`,
      // Once, though the security alarms and the billing alarm both report it.
      `${P}.securityAlertEmails: [] must list at least one e-mail address`,
      `${P}.guardDuty.adoptDetectorId: "abc" is not a GuardDuty detector id (32 lower-case hex characters)`,
      `${P}.passwordPolicy.minimumLength: 8 must be an integer from 14 to 128 characters (CIS asks for at least 14)`,
      `${P}.billing.alarmThresholdUsd: 0 must be a positive number of USD`,
    ]);
  });

  it.each([0, 1.5, 36501])("account: fails when trail.objectLockDays is %s (S3 Object Lock's range)", (days) => {
    const account = variant(accounts[ACCOUNT]!, (a) => (a.trail = { objectLockDays: days, expireAfterDays: 36600 }));
    expect(appProblems({ [KEY]: environments[KEY]! }, { [ACCOUNT]: account })).toEqual([`${P}.trail.objectLockDays: ${days} must be an integer from 1 to 36500 days`]);
  });

  it("account: fails when audit files would stay locked past their expiry", () => {
    const account = variant(accounts[ACCOUNT]!, (a) => (a.trail = { objectLockDays: 3000, expireAfterDays: 2557 }));
    expect(appProblems({ [KEY]: environments[KEY]! }, { [ACCOUNT]: account })).toEqual([`${P}.trail.objectLockDays: 3000 must not exceed expireAfterDays (2557)`]);
  });

  it("account: fails when a daily-recorded type is one a change-triggered Config rule evaluates", () => {
    const daily = ["AWS::EC2::Instance", "AWS::S3::Bucket"];
    const account = variant(accounts[ACCOUNT]!, (a) => (a.awsConfig = { dailyResourceTypes: daily }));
    expect(appProblems({ [KEY]: environments[KEY]! }, { [ACCOUNT]: account })).toEqual([
      `${P}.awsConfig.dailyResourceTypes: ${JSON.stringify(daily)} lists AWS::S3::Bucket, evaluated by change-triggered rules, which need their types recorded continuously`,
    ]);
  });

  it("account: accepts those daily types when the managed rules are off", () => {
    const account = variant(accounts[ACCOUNT]!, (a) => (a.awsConfig = { enableRules: false, dailyResourceTypes: ["AWS::S3::Bucket"] }));
    expect(appProblems({ [KEY]: environments[KEY]! }, { [ACCOUNT]: account })).toEqual([]);
  });

  it("reports the configuration's problems and the constructs' together, in one run", () => {
    const found = problems((env) => {
      env.compute.instanceType = "t3.giant";
      env.serverless.timeoutSeconds = 1000;
    });
    expect(found).toEqual([
      expect.stringMatching(new RegExp(`^${KEY}\\.compute\\.instanceType: "t3\\.giant" is not offered in `)),
      `${KEY}.serverless.timeoutSeconds: 1000 must be an integer from 1 to 900 seconds (Lambda's limit)`,
    ]);
  });

  it("does not repeat a construct's complaint about a setting the configuration already refused", () => {
    expect(problems((env) => (env.compute.instanceType = "x9.large"))).toEqual([
      `${KEY}.compute.instanceType: "x9.large" is not an EC2 instance type offered in ${environments[KEY]!.region} (config/instance-types.json lists each region's types)`,
    ]);
  });

  it("checks the constructs of environments that are not selected", () => {
    const config = { [KEY]: environments[KEY]!, [OTHER]: variant(environments[OTHER]!, (env) => (env.serverless.functionMemoryMiB = 64)) };
    expect(appProblems(config, accounts, [KEY])).toEqual([
      `${OTHER}.serverless.functionMemoryMiB: 64 must be an integer from 128 to 10240 (Lambda's range)`,
    ]);
  });

  it.each([
    ["x", -1, []],
    ["", 0, ["x"]],
    ["none", 1.5, ["10.0.0.0/8"]],
  ])("reports every setting of the right type but out of range (%j, %j, %j), and never crashes building", (text, number, list) => {
    const edit = (env: any) => {
      for (const section of Object.values(env).filter((value) => typeof value === "object" && !Array.isArray(value)) as Record<string, unknown>[]) {
        for (const [key, value] of Object.entries(section)) {
          if (typeof value === "string") section[key] = text;
          else if (typeof value === "number") section[key] = number;
          else if (Array.isArray(value)) section[key] = list;
        }
      }
    };
    const found = problems(edit);
    expect(found.length).toBeGreaterThan(20);
    // Each line names a setting; none is an echo from a construct the refused settings fed.
    for (const line of found) expect(line).toMatch(new RegExp(`^${KEY}\\.[a-zA-Z]+\\.`));
  });

  it("builds nothing while a value has the wrong type: the type is reported first", () => {
    expect(
      problems((env) => {
        env.accountId = Number(env.accountId);
        env.serverless.functionMemoryMiB = 64;
      }),
    ).toEqual([`${KEY}.accountId: ${Number(ACCOUNT)} is a number, not a string`]);
  });
});
