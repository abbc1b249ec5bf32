// The Bernoulli testbed of Chapelle & Li (2011), "An Empirical Evaluation of Thompson Sampling":
// K = 10 arms, the best with success probability 0.5 and the nine others 0.5 − ε, over a horizon
// of T decisions. Reports each strategy's pseudo-regret Σₜ (μ* − μ_chosen) and its ratio to the
// Lai–Robbins term Σᵢ Δᵢ / KL(μᵢ, μ*) · ln T.
//
//   npx tsx bench/regret.ts                                    # T = 100,000, 20 seeds
//   REGRET_HORIZON=10000 REGRET_SEEDS=5 npx tsx bench/regret.ts  # a quicker run

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BanditStrategy, epsilonGreedy, klUcb, thompsonSampling, ucb1 } from 'modelscout';
import { simulateBernoulliBandit } from 'modelscout/testing';
import { bernoulliDivergence } from '../src/bandit/bernoulli-divergence.js';

/** A strategy to benchmark. */
export interface BenchmarkStrategy {
  /** Shown in the table, e.g. `'thompsonSampling()'`. */
  readonly label: string;
  readonly create: () => BanditStrategy;
}

/** Options of {@link runRegretBenchmark}. */
export interface RegretBenchmarkOptions {
  /** Decisions per run (T). @default 100_000 */
  readonly horizon?: number;
  /** Runs per strategy and gap, seeded 0 … seeds − 1. @default 20 */
  readonly seeds?: number;
  /** The gaps ε between the best arm and the others. @default [0.1, 0.02] */
  readonly gaps?: readonly number[];
  /** Number of arms (K). @default 10 */
  readonly armCount?: number;
  /** @default every scalar strategy: Thompson sampling, UCB1, KL-UCB, ε-greedy fixed and decaying */
  readonly strategies?: readonly BenchmarkStrategy[];
  /** Called after each strategy and gap, e.g. to print progress. */
  readonly onResult?: (result: RegretResult) => void;
}

/** The regret of one strategy at one gap, over all seeds. */
export interface RegretResult {
  readonly strategy: string;
  readonly gap: number;
  readonly horizon: number;
  readonly seeds: number;
  /** Mean over seeds of the pseudo-regret Σₜ (μ* − μ_chosen). */
  readonly meanRegret: number;
  /** Median over seeds of the pseudo-regret. */
  readonly medianRegret: number;
  /** Σᵢ Δᵢ / KL(μᵢ, μ*) · ln T. */
  readonly laiRobbins: number;
  /** meanRegret / laiRobbins. */
  readonly ratioToLaiRobbins: number;
  /** Wall-clock seconds for all seeds. */
  readonly seconds: number;
}

/** The default strategies: every built-in scalar strategy. */
export const REGRET_BENCHMARK_STRATEGIES: readonly BenchmarkStrategy[] = [
  { label: 'thompsonSampling()', create: () => thompsonSampling() },
  { label: 'ucb1()', create: () => ucb1() },
  { label: 'klUcb()', create: () => klUcb() },
  { label: 'epsilonGreedy()', create: () => epsilonGreedy() },
  {
    label: "epsilonGreedy({ decay: 'inverse-time' })",
    create: () => epsilonGreedy({ decay: 'inverse-time' }),
  },
];

/** The Lai–Robbins term Σᵢ Δᵢ / KL(μᵢ, μ*) · ln T of the testbed. */
export function laiRobbinsTerm(means: readonly number[], horizon: number): number {
  const best = Math.max(...means);
  let total = 0;
  for (const mean of means) if (mean < best) total += (best - mean) / bernoulliDivergence(mean, best);
  return total * Math.log(horizon);
}

