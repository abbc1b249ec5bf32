import { describe, expect, test } from 'vitest';
import type { CandidateEliminatedEvent } from '../../events.js';
import { type RandomSource, seededRandom } from '../../random/index.js';
import { confidenceSequenceHalfWidth } from './confidence-sequence.js';
import { createEvaluator } from './create-evaluator.js';
import { type FakeModel, fakeRunner, labeledExamples } from './fake-runner.js';
import { decideIntervalRace, decidePairedRace } from './race-decision.js';

const task = 'text-classification' as const;

/** A model right on each example with probability `accuracy` (drawn once per example from `random`). */
function modelWithAccuracy(
  examples: readonly { input: string; label: string }[],
  accuracy: number,
  random: RandomSource,
): FakeModel {
  const answers = new Map(
    examples.map((example) => [
      example.input,
      random.next() < accuracy ? example.label : example.label === 'POSITIVE' ? 'NEGATIVE' : 'POSITIVE',
    ]),
  );
  return { answer: (input) => ({ output: answers.get(input as string) }) };
}

describe('racing', () => {
  test('clearly worse candidates are eliminated early on the same examples; the best wins', async () => {
    const examples = labeledExamples(4000, seededRandom(1));
    const random = seededRandom(2);
    const runner = fakeRunner({
      weak: modelWithAccuracy(examples, 0.6, random),
      middling: modelWithAccuracy(examples, 0.75, random),
      strong: modelWithAccuracy(examples, 0.9, random),
    });
    const evaluator = createEvaluator({ runners: [runner] });
    const eliminated: CandidateEliminatedEvent[] = [];
    evaluator.events.on('candidate_eliminated', (event) => eliminated.push(event));
    const scores = await evaluator.evaluate({
      candidates: ['weak', 'middling', 'strong'],
      data: { task, examples },
      race: { tolerance: 0 },
    });
    const [weak, middling, strong] = scores;
    expect(weak).toMatchObject({
      partial: true,
      stopReason: 'eliminated',
      race: { winner: false, eliminatedBy: 'strong' },
    });
    expect(middling).toMatchObject({
      partial: true,
      stopReason: 'eliminated',
      race: { winner: false, eliminatedBy: 'strong' },
    });
    expect(strong).toMatchObject({ partial: true, stopReason: 'race-decided', race: { winner: true } });
    // The race ends once one is left: the winner predicted as many as the last one eliminated.
    expect(strong!.samples).toBe(middling!.samples);
    expect(weak!.samples).toBeLessThanOrEqual(middling!.samples);
    expect(weak!.samples).toBeGreaterThanOrEqual(200);
    const total = scores.reduce((sum, score) => sum + score.samples, 0);
    expect(total).toBeLessThan(0.2 * 3 * examples.length);
    // Rounds are interleaved: each candidate predicted whole rounds of 64.
    expect(weak!.samples % 64).toBe(0);
    expect(eliminated.map((event) => [event.modelId, event.leader, event.reason])).toEqual([
      ['weak', 'strong', 'eliminated'],
      ['middling', 'strong', 'eliminated'],
    ]);
    expect(eliminated[0]!.upperDifference).toBeLessThan(0);
  });

  test('near-ties stop with the tolerance; with tolerance 0 they run to the end', async () => {
    const examples = labeledExamples(3000, seededRandom(3));
    const random = seededRandom(4);
    const runner = fakeRunner({
      a: modelWithAccuracy(examples, 0.9, random),
      b: modelWithAccuracy(examples, 0.9, random),
    });
    const evaluator = createEvaluator({ runners: [runner] });
    const tolerant = await evaluator.evaluate({
      candidates: ['a', 'b'],
      data: { task, examples },
      race: { tolerance: 0.05 },
    });
    expect(tolerant.map((score) => score.stopReason)).toEqual(['race-decided', 'race-decided']);
    expect(tolerant.filter((score) => score.race?.winner)).toHaveLength(1);
    expect(tolerant[0]!.samples).toBeLessThan(3000);
    const strict = await evaluator.evaluate({
      candidates: ['a', 'b'],
      data: { task, examples },
      race: { tolerance: 0 },
    });
    expect(strict.map((score) => [score.stopReason, score.samples])).toEqual([
      ['completed', 3000],
      ['completed', 3000],
    ]);
    const winner = strict.find((score) => score.race?.winner)!;
    expect(winner.quality.value).toBe(Math.max(...strict.map((score) => score.quality.value)));
  });

  test('a candidate that fails mid-race drops out; the others go on', async () => {
    const examples = labeledExamples(600, seededRandom(5));
    const random = seededRandom(6);
    let calls = 0;
    const runner = fakeRunner({
      a: modelWithAccuracy(examples, 0.8, random),
      flaky: {
        answer: () => {
          calls++;
          if (calls > 100) throw new Error('server gone');
          return { output: 'POSITIVE' };
        },
      },
    });
    const [a, flaky] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['a', 'flaky'],
      data: { task, examples },
      race: true,
    });
    expect(flaky).toMatchObject({ stopReason: 'runner-failed', partial: true, samples: 110 });
    expect(a).toMatchObject({ stopReason: 'completed', samples: 600, race: { winner: true } });
  });
});

