// Contexts (categorical partitions with backoff, numeric features for linUcb) and drift (halfLifeMs).
// npx tsx examples/contexts-and-drift.ts
import { createSelector, linUcb, manualClock, seededRandom } from 'modelscout';

const world = seededRandom(3);

// 1. Categorical context: the best model depends on the language of the request.
const byLanguage = createSelector({ seed: 1 });
const best: Record<string, string> = { en: 'english-model', de: 'multilingual-model' };
for (let step = 0; step < 2000; step++) {
  const language = world.next() < 0.8 ? 'en' : 'de';
  const arm = await byLanguage.select(['english-model', 'multilingual-model'], { context: { language } });
  await byLanguage.update(arm, world.next() < (arm === best[language] ? 0.9 : 0.5) ? 1 : 0, {
    context: { language },
  });
}
for (const language of ['en', 'de', 'fr']) {
  const estimates = await byLanguage.estimates(['english-model', 'multilingual-model'], {
    context: { language },
  });
  console.log(
    language,
    estimates
      .map((estimate) => `${estimate.id} ${estimate.mean.toFixed(2)} (${estimate.pulls} outcomes)`)
      .join(', '),
  );
}
console.log('fr was never seen: its estimates are the global ones (backoff).\n');

// 2. Numeric context: long prompts need the long-context model; linUcb learns the boundary.
const byLength = createSelector({ seed: 2, strategy: linUcb({ alpha: 0.5 }) });
let correct = 0;
for (let step = 0; step < 2000; step++) {
  const promptThousands = world.next() * 8;
  const context = { promptThousands };
  const arm = await byLength.select(['short-context', 'long-context'], { context });
  const right = promptThousands > 4 ? 'long-context' : 'short-context';
  if (step >= 1500 && arm === right) correct++;
  await byLength.update(arm, arm === right ? 1 : 0.2, { context });
}
console.log(
  `linUcb picks the right model for the prompt length ${((correct / 500) * 100).toFixed(0)}% of the time after 1,500 steps\n`,
);

// 3. Drift: with a half-life, the selector follows a model whose quality drops.
const clock = manualClock(0);
const drifting = createSelector({ seed: 3, clock, halfLifeMs: 60_000 });
const quality: Record<string, number> = { stable: 0.7, flaky: 0.9 };
for (let minute = 0; minute < 60; minute++) {
  if (minute === 30) quality.flaky = 0.3; // an upstream deployment breaks it
  let flakyChoices = 0;
  for (let request = 0; request < 20; request++) {
    clock.advance(3000);
    const arm = await drifting.select(['stable', 'flaky']);
    if (arm === 'flaky') flakyChoices++;
    await drifting.update(arm, world.next() < quality[arm]! ? 1 : 0);
  }
  if (minute % 10 === 9 || minute === 30 || minute === 31)
    console.log(`minute ${minute}: flaky chosen ${flakyChoices}/20`);
}