/** Runs the testbed and returns one result per strategy and gap. */
export function runRegretBenchmark({
  horizon = 100_000,
  seeds = 20,
  gaps = [0.1, 0.02],
  armCount = 10,
  strategies = REGRET_BENCHMARK_STRATEGIES,
  onResult,
}: RegretBenchmarkOptions = {}): RegretResult[] {
  const results: RegretResult[] = [];
  for (const gap of gaps) {
    for (const { label, create } of strategies) {
      const started = performance.now();
      const regrets: number[] = [];
      let means: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        // The best arm moves with the seed, so that no strategy gains from an order of arms.
        const bestIndex = seed % armCount;
        means = Array.from({ length: armCount }, (_, index) => (index === bestIndex ? 0.5 : 0.5 - gap));
        const choices = simulateBernoulliBandit({ strategy: create(), means, steps: horizon, seed });
        let regret = 0;
        for (const chosen of choices) regret += 0.5 - means[chosen]!;
        regrets.push(regret);
      }
      const laiRobbins = laiRobbinsTerm(means, horizon);
      const meanRegret = regrets.reduce((total, regret) => total + regret, 0) / seeds;
      const result: RegretResult = {
        strategy: label,
        gap,
        horizon,
        seeds,
        meanRegret,
        medianRegret: median(regrets),
        laiRobbins,
        ratioToLaiRobbins: meanRegret / laiRobbins,
        seconds: (performance.now() - started) / 1000,
      };
      results.push(result);
      onResult?.(result);
    }
  }
  return results;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The results as a text table, with each strategy's regret relative to UCB1's at the same gap. */
export function formatRegretTable(results: readonly RegretResult[]): string {
  const header = ['strategy', 'ε', 'mean regret', 'median regret', '÷ Lai–Robbins', '÷ UCB1', 'seconds'];
  const rows = results.map((result) => {
    const ucb1Result = results.find((other) => other.gap === result.gap && other.strategy === 'ucb1()');
    return [
      result.strategy,
      String(result.gap),
      result.meanRegret.toFixed(1),
      result.medianRegret.toFixed(1),
      result.ratioToLaiRobbins.toFixed(3),
      ucb1Result ? (result.meanRegret / ucb1Result.meanRegret).toFixed(3) : '',
      result.seconds.toFixed(1),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The targets the library must meet; each line says whether it does. */
export function checkRegretTargets(results: readonly RegretResult[]): { passed: boolean; lines: string[] } {
  const find = (strategy: string, gap: number) =>
    results.find((result) => result.strategy === strategy && result.gap === gap);
  const lines: string[] = [];
  let passed = true;
  const check = (description: string, value: number | undefined, limit: number) => {
    if (value === undefined) return;
    const ok = value <= limit;
    passed &&= ok;
    lines.push(`${ok ? 'PASS' : 'FAIL'}  ${description}: ${value.toFixed(3)} (target ≤ ${limit})`);
  };
  check('Thompson regret ÷ Lai–Robbins at ε = 0.1', find('thompsonSampling()', 0.1)?.ratioToLaiRobbins, 0.55);
  check(
    'Thompson regret ÷ Lai–Robbins at ε = 0.02',
    find('thompsonSampling()', 0.02)?.ratioToLaiRobbins,
    0.25,
  );
  const thompson = find('thompsonSampling()', 0.1);
  const ucb1Result = find('ucb1()', 0.1);
  if (thompson && ucb1Result) {
    check('Thompson regret ÷ UCB1 regret at ε = 0.1', thompson.meanRegret / ucb1Result.meanRegret, 0.25);
  }
  return { passed, lines };
}

function isExecutedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

function positiveIntegerFromEnvironment(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got '${text}'`);
  return value;
}

if (isExecutedDirectly()) {
  const horizon = positiveIntegerFromEnvironment('REGRET_HORIZON', 100_000);
  const seeds = positiveIntegerFromEnvironment('REGRET_SEEDS', 20);
  console.log(
    `Chapelle & Li (2011) Bernoulli testbed: K = 10, best arm 0.5, others 0.5 − ε, T = ${horizon}, ${seeds} seeds`,
  );
  const results = runRegretBenchmark({
    horizon,
    seeds,
    onResult: (result) =>
      console.error(`  done: ${result.strategy} at ε = ${result.gap} in ${result.seconds.toFixed(1)} s`),
  });
  console.log('');
  console.log(formatRegretTable(results));
  console.log('');
  for (const gap of [0.1, 0.02]) {
    const term = results.find((result) => result.gap === gap)?.laiRobbins;
    if (term !== undefined) console.log(`Lai–Robbins term at ε = ${gap}: ${term.toFixed(1)}`);
  }
  const { passed, lines } = checkRegretTargets(results);
  for (const line of lines) console.log(line);
  if (!passed) process.exitCode = 1;
}
