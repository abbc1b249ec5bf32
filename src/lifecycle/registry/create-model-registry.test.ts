// The registry's policies (single flight, limits, leases, aborts, failures) on a scripted runner
// whose loads the tests finish by hand: no timers, no sleeps.
import { describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import type { ModelProvider } from '../../discovery/spec.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { ModelscoutError } from '../../errors/modelscout-error.js';
import { ModelRegistryError } from '../../errors/registry-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import { functionRunner } from '../../evaluation/runners/function-runner.js';
import type { InferenceRunner, LoadedModel } from '../../evaluation/spec.js';
import { createModelRegistry } from './create-model-registry.js';
import type { ModelRegistry } from './model-registry.js';
import type { ModelRegistryEvents } from './registry-events.js';
import { MODEL_REGISTRY_DEFAULTS } from './registry-options.js';

const TASK: Task = 'text-classification';

/**
 * A candidate with fp32, fp16 and q8 ONNX files of `fp32Bytes`, half and a quarter of it: its
 * estimates (× 1.5) are 1.5×, 0.75× and 0.375× `fp32Bytes`.
 */
function candidate(id: string, fp32Bytes = 400): ModelCandidate {
  return {
    id,
    dtypes: ['fp32', 'fp16', 'q8'],
    files: [
      { path: 'config.json', sizeBytes: 10 },
      { path: 'onnx/model.onnx', sizeBytes: fp32Bytes },
      { path: 'onnx/model_fp16.onnx', sizeBytes: fp32Bytes / 2 },
      { path: 'onnx/model_quantized.onnx', sizeBytes: fp32Bytes / 4 },
    ],
  };
}

interface ScriptedLoad {
  readonly id: string;
  readonly task: Task;
  readonly dtype: string | undefined;
  readonly signal: AbortSignal | undefined;
  /** Finishes the load with a model (reporting `memoryBytes` when given). */
  finish(memoryBytes?: number): void;
  fail(error: unknown): void;
}

/**
 * A runner whose loads wait for the test to finish them (`manual`), or finish at once with the
 * memory `measure` reports. Records loads and disposals.
 */
function scriptedRunner({
  manual = false,
  measure,
}: {
  manual?: boolean;
  measure?: (id: string, dtype: string | undefined) => number | undefined;
} = {}) {
  const loads: ScriptedLoad[] = [];
  const disposed: string[] = [];
  const loadWaiters: Array<() => void> = [];
  const runner: InferenceRunner = {
    specificationVersion: 'v1',
    name: 'scripted',
    supports: (each) => !each.id.startsWith('unsupported/'),
    load(model, task, { dtype, signal } = {}) {
      return new Promise<LoadedModel>((resolve, reject) => {
        let dispose = 0;
        const finish = (memoryBytes?: number) =>
          resolve({
            modelId: model.id,
            task,
            ...(dtype === undefined ? {} : { dtype }),
            ...(memoryBytes === undefined ? {} : { memoryBytes }),
            predict: async (inputs) => {
              if (dispose > 0) {
                throw new RunnerError({
                  runner: 'scripted',
                  modelId: model.id,
                  reason: 'disposed',
                  message: '',
                });
              }
              return inputs.map(() => ({ output: `${model.id}@${dtype}` }));
            },
            dispose: async () => {
              if (dispose++ === 0) disposed.push(`${model.id}@${dtype}`);
            },
          });
        loads.push({ id: model.id, task, dtype, signal, finish, fail: reject });
        for (const wake of loadWaiters.splice(0)) wake();
        if (!manual) finish(measure?.(model.id, dtype));
      });
    },
  };
  /** Resolves once `count` loads have started. */
  const started = async (count: number): Promise<ScriptedLoad[]> => {
    while (loads.length < count) await new Promise<void>((wake) => loadWaiters.push(wake));
    return loads;
  };
  return { runner, loads, disposed, started };
}

/** Records the registry's events by name. */
function recordEvents(registry: ModelRegistry) {
  const seen: Array<{ name: keyof ModelRegistryEvents; modelId: string; reason?: string; dtype?: string }> =
    [];
  registry.events.on('model_loaded', (event) => seen.push({ name: 'model_loaded', ...pick(event) }));
  registry.events.on('model_unloaded', (event) =>
    seen.push({ name: 'model_unloaded', ...pick(event), reason: event.reason }),
  );
  registry.events.on('model_load_failed', (event) =>
    seen.push({ name: 'model_load_failed', ...pick(event) }),
  );
  return seen;
}

function pick(event: { modelId: string; dtype: string | undefined }) {
  return { modelId: event.modelId, ...(event.dtype === undefined ? {} : { dtype: event.dtype }) };
}

/** Resolves at the next `model_unloaded` event. */
function nextUnload(registry: ModelRegistry) {
  return new Promise<ModelRegistryEvents['model_unloaded'][0]>((resolve) =>
    registry.events.once('model_unloaded', resolve),
  );
}

describe('ModelRegistryError', () => {
  test('is a ModelscoutError, recognized across package copies by its marker, with a redacted message', () => {
    const error = new ModelRegistryError({
      modelId: 'org/model',
      reason: 'load-failed',
      message: 'GET https://hub?token=hf_abcdefghijkl failed',
    });
    expect(ModelscoutError.isInstance(error)).toBe(true);
    expect(ModelRegistryError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name: 'ModelRegistryError', modelId: 'org/model', reason: 'load-failed' });
    expect(error.message).not.toContain('hf_abcdefghijkl');
    expect(ModelRegistryError.isInstance({ [Symbol.for('modelscout.error.ModelRegistryError')]: true })).toBe(
      true,
    );
    expect(
      ModelRegistryError.isInstance(
        new RunnerError({ runner: 'r', modelId: 'm', reason: 'failed', message: '' }),
      ),
    ).toBe(false);
  });
});

