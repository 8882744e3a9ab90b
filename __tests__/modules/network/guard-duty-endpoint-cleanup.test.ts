import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardDutyEndpointCleanup } from "../../../modules/network/guard-duty-endpoint-cleanup";
import { toolchainExecutable } from "../../../scripts/lib/toolchain-cache";
import { startMoto, type MotoServer } from "../../support/moto";
import { problemsOf, resource, synthConstruct } from "../../support/synth";

type Body = Record<string, unknown>;
const REGION = "eu-west-1";
/** Every aws CLI call starts a Python interpreter: a few seconds each on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 180_000;

interface LocalExec {
  command: string;
  on_failure: string;
  environment: Record<string, string>;
  interpreter: string[];
  when: string;
}

const synthCleanup = (timeoutSeconds?: number) =>
  resource<Body>(
    synthConstruct((scope) => {
      new GuardDutyEndpointCleanup(scope, "cleanup", { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], region: REGION, timeoutSeconds });
    }),
    "terraform_data",
  );

const provisioner = (body: Body): LocalExec => (body.provisioner as { "local-exec": LocalExec }[])[0]!["local-exec"];

describe("GuardDutyEndpointCleanup", () => {
  describe("synthesized", () => {
    const body = synthCleanup();

    it("depends on the VPC and every subnet through its input, so it is destroyed before them", () => {
      expect(body.input).toEqual({ vpc_id: "vpc-1", subnet_ids: ["subnet-a", "subnet-b"], region: REGION, timeout_seconds: 300 });
    });

    it("runs its script with bash at destroy time only, reading only self (all a destroy provisioner may read)", () => {
      const exec = provisioner(body);
      expect(exec).toEqual(
        expect.objectContaining({
          when: "destroy",
          interpreter: ["bash", "-c"],
          environment: { VPC_ID: "${self.input.vpc_id}", REGION: "${self.input.region}", TIMEOUT_SECONDS: "${self.input.timeout_seconds}" },
        }),
      );
      // Terraform would interpolate `${...}` in the script itself.
      expect(exec.command).not.toMatch(/[$%]\{/);
    });

    it("lets the destroy go on when it cannot run, so it never fails a destroy that would succeed without it", () => {
      expect(provisioner(body).on_failure).toBe("continue");
    });

    it.each([10, 30.5])("fails when timeoutSeconds is %s", (timeoutSeconds) => {
      const found = problemsOf((scope) => new GuardDutyEndpointCleanup(scope, "cleanup", { vpcId: "vpc-1", subnetIds: [], region: REGION, timeoutSeconds }));
      expect(found).toEqual([`timeoutSeconds: ${timeoutSeconds} must be an integer >= 30`]);
    });
  });

  describe("against moto", () => {
    let moto: MotoServer;
    let env: NodeJS.ProcessEnv;
    const aws = join(dirname(toolchainExecutable("MOTO_SERVER_BIN")), "aws");
    const awsJson = (...args: string[]): any => JSON.parse(execFileSync(aws, [...args, "--output", "json"], { env, encoding: "utf8" }));
    const exec = provisioner(synthCleanup(30));

    /** Runs the synthesized script as Terraform's local-exec would, with its environment. */
    const runCleanup = (vpcId: string, overrides: NodeJS.ProcessEnv = {}) =>
      spawnSync(exec.interpreter[0]!, [...exec.interpreter.slice(1), exec.command], {
        env: { ...env, VPC_ID: vpcId, REGION, TIMEOUT_SECONDS: "30", ...overrides },
        encoding: "utf8",
      });

    /**
     * A VPC as GuardDuty's automated agent leaves it; `withOwn` adds a subnet, a security group and
     * a gateway endpoint of the environment's own, which the cleanup must not touch.
     */
    function guardDutyVpc(cidr: string, withOwn: boolean) {
      const vpcId = awsJson("ec2", "create-vpc", "--cidr-block", cidr).Vpc.VpcId as string;
      const group = (name: string) => awsJson("ec2", "create-security-group", "--vpc-id", vpcId, "--group-name", name, "--description", name).GroupId as string;
      const endpoint = (service: string, ...args: string[]) =>
        awsJson("ec2", "create-vpc-endpoint", "--vpc-id", vpcId, "--service-name", `com.amazonaws.${REGION}.${service}`, ...args).VpcEndpoint.VpcEndpointId as string;
      const guardDutyGroup = group(`GuardDutyManagedSecurityGroup-${vpcId}`);
      const subnet = withOwn
        ? ["--subnet-ids", awsJson("ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", cidr.replace("/16", "/24")).Subnet.SubnetId as string]
        : [];
      const guardDutyEndpoint = endpoint("guardduty-data", "--vpc-endpoint-type", "Interface", ...subnet, "--security-group-ids", guardDutyGroup);
      const ownGroup = withOwn ? group("acme-test-instances") : undefined;
      const s3Endpoint = withOwn ? endpoint("s3", "--vpc-endpoint-type", "Gateway") : undefined;
      return { vpcId, guardDutyGroup, ownGroup, guardDutyEndpoint, s3Endpoint };
    }

    const liveEndpoints = (vpcId: string): string[] =>
      (awsJson("ec2", "describe-vpc-endpoints", "--filters", `Name=vpc-id,Values=${vpcId}`).VpcEndpoints as Body[])
        .filter((endpoint) => endpoint.State !== "deleted")
        .map((endpoint) => endpoint.VpcEndpointId as string);
    const groups = (vpcId: string): string[] =>
      (awsJson("ec2", "describe-security-groups", "--filters", `Name=vpc-id,Values=${vpcId}`).SecurityGroups as Body[]).map((group) => group.GroupId as string);

    beforeAll(async () => {
      expect(existsSync(aws), `${aws} (the toolchain venv's aws CLI): run npm run toolchain`).toBe(true);
      moto = await startMoto();
      env = {
        // The toolchain's aws CLI first: the script finds it as Terraform's local-exec would, on PATH.
        PATH: `${dirname(aws)}:${process.env.PATH ?? ""}`,
        HOME: process.env.HOME,
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_DEFAULT_REGION: REGION,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_EC2_METADATA_DISABLED: "true",
      };
    }, CLI_TEST_TIMEOUT_MS);
    afterAll(async () => moto?.stop());

    it("deletes GuardDuty's endpoint and security group in its VPC, and nothing else", () => {
      const mine = guardDutyVpc("10.41.0.0/16", true);
      const other = guardDutyVpc("10.42.0.0/16", false);
      const run = runCleanup(mine.vpcId);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(`deleting GuardDuty's VPC endpoint in ${mine.vpcId}: ${mine.guardDutyEndpoint}`);
      expect(run.stdout).toContain(`deleted GuardDuty's security group ${mine.guardDutyGroup}`);
      expect(liveEndpoints(mine.vpcId)).toEqual([mine.s3Endpoint]);
      expect(groups(mine.vpcId)).toContain(mine.ownGroup);
      expect(groups(mine.vpcId)).not.toContain(mine.guardDutyGroup);
      // Another environment's VPC is left as it was.
      expect(liveEndpoints(other.vpcId)).toEqual([other.guardDutyEndpoint]);
      expect(groups(other.vpcId)).toContain(other.guardDutyGroup);
    }, CLI_TEST_TIMEOUT_MS);

    it("does nothing, successfully, where GuardDuty created nothing (or a second time)", () => {
      const vpcId = awsJson("ec2", "create-vpc", "--cidr-block", "10.43.0.0/16").Vpc.VpcId as string;
      const run = runCleanup(vpcId);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe("");
    }, CLI_TEST_TIMEOUT_MS);

    it("fails, saying why, without the aws CLI", () => {
      // An empty HOME: a shell start-up file there could put an aws CLI back on PATH.
      const home = mkdtempSync(join(tmpdir(), "no-aws-"));
      const path = ["/usr/bin", "/bin"].filter((dir) => !existsSync(join(dir, "aws"))).join(":");
      const run = runCleanup("vpc-0123", { PATH: path, HOME: home });
      rmSync(home, { recursive: true, force: true });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stderr).toContain("GuardDuty cleanup of vpc-0123 needs the aws CLI on PATH");
    });
  });
});
