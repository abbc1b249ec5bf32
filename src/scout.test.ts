import { describe, expect, test } from 'vitest';
import { linUcb } from './bandit/lin-ucb.js';
import { manualClock } from './clock/manual-clock.js';
import type { ModelCandidate } from './core/model-candidate.js';
import { fakeProvider } from './discovery/service/fake-provider.js';
import { ContradictoryConstraintsError } from './errors/contradictory-constraints-error.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { NoFeasibleCandidateError } from './errors/no-feasible-candidate-error.js';
import { UnknownArmError } from './errors/unknown-arm-error.js';
import { fakeRunner, labeledExamples } from './evaluation/evaluator/fake-runner.js';
import type {
  EvaluationProgressEvent,
  ModelAddedEvent,
  ProviderFinishedEvent,
  SelectionEvent,
} from './events.js';
import { seededRandom } from './random/seeded-random.js';
import { createScout, recordOutcome, selectOptimal } from './scout.js';
import { memoryStore } from './store/memory-store.js';

const CANDIDATES: ModelCandidate[] = [
  {
    id: 'org/small',
    tasks: ['text-classification'],
    license: 'mit',
    sizeBytes: 50e6,
    parameters: 10e6,
    family: 'bert',
  },
  {
    id: 'org/medium',
    tasks: ['text-classification'],
    license: 'apache-2.0',
    sizeBytes: 400e6,
    parameters: 110e6,
    family: 'bert',
  },
  {
    id: 'other/large',
    tasks: ['text-classification'],
    license: 'cc-by-nc-4.0',
    sizeBytes: 1.4e9,
    parameters: 350e6,
    family: 'roberta',
  },
  { id: 'gen/llm', tasks: ['text-generation'], license: 'llama3', sizeBytes: 4e9, family: 'llama' },
];

describe('selectOptimal: hard constraints', () => {
  test('filter by task, license and size, and explain what removed what', async () => {
    const scout = createScout({ seed: 1 });
    const selected = await scout.selectOptimal({
      candidates: CANDIDATES,
      requirements: { task: 'text-classification', license: { deny: ['non-commercial'] } },
      constraints: { maxSizeBytes: 500e6 },
    });
    expect(['org/small', 'org/medium']).toContain(selected.primary.id);
    expect(selected.estimates.map((estimate) => estimate.id).sort()).toEqual(['org/medium', 'org/small']);
    expect(selected.explanation.rejections).toEqual([
      { constraint: 'license', candidates: ['other/large'], detail: 'other/large: cc-by-nc-4.0 is denied' },
      {
        constraint: 'task',
        candidates: ['gen/llm'],
        detail: 'gen/llm: needs text-classification, has text-generation',
      },
    ]);
    expect(selected.explanation.summary).toContain('removed by constraints');
  });

  test('an empty feasible set is a typed error naming which constraint removed which candidates', async () => {
    const scout = createScout({ seed: 1 });
    const error = await scout
      .selectOptimal({
        candidates: CANDIDATES,
        constraints: { maxSizeBytes: 40e6, license: { allow: ['permissive'] } },
      })
      .catch((caught: unknown) => caught);
    expect(NoFeasibleCandidateError.isInstance(error)).toBe(true);
    const rejections = (error as NoFeasibleCandidateError).rejections;
    expect(
      Object.fromEntries(rejections.map((rejection) => [rejection.constraint, rejection.candidates])),
    ).toEqual({
      license: ['other/large', 'gen/llm'],
      maxSizeBytes: ['org/small', 'org/medium'],
    });
    expect((error as Error).message).toContain('maxSizeBytes');
  });

  test('contradictory constraints are a typed error', async () => {
    const scout = createScout({ seed: 1 });
    const cases = [
      { constraints: { minParameters: 10, maxParameters: 5 } },
      {
        requirements: { task: 'text-classification' as const },
        constraints: { task: 'text-generation' as const },
      },
      { constraints: { task: 'image-classification' as const, modality: 'nlp' as const } },
      { constraints: { license: { allow: ['mit'], deny: ['permissive'] } } },
    ];
    for (const request of cases) {
      const error = await scout
        .selectOptimal({ candidates: CANDIDATES, ...request })
        .catch((caught: unknown) => caught);
      expect(ContradictoryConstraintsError.isInstance(error), JSON.stringify(request)).toBe(true);
    }
  });

  test('learned latency removes a candidate confidently slower than maxLatencyMs', async () => {
    const scout = createScout({ seed: 1 });
    await scout.selectOptimal({ candidates: ['fast', 'slow'] });
    for (let index = 0; index < 20; index++) {
      await scout.recordOutcome({ modelId: 'fast', success: true, latencyMs: 40 + (index % 5) });
      await scout.recordOutcome({ modelId: 'slow', success: true, latencyMs: 900 + (index % 7) });
    }
    const selected = await scout.selectOptimal({
      candidates: ['fast', 'slow'],
      constraints: { maxLatencyMs: 500 },
    });
    expect(selected.primary.id).toBe('fast');
    expect(selected.explanation.rejections[0]).toMatchObject({
      constraint: 'maxLatencyMs',
      candidates: ['slow'],
    });
  });

  test('bad requests get typed errors', async () => {
    const scout = createScout({ seed: 1 });
    const requests = [
      { candidates: [] },
      { candidates: ['a', 'a'] },
      { candidates: [{ id: '' }] },
      { candidates: ['a'], objective: { quality: -1 } },
      { candidates: ['a'], objective: { latencyMs: Number.NaN } },
      { candidates: ['a'], fallbacks: 1.5 },
      { candidates: ['a'], ensembleSize: 0 },
      { candidates: ['a'], constraints: { task: 'not-a-task' } },
      { candidates: ['a'], constraints: { maxSizeBytes: -1 } },
      { candidates: ['a'], context: { tier: undefined } },
    ];
    for (const request of requests) {
      const error = await scout.selectOptimal(request as never).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(request)).toBe(true);
    }
  });
});

