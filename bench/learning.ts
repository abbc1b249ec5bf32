import { createSelector, manualClock, seededRandom, thompsonSampling } from 'modelscout';

/**
 * Contextual world: 3 models × 6 task types, the best model differs by task type. After 2,000
 * steps, how often is the optimal model chosen in each context (measured over steps 2,000–3,000)?
 */
export async function contextualWorld(seed: number): Promise<number[]> {
  const taskTypes = ['chat', 'json', 'code', 'summary', 'translate', 'classify'];
  const models = ['model-a', 'model-b', 'model-c'];
  // Success rates: row = task type; the best model rotates.
  const means = taskTypes.map((_, row) =>
    models.map((__, column) => ((row + column) % 3 === 0 ? 0.8 : (row + column) % 3 === 1 ? 0.6 : 0.45)),
  );
  const selector = createSelector({ seed, strategy: thompsonSampling() });
  const world = seededRandom(seed * 7919 + 1);
  const optimalChoices = taskTypes.map(() => 0);
  const visits = taskTypes.map(() => 0);
  for (let step = 0; step < 3000; step++) {
    const row = Math.floor(world.next() * taskTypes.length);
    const context = { taskType: taskTypes[row]! };
    const arm = await selector.select(models, { context });
    const column = models.indexOf(arm);
    if (step >= 2000) {
      visits[row]!++;
      if (means[row]![column] === 0.8) optimalChoices[row]!++;
    }
    await selector.update(arm, world.next() < means[row]![column]! ? 1 : 0, { context });
  }
  return optimalChoices.map((count, row) => count / visits[row]!);
}

/**
 * Change-point world: arm a (0.75) beats b (0.6) and c (0.5) for 5,000 steps, then a drops to 0.3.
 * Returns how many steps after the change the selector needs until it picks b in ≥ 80 % of a
 * 50-step window (the horizon, 3,000, if it never does). One step is 1 ms of the manual clock.
 */
export async function changePointWorld(seed: number, halfLifeMs: number | undefined): Promise<number> {
  const clock = manualClock(1_750_000_000_000);
  const selector = createSelector({ seed, clock, halfLifeMs });
  const world = seededRandom(seed * 104729 + 3);
  const means: Record<string, number> = { a: 0.75, b: 0.6, c: 0.5 };
  const arms = Object.keys(means);
  const step = async (): Promise<string> => {
    clock.advance(1);
    const arm = await selector.select(arms);
    await selector.update(arm, world.next() < means[arm]! ? 1 : 0);
    return arm;
  };
  for (let index = 0; index < 5000; index++) await step();
  means.a = 0.3;
  const horizon = 3000;
  const chosen: string[] = [];
  for (let index = 0; index < horizon + 50; index++) chosen.push(await step());
  for (let start = 0; start < horizon; start++) {
    const window = chosen.slice(start, start + 50);
    if (window.filter((arm) => arm === 'b').length >= 40) return start;
  }
  return horizon;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs both worlds over `seeds` seeds and prints the results with verdicts. */
export async function runLearningBenchmark(seeds = 20): Promise<{ lines: string[]; failures: number }> {
  const lines: string[] = [];
  let failures = 0;
  const perSeedMinimum: number[] = [];
  const perContext: number[][] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const rates = await contextualWorld(seed);
    perContext.push(rates);
    perSeedMinimum.push(Math.min(...rates));
  }
  const contextMeans = perContext[0]!.map(
    (_, row) => perContext.reduce((sum, rates) => sum + rates[row]!, 0) / seeds,
  );
  const worstContextMean = Math.min(...contextMeans);
  lines.push(
    `contextual world (3 models × 6 task types, Thompson, ${seeds} seeds): optimal-arm rate after 2,000 steps by context (mean over seeds) ${contextMeans.map((rate) => rate.toFixed(3)).join(' ')}`,
  );
  lines.push(
    `  worst context ${worstContextMean.toFixed(3)} (target ≥ 0.90, ratio ${(worstContextMean / 0.9).toFixed(3)}) ${worstContextMean >= 0.9 ? 'PASS' : 'FAIL'}`,
  );
  const pairs = perContext.flat();
  lines.push(
    `  single runs: ${pairs.filter((rate) => rate < 0.9).length} of ${pairs.length} (seed, context) pairs below 0.90 in ${perSeedMinimum.filter((rate) => rate < 0.9).length} of ${seeds} seeds; lowest ${Math.min(...pairs).toFixed(3)}; median over seeds of the worst context ${median(perSeedMinimum).toFixed(3)}`,
  );
  failures += worstContextMean >= 0.9 ? 0 : 1;
  for (const halfLifeMs of [100, undefined]) {
    const delays: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) delays.push(await changePointWorld(seed, halfLifeMs));
    const middle = median(delays);
    const label = halfLifeMs === undefined ? 'no forgetting' : `halfLifeMs ${halfLifeMs} (1 ms per step)`;
    if (halfLifeMs === undefined) {
      lines.push(
        `change-point world, ${label}: median steps to switch ${middle}, max ${Math.max(...delays)} (for comparison)`,
      );
    } else {
      // The target holds for every seed: the slowest switch must come within 500 steps.
      const slowest = Math.max(...delays);
      const pass = slowest <= 500;
      failures += pass ? 0 : 1;
      lines.push(
        `change-point world, ${label}: slowest of ${seeds} seeds switches after ${slowest} steps (target ≤ 500, ratio ${(slowest / 500).toFixed(3)}) ${pass ? 'PASS' : 'FAIL'}; median ${middle}`,
      );
    }
  }
  return { lines, failures };
}