describe('options', () => {
  test('defaults are one frozen constant: no limits, fp32 → fp16 → q8 → q4', () => {
    expect(Object.isFrozen(MODEL_REGISTRY_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(MODEL_REGISTRY_DEFAULTS.dtypePreference)).toBe(true);
    expect(MODEL_REGISTRY_DEFAULTS).toEqual({
      maxModels: Number.POSITIVE_INFINITY,
      maxMemoryBytes: Number.POSITIVE_INFINITY,
      dtypePreference: ['fp32', 'fp16', 'q8', 'q4'],
    });
    const registry = createModelRegistry({ runners: [] });
    expect(registry.statistics()).toMatchObject({ maxModels: Infinity, maxMemoryBytes: Infinity });
  });

  test.each([
    ['neither runners nor load', {}],
    ['both runners and load', { runners: [], load: async () => ({}) as LoadedModel }],
    ['a runner that is not one', { runners: [{}] }],
    ['maxModels 0', { runners: [], maxModels: 0 }],
    ['maxModels 1.5', { runners: [], maxModels: 1.5 }],
    ['maxMemoryBytes 0', { runners: [], maxMemoryBytes: 0 }],
    ['maxMemoryBytes NaN', { runners: [], maxMemoryBytes: Number.NaN }],
    ['an empty dtypePreference', { runners: [], dtypePreference: [] }],
    ['a repeated dtype', { runners: [], dtypePreference: ['q8', 'q8'] }],
    ['a clock without now', { runners: [], clock: {} }],
    ['a provider without getModel', { runners: [], provider: {} }],
    ['an unknown option', { runners: [], maxModel: 3 }],
  ])('rejects %s', (_, options) => {
    expect(() => createModelRegistry(options as never)).toThrow(InvalidArgumentError);
  });

  test('rejects invalid requests with an InvalidArgumentError', async () => {
    const registry = createModelRegistry({ runners: [scriptedRunner().runner] });
    await expect(registry.getOrLoad('a', {} as never)).rejects.toThrow(InvalidArgumentError);
    await expect(registry.getOrLoad('a', { task: 'not-a-task' as Task })).rejects.toThrow(/request\.task/);
    await expect(registry.getOrLoad('a', { task: TASK, dtype: '' })).rejects.toThrow(/request\.dtype/);
    await expect(registry.getOrLoad('', { task: TASK })).rejects.toThrow(/'model'/);
    await expect(registry.use('a', { task: TASK }, 'run' as never)).rejects.toThrow(/'run'/);
    await expect(registry.trim({ maxModels: -1 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('hits and single flight', () => {
  test('a loaded model is handed out again without loading: the same already-resolved promise', async () => {
    const { runner, loads } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    const model = await registry.getOrLoad(candidate('a'), { task: TASK });
    expect(model.dtype).toBe('fp32');
    const hit = registry.getOrLoad('a', { task: TASK });
    expect(hit).toBe(registry.getOrLoad(candidate('a'), { task: TASK, dtype: 'fp32' }));
    expect(await hit).toBe(model);
    expect(loads).toHaveLength(1);
    expect(registry.statistics()).toMatchObject({ hits: 2, misses: 1, loads: 1, models: 1 });
    expect(registry.peek('a')).toBe(model);
    expect(registry.peek('a', { dtype: 'q8' })).toBeUndefined();
    expect(registry.peek('a', { task: 'translation' })).toBeUndefined();
  });

  test('concurrent requests load once; a request without a dtype joins the load of the chosen one', async () => {
    const { runner, started } = scriptedRunner({ manual: true });
    const registry = createModelRegistry({ runners: [runner] });
    const requests = [
      registry.getOrLoad(candidate('a'), { task: TASK }),
      registry.getOrLoad(candidate('a'), { task: TASK }),
      registry.getOrLoad(candidate('a'), { task: TASK, dtype: 'fp32' }),
      registry.acquire(candidate('a'), { task: TASK }),
    ];
    const [load] = await started(1);
    expect(registry.statistics()).toMatchObject({ loading: 1, misses: 4 });
    load!.finish(500);
    const [first, second, third, lease] = await Promise.all(requests);
    const models = [first, second, third, (lease as { model: LoadedModel }).model];
    expect(new Set(models).size).toBe(1);
    expect(registry.statistics()).toMatchObject({ loads: 1, loading: 0, modelsInUse: 1 });
  });

  test('another task or another dtype is another model', async () => {
    const { runner, loads } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    const fp32 = await registry.getOrLoad(candidate('a'), { task: TASK });
    const q8 = await registry.getOrLoad(candidate('a'), { task: TASK, dtype: 'q8' });
    const other = await registry.getOrLoad(candidate('a'), { task: 'feature-extraction' });
    expect(new Set([fp32, q8, other]).size).toBe(3);
    expect(loads.map((load) => [load.task, load.dtype])).toEqual([
      [TASK, 'fp32'],
      [TASK, 'q8'],
      ['feature-extraction', 'fp32'],
    ]);
    // Without a dtype, the most preferred loaded one is handed out.
    expect(await registry.getOrLoad('a', { task: TASK })).toBe(fp32);
  });

  test('a caller that aborts stops waiting; the others get the model, loaded once', async () => {
    const { runner, started } = scriptedRunner({ manual: true });
    const registry = createModelRegistry({ runners: [runner] });
    const controller = new AbortController();
    const leaving = registry.getOrLoad(candidate('a'), { task: TASK, signal: controller.signal });
    const staying = registry.getOrLoad(candidate('a'), { task: TASK });
    const [load] = await started(1);
    controller.abort(new Error('caller gave up'));
    await expect(leaving).rejects.toThrow('caller gave up');
    expect(load!.signal?.aborted).toBe(false);
    load!.finish();
    expect((await staying).modelId).toBe('a');
    expect(registry.statistics().models).toBe(1);
  });

  test('when the last caller aborts, the load is abandoned: its signal aborts and its model is disposed', async () => {
    const { runner, started, disposed } = scriptedRunner({ manual: true });
    const registry = createModelRegistry({ runners: [runner], maxModels: 1 });
    const events = recordEvents(registry);
    const first = new AbortController();
    const second = new AbortController();
    const requests = [
      registry.getOrLoad(candidate('a'), { task: TASK, signal: first.signal }),
      registry.getOrLoad(candidate('a'), { task: TASK, signal: second.signal }),
    ];
    const [load] = await started(1);
    first.abort(new Error('one'));
    second.abort(new Error('two'));
    await expect(requests[0]).rejects.toThrow('one');
    await expect(requests[1]).rejects.toThrow('two');
    expect(load!.signal?.aborted).toBe(true);
    expect(registry.statistics()).toMatchObject({ loading: 0, reservedMemoryBytes: 600 });
    // A new request does not join the abandoned load; the slot is free for it.
    const again = registry.getOrLoad(candidate('a'), { task: TASK });
    const loads = await started(2);
    // The abandoned load ignored its signal and finished: the model is disposed, never handed out.
    load!.finish();
    loads[1]!.finish();
    await again;
    await registry.close();
    expect(disposed).toEqual(['a@fp32', 'a@fp32']);
    expect(events.filter((event) => event.name === 'model_loaded')).toHaveLength(1);
    expect(registry.statistics()).toMatchObject({ loads: 1, loadFailures: 0 });
  });

  test('an already aborted signal rejects with its reason, even for a loaded model', async () => {
    const { runner } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    await registry.getOrLoad(candidate('a'), { task: TASK });
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(registry.getOrLoad('a', { task: TASK, signal })).rejects.toThrow('too late');
    await expect(registry.getOrLoad(candidate('b'), { task: TASK, signal })).rejects.toThrow('too late');
  });
});

describe('limits', () => {
  test('maxModels: the least recently used idle model is unloaded first (reason count)', async () => {
    const { runner, disposed } = scriptedRunner();
    const clock = manualClock(1000);
    const registry = createModelRegistry({ runners: [runner], maxModels: 2, clock });
    const events = recordEvents(registry);
    await registry.getOrLoad(candidate('a'), { task: TASK });
    clock.advance(10);
    const b = await registry.getOrLoad(candidate('b'), { task: TASK });
    clock.advance(10);
    await registry.getOrLoad('a', { task: TASK }); // a is now more recent than b
    clock.advance(10);
    await registry.getOrLoad(candidate('c'), { task: TASK });
    expect(disposed).toEqual(['b@fp32']);
    expect(registry.peek('b')).toBeUndefined();
    await expect(b.predict(['x'])).rejects.toThrow(RunnerError);
    expect(events.filter((event) => event.name === 'model_unloaded')).toEqual([
      { name: 'model_unloaded', modelId: 'b', dtype: 'fp32', reason: 'count' },
    ]);
    expect(registry.list().map((model) => [model.id, model.lastUsed])).toEqual([
      ['c', 1030],
      ['a', 1020],
    ]);
    expect(registry.statistics()).toMatchObject({ evictions: 1, models: 2, hits: 1, misses: 3 });
  });

  test('maxMemoryBytes: idle models are unloaded to make room for the estimate (reason memory)', async () => {
    const { runner, disposed } = scriptedRunner();
    // fp32 estimates: a 600, b 600 (400-byte files × 1.5).
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 1000 });
    const events = recordEvents(registry);
    await registry.getOrLoad(candidate('a'), { task: TASK });
    expect(registry.statistics().memoryBytes).toBe(600);
    const b = await registry.getOrLoad(candidate('b'), { task: TASK });
    expect(b.dtype).toBe('fp32');
    expect(disposed).toEqual(['a@fp32']);
    expect(events.find((event) => event.name === 'model_unloaded')).toMatchObject({ reason: 'memory' });
    expect(registry.statistics()).toMatchObject({ memoryBytes: 600, evictions: 1, models: 1 });
  });

  test('a model in use is never unloaded: the next load picks a smaller dtype that fits beside it', async () => {
    const { runner, disposed } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 1000 });
    const lease = await registry.acquire(candidate('a'), { task: TASK }); // 600, pinned
    const b = await registry.getOrLoad(candidate('b'), { task: TASK }); // fp32 600 does not fit; fp16 300 does
    expect(b.dtype).toBe('fp16');
    expect(disposed).toEqual([]);
    expect(registry.list().map((model) => [model.id, model.dtype, model.inUse, model.leases])).toEqual([
      ['b', 'fp16', false, 0],
      ['a', 'fp32', true, 1],
    ]);
    // fp32 of c (600) would fit only without a, which is in use: no room (b, idle, would not be enough).
    const noRoom = registry.getOrLoad(candidate('c'), { task: TASK, dtype: 'fp32' });
    await expect(noRoom).rejects.toThrow(ModelRegistryError);
    await expect(noRoom).rejects.toMatchObject({ reason: 'no-room', modelId: 'c' });
    expect(disposed).toEqual([]);
    lease.release();
    lease.release(); // a second release does nothing
    const c = await registry.getOrLoad(candidate('c'), { task: TASK, dtype: 'fp32' });
    expect(c.dtype).toBe('fp32');
    // Releasing counts as a use: b (idle since it was loaded) went first, then a, to fit 600.
    expect(disposed).toEqual(['b@fp16', 'a@fp32']);
  });

  test('too large: no dtype fits the budget even alone; the dtype asked for must fit too', async () => {
    const { runner, loads } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 100 });
    await expect(registry.getOrLoad(candidate('a'), { task: TASK })).rejects.toMatchObject({
      name: 'ModelRegistryError',
      reason: 'too-large',
    });
    await expect(registry.getOrLoad(candidate('a'), { task: TASK })).rejects.toThrow(
      /fp32 ~600 B.*q8 ~150 B/,
    );
    const small = createModelRegistry({ runners: [runner], maxMemoryBytes: 200 });
    expect((await small.getOrLoad(candidate('a'), { task: TASK })).dtype).toBe('q8');
    await expect(small.getOrLoad(candidate('b'), { task: TASK, dtype: 'fp16' })).rejects.toMatchObject({
      reason: 'too-large',
    });
    expect(loads.map((load) => load.dtype)).toEqual(['q8']);
  });

  test('maxModels with every slot in use: no room until a lease is released', async () => {
    const { runner } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner], maxModels: 1 });
    const seen = await registry.use(candidate('a'), { task: TASK }, async (model) => {
      await expect(registry.getOrLoad(candidate('b'), { task: TASK })).rejects.toMatchObject({
        reason: 'no-room',
      });
      return model.predict(['x']);
    });
    expect(seen).toEqual([{ output: 'a@fp32' }]);
    expect(registry.list()[0]!.inUse).toBe(false);
    expect((await registry.getOrLoad(candidate('b'), { task: TASK })).modelId).toBe('b');
  });

  test('use() releases the model when its function throws', async () => {
    const { runner } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner], maxModels: 1 });
    await expect(
      registry.use(candidate('a'), { task: TASK }, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(registry.statistics().modelsInUse).toBe(0);
    await registry.getOrLoad(candidate('b'), { task: TASK });
    expect(registry.list().map((model) => model.id)).toEqual(['b']);
  });

  test('loads in flight hold their estimate and their slot', async () => {
    const { runner, started } = scriptedRunner({ manual: true });
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 1000 });
    const a = registry.getOrLoad(candidate('a'), { task: TASK });
    await started(1);
    expect(registry.statistics()).toMatchObject({ reservedMemoryBytes: 600, loading: 1 });
    const b = registry.getOrLoad(candidate('b'), { task: TASK });
    const loads = await started(2);
    expect(loads[1]!.dtype).toBe('fp16');
    loads[0]!.finish();
    loads[1]!.finish();
    expect((await a).dtype).toBe('fp32');
    expect((await b).dtype).toBe('fp16');
    expect(registry.statistics()).toMatchObject({ memoryBytes: 900, reservedMemoryBytes: 0 });
  });
});