/** Three LLM-like models: quality, latency and cost differ. */
const TRUTH: Record<string, { quality: number; latencyMs: number; costUsd: number }> = {
  premium: { quality: 0.92, latencyMs: 1800, costUsd: 0.02 },
  balanced: { quality: 0.85, latencyMs: 700, costUsd: 0.004 },
  budget: { quality: 0.6, latencyMs: 300, costUsd: 0.0005 },
};

async function recordTrueOutcome(
  scout: ReturnType<typeof createScout>,
  modelId: string,
  world: ReturnType<typeof seededRandom>,
) {
  const model = TRUTH[modelId]!;
  await scout.recordOutcome({
    modelId,
    success: world.next() < model.quality,
    latencyMs: model.latencyMs * (0.8 + 0.4 * world.next()),
    costUsd: model.costUsd,
  });
}

/** Lets the scout choose for `steps` requests, learning from outcomes drawn from TRUTH. */
async function simulate(scout: ReturnType<typeof createScout>, steps: number, seed: number) {
  const world = seededRandom(seed);
  for (let step = 0; step < steps; step++) {
    const { primary } = await scout.selectOptimal({ candidates: Object.keys(TRUTH) });
    await recordTrueOutcome(scout, primary.id, world);
  }
}

describe('selectOptimal: objectives, fallbacks, ensembles, estimates', () => {
  test('one learned state serves callers with different objectives', async () => {
    const scout = createScout({ seed: 3 });
    const candidates = ['premium', 'balanced', 'budget'];
    await scout.selectOptimal({ candidates });
    const world = seededRandom(4);
    for (let round = 0; round < 300; round++) {
      for (const modelId of candidates) await recordTrueOutcome(scout, modelId, world);
    }
    const qualityFirst = await scout.selectOptimal({ candidates, objective: { quality: 1 } });
    expect(qualityFirst.estimates[0]!.id).toBe('premium');
    const costAware = await scout.selectOptimal({ candidates, objective: { quality: 1, costUsd: 20 } });
    expect(costAware.estimates[0]!.id).toBe('balanced'); // 0.85 − 0.08 beats 0.92 − 0.4 and 0.6 − 0.01
    const latencyAware = await scout.selectOptimal({
      candidates,
      objective: { quality: 1, latencyMs: 0.0002 },
    });
    expect(latencyAware.estimates[0]!.id).toBe('balanced'); // 0.85 − 0.14 beats 0.92 − 0.36 and 0.6 − 0.06
    const latencyFirst = await scout.selectOptimal({
      candidates,
      objective: { quality: 1, latencyMs: 0.001 },
    });
    expect(latencyFirst.estimates[0]!.id).toBe('budget'); // 0.6 − 0.3 beats 0.85 − 0.7 and 0.92 − 1.8
    const speedOnly = await scout.selectOptimal({ candidates, objective: { quality: 0, latencyMs: 1 } });
    expect(speedOnly.primary.id).toBe('budget');
    for (const estimate of costAware.estimates) {
      expect(estimate.quality.lower).toBeLessThanOrEqual(estimate.quality.mean);
      expect(estimate.quality.upper).toBeGreaterThanOrEqual(estimate.quality.mean);
      expect(estimate.latencyMs.source).toBe('learned');
      expect(estimate.latencyMs.lower).toBeLessThan(estimate.latencyMs.upper);
      expect(estimate.costUsd.mean).toBeGreaterThan(0);
    }
    const utilities = costAware.estimates.map((estimate) => estimate.utility);
    expect(utilities).toEqual([...utilities].sort((left, right) => right - left));
  });

  test('fallbacks are ranked by expected utility and exclude the primary', async () => {
    const scout = createScout({ seed: 3 });
    await simulate(scout, 800, 5);
    const selected = await scout.selectOptimal({
      candidates: ['premium', 'balanced', 'budget'],
      objective: { quality: 1, costUsd: 20 },
      fallbacks: 2,
    });
    const order = selected.estimates
      .map((estimate) => estimate.id)
      .filter((id) => id !== selected.primary.id);
    expect(selected.fallbacks.map((candidate) => candidate.id)).toEqual(order);
    const none = await scout.selectOptimal({ candidates: ['premium', 'balanced'], fallbacks: 0 });
    expect(none.fallbacks).toEqual([]);
  });

  test('an ensemble prefers diverse families', async () => {
    const scout = createScout({ seed: 1 });
    await scout.selectOptimal({ candidates: CANDIDATES.slice(0, 3) });
    for (let index = 0; index < 30; index++) {
      await scout.recordOutcome({ modelId: 'org/small', quality: 0.9 });
      await scout.recordOutcome({ modelId: 'org/medium', quality: 0.85 });
      await scout.recordOutcome({ modelId: 'other/large', quality: 0.6 });
    }
    const selected = await scout.selectOptimal({ candidates: CANDIDATES.slice(0, 3), ensembleSize: 2 });
    expect(selected.ensemble?.map((candidate) => candidate.family).sort()).toEqual(['bert', 'roberta']);
    expect(selected.ensemble?.[0]).toBe(selected.primary);
  });

  test('declared metrics stand in until outcomes are learned', async () => {
    const scout = createScout({ seed: 1 });
    const selected = await scout.selectOptimal({
      candidates: [
        { id: 'hosted', pricing: { perRequestUsd: 0.01 }, metrics: { latencyMs: 250 } },
        { id: 'unknown-one' },
      ],
    });
    const hosted = selected.estimates.find((estimate) => estimate.id === 'hosted')!;
    expect(hosted.costUsd).toMatchObject({ mean: 0.01, source: 'declared' });
    expect(hosted.latencyMs).toMatchObject({ mean: 250, source: 'declared' });
    const unknown = selected.estimates.find((estimate) => estimate.id === 'unknown-one')!;
    expect(unknown.latencyMs.source).toBe('unknown');
  });

  test('the explanation says whether it explored, and events report selections and outcomes', async () => {
    const scout = createScout({ seed: 2 });
    const selections: SelectionEvent[] = [];
    const outcomes: Array<number | undefined> = [];
    scout.events.on('selection', (event) => selections.push(event));
    scout.events.on('outcome', (event) => outcomes.push(event.reward));
    const selected = await scout.selectOptimal({ candidates: ['a', 'b'], context: { tier: 'free' } });
    await scout.recordOutcome({
      modelId: selected.primary.id,
      context: { tier: 'free' },
      error: new Error('timeout'),
    });
    expect(selections).toHaveLength(1);
    expect(selections[0]).toMatchObject({ modelId: selected.primary.id, context: { tier: 'free' } });
    expect(outcomes).toEqual([0]);
    expect(['exploit', 'explore']).toContain(selected.explanation.decision);
    expect(selected.explanation.partition).toBe('tier=free');
    expect(selected.explanation.summary).toContain(selected.primary.id);
  });
});

