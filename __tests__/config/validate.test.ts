import { describe, expect, it } from "vitest";
import { ConfigError, environments, validateEnvironments, type EnvironmentInput } from "../../config";
import { availabilityZonesOf, KNOWN_REGIONS } from "../../config/regions";
import { LOG_RETENTION_DAYS, OBSERVABILITY_COUNTS, OBSERVABILITY_PERCENTS } from "../../config/schema";
import { configProblems, inAccount, variant } from "../support/synth";

type Config = Readonly<Record<string, unknown>>;
const names = Object.keys(environments);
/** The environment most tests edit; any shipped one would do. */
const KEY = names[0]!;
const base = environments[KEY]!;
const other = environments[names[1]!]!;
const OTHER = names[1]!;
const OTHER_ACCOUNT = "210987654321";
const RETENTIONS = LOG_RETENTION_DAYS.join(", ");
/** The id of an issued certificate (not a documentation placeholder). */
const CERTIFICATE_ID = "3f1c2a9e-8b7d-4c65-9a21-0e5f4d3c2b1a";
/** A hosted zone and names in it, for the domain settings; the shipped ones are the user's to edit. */
const ZONE = "example.org";
const domainIn = (recordName: string) => ({ hostedZone: ZONE, recordName });

const problemsOf = (config: Config, selected?: readonly string[]): readonly string[] => configProblems(config, selected);

/** The shipped environments with `name` changed by `edit`. */
const shippedWith = (name: string, edit: (env: any) => void): Config => ({ ...environments, [name]: variant(environments[name]!, edit) });

/** Problems of the shipped config after editing the first environment. */
const problems = (edit: (env: any) => void): readonly string[] => problemsOf(shippedWith(KEY, edit));

/** Problems of a one-environment config, for rules whose mistake would also trip cross-environment checks. */
const aloneProblems = (edit: (env: any) => void): readonly string[] => problemsOf({ [KEY]: variant(base, edit) });

/** Problems of the first environment plus an edited second one, for the cross-environment rules (one pair, one line). */
const pairProblems = (edit: (env: any) => void): readonly string[] => problemsOf({ [KEY]: base, [OTHER]: variant(other, edit) });

