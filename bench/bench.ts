/**
 * `npm run bench`: how long developers wait, against targets that live here and never in timed
 * tests. Each measurement is the median of BENCH_RUNS runs (default 5) after one unmeasured run
 * (it fills the Lambda bundle cache and tsx's cache, as any second synth finds them).
 *
 *   synth   `npm run synth` of every environment and layer (its command from package.json, without
 *           npm's own start-up): at most 0.25 x the time of the baseline app
 *           (bench/baseline-app.ts: three stacks of a VPC, a subnet and a table, importing the
 *           provider's package root) run by tsx, the way this project runs TypeScript. Runs go in
 *           rounds so all see the same machine load; the median of the per-round ratios is the
 *           figure. Peak RSS at most 500 MiB. Each round also times main.ts under tsx, to show
 *           what synth.cjs saves.
 *   unit    the unit tier (`vitest run --project unit`): at most 15 s wall on 2 cores.
 *
 * Exits non-zero when a target is missed. Needs GNU time (`/usr/bin/time`) for CPU and memory.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
/** `npm run synth`'s command, as package.json states it. */
const SYNTH = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { synth: string } }).scripts.synth.split(" ");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { synthRatio: 0.25, synthMiB: 500, unitSeconds: 15 };

interface Sample {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakMiB: number;
}

const work = mkdtempSync(join(tmpdir(), "cdktf-bench-"));
const TSX = join(ROOT, "node_modules/.bin/tsx");
const VITEST = join(ROOT, "node_modules/.bin/vitest");

/** Runs `command` under GNU time; fails the bench, with its output, when the command fails. */
function run(name: string, command: string[], env: Record<string, string> = {}): Sample {
  const timing = join(work, "time");
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timing, ...command], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  if (result.error) throw new Error(`${name}: could not run /usr/bin/time (${result.error.message}); install GNU time`);
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status}): ${command.join(" ")}\n${result.stderr.slice(-2000)}`);
  const [wall, user, system, maxKiB] = readFileSync(timing, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return { wallSeconds: wall!, cpuSeconds: user! + system!, peakMiB: maxKiB! / 1024 };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const verdict = (ok: boolean): string => (ok ? "ok" : "OVER TARGET");

function benchSynth(): boolean {
  const synth = (): Sample => run("synth", SYNTH, { CDKTF_OUTDIR: join(work, "synth") });
  const underTsx = (): Sample => run("synth under tsx", [TSX, "main.ts"], { CDKTF_OUTDIR: join(work, "tsx") });
  const baseline = (): Sample => run("baseline", [TSX, "bench/baseline-app.ts", join(work, "baseline")]);
  const steps = [synth, underTsx, baseline];
  for (const step of steps) step();
  const rounds: Sample[][] = [];
  for (let i = 0; i < RUNS; i++) {
    // Rotate who goes first, so a change of load during a round does not always favour one.
    const order = steps.map((_, k) => (k + i) % steps.length);
    const round: Sample[] = [];
    for (const k of order) round[k] = steps[k]!();
    rounds.push(round);
  }
  const ratio = (pick: 0 | 1, of: keyof Sample) => median(rounds.map((round) => round[pick]![of] / round[2]![of]));
  const wall = (pick: number) => median(rounds.map((round) => round[pick]!.wallSeconds)).toFixed(2);
  const cpu = (pick: number) => median(rounds.map((round) => round[pick]!.cpuSeconds)).toFixed(2);
  const peakMiB = Math.max(...rounds.map((round) => round[0]!.peakMiB));
  const ok = ratio(0, "wallSeconds") <= TARGETS.synthRatio && peakMiB <= TARGETS.synthMiB;
  console.log(`synth     ${SYNTH.join(" ")}: median ${wall(0)} s wall, ${cpu(0)} s CPU, peak ${peakMiB.toFixed(0)} MiB (target ${TARGETS.synthMiB} MiB)`);
  console.log(`          tsx main.ts: median ${wall(1)} s wall, ${cpu(1)} s CPU`);
  console.log(`baseline  tsx bench/baseline-app.ts: median ${wall(2)} s wall, ${cpu(2)} s CPU`);
  console.log(
    `ratio     synth / baseline ${ratio(0, "wallSeconds").toFixed(3)} wall, ${ratio(0, "cpuSeconds").toFixed(3)} CPU (target <= ${TARGETS.synthRatio}, wall; under tsx ${ratio(1, "wallSeconds").toFixed(3)})  ${verdict(ok)}`,
  );
  return ok;
}

function benchUnit(): boolean {
  run("unit", [VITEST, "run", "--project", "unit"]);
  const samples = Array.from({ length: RUNS }, () => run("unit", [VITEST, "run", "--project", "unit"]));
  const wall = median(samples.map((sample) => sample.wallSeconds));
  const ok = wall <= TARGETS.unitSeconds;
  console.log(
    `unit      median ${wall.toFixed(2)} s wall, ${median(samples.map((sample) => sample.cpuSeconds)).toFixed(2)} s CPU (target <= ${TARGETS.unitSeconds} s wall)  ${verdict(ok)}`,
  );
  return ok;
}

try {
  console.log(`${RUNS} runs each, median`);
  const results = [benchSynth(), benchUnit()];
  process.exitCode = results.every(Boolean) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