describe('measured memory', () => {
  test('the accounting uses the measured memory once loaded, and unloads idle models when it is over', async () => {
    const { runner, disposed } = scriptedRunner({ measure: (id) => (id === 'a' ? 300 : 900) });
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 1000 });
    await registry.getOrLoad(candidate('a'), { task: TASK }); // estimated 600, measured 300
    expect(registry.list()[0]).toMatchObject({ memoryBytes: 300, estimatedMemoryBytes: 600, measured: true });
    const unloaded = nextUnload(registry);
    // 300 + 600 (the estimate of b) fits: nothing unloaded before; b measures 900: a must go.
    const b = await registry.getOrLoad(candidate('b'), { task: TASK });
    expect(b.dtype).toBe('fp32');
    expect(await unloaded).toMatchObject({ modelId: 'a', reason: 'memory', memoryBytes: 300 });
    expect(disposed).toEqual(['a@fp32']);
    expect(registry.statistics()).toMatchObject({ memoryBytes: 900, models: 1 });
  });

  test('a model that reports no memory is accounted at its estimate; without one, at 0', async () => {
    const { runner } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    await registry.getOrLoad(candidate('a'), { task: TASK, dtype: 'q8' });
    await registry.getOrLoad({ id: 'bare' }, { task: TASK });
    await registry.getOrLoad({ id: 'sized', memoryBytes: 42 }, { task: TASK });
    expect(
      registry.list().map((model) => [model.id, model.dtype, model.memoryBytes, model.measured]),
    ).toEqual([
      ['sized', undefined, 42, false],
      ['bare', undefined, 0, false],
      ['a', 'q8', 150, false],
    ]);
  });

  test('a model measured over the budget alone stays loaded while in use, and goes when released', async () => {
    const { runner, disposed } = scriptedRunner({ measure: () => 5000 });
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 1000 });
    const lease = await registry.acquire(candidate('a'), { task: TASK });
    expect(registry.statistics().memoryBytes).toBe(5000);
    const unloaded = nextUnload(registry);
    lease.release();
    expect(await unloaded).toMatchObject({ modelId: 'a', reason: 'memory' });
    expect(disposed).toEqual(['a@fp32']);
  });
});