describe('recordOutcome', () => {
  test('rejects bad outcomes with typed errors', async () => {
    const scout = createScout({ seed: 1 });
    await scout.selectOptimal({ candidates: ['a'] });
    const outcomes = [
      {},
      { modelId: 'a' },
      { modelId: 'a', quality: 2 },
      { modelId: 'a', latencyMs: -1 },
      { modelId: 'a', costUsd: Number.NaN },
      { modelId: 'a', success: 'yes' },
      { modelId: 'a', success: true, extra: 1 },
    ];
    for (const outcome of outcomes) {
      const error = await scout.recordOutcome(outcome as never).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(outcome)).toBe(true);
    }
    const unknown = await scout
      .recordOutcome({ modelId: 'never-offered', success: true })
      .catch((caught: unknown) => caught);
    expect(UnknownArmError.isInstance(unknown)).toBe(true);
  });

  test('the package-level functions share one default scout', async () => {
    const selected = await selectOptimal({ candidates: ['default-a', 'default-b'] });
    await expect(recordOutcome({ modelId: selected.primary.id, success: true })).resolves.toBeUndefined();
  });
});

describe('selectOptimal: fixes from review', () => {
  test('what was learned of latency wins over a stale declared figure', async () => {
    const scout = createScout({ seed: 1 });
    const candidates = [{ id: 'claims-fast', metrics: { latencyMs: 50 } }, { id: 'honest' }];
    await scout.selectOptimal({ candidates });
    for (let index = 0; index < 10; index++) {
      await scout.recordOutcome({ modelId: 'claims-fast', success: true, latencyMs: 5000 + index });
      await scout.recordOutcome({ modelId: 'honest', success: true, latencyMs: 120 + index });
    }
    const selected = await scout.selectOptimal({ candidates, constraints: { maxLatencyMs: 200 } });
    expect(selected.primary.id).toBe('honest');
    expect(selected.explanation.rejections).toMatchObject([
      { constraint: 'maxLatencyMs', candidates: ['claims-fast'] },
    ]);
  });

  test('license policies from the requirements and the request must both pass', async () => {
    const scout = createScout({ seed: 1 });
    const candidates = [
      { id: 'gpl', license: 'gpl-3.0' },
      { id: 'mit', license: 'mit' },
    ];
    const selected = await scout.selectOptimal({
      candidates,
      requirements: { license: { deny: ['strong-copyleft'] } },
      constraints: { license: { allow: ['gpl-3.0', 'mit'] } },
    });
    expect(selected.primary.id).toBe('mit');
    expect(selected.explanation.rejections).toMatchObject([{ constraint: 'license', candidates: ['gpl'] }]);
  });

  test('malformed candidates, license policies and capabilities are typed errors', async () => {
    const scout = createScout({ seed: 1 });
    for (const request of [
      { candidates: undefined },
      { candidates: 'a' },
      { candidates: ['a'], constraints: { license: { allow: 'mit' } } },
      { candidates: ['a'], constraints: { license: { allowUnknown: 'yes' } } },
      { candidates: ['a'], constraints: { license: { permit: ['mit'] } } },
      { candidates: ['a'], constraints: { capabilities: 'json' } },
    ]) {
      const error = await scout.selectOptimal(request as never).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(request)).toBe(true);
    }
  });

  test('estimates describe the decision, not outcomes recorded after it (linear strategy)', async () => {
    const scout = createScout({ seed: 1, strategy: linUcb() });
    const context = { promptTokens: 0.5 };
    const selected = await scout.selectOptimal({ candidates: ['a', 'b'], context });
    for (let index = 0; index < 20; index++) await scout.recordOutcome({ modelId: 'a', context, quality: 1 });
    const [first] = selected.estimates;
    expect(first!.pulls).toBe(0);
    expect(first!.quality.mean).toBe(0);
  });

  test('the explanation says explore when the strategy tries a candidate with lower expected utility', async () => {
    const scout = createScout({ seed: 7 });
    const candidates = ['known', 'new'];
    await scout.selectOptimal({ candidates });
    for (let index = 0; index < 30; index++) await scout.recordOutcome({ modelId: 'known', quality: 0.7 });
    const decisions = new Set<string>();
    for (let index = 0; index < 200; index++) {
      const selected = await scout.selectOptimal({ candidates });
      decisions.add(selected.explanation.decision);
      const best = selected.estimates[0]!.id;
      expect(selected.explanation.decision === 'explore').toBe(selected.primary.id !== best);
    }
    expect([...decisions].sort()).toEqual(['exploit', 'explore']);
  });

  test('a scout accepts outcomes for declared models before it offers them', async () => {
    const scout = createScout({ seed: 1, models: ['worker-model'] });
    await expect(scout.recordOutcome({ modelId: 'worker-model', success: true })).resolves.toBeUndefined();
    expect(() => createScout({ models: ['x', 'x'] })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    );
    expect(() => createScout({ arms: ['x'] } as never)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    );
  });
});