describe("validateEnvironments", () => {
  describe("shipped configuration", () => {
    it("returns every environment in declaration order", () => {
      expect(validateEnvironments(environments).map((env) => env.name)).toEqual(names);
    });

    it("returns the selected environments in the order asked for", () => {
      const reversed = [...names].reverse();
      expect(validateEnvironments(environments, reversed).map((env) => env.name)).toEqual(reversed);
    });

    it("applies the schema's defaults to what an environment leaves out", () => {
      const minimal: EnvironmentInput = variant(base, (env) => {
        delete env.serverless.timeoutSeconds;
        delete env.observability;
      });
      const [env] = validateEnvironments({ [KEY]: minimal });
      expect(env!.serverless.timeoutSeconds).toBe(10);
      expect(env!.observability).toEqual(expect.objectContaining({ functionDurationPercentOfTimeout: 80, capacityProviderReservationPercent: 100 }));
    });
  });

  describe("reporting", () => {
    const broken = () =>
      shippedWith(KEY, (env) => {
        env.network.natStrategy = "dual";
        env.compute.instanceType = "t3small";
        env.state.useLockfile = "no";
      });
    const expected = [
      `${KEY}.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az`,
      `${KEY}.state.useLockfile: "no" is a string, not true or false`,
      `${KEY}.compute.instanceType: "t3small" is not an EC2 instance type offered in ${base.region} (config/instance-types.json lists each region's types)`,
    ];

    it("reports every problem at once, in one throw", () => {
      let thrown = 0;
      let error: unknown;
      try {
        validateEnvironments(broken());
      } catch (caught) {
        thrown += 1;
        error = caught;
      }
      expect(thrown).toBe(1);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual(expected);
    });

    it("counts the problems in the message header and lists one per line", () => {
      expect(() => validateEnvironments(broken())).toThrow(
        ["Environment configuration is invalid (3 problems):", ...expected.map((line) => `  - ${line}`)].join("\n"),
      );
    });

    it("uses the singular for one problem", () => {
      expect(() => validateEnvironments(environments, ["nope"])).toThrow(
        `Environment configuration is invalid (1 problem):\n  - ENVIRONMENTS: "nope" is not a known environment; known: ${names.join(", ")}`,
      );
    });

    it("names the error ConfigError so main.ts can print it without a stack trace", () => {
      const error = new ConfigError(["x"]);
      expect(error.name).toBe("ConfigError");
      expect(error).toBeInstanceOf(Error);
    });

    it("fails when an environment that is not selected is broken (by design)", () => {
      const config = shippedWith(OTHER, (env) => (env.network.natStrategy = "dual"));
      expect(problemsOf(config, [KEY])).toEqual([`${OTHER}.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az`]);
    });
  });

  describe("selection (ENVIRONMENTS)", () => {
    it("fails when an unknown environment is requested", () => {
      expect(problemsOf(environments, [KEY, "nope"])).toEqual([`ENVIRONMENTS: "nope" is not a known environment; known: ${names.join(", ")}`]);
    });

    it("fails when an environment is selected twice", () => {
      expect(problemsOf(environments, [KEY, OTHER, KEY])).toEqual([`ENVIRONMENTS: "${KEY}" is selected twice`]);
    });

    it("fails when the selection is empty", () => {
      expect(problemsOf(environments, [])).toEqual([`ENVIRONMENTS: "" selects no environment; known: ${names.join(", ")}`]);
    });
  });

  describe("strict shape", () => {
    it("fails when a value has the wrong type, naming the type it has and the one expected", () => {
      expect(problems((env) => (env.accountId = 123456789012))).toEqual([`${KEY}.accountId: 123456789012 is a number, not a string`]);
      expect(problems((env) => (env.serverless.functionMemoryMiB = "256"))).toEqual([`${KEY}.serverless.functionMemoryMiB: "256" is a string, not a number`]);
      expect(problems((env) => (env.platform.albDeletionProtection = 1))).toEqual([`${KEY}.platform.albDeletionProtection: 1 is a number, not true or false`]);
      expect(problems((env) => (env.alerting.emails = "ops@example.com"))).toEqual([`${KEY}.alerting.emails: "ops@example.com" is a string, not a list`]);
      expect(problems((env) => (env.budget = "oops"))).toEqual([`${KEY}.budget: "oops" is a string, not an object`]);
      expect(problems((env) => (env.serverless.corsAllowOrigins = null))).toEqual([`${KEY}.serverless.corsAllowOrigins: null is null, not a list`]);
    });

    it("fails when a number is NaN", () => {
      expect(problems((env) => (env.budget.monthlyLimitUsd = Number.NaN))).toEqual([`${KEY}.budget.monthlyLimitUsd: NaN is not a number`]);
    });

    it("fails when a required setting is missing", () => {
      expect(problems((env) => delete env.serverless.functionMemoryMiB)).toEqual([`${KEY}.serverless.functionMemoryMiB: undefined is missing; expected a number`]);
      expect(problems((env) => delete env.platform)).toEqual([`${KEY}.platform: undefined is missing; expected an object`]);
      expect(problems((env) => delete env.network.natStrategy)).toEqual([`${KEY}.network.natStrategy: undefined is missing; expected one of none, single, per-az`]);
    });

    it("fails on an unknown key, suggesting the setting it resembles", () => {
      expect(problems((env) => (env.network.natStratgy = "single"))).toEqual([
        `${KEY}.network.natStratgy: "single" is not a setting of network; did you mean natStrategy?`,
      ]);
    });

    it("fails on a setting in the wrong section, naming where it belongs", () => {
      expect(problems((env) => (env.platform.timeoutSeconds = 1000))).toEqual([
        `${KEY}.platform.timeoutSeconds: 1000 is not a setting of platform; timeoutSeconds belongs in serverless.timeoutSeconds`,
      ]);
    });

    const sections = Object.keys(base).filter((key) => key !== "tags" && typeof (base as Record<string, unknown>)[key] === "object");
    it.each(sections)("refuses an unknown key in %s (every section but tags is strict)", (section) => {
      expect(problems((env) => (env[section].zzUnknown = 1))).toEqual([expect.stringMatching(new RegExp(`^${KEY}\\.${section}\\.zzUnknown: 1 is not a setting of ${section}; `))]);
    });

    it("fails on an unknown key, listing what the section has", () => {
      expect(problems((env) => (env.budget.currency = "EUR"))).toEqual([`${KEY}.budget.currency: "EUR" is not a setting of budget; known: monthlyLimitUsd`]);
    });

    it("fails on an unknown top-level key", () => {
      expect(problems((env) => (env.owner = "me"))[0]).toMatch(new RegExp(`^${KEY}\\.owner: "me" is not a setting of an environment; known: name, project, region, `));
    });

    it("reports any malformed value as a problem, never a crash", () => {
      const paths = Object.entries(base).flatMap(([key, value]) =>
        typeof value === "object" && !Array.isArray(value) ? [[key], ...Object.keys(value).map((field) => [key, field])] : [[key]],
      );
      for (const path of paths) {
        for (const bad of [null, "x", 1, [], undefined, { unknown: true }]) {
          const edit = (env: any) => {
            const parent = path.slice(0, -1).reduce((node, key) => node[key], env);
            parent[path.at(-1)!] = bad;
          };
          try {
            validateEnvironments(shippedWith(KEY, edit));
          } catch (error) {
            expect(error, `${path.join(".")} = ${JSON.stringify(bad)}`).toBeInstanceOf(ConfigError);
          }
        }
      }
    });

    it("fails when an environment is not an object, without a TypeError when others exist", () => {
      expect(problemsOf({ [KEY]: "dev" })).toEqual([`${KEY}: "dev" is a string, not an object`]);
      expect(problemsOf({ [KEY]: base, [OTHER]: null })).toEqual([`${OTHER}: null is null, not an object`]);
    });
  });

  describe("identity", () => {
    it("fails when the environment name is malformed", () => {
      const Bad = variant(base, (env) => {
        env.name = "Bad";
        env.tags.Environment = "Bad";
      });
      expect(problemsOf({ Bad })).toEqual(['Bad.name: "Bad" must be 2-12 lower-case letters or digits, starting with a letter']);
    });

    it("fails when the name differs from the key it is registered under", () => {
      expect(
        problems((env) => {
          env.name = "renamed";
          env.tags.Environment = "renamed";
        }),
      ).toEqual([`${KEY}.name: "renamed" must equal the key it is registered under (${KEY})`]);
    });

    it("fails when the project name is malformed", () => {
      expect(
        problems((env) => {
          env.project = "Acme";
          env.tags.Project = "Acme";
        }),
      ).toEqual([`${KEY}.project: "Acme" must be 3-21 lower-case letters, digits or hyphens, starting with a letter`]);
    });

    it("fails when project and environment name make too long a name prefix", () => {
      const [project, name] = ["a".repeat(21), "b".repeat(12)];
      const long = variant(base, (env) => {
        Object.assign(env, { name, project });
        Object.assign(env.tags, { Environment: name, Project: project });
      });
      expect(problemsOf({ [name]: long })).toEqual([
        `${name}.project: "${project}" with environment "${name}" makes the name prefix "${project}-${name}" 34 characters long; at most 29 fit AWS's 32-character load balancer and target group names`,
      ]);
    });

    it("fails when the region is unknown", () => {
      expect(problems((env) => (env.region = "eu-west-9"))).toEqual([`${KEY}.region: "eu-west-9" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`]);
    });

    it("fails when the account id is malformed", () => {
      expect(aloneProblems((env) => (env.accountId = "12345678901a"))).toEqual([`${KEY}.accountId: "12345678901a" is not an AWS account id (exactly 12 digits)`]);
    });
  });

  describe("tags", () => {
    it.each(["Project", "Environment", "Owner", "CostCenter", "ManagedBy"])("fails when the required tag %s is missing", (key) => {
      expect(problems((env) => delete env.tags[key])).toEqual([`${KEY}.tags.${key}: undefined is missing; expected a string`]);
    });

    it("fails when a required tag is blank", () => {
      expect(problems((env) => (env.tags.Owner = "  "))).toEqual([`${KEY}.tags.Owner: "  " must be a non-empty string`]);
    });

    it("fails when a tag is longer than 256 characters or not a string", () => {
      const long = "x".repeat(257);
      expect(
        problems((env) => {
          env.tags.Extra = 5;
          env.tags.Long = long;
        }),
      ).toEqual([`${KEY}.tags.Extra: 5 is a number, not a string`, `${KEY}.tags.Long: "${long}" must be a string of at most 256 characters`]);
    });

    it("fails when tags.Environment differs from the environment name", () => {
      expect(problems((env) => (env.tags.Environment = "development"))).toEqual([`${KEY}.tags.Environment: "development" must equal the environment name (${KEY})`]);
    });

    it("fails when tags.Project differs from the project name", () => {
      expect(problems((env) => (env.tags.Project = "other"))).toEqual([`${KEY}.tags.Project: "other" must equal the project name (${base.project})`]);
    });
  });

  describe("network", () => {
    const azs = availabilityZonesOf(base.region);

    it.each(["10.10.0.0/33", "10.10.0.256/16", "10.10.0.0", "not-a-cidr", "10.10.0.1/16"])("fails when the VPC CIDR %s is invalid or has host bits set", (cidr) => {
      expect(problems((env) => (env.network.vpcCidr = cidr))).toEqual([
        `${KEY}.network.vpcCidr: "${cidr}" is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)`,
      ]);
    });

    it.each(["10.10.0.0/15", "10.10.0.0/29"])("fails when the VPC prefix of %s is outside /16../28", (cidr) => {
      expect(problems((env) => (env.network.vpcCidr = cidr))).toContain(
        `${KEY}.network.vpcCidr: "${cidr}" has a prefix length outside /16../28, which AWS allows for VPCs`,
      );
    });

    it("fails when a subnet does not fit in the VPC", () => {
      expect(problems((env) => (env.network.publicSubnetCidrs[1] = "10.11.1.0/24"))).toEqual([
        `${KEY}.network.publicSubnetCidrs[1]: "10.11.1.0/24" does not fit in the VPC CIDR ${base.network.vpcCidr}`,
      ]);
    });

    it("fails when two subnets overlap", () => {
      const first = base.network.publicSubnetCidrs[0]!;
      expect(problems((env) => (env.network.privateSubnetCidrs[0] = first))).toEqual([
        `${KEY}.network.privateSubnetCidrs[0]: "${first}" overlaps network.publicSubnetCidrs[0] (${first})`,
      ]);
    });

    it("fails when a subnet CIDR is invalid or has a prefix outside /16../28", () => {
      expect(problems((env) => (env.network.publicSubnetCidrs[0] = "10.10.0.1/24"))).toEqual([
        `${KEY}.network.publicSubnetCidrs[0]: "10.10.0.1/24" is not a valid IPv4 CIDR (a.b.c.d/n, no host bits set)`,
      ]);
      const tiny = base.network.publicSubnetCidrs[0]!.replace(/\/\d+$/, "/29");
      expect(problems((env) => (env.network.publicSubnetCidrs[0] = tiny))).toEqual([
        `${KEY}.network.publicSubnetCidrs[0]: "${tiny}" has a prefix length outside /16../28, which AWS allows for subnets`,
      ]);
    });

    it("fails when fewer than 2 availability zones are listed", () => {
      expect(problems((env) => (env.network.availabilityZones = [azs[0]]))).toContain(
        `${KEY}.network.availabilityZones: ${JSON.stringify([azs[0]])} must list at least 2 availability zones (load balancers need two)`,
      );
    });

    it("fails when an availability zone is listed twice", () => {
      expect(problems((env) => (env.network.availabilityZones = [azs[0], azs[0]]))).toEqual([
        `${KEY}.network.availabilityZones[1]: "${azs[0]}" is listed twice; each availability zone may appear once`,
      ]);
    });

    it("fails when an availability zone is not in the region", () => {
      const elsewhere = availabilityZonesOf(KNOWN_REGIONS.find((region) => region !== base.region)!)[0];
      expect(problems((env) => (env.network.availabilityZones = [azs[0], elsewhere]))).toEqual([
        `${KEY}.network.availabilityZones[1]: "${elsewhere}" is not an availability zone of ${base.region}; allowed: ${azs.join(", ")}`,
      ]);
    });

    it("fails when natStrategy is not none, single or per-az", () => {
      expect(problems((env) => (env.network.natStrategy = "dual"))).toEqual([`${KEY}.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az`]);
    });

    it("fails when flowLogRetentionDays is not a CloudWatch Logs retention", () => {
      expect(problems((env) => (env.network.flowLogRetentionDays = 10))).toEqual([`${KEY}.network.flowLogRetentionDays: 10 is not allowed; allowed: ${RETENTIONS}`]);
    });

    it.each([
      ["flowLogDestination", "kinesis", "cloud-watch-logs, s3"],
      ["flowLogTrafficType", "ACCEPT", "ALL, REJECT"],
      ["flowLogAggregationSeconds", 300, "60, 600"],
    ])("fails when %s is %j", (field, value, allowed) => {
      expect(problems((env) => (env.network[field] = value))).toEqual([`${KEY}.network.${field}: ${JSON.stringify(value)} is not allowed; allowed: ${allowed}`]);
    });

    it("applies the flow log defaults to what an environment leaves out: CloudWatch Logs, every flow, 10-minute aggregation", () => {
      const [env] = validateEnvironments({
        [KEY]: variant(base, (copy) => {
          delete copy.network.flowLogDestination;
          delete copy.network.flowLogTrafficType;
          delete copy.network.flowLogAggregationSeconds;
        }),
      });
      expect(env!.network).toEqual(expect.objectContaining({ flowLogDestination: "cloud-watch-logs", flowLogTrafficType: "ALL", flowLogAggregationSeconds: 600 }));
    });

    it("fails when two environments' VPC CIDRs overlap, also partly", () => {
      expect(pairProblems((env) => (env.network.vpcCidr = base.network.vpcCidr))).toContain(
        `${OTHER}.network.vpcCidr: "${base.network.vpcCidr}" overlaps ${KEY}.network.vpcCidr (${base.network.vpcCidr}); environments need disjoint ranges so they can be peered or routed later`,
      );
      const half = base.network.vpcCidr.replace(/\.0\.0\/16$/, ".128.0/17");
      expect(pairProblems((env) => (env.network.vpcCidr = half))).toContain(
        `${OTHER}.network.vpcCidr: "${half}" overlaps ${KEY}.network.vpcCidr (${base.network.vpcCidr}); environments need disjoint ranges so they can be peered or routed later`,
      );
    });
  });

  describe("environments sharing an account", () => {
    const renamed = (env: any) => {
      env.project = `${base.project}x`;
      env.tags.Project = env.project;
    };

    it("fails when they name different projects: the account's baseline and log archive carry one", () => {
      expect(pairProblems(renamed)).toEqual([
        `${OTHER}.project: "${base.project}x" differs from ${KEY}.project ("${base.project}") although both deploy into account ${base.accountId}; one account's baseline names its resources after one project`,
      ]);
    });

    it("accepts different projects in different accounts", () => {
      expect(() => validateEnvironments({ [KEY]: base, [OTHER]: variant(inAccount(other, OTHER_ACCOUNT), renamed) })).not.toThrow();
    });
  });

  describe("state", () => {
    it("fails when the bucket name is not a valid S3 bucket name", () => {
      expect(aloneProblems((env) => (env.state.bucket = "Bad_Bucket"))).toEqual([
        `${KEY}.state.bucket: "Bad_Bucket" is not a valid S3 bucket name (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)`,
      ]);
    });

    it("fails when the lock table name is not a valid DynamoDB table name", () => {
      expect(aloneProblems((env) => (env.state.lockTable = "ab"))).toEqual([`${KEY}.state.lockTable: "ab" is not a valid DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)`]);
    });

    it("fails when the state region is unknown", () => {
      expect(aloneProblems((env) => (env.state.region = "mars-1"))).toEqual([`${KEY}.state.region: "mars-1" is not allowed; allowed: ${KNOWN_REGIONS.join(", ")}`]);
    });

    it.each(["aws/s3", "", "bad alias", "alias/acme"])("fails when the KMS alias %j is not a valid alias name", (alias) => {
      expect(aloneProblems((env) => (env.state.kmsKeyAlias = alias))).toEqual([
        `${KEY}.state.kmsKeyAlias: ${JSON.stringify(alias)} is not a valid KMS alias name (1-250 of a-z A-Z 0-9 / _ -, without the alias/ prefix, not starting with aws/)`,
      ]);
    });

    it.each(["/dev", "dev/", "Dev", "dev//x"])("fails when the key prefix %j is malformed", (prefix) => {
      expect(problems((env) => (env.state.keyPrefix = prefix))).toEqual([
        `${KEY}.state.keyPrefix: ${JSON.stringify(prefix)} must be lower-case path segments of a-z 0-9 _ - separated by /, without leading or trailing /`,
      ]);
    });

    it.each(["account", "account/dev"])("fails when the key prefix %j lies under the account stacks' account/", (prefix) => {
      expect(problems((env) => (env.state.keyPrefix = prefix))).toEqual([
        `${KEY}.state.keyPrefix: ${JSON.stringify(prefix)} is reserved: account/ holds the account stacks' state (account/<account id>.tfstate)`,
      ]);
    });

    it("accepts a nested key prefix", () => {
      expect(() => validateEnvironments(shippedWith(KEY, (env) => (env.state.keyPrefix = `team-a/${KEY}`)))).not.toThrow();
    });

    it("fails when two environments use the same state keys (bucket and key prefix)", () => {
      expect(pairProblems((env) => (env.state.keyPrefix = base.state.keyPrefix))).toEqual([
        `${OTHER}.state.keyPrefix: "${base.state.keyPrefix}" is already used by ${KEY} in bucket ${base.state.bucket}; every environment needs its own state keys`,
      ]);
    });

    it.each([
      ["region", KNOWN_REGIONS.find((region) => region !== base.state.region)!],
      ["lockTable", "other-lock"],
      ["kmsKeyAlias", "other-key"],
    ])("fails when the same bucket is used with a different %s", (field, value) => {
      expect(pairProblems((env) => (env.state[field] = value))).toEqual([
        `${OTHER}.state.${field}: ${JSON.stringify(value)} differs from ${KEY}.state.${field} (${JSON.stringify((base.state as any)[field])}) although both use bucket ${base.state.bucket}; one bucket has one region, lock table and key`,
      ]);
    });

    it("fails when the same bucket is used by two accounts", () => {
      expect(pairProblems((env) => (env.accountId = OTHER_ACCOUNT))).toContain(
        `${OTHER}.accountId: "${OTHER_ACCOUNT}" differs from ${KEY}.accountId ("${base.accountId}") although both keep state in bucket ${base.state.bucket}; give each account its own state bucket`,
      );
    });

    it("fails when one account uses two buckets", () => {
      expect(pairProblems((env) => (env.state.bucket = "other-bucket"))).toEqual([
        `${OTHER}.state.bucket: "other-bucket" differs from ${KEY}.state.bucket ("${base.state.bucket}") although both deploy into account ${base.accountId}; one account keeps all its state in one bucket`,
      ]);
    });

    it("accepts another account with its own bucket", () => {
      expect(() => validateEnvironments({ ...environments, [OTHER]: inAccount(other, OTHER_ACCOUNT) })).not.toThrow();
    });
  });

  describe("compute", () => {
    const offered = (type: string) => validateEnvironments(shippedWith(KEY, (env) => (env.compute.instanceType = type))).length > 0;

    it("fails on an instance type the region does not offer, naming the sizes it does", () => {
      expect(problems((env) => (env.compute.instanceType = "t3.giant"))).toEqual([
        `${KEY}.compute.instanceType: "t3.giant" is not offered in ${base.region}; t3 sizes there: nano, micro, small, medium, large, xlarge, 2xlarge`,
      ]);
    });

    it("fails on an instance family the region does not offer", () => {
      expect(problems((env) => (env.compute.instanceType = "x9.large"))).toEqual([
        `${KEY}.compute.instanceType: "x9.large" is not an EC2 instance type offered in ${base.region} (config/instance-types.json lists each region's types)`,
      ]);
    });

    it("accepts Graviton and x86 types the region offers", () => {
      expect(offered("t4g.small")).toBe(true);
      expect(offered("m6i.large")).toBe(true);
    });
  });

  describe("platform", () => {
    const CERTIFICATE_RULE = "is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)";
    const certificate = (region: string, account: string) => `arn:aws:acm:${region}:${account}:certificate/${CERTIFICATE_ID}`;

    describe("instance placement", () => {
      it("fails when instanceSubnets is not private or public", () => {
        expect(problems((env) => (env.platform.instanceSubnets = "isolated"))).toEqual([`${KEY}.platform.instanceSubnets: "isolated" is not allowed; allowed: private, public`]);
      });

      it("fails when instances are private but there is no NAT (natStrategy none)", () => {
        expect(
          problems((env) => {
            env.network.natStrategy = "none";
            env.platform.instanceSubnets = "private";
          }),
        ).toEqual([`${KEY}.platform.instanceSubnets: "private" needs NAT to reach ECS and ECR, but network.natStrategy is "none"; set a NAT strategy or use "public"`]);
      });

      it.each(["single", "per-az"])("fails when instances are public although the environment has NAT (%s)", (nat) => {
        expect(
          problems((env) => {
            env.network.natStrategy = nat;
            env.platform.instanceSubnets = "public";
          }),
        ).toEqual([`${KEY}.platform.instanceSubnets: "public" is only for environments without NAT; network.natStrategy is "${nat}", so use "private"`]);
      });

      it.each(["public", "private"])("reports only the NAT problem, not the %s placement, when natStrategy is invalid", (placement) => {
        expect(
          problems((env) => {
            env.network.natStrategy = "dual";
            env.platform.instanceSubnets = placement;
          }),
        ).toEqual([`${KEY}.network.natStrategy: "dual" is not allowed; allowed: none, single, per-az`]);
      });

      it.each([
        ["none", "public"],
        ["single", "private"],
        ["per-az", "private"],
      ])("accepts natStrategy %s with %s instances", (nat, placement) => {
        const config = shippedWith(KEY, (env) => {
          env.network.natStrategy = nat;
          env.platform.instanceSubnets = placement;
        });
        expect(() => validateEnvironments(config)).not.toThrow();
      });
    });

    it.each([`arn:aws:acm:${base.region}:${base.accountId}:certificate/not-a-uuid`, `arn:aws:iam::${base.accountId}:server-certificate/acme`, ""])(
      "fails when certificateArn is %j",
      (arn) => {
        expect(problems((env) => (env.platform.certificateArn = arn))).toEqual([`${KEY}.platform.certificateArn: ${JSON.stringify(arn)} ${CERTIFICATE_RULE}`]);
      },
    );

    it("fails when the certificate is in another region", () => {
      const elsewhere = KNOWN_REGIONS.find((region) => region !== base.region)!;
      const arn = certificate(elsewhere, base.accountId);
      expect(problems((env) => (env.platform.certificateArn = arn))).toEqual([
        `${KEY}.platform.certificateArn: "${arn}" is in ${elsewhere}; a load balancer can only use a certificate of its own region (${base.region})`,
      ]);
    });

    it("fails when the certificate belongs to another account", () => {
      const arn = certificate(base.region, OTHER_ACCOUNT);
      expect(problems((env) => (env.platform.certificateArn = arn))).toEqual([
        `${KEY}.platform.certificateArn: "${arn}" belongs to account ${OTHER_ACCOUNT}; a load balancer can only use a certificate of its own account (${base.accountId})`,
      ]);
    });

    it.each([10, 0])("fails when logRetentionDays is %j", (days) => {
      expect(problems((env) => (env.platform.logRetentionDays = days))).toEqual([`${KEY}.platform.logRetentionDays: ${days} is not allowed; allowed: ${RETENTIONS}`]);
    });
  });

  describe("serverless", () => {
    const NOT_AN_ORIGIN = "is not an origin (scheme://host[:port], no path, no wildcard)";

    it.each([
      ["with a path", "https://tips.example.com/app"],
      ["with a trailing slash", "https://tips.example.com/"],
      ["a wildcard", "*"],
      ["a wildcard subdomain", "https://*.example.com"],
      ["without a scheme", "tips.example.com"],
      ["with a scheme other than http(s)", "ftp://tips.example.com"],
      ["empty", ""],
    ])("fails when a CORS origin is %s", (_case, origin) => {
      expect(problems((env) => (env.serverless.corsAllowOrigins = [origin]))).toEqual([`${KEY}.serverless.corsAllowOrigins[0]: ${JSON.stringify(origin)} ${NOT_AN_ORIGIN}`]);
    });

    it("reports each bad origin with its index", () => {
      expect(problems((env) => (env.serverless.corsAllowOrigins = ["https://ok.example.com", "*", "http://localhost:3000", "x"]))).toEqual([
        `${KEY}.serverless.corsAllowOrigins[1]: "*" ${NOT_AN_ORIGIN}`,
        `${KEY}.serverless.corsAllowOrigins[3]: "x" ${NOT_AN_ORIGIN}`,
      ]);
    });

    it("accepts origins with a port, and an empty list (no CORS)", () => {
      expect(() => validateEnvironments(shippedWith(KEY, (env) => (env.serverless.corsAllowOrigins = ["http://localhost:3000", "https://tips.example.com:8443"])))).not.toThrow();
      expect(() => validateEnvironments(shippedWith(KEY, (env) => (env.serverless.corsAllowOrigins = [])))).not.toThrow();
    });

    it("fails when logRetentionDays is not a CloudWatch Logs retention", () => {
      expect(problems((env) => (env.serverless.logRetentionDays = 10))).toEqual([`${KEY}.serverless.logRetentionDays: 10 is not allowed; allowed: ${RETENTIONS}`]);
    });

    it("fails when one client may use the whole stage before the WAF limits it", () => {
      const capacity = Math.floor(base.serverless.throttlingRateLimit * 300);
      expect(problems((env) => (env.serverless.wafRateLimitPer5Minutes = capacity))).toEqual([
        `${KEY}.serverless.wafRateLimitPer5Minutes: ${capacity} must be below throttlingRateLimit × 300 (${capacity}), what the whole stage serves in 5 minutes; otherwise one client can use all of it`,
      ]);
    });

    it("accepts a per-client limit just below a fractional stage rate's 5-minute capacity", () => {
      const edit = (env: any) => {
        env.serverless.throttlingRateLimit = 0.5;
        env.serverless.wafRateLimitPer5Minutes = 149;
      };
      expect(() => validateEnvironments(shippedWith(KEY, edit))).not.toThrow();
    });

    it("leaves an out-of-range per-client limit to the web ACL (no second message)", () => {
      expect(() => validateEnvironments(shippedWith(KEY, (env) => (env.serverless.wafRateLimitPer5Minutes = 5)))).not.toThrow();
    });
  });

  describe("WAF logging", () => {
    it.each(["platform", "serverless"])("fails when %s.wafLogging is not a logging choice", (section) => {
      expect(problems((env) => (env[section].wafLogging = "blocked"))).toEqual([`${KEY}.${section}.wafLogging: "blocked" is not allowed; allowed: all, blocked-and-counted`]);
    });

    it("logs only blocked and counted requests unless an environment says otherwise", () => {
      const [env] = validateEnvironments({
        [KEY]: variant(base, (copy) => {
          delete copy.platform.wafLogging;
          delete copy.serverless.wafLogging;
        }),
      });
      expect([env!.platform.wafLogging, env!.serverless.wafLogging]).toEqual(["blocked-and-counted", "blocked-and-counted"]);
    });
  });

  describe("alerting", () => {
    it("fails when an e-mail address is malformed", () => {
      expect(problems((env) => (env.alerting.emails = ["ok@example.com", "not-an-email", "a b@example.com"]))).toEqual([
        `${KEY}.alerting.emails[1]: "not-an-email" is not a valid e-mail address`,
        `${KEY}.alerting.emails[2]: "a b@example.com" is not a valid e-mail address`,
      ]);
    });

    it("accepts an https chat webhook", () => {
      expect(() => validateEnvironments(shippedWith(KEY, (env) => (env.alerting.chatWebhookUrl = "https://chat.example.com/hooks/T0/B0")))).not.toThrow();
    });

    it.each(["http://chat.example.com/hook", "chat.example.com/hook", "https://"])("fails when the chat webhook is %s", (url) => {
      expect(problems((env) => (env.alerting.chatWebhookUrl = url))).toEqual([
        `${KEY}.alerting.chatWebhookUrl: ${JSON.stringify(url)} is not an https:// URL (SNS must not send alarms over plain HTTP)`,
      ]);
    });
  });

  describe("observability", () => {
    it.each(OBSERVABILITY_COUNTS)("fails when %s is 0 or fractional", (key) => {
      expect(problems((env) => (env.observability[key] = 0))).toEqual([`${KEY}.observability.${key}: 0 must be an integer >= 1`]);
      expect(problems((env) => (env.observability[key] = 1.5))).toEqual([`${KEY}.observability.${key}: 1.5 must be an integer >= 1`]);
    });

    it.each(OBSERVABILITY_PERCENTS)("fails when %s is outside (0, 100]", (key) => {
      for (const value of [0, 101]) {
        expect(problems((env) => (env.observability[key] = value))).toEqual([`${KEY}.observability.${key}: ${value} must be a number above 0 and at most 100 (percent)`]);
      }
    });

    it.each(["targetResponseTimeP99Seconds", "apiLatencyP95Ms", "targetResponseTimeP95Seconds"])("fails when %s is not positive", (key) => {
      expect(problems((env) => (env.observability[key] = 0))).toEqual([`${KEY}.observability.${key}: 0 must be a positive number`]);
    });

    it("fails when the p95 response time threshold exceeds the p99 one", () => {
      expect(problems((env) => Object.assign(env.observability, { targetResponseTimeP95Seconds: 2, targetResponseTimeP99Seconds: 1 }))).toEqual([
        `${KEY}.observability.targetResponseTimeP95Seconds: 2 must not exceed targetResponseTimeP99Seconds (1); a p95 is never above the p99`,
      ]);
    });

    it.each([99, 201])("fails when capacityProviderReservationPercent is %d", (value) => {
      expect(problems((env) => (env.observability.capacityProviderReservationPercent = value))).toEqual([
        `${KEY}.observability.capacityProviderReservationPercent: ${value} must be an integer from 100 to 200 percent`,
      ]);
    });

    it.each([0, 11])("fails when capacityAnomalyBandWidth is %d", (value) => {
      expect(problems((env) => (env.observability.capacityAnomalyBandWidth = value))).toEqual([
        `${KEY}.observability.capacityAnomalyBandWidth: ${value} must be an integer from 1 to 10 standard deviations`,
      ]);
    });
  });

  describe("HTTPS and domains", () => {
    const HTTPS_RULE =
      "is required: platform.requireHttps is true, so the load balancer needs a domain (its certificate is made in the hosted zone) or platform.certificateArn";
    const ZONE_RULE = "is not a DNS zone name (lower-case labels of a-z 0-9 - separated by dots, no trailing dot, e.g. example.com)";
    const NAME_RULE = "is not a DNS name (lower-case labels of a-z 0-9 - separated by dots, no wildcard, e.g. app.example.com)";
    const PLACEHOLDER_RULE =
      "is a placeholder (a documentation certificate id), not a certificate; give the ARN of one issued in this account, or set platform.domain to have one made";
    const arn = (id: string) => `arn:aws:acm:${base.region}:${base.accountId}:certificate/${id}`;
    /** The environment with no way to HTTPS: no domain, no certificate. */
    const plain = (env: any) => {
      delete env.platform.domain;
      delete env.platform.certificateArn;
    };

    it("requires HTTPS and has no domains unless an environment says otherwise", () => {
      const [env] = validateEnvironments({
        [KEY]: variant(base, (copy) => {
          delete copy.platform.requireHttps;
          copy.platform.domain = domainIn(`app.${ZONE}`);
          delete copy.serverless.domain;
        }),
      });
      expect(env!.platform.requireHttps).toBe(true);
      expect(env!.serverless.domain).toBeUndefined();
    });

    it("fails when an environment left at the default has neither domain nor certificate, naming the field", () => {
      expect(
        problems((env) => {
          plain(env);
          delete env.platform.requireHttps;
        }),
      ).toEqual([`${KEY}.platform.domain: undefined ${HTTPS_RULE}`]);
    });

    it("fails when requireHttps is on without a domain or certificate", () => {
      expect(
        problems((env) => {
          plain(env);
          env.platform.requireHttps = true;
        }),
      ).toEqual([`${KEY}.platform.domain: undefined ${HTTPS_RULE}`]);
    });

    it("accepts requireHttps with a domain, or with a certificate of the environment's account and region", () => {
      const withDomain = (env: any) => {
        plain(env);
        env.platform.requireHttps = true;
        env.platform.domain = domainIn(`app.${ZONE}`);
      };
      const withCertificate = (env: any) => {
        plain(env);
        env.platform.requireHttps = true;
        env.platform.certificateArn = arn(CERTIFICATE_ID);
      };
      expect(() => validateEnvironments(shippedWith(KEY, withDomain))).not.toThrow();
      expect(() => validateEnvironments(shippedWith(KEY, withCertificate))).not.toThrow();
    });

    it("accepts plain HTTP when requireHttps is off", () => {
      expect(
        () =>
          validateEnvironments(
            shippedWith(KEY, (env) => {
              plain(env);
              env.platform.requireHttps = false;
            }),
          ),
      ).not.toThrow();
    });

    it("fails when requireHttps is not true or false", () => {
      expect(problems((env) => (env.platform.requireHttps = "yes"))).toEqual([`${KEY}.platform.requireHttps: "yes" is a string, not true or false`]);
    });

    it.each(["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000a", "12345678-1234-1234-1234-123456789012"])(
      "fails for the placeholder certificate id %s",
      (id) => {
        expect(problems((env) => (env.platform.certificateArn = arn(id)))).toEqual([`${KEY}.platform.certificateArn: ${JSON.stringify(arn(id))} ${PLACEHOLDER_RULE}`]);
      },
    );

    describe.each(["platform", "serverless"])("%s.domain", (section) => {
      const withDomain = (edit: (domain: any) => void) => (env: any) => {
        env[section].domain = domainIn(`${section}.${ZONE}`);
        edit(env[section].domain);
      };

      it.each(["Example.org", "example.org.", "localhost", "-example.org", ""])("fails when hostedZone is %j", (zone) => {
        expect(problems(withDomain((domain) => (domain.hostedZone = zone)))).toEqual([`${KEY}.${section}.domain.hostedZone: ${JSON.stringify(zone)} ${ZONE_RULE}`]);
      });

      it.each([`*.${ZONE}`, `App.${ZONE}`, `app.${ZONE}.`, `app_1.${ZONE}`])("fails when recordName is %j", (name) => {
        expect(problems(withDomain((domain) => (domain.recordName = name)))).toEqual([`${KEY}.${section}.domain.recordName: ${JSON.stringify(name)} ${NAME_RULE}`]);
      });

      it("fails when the domain is not an object, or lacks a field", () => {
        expect(problems((env) => (env[section].domain = `api.${ZONE}`))).toEqual([`${KEY}.${section}.domain: "api.${ZONE}" is a string, not an object`]);
        expect(problems(withDomain((domain) => delete domain.recordName))).toEqual([`${KEY}.${section}.domain.recordName: undefined is missing; expected a string`]);
        expect(problems(withDomain((domain) => (domain.zone = ZONE)))).toEqual([
          `${KEY}.${section}.domain.zone: "${ZONE}" is not a setting of ${section}.domain; known: hostedZone, recordName`,
        ]);
      });

      it("accepts the zone's own name as the record name", () => {
        expect(() => validateEnvironments(shippedWith(KEY, withDomain((domain) => (domain.recordName = ZONE))))).not.toThrow();
      });
    });

    it("fails when two endpoints share a record name, within or across environments", () => {
      const name = `app.${ZONE}`;
      const config = {
        [KEY]: variant(base, (env) => {
          env.platform.domain = domainIn(name);
          env.serverless.domain = domainIn(name);
        }),
        [OTHER]: variant(other, (env) => {
          env.platform.domain = domainIn(`other.${ZONE}`);
          env.serverless.domain = domainIn(name);
        }),
      };
      expect(problemsOf(config)).toEqual([
        `${KEY}.serverless.domain.recordName: "${name}" is already used by ${KEY}.platform.domain.recordName; each endpoint needs its own name`,
        `${OTHER}.serverless.domain.recordName: "${name}" is already used by ${KEY}.platform.domain.recordName; each endpoint needs its own name`,
      ]);
    });
  });

  describe("destroy protection", () => {
    const HALF_DESTROY_RULE =
      "needs preventDestroy: true; without it a destroy deletes the service, cluster and functions before AWS refuses this resource, leaving the environment half gone. Set preventDestroy: true (the destroy plan then fails before anything is deleted) or turn this off";
    const DELETION_PROTECTION = ["platform.albDeletionProtection", "platform.tableDeletionProtection", "serverless.tableDeletionProtection"];
    const protect = (env: any, on: boolean) => {
      env.platform.albDeletionProtection = on;
      env.platform.tableDeletionProtection = on;
      env.serverless.tableDeletionProtection = on;
    };

    it("prevents destroy and is not decommissioned unless an environment says otherwise", () => {
      const [env] = validateEnvironments({
        [KEY]: variant(base, (copy) => {
          delete copy.preventDestroy;
          delete copy.decommission;
        }),
      });
      expect([env!.preventDestroy, env!.decommission]).toEqual([true, false]);
    });

    it.each(["preventDestroy", "decommission"])("fails when %s is not true or false", (field) => {
      expect(problems((env) => (env[field] = "yes"))).toEqual([`${KEY}.${field}: "yes" is a string, not true or false`]);
      expect(problems((env) => (env[field] = 1))).toEqual([`${KEY}.${field}: 1 is a number, not true or false`]);
    });

    it("fails for AWS-side deletion protection without preventDestroy, naming each setting", () => {
      expect(
        problems((env) => {
          env.preventDestroy = false;
          protect(env, true);
        }),
      ).toEqual(DELETION_PROTECTION.map((path) => `${KEY}.${path}: true ${HALF_DESTROY_RULE}`));
    });

    it("accepts deletion protection with preventDestroy, preventDestroy without it, and decommission on either", () => {
      for (const [preventDestroy, on, decommission] of [
        [true, true, false],
        [true, false, false],
        [true, true, true],
        [false, false, true],
      ] as const) {
        const edit = (env: any) => {
          Object.assign(env, { preventDestroy, decommission });
          protect(env, on);
        };
        expect(() => validateEnvironments(shippedWith(KEY, edit)), JSON.stringify({ preventDestroy, on, decommission })).not.toThrow();
      }
    });
  });
});
