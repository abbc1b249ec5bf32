import type { ManualClock } from '../../clock/manual-clock.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import type { RandomSource } from '../../random/random-source.js';
import type { InferenceRunner, LoadedModel, Prediction } from '../spec.js';

/** How one fake model behaves. */
export interface FakeModel {
  /**
   * The prediction for one input: return a {@link Prediction} (or anything, to test malformed
   * outputs), throw to fail the item (the whole batch rejects), or return a promise that never
   * settles to hang.
   */
  readonly answer: (input: unknown) => unknown;
  /** Clock milliseconds each `predict` call advances the manual clock by, per item. @default 0 */
  readonly msPerItem?: number;
  /** Reported by the loaded model. */
  readonly loadMs?: number;
  readonly memoryBytes?: number;
  /** `'throw'`: load rejects; `'hang'`: load never settles. */
  readonly load?: 'throw' | 'hang';
}

/** A runner over {@link FakeModel}s, recording what it was asked. */
export interface FakeRunner extends InferenceRunner {
  /** `predict` calls per model, with their batch sizes. */
  readonly batches: Map<string, number[]>;
  /** Models disposed. */
  readonly disposed: string[];
  /** Candidates `load` received. */
  readonly loaded: ModelCandidate[];
}

/**
 * A runner for the evaluator's tests: each model id maps to a {@link FakeModel}; it supports
 * exactly those ids. When `clock` is given, predictions advance it, so latencies, budgets and
 * ETAs are exact.
 * @internal
 */
export function fakeRunner(
  models: Readonly<Record<string, FakeModel>>,
  { clock, name = 'fake' }: { clock?: ManualClock; name?: string } = {},
): FakeRunner {
  const batches = new Map<string, number[]>();
  const disposed: string[] = [];
  const loaded: ModelCandidate[] = [];
  return {
    specificationVersion: 'v1',
    name,
    batches,
    disposed,
    loaded,
    supports: (candidate: ModelCandidate) => Object.hasOwn(models, candidate.id),
    async load(candidate: ModelCandidate, task: Task): Promise<LoadedModel> {
      const model = models[candidate.id];
      if (model === undefined) throw new Error(`unknown model ${candidate.id}`);
      loaded.push(candidate);
      if (model.load === 'throw') throw new Error(`cannot load ${candidate.id}`);
      if (model.load === 'hang') await new Promise(() => undefined);
      return {
        modelId: candidate.id,
        task,
        ...(model.loadMs === undefined ? {} : { loadMs: model.loadMs }),
        ...(model.memoryBytes === undefined ? {} : { memoryBytes: model.memoryBytes }),
        async predict(inputs) {
          const sizes = batches.get(candidate.id) ?? [];
          sizes.push(inputs.length);
          batches.set(candidate.id, sizes);
          clock?.advance((model.msPerItem ?? 0) * inputs.length);
          return (await Promise.all(inputs.map((input) => model.answer(input)))) as Prediction[];
        },
        async dispose() {
          disposed.push(candidate.id);
        },
      };
    },
  };
}

/** Labeled examples `{ input: 'text i', label }` with labels drawn from `labels` by `random`. @internal */
export function labeledExamples(
  count: number,
  random: RandomSource,
  labels: readonly string[] = ['NEGATIVE', 'POSITIVE'],
): { input: string; label: string }[] {
  return Array.from({ length: count }, (_, index) => ({
    input: `text ${index}`,
    label: labels[Math.floor(random.next() * labels.length)]!,
  }));
}
