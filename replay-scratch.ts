import { readFileSync, writeFileSync } from "node:fs";
import { IamEvaluator, type Question } from "./__tests__/e2e/iam/evaluator";
async function main() {
  writeFileSync("/tmp/exp/judged.jsonl", "");
  const e = new IamEvaluator({ recordFile: "/tmp/exp/judged.jsonl", enforce: false });
  e.useEmulator("http://127.0.0.1:5077");
  const qs = readFileSync("/tmp/exp/questions.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l) as Question);
  const roles = new Map<string, any>();
  const t = Date.now();
  for (const q of qs) {
    if (q.principal) {
      const roleArn = q.principal.arn.replace(":sts::", ":iam::").replace("assumed-role/", "role/").replace(/\/[^/]*$/, "");
      if (!roles.has(roleArn)) roles.set(roleArn, await e.role(roleArn));
      await e.judge({ ...q, principal: { ...roles.get(roleArn), arn: q.principal.arn } });
    } else await e.judge(q);
  }
  console.log(qs.length, "questions in", Date.now() - t, "ms");
}
main();