describe('dtype choice', () => {
  test('the preference decides; dtypes outside it come after, in the candidate order', async () => {
    const { runner } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner], dtypePreference: ['q8', 'fp32'] });
    expect((await registry.getOrLoad(candidate('a'), { task: TASK })).dtype).toBe('q8');
    const exotic = await registry.getOrLoad(
      { id: 'b', dtypes: ['q4f16', 'bnb4'], files: [{ path: 'onnx/model_q4f16.onnx', sizeBytes: 10 }] },
      { task: TASK },
    );
    expect(exotic.dtype).toBe('q4f16');
  });

  test('a dtype whose size is unknown is taken as fitting', async () => {
    const { runner } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner], maxMemoryBytes: 10 });
    const model = await registry.getOrLoad({ id: 'a', dtypes: ['fp32', 'q8'] }, { task: TASK });
    expect(model.dtype).toBe('fp32');
  });
});

describe('unloading', () => {
  test('unload() disposes idle models of the id; an unknown id resolves to false', async () => {
    const { runner, disposed } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    const events = recordEvents(registry);
    await registry.getOrLoad(candidate('a'), { task: TASK });
    await registry.getOrLoad(candidate('a'), { task: TASK, dtype: 'q8' });
    expect(await registry.unload('a', { dtype: 'q8' })).toBe(true);
    expect(disposed).toEqual(['a@q8']);
    expect(await registry.unload('a')).toBe(true);
    expect(await registry.unload('a')).toBe(false);
    expect(disposed).toEqual(['a@q8', 'a@fp32']);
    expect(events.filter((event) => event.name === 'model_unloaded').map((event) => event.reason)).toEqual([
      'explicit',
      'explicit',
    ]);
    expect(registry.statistics()).toMatchObject({
      explicitUnloads: 2,
      evictions: 0,
      models: 0,
      memoryBytes: 0,
    });
  });

  test('unload() of a model in use: no longer handed out, disposed when the last lease is released', async () => {
    const { runner, disposed, loads } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    const first = await registry.acquire(candidate('a'), { task: TASK });
    const second = await registry.acquire('a', { task: TASK });
    expect(await registry.unload('a')).toBe(true);
    expect(registry.peek('a')).toBeUndefined();
    expect(registry.list()).toMatchObject([{ id: 'a', inUse: true, leases: 2, unloadPending: true }]);
    expect(await first.model.predict(['x'])).toEqual([{ output: 'a@fp32' }]);
    first.release();
    expect(disposed).toEqual([]);
    const unloaded = nextUnload(registry);
    second.release();
    expect(await unloaded).toMatchObject({ modelId: 'a', reason: 'explicit' });
    expect(disposed).toEqual(['a@fp32']);
    expect(registry.statistics()).toMatchObject({ models: 0, memoryBytes: 0 });
    await registry.getOrLoad(candidate('a'), { task: TASK });
    expect(loads).toHaveLength(2);
  });

  test('trim() unloads idle models, least recently used first (reason lru), never those in use', async () => {
    const { runner, disposed } = scriptedRunner();
    const registry = createModelRegistry({ runners: [runner] });
    const events = recordEvents(registry);
    await registry.getOrLoad(candidate('a'), { task: TASK });
    await registry.getOrLoad(candidate('b'), { task: TASK });
    const lease = await registry.acquire(candidate('c'), { task: TASK });
    await registry.getOrLoad(candidate('d'), { task: TASK });
    expect(await registry.trim({ maxModels: 3 })).toBe(1);
    expect(disposed).toEqual(['a@fp32']);
    expect(await registry.trim({ maxMemoryBytes: 1800 })).toBe(0); // b, c, d: 600 each
    expect(await registry.trim({ maxMemoryBytes: 1200 })).toBe(1);
    expect(disposed).toEqual(['a@fp32', 'b@fp32']);
    expect(await registry.trim()).toBe(1);
    expect(disposed).toEqual(['a@fp32', 'b@fp32', 'd@fp32']);
    expect(registry.list().map((model) => model.id)).toEqual(['c']);
    expect(
      new Set(events.filter((event) => event.name === 'model_unloaded').map((event) => event.reason)),
    ).toEqual(new Set(['lru']));
    lease.release();
  });

  test('close() disposes every model, in use or not, fails the waiting callers and later requests', async () => {
    const { runner, disposed, started } = scriptedRunner({ manual: true });
    const registry = createModelRegistry({ runners: [runner] });
    const a = registry.acquire(candidate('a'), { task: TASK });
    (await started(1))[0]!.finish();
    await a;
    const b = registry.getOrLoad(candidate('b'), { task: TASK });
    const [, loadOfB] = await started(2);
    const closing = registry.close();
    expect(registry.close()).toBe(closing);
    await expect(b).rejects.toMatchObject({ reason: 'closed', modelId: 'b' });
    expect(loadOfB!.signal?.aborted).toBe(true);
    loadOfB!.finish(); // finished anyway: disposed
    await closing;
    expect(disposed.sort()).toEqual(['a@fp32', 'b@fp32']);
    await expect(registry.getOrLoad('a', { task: TASK })).rejects.toMatchObject({ reason: 'closed' });
    expect(registry.statistics()).toMatchObject({ models: 0, loading: 0, memoryBytes: 0 });
  });
});

