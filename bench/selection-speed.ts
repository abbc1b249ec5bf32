import { createScout, createSelector, type ModelCandidate, seededRandom } from 'modelscout';
import { medianMicroseconds } from './measure.js';

/** One timing: the median microseconds per call, and the target when there is one. */
export interface SpeedMeasurement {
  readonly label: string;
  readonly microseconds: number;
  readonly target?: number;
}

/** Times `select` among 10 arms and `selectOptimal` among 50 candidates on a trained in-memory state. */
export async function runSelectionSpeed(): Promise<SpeedMeasurement[]> {
  const measurements: SpeedMeasurement[] = [];
  const check = (label: string, microseconds: number, target?: number): void => {
    measurements.push(target === undefined ? { label, microseconds } : { label, microseconds, target });
  };
  const world = seededRandom(1);

  const arms = Array.from({ length: 10 }, (_, index) => `arm-${index}`);
  const selector = createSelector({ seed: 1, arms });
  for (let step = 0; step < 5000; step++) {
    const arm = arms[step % arms.length]!;
    await selector.update(arm, world.next() < 0.3 + 0.05 * (step % arms.length) ? 1 : 0);
  }
  check(
    'select among 10 arms (Thompson, memory store)',
    await medianMicroseconds(() => selector.select(arms)),
    3,
  );
  const context = Object.freeze({ taskType: 'json', tier: 'free' });
  const contextMedian = await medianMicroseconds(() => selector.select(arms, { context }));
  check('select among 10 arms with a 2-key context', contextMedian);

  const candidates: ModelCandidate[] = Array.from({ length: 50 }, (_, index) => ({
    id: `org-${index % 7}/model-${index}`,
    tasks: ['text-classification'],
    license: index % 5 === 0 ? 'cc-by-nc-4.0' : 'apache-2.0',
    sizeBytes: (index + 1) * 20e6,
    family: `family-${index % 6}`,
  }));
  const scout = createScout({ seed: 2 });
  await scout.selectOptimal({ candidates });
  for (let step = 0; step < 20_000; step++) {
    const candidate = candidates[step % candidates.length]!;
    await scout.recordOutcome({
      modelId: candidate.id,
      quality: world.next() < 0.5 + 0.008 * (step % 50) ? 1 : 0,
      latencyMs: 100 + 10 * (step % 50) * world.next(),
      costUsd: 0.001 * (step % 50),
    });
  }
  const request = { candidates, objective: { quality: 1, latencyMs: 0.0005, costUsd: 200 } };
  check(
    'selectOptimal, 50 candidates (primary + 2 fallbacks)',
    await medianMicroseconds(() => scout.selectOptimal(request), { batch: 100 }),
    20,
  );
  const constrained = {
    ...request,
    requirements: { task: 'text-classification' as const, license: { deny: ['non-commercial'] } },
    constraints: { maxSizeBytes: 800e6 },
  };
  check(
    'selectOptimal, 50 candidates with task/license/size constraints',
    await medianMicroseconds(() => scout.selectOptimal(constrained), { batch: 100 }),
    20,
  );
  const withEstimates = await medianMicroseconds(
    async () => {
      const selected = await scout.selectOptimal(request);
      return selected.estimates.length + selected.explanation.summary.length;
    },
    { batch: 20, samples: 51, warmupCalls: 2000 },
  );
  check('selectOptimal + reading all 50 estimates and the explanation', withEstimates);
  return measurements;
}
