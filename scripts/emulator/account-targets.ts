/**
 * What the emulator serves of the account stack: its IAM (the GitHub OIDC provider, the CI roles,
 * their policies and the permissions boundaries) and API Gateway's account-wide CloudWatch Logs
 * role. moto has no GuardDuty, Security Hub, Budgets or Cost Explorer, so in the emulator the
 * account stack is applied with `-target` on these resources; `npm run validate` plans all of it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

type Body = Record<string, unknown>;

/** `-target=<type>.<id>` arguments for the account stack's parts the emulator serves. */
export function emulatedAccountTargets(stackDir: string): string[] {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, Body>> };
  return Object.entries(json.resource ?? {}).flatMap(([type, bodies]) =>
    Object.entries(bodies)
      .filter(([, body]) => /\/(github-deploy|api-gateway)\//.test(String(((body["//"] as Body | undefined)?.metadata as Body | undefined)?.path)))
      .map(([id]) => `-target=${type}.${id}`),
  );
}
