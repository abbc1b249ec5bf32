// The low-level bandit: the same Bernoulli world under every strategy. npx tsx examples/bandit-strategies.ts
import { createSelector, epsilonGreedy, klUcb, seededRandom, thompsonSampling, ucb1 } from 'modelscout';

const means: Record<string, number> = { 'model-a': 0.45, 'model-b': 0.5, 'model-c': 0.55 };
const arms = Object.keys(means);

for (const strategy of [thompsonSampling(), ucb1(), klUcb(), epsilonGreedy({ epsilon: 0.1 })]) {
  const selector = createSelector({ strategy, seed: 1 });
  const world = seededRandom(2);
  let regret = 0;
  for (let step = 0; step < 5000; step++) {
    const arm = await selector.select(arms);
    regret += 0.55 - means[arm]!;
    await selector.update(arm, world.next() < means[arm]! ? 1 : 0);
  }
  const estimates = await selector.estimates(arms);
  console.log(
    `${strategy.name.padEnd(18)} regret ${regret.toFixed(1).padStart(6)}  ${estimates
      .map(
        (estimate) =>
          `${estimate.id} ${estimate.mean.toFixed(3)} [${estimate.lower.toFixed(3)}, ${estimate.upper.toFixed(3)}] ×${estimate.pulls}`,
      )
      .join('  ')}`,
  );
}
