import { IamEvaluator } from "/work/wt/iam-tier/__tests__/e2e/iam/evaluator";
async function main() {
  const e = new IamEvaluator({ recordFile: "/tmp/exp/judged.jsonl", enforce: process.env.ENFORCE !== "0", questionFile: "/tmp/exp/questions.jsonl" });
  const url = await e.start();
  e.useEmulator("http://127.0.0.1:5077");
  console.log(url);
}
main();
