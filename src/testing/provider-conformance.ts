import assert from 'node:assert/strict';
import type { ModelCandidate } from '../core/model-candidate.js';
import { isTask } from '../core/task.js';
import type { ModelProvider } from '../discovery/spec.js';
import type { ConformanceTestRunner } from './conformance-test-runner.js';

/** A provider under test, with what the suite needs to know about its source. */
export interface ProviderConformanceInstance {
  readonly provider: ModelProvider;
  /** An id the source is known to have. */
  readonly knownModelId: string;
  /** At least how many models the source lists (for `limit` tests). @default 2 */
  readonly minimumModels?: number;
  /** Called after the test: stop servers, remove folders. */
  close?(): Promise<void>;
}

/** The provider implementation under test. */
export interface ProviderConformanceSubject {
  /** Shown in every test name, e.g. `'huggingFace (local hub)'`. */
  readonly name: string;
  /** Creates a provider over a source it can reach (a local server, a folder); called once per test. */
  readonly create: () => Promise<ProviderConformanceInstance>;
}

async function collect(iterable: AsyncIterable<ModelCandidate>, cap = 10_000): Promise<ModelCandidate[]> {
  const result: ModelCandidate[] = [];
  for await (const candidate of iterable) {
    result.push(candidate);
    if (result.length >= cap) break;
  }
  return result;
}

function assertCandidate(candidate: ModelCandidate, providerName: string): void {
  assert.equal(typeof candidate.id, 'string', 'id is not a string');
  assert.ok(candidate.id.length > 0, 'id is empty');
  assert.equal(
    candidate.provider,
    providerName,
    `candidate ${candidate.id} names provider ${candidate.provider}`,
  );
  for (const task of candidate.tasks ?? [])
    assert.ok(isTask(task), `${candidate.id}: '${task}' is not a @huggingface/tasks name`);
  for (const field of [
    'sizeBytes',
    'parameters',
    'memoryBytes',
    'contextLength',
    'downloads',
    'likes',
  ] as const) {
    const value = candidate[field];
    if (value !== undefined)
      assert.ok(Number.isFinite(value) && value >= 0, `${candidate.id}: ${field} is ${value}`);
  }
  if (candidate.raw !== undefined)
    assert.doesNotThrow(() => JSON.stringify(candidate.raw), `${candidate.id}: raw is not JSON`);
}

/**
 * The conformance suite every {@link ModelProvider} must pass: spec fields, normalized
 * candidates, `limit`, `getModel` for a known and an unknown id, and aborting a listing.
 * Registers its tests through `runner.test` and asserts with `node:assert`.
 */
export function providerConformance(
  runner: ConformanceTestRunner,
  subject: ProviderConformanceSubject,
): void {
  const test = (name: string, body: (instance: ProviderConformanceInstance) => Promise<void>) =>
    runner.test(`${subject.name} conforms: ${name}`, async () => {
      const instance = await subject.create();
      try {
        await body(instance);
      } finally {
        await instance.close?.();
      }
    });

  test('has the fields of the v1 specification', async ({ provider }) => {
    assert.equal(provider.specificationVersion, 'v1');
    assert.equal(typeof provider.name, 'string');
    assert.ok(provider.name.length > 0, 'name is empty');
    assert.equal(typeof provider.listModels, 'function');
    assert.equal(typeof provider.getModel, 'function');
  });

  test('lists normalized candidates with distinct ids, including the known one', async ({
    provider,
    knownModelId,
    minimumModels = 2,
  }) => {
    const candidates = await collect(provider.listModels({}));
    assert.ok(
      candidates.length >= minimumModels,
      `listed ${candidates.length} models, expected at least ${minimumModels}`,
    );
    for (const candidate of candidates) assertCandidate(candidate, provider.name);
    const ids = candidates.map((candidate) => candidate.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids in a listing');
    assert.ok(ids.includes(knownModelId), `${knownModelId} is not listed`);
  });

  test('respects limit', async ({ provider, minimumModels = 2 }) => {
    const limit = Math.max(1, minimumModels - 1);
    const candidates = await collect(provider.listModels({ limit }));
    assert.ok(candidates.length <= limit, `listed ${candidates.length} models with limit ${limit}`);
    assert.ok(candidates.length >= 1, 'listed nothing with a limit');
  });

  test('gets a known model and answers undefined for an unknown one', async ({ provider, knownModelId }) => {
    const known = await provider.getModel(knownModelId);
    assert.ok(known !== undefined, `getModel(${knownModelId}) returned undefined`);
    assert.equal(known.id, knownModelId);
    assertCandidate(known, provider.name);
    assert.equal(await provider.getModel('modelscout-conformance/no-such-model-4f1c'), undefined);
  });

  test('stops listing when its signal is aborted', async ({ provider }) => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collect(provider.listModels({ signal: controller.signal })), (error: unknown) => {
      return (
        error instanceof Error &&
        (error.name === 'AbortError' || error.name === 'ApiCallError' || /abort/i.test(error.message))
      );
    });
  });
}