test('candidates tied on expected utility share rank 1 in the explanation', async () => {
  const scout = createScout({ seed: 42 });
  for (let index = 0; index < 20; index++) {
    const selected = await scout.selectOptimal({ candidates: ['a', 'b', 'c'] });
    expect(selected.explanation.summary).toContain('rank 1 of 3');
  }
});

describe('discover', () => {
  test('a scout with providers discovers, merges, emits discovery events, and selects among what it found', async () => {
    const clock = manualClock();
    const scout = createScout({
      seed: 1,
      clock,
      providers: [
        fakeProvider({ name: 'huggingface', models: () => CANDIDATES.slice(0, 3) }),
        fakeProvider({
          name: 'hf-cache',
          models: () => [{ ...CANDIDATES[0]!, localPath: '/cache/org/small' }],
        }),
        fakeProvider({ name: 'down', models: () => [], behavior: 'throw', error: new Error('offline') }),
      ],
      discovery: { ttlMs: 1000 },
    });
    const added: ModelAddedEvent[] = [];
    const finished: ProviderFinishedEvent[] = [];
    scout.events.on('model_added', (event) => added.push(event));
    scout.events.on('provider_finished', (event) => finished.push(event));
    const found = await scout.discover({
      task: 'text-classification',
      license: { deny: ['non-commercial'] },
    });
    expect(found.candidates.map((candidate) => candidate.id).sort()).toEqual(['org/medium', 'org/small']);
    expect(found.candidates.find((candidate) => candidate.id === 'org/small')).toMatchObject({
      providers: ['huggingface', 'hf-cache'],
      localPath: '/cache/org/small',
    });
    expect(found.errors.map((error) => [error.provider, error.reason])).toEqual([['down', 'failed']]);
    expect(added.map((event) => event.candidate.id).sort()).toEqual([
      'org/medium',
      'org/small',
      'other/large',
    ]);
    expect(finished.map((event) => event.provider).sort()).toEqual(['down', 'hf-cache', 'huggingface']);
    expect(scout.discovery.providerNames).toEqual(['huggingface', 'hf-cache', 'down']);
    expect(scout.discovery.events).toBe(scout.events);
    const selected = await scout.selectOptimal({ candidates: found.candidates });
    expect(['org/medium', 'org/small']).toContain(selected.primary.id);
  });

  test('a scout without providers discovers nothing; discovery options are validated', async () => {
    expect(await createScout().discover({ text: 'bert' })).toMatchObject({
      candidates: [],
      total: 0,
      errors: [],
    });
    expect(() => createScout({ discovery: { concurrency: 0 } })).toThrow(/options.discovery.concurrency/);
    expect(() => createScout({ discovery: { providers: [] } as never })).toThrow(/options.providers/);
    expect(() => createScout({ providers: [{ name: 'x' }] as never })).toThrow(/options.providers\[0\]/);
    expect(() => createScout({ discovery: null as never })).toThrow(InvalidArgumentError);
  });
});