describe('decision rules', () => {
  test('the paired rule eliminates on the differences, not the separate intervals', () => {
    // Identical on 980 examples, b wrong where a is right on 20: the separate accuracies (0.9 and
    // 0.88) overlap, but every difference favors a.
    const a = Array.from({ length: 1000 }, (_, index) => (index % 10 === 0 ? 0 : 1));
    const b = a.map((value, index) => (index % 50 === 1 ? 0 : value));
    const decision = decidePairedRace(
      [
        { id: 'a', values: a },
        { id: 'b', values: b },
      ],
      { alpha: 0.05, tolerance: 0, tightestAt: 1000 },
    );
    expect(decision.leader).toBe('a');
    expect(decision.eliminated.map((each) => each.id)).toEqual(['b']);
  });

  test('the interval rule: eliminate below the leader’s lower bound; decide within the tolerance', () => {
    const quality = (value: number, lower: number, upper: number) => ({
      metric: 'macro-f1',
      value,
      lower,
      upper,
    });
    const decision = decideIntervalRace(
      [
        { id: 'a', quality: quality(0.8, 0.75, 0.85) },
        { id: 'b', quality: quality(0.6, 0.55, 0.7) },
        { id: 'c', quality: quality(0.78, 0.72, 0.84) },
      ],
      0.1,
    );
    expect(decision).toEqual({
      leader: 'a',
      eliminated: [{ id: 'b', upperDifference: 0.7 - 0.75 }],
      decided: true,
    });
    expect(
      decideIntervalRace(
        [
          { id: 'a', quality: quality(0.8, 0.75, 0.85) },
          { id: 'c', quality: quality(0.78, 0.72, 0.86) },
        ],
        0.1,
      ).decided,
    ).toBe(false);
  });

  test('the confidence sequence covers the mean at every step with the promised probability', () => {
    // 400 runs of 2,000 Bernoulli(0.3) draws; α = 0.1: the running mean ± the half-width must miss
    // 0.3 at some step in at most about 10 % of the runs.
    const random = seededRandom(7);
    const alpha = 0.1;
    let missed = 0;
    const runs = 400;
    for (let run = 0; run < runs; run++) {
      let sum = 0;
      let sumOfSquares = 0;
      for (let count = 1; count <= 2000; count++) {
        const value = random.next() < 0.3 ? 1 : 0;
        sum += value;
        sumOfSquares += value;
        if (count < 30) continue;
        const mean = sum / count;
        const variance = (sumOfSquares - count * mean * mean) / (count - 1);
        if (Math.abs(mean - 0.3) > confidenceSequenceHalfWidth(count, variance, alpha, 500)) {
          missed++;
          break;
        }
      }
    }
    expect(missed / runs).toBeLessThan(alpha);
    // A fixed-sample 90 % interval checked at every step misses far more often: the sequence is not that.
    expect(confidenceSequenceHalfWidth(1000, 0.21, alpha, 1000)).toBeGreaterThan(
      1.645 * Math.sqrt(0.21 / 1000),
    );
  });
});