describe('failures and lookups', () => {
  test('a failed load rejects every caller with load-failed, is reported, and is not cached', async () => {
    const { runner, started } = scriptedRunner({ manual: true });
    const registry = createModelRegistry({ runners: [runner] });
    const events = recordEvents(registry);
    const requests = [
      registry.getOrLoad(candidate('a'), { task: TASK }),
      registry.getOrLoad(candidate('a'), { task: TASK }),
    ];
    const cause = new Error('missing onnx/model.onnx');
    (await started(1))[0]!.fail(cause);
    for (const request of requests) {
      const error = await request.catch((failure: unknown) => failure);
      expect(ModelRegistryError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'load-failed', modelId: 'a', cause });
      expect((error as Error).message).toContain('missing onnx/model.onnx');
    }
    expect(events).toEqual([{ name: 'model_load_failed', modelId: 'a', dtype: 'fp32' }]);
    const retry = registry.getOrLoad(candidate('a'), { task: TASK });
    (await started(2))[1]!.finish();
    expect((await retry).modelId).toBe('a');
    expect(registry.statistics()).toMatchObject({ loads: 1, loadFailures: 1, reservedMemoryBytes: 0 });
  });

  test('no runner supports the model: no-runner; a load function replaces runners', async () => {
    const registry = createModelRegistry({ runners: [scriptedRunner().runner] });
    await expect(registry.getOrLoad({ id: 'unsupported/x' }, { task: TASK })).rejects.toMatchObject({
      reason: 'no-runner',
      message: expect.stringContaining('scripted'),
    });
    const calls: unknown[] = [];
    const inner = functionRunner({ predict: (inputs) => inputs.map(() => 'label') });
    const custom = createModelRegistry({
      load: (model, task, options) => {
        calls.push([model.id, task, options.dtype, options.signal instanceof AbortSignal]);
        return inner.load(model, task, options);
      },
    });
    const model = await custom.getOrLoad(candidate('a'), { task: TASK, dtype: 'q8' });
    expect(await model.predict(['x'])).toEqual([{ output: 'label' }]);
    expect(calls).toEqual([['a', TASK, 'q8', true]]);
  });

  test('model_loaded reports the load time on the registry clock; a failed disposal is reported, not thrown', async () => {
    const clock = manualClock(0);
    const registry = createModelRegistry({
      clock,
      load: async (model, task, { dtype }) => {
        clock.advance(250);
        return {
          modelId: model.id,
          task,
          ...(dtype === undefined ? {} : { dtype }),
          memoryBytes: 700,
          predict: async () => [],
          dispose: async () => {
            throw new Error('session already gone');
          },
        };
      },
    });
    const loaded: unknown[] = [];
    registry.events.on('model_loaded', (event) => loaded.push(event));
    await registry.getOrLoad(candidate('a'), { task: TASK });
    expect(loaded).toEqual([
      { modelId: 'a', task: TASK, dtype: 'fp32', memoryBytes: 700, estimatedMemoryBytes: 600, loadMs: 250 },
    ]);
    const unloaded = nextUnload(registry);
    expect(await registry.unload('a')).toBe(true);
    const event = await unloaded;
    expect(event).toMatchObject({ modelId: 'a', reason: 'explicit', memoryBytes: 700 });
    expect((event.error as Error).message).toBe('session already gone');
    expect(registry.statistics()).toMatchObject({ models: 0, memoryBytes: 0 });
  });

  test('what event listeners throw is ignored: no unhandled rejection, loads, unloads and accounting go through', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    // Node reports unhandled rejections once the microtask queue has drained, before the next
    // event-loop turn: waiting for that turn is enough to see any.
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    process.on('unhandledRejection', onUnhandled);
    try {
      const { runner, started } = scriptedRunner({ manual: true });
      const registry = createModelRegistry({ runners: [runner] });
      for (const name of ['model_loaded', 'model_load_failed', 'model_unloaded'] as const) {
        registry.events.on(name, () => {
          throw new Error(`${name} listener broke`);
        });
      }
      const failing = registry.getOrLoad(candidate('a'), { task: TASK });
      (await started(1))[0]!.fail(new Error('corrupt file'));
      await expect(failing).rejects.toMatchObject({ reason: 'load-failed' });
      const loading = registry.getOrLoad(candidate('a'), { task: TASK });
      (await started(2))[1]!.finish(500);
      const model = await loading;
      expect(registry.peek('a')).toBe(model);
      expect(await registry.getOrLoad(candidate('a'), { task: TASK })).toBe(model);
      expect(registry.statistics()).toMatchObject({
        hits: 1,
        loads: 1,
        loadFailures: 1,
        models: 1,
        loading: 0,
        memoryBytes: 500,
        reservedMemoryBytes: 0,
      });
      await nextTurn();
      expect(unhandled).toEqual([]);
      expect(await registry.unload('a')).toBe(true);
      expect(registry.statistics()).toMatchObject({ models: 0, memoryBytes: 0, explicitUnloads: 1 });
      await registry.close();
      await nextTurn();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('a load that resolves to something other than a model fails', async () => {
    const registry = createModelRegistry({ load: async () => undefined as unknown as LoadedModel });
    await expect(registry.getOrLoad('a', { task: TASK })).rejects.toMatchObject({ reason: 'load-failed' });
  });

  test('ids are looked up with the provider (its sizes drive the dtype); unknown ids are bare candidates', async () => {
    const { runner, loads } = scriptedRunner();
    const asked: string[] = [];
    const provider: ModelProvider = {
      specificationVersion: 'v1',
      name: 'fixed',
      listModels: async function* () {},
      getModel: async (id) => {
        asked.push(id);
        return id === 'known' ? candidate('known') : undefined;
      },
    };
    const registry = createModelRegistry({ runners: [runner], provider, maxMemoryBytes: 400 });
    expect((await registry.getOrLoad('known', { task: TASK })).dtype).toBe('fp16');
    await registry.getOrLoad('known', { task: TASK });
    expect(asked).toEqual(['known']);
    await registry.getOrLoad('unknown', { task: TASK });
    expect(loads.map((load) => [load.id, load.dtype])).toEqual([
      ['known', 'fp16'],
      ['unknown', undefined],
    ]);
  });
});