describe('evaluate and warmStart', () => {
  const examples = labeledExamples(100, seededRandom(11));
  const truth = new Map(examples.map((example) => [example.input, example.label]));
  const flip = (label: string | undefined) => (label === 'POSITIVE' ? 'NEGATIVE' : 'POSITIVE');
  const models = {
    'org/accurate': { answer: (input: unknown) => ({ output: truth.get(input as string) }), msPerItem: 1 },
    'org/sloppy': {
      answer: (input: unknown) => ({
        output:
          Number((input as string).split(' ')[1]) % 4 === 0
            ? truth.get(input as string)
            : flip(truth.get(input as string)),
      }),
      msPerItem: 1,
    },
  };

  test('a scout evaluates with its runners, emits evaluation events, and keeps the history in its store', async () => {
    const clock = manualClock(1_000);
    const store = memoryStore();
    const scout = createScout({
      seed: 1,
      clock,
      store,
      runners: [fakeRunner(models, { clock })],
      evaluation: { batchSize: 10 },
    });
    const progress: EvaluationProgressEvent[] = [];
    scout.events.on('evaluation_progress', (event) => progress.push(event));
    const scores = await scout.evaluate({
      candidates: ['org/accurate', 'org/sloppy'],
      data: { task: 'text-classification', examples },
    });
    expect(scores.map((score) => [score.modelId, score.quality.value, score.samples])).toEqual([
      ['org/accurate', 1, 100],
      ['org/sloppy', 0.25, 100],
    ]);
    expect(progress.at(-1)).toMatchObject({ modelId: 'org/sloppy', done: 100, total: 100, etaMs: 0 });
    expect(await scout.getEvaluationHistory('org/accurate')).toEqual([scores[0]]);
    expect(scout.evaluator.defaults.batchSize).toBe(10);
    expect(() => createScout({ evaluation: { budgetMs: 0 } })).toThrow(/options.defaults.budgetMs/);
  });

  test('warm start adds at most `weight` pseudo-observations per score, as increments that merge across processes', async () => {
    const store = memoryStore();
    const clock = manualClock(1_000);
    const first = createScout({ seed: 2, clock, store, runners: [fakeRunner(models, { clock })] });
    const scores = await first.evaluate(
      { candidates: ['org/accurate', 'org/sloppy'], data: { task: 'text-classification', examples } },
      { warmStart: { weight: 8 } },
    );
    expect(scores).toHaveLength(2);
    // 8 observations each: 8 successes for the accurate one, 2 successes and 6 failures for the sloppy one.
    const [accurate, sloppy] = await store.readCounters([
      'modelscout:default:statistics:scalar:0:*:org/accurate',
      'modelscout:default:statistics:scalar:0:*:org/sloppy',
    ]);
    expect(accurate).toMatchObject({ 'reward.count': 8, 'reward.sum': 8 });
    expect(sloppy).toMatchObject({ 'reward.count': 8, 'reward.sum': 2 });

    // Another process on the same store adds its own; the counts add up.
    const second = createScout({ seed: 3, clock, store });
    expect(await second.warmStart(scores, { weight: 4 })).toEqual([
      { modelId: 'org/accurate', observations: 4, successes: 4, failures: 0 },
      { modelId: 'org/sloppy', observations: 4, successes: 1, failures: 3 },
    ]);
    await first.refresh();
    const selected = await first.selectOptimal({ candidates: ['org/accurate', 'org/sloppy'] });
    const estimates = selected.estimates;
    expect(estimates.find((estimate) => estimate.id === 'org/accurate')!.pulls).toBe(12);
    expect(estimates.find((estimate) => estimate.id === 'org/sloppy')!.quality.mean).toBeCloseTo(
      (3 + 1) / (12 + 2),
    );

    // The default weight, a context, and bad input.
    const third = createScout({ seed: 4 });
    const [observed] = await third.warmStart([{ ...scores[1]!, samples: 500 }], {
      context: { tier: 'free' },
    });
    expect(observed).toEqual({ modelId: 'org/sloppy', observations: 20, successes: 5, failures: 15 });
    // Qualities are not rounded into whole successes: close models keep their measured order.
    const close = createScout({ seed: 5, store: memoryStore() });
    const [better, worse] = await close.warmStart([
      {
        ...scores[0]!,
        modelId: 'org/better',
        quality: { ...scores[0]!.quality, value: 0.944 },
        samples: 500,
      },
      { ...scores[0]!, modelId: 'org/worse', quality: { ...scores[0]!.quality, value: 0.934 }, samples: 500 },
    ]);
    expect(better!.successes).toBeCloseTo(18.88);
    expect(worse!.successes).toBeCloseTo(18.68);
    const closeEstimates = (await close.selectOptimal({ candidates: ['org/better', 'org/worse'] })).estimates;
    const meanOf = (id: string) => closeEstimates.find((estimate) => estimate.id === id)!.quality.mean;
    expect(meanOf('org/better')).toBeGreaterThan(meanOf('org/worse'));
    await expect(third.warmStart([{ modelId: '' } as never])).rejects.toThrow(InvalidArgumentError);
    await expect(third.warmStart(scores, { weight: -1 })).rejects.toThrow(/options.weight/);
    await expect(third.warmStart(scores, { bogus: 1 } as never)).rejects.toThrow(/options.bogus/);
    await expect(
      first.evaluate(
        { candidates: ['org/accurate'], data: { task: 'text-classification', examples } },
        { warmStart: 'yes' as never },
      ),
    ).rejects.toThrow(/options.warmStart/);
  });
});
