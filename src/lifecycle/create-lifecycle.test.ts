// The lifecycle composed: getOrLoad downloads a zoo model from the local hub (real HTTP) into a
// fresh Hugging Face cache and loads it with transformers.js; withFallback on the scout records
// outcomes and trips breakers; the upkeep jobs run on a manual clock.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { createLocalHub, type LocalHub } from '../discovery/local-hub/create-local-hub.js';
import { hfCache } from '../discovery/providers/hf-cache.js';
import { huggingFace } from '../discovery/providers/hugging-face.js';
import { FallbackExhaustedError } from '../errors/fallback-exhausted-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { functionRunner } from '../evaluation/runners/function-runner.js';
import { transformersJsRunner } from '../evaluation/runners/transformers-js-runner.js';
import { seededRandom } from '../random/index.js';
import { createScout } from '../scout.js';
import { memoryStore } from '../store/memory-store.js';
import { createLifecycle } from './create-lifecycle.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import { readAvailability, saveAvailability } from './upkeep/availability-history.js';

const MODELS_ROOT = path.resolve(import.meta.dirname, '../../examples/models');
const SAMPLE = path.resolve(import.meta.dirname, '../../examples/data/sst2-sample.tsv');
const CLASSIFIER = 'modelscout/sst2-bow-logreg';

let hub: LocalHub;
const temporary: string[] = [];
let rows: { input: string; label: string }[];

beforeAll(async () => {
  hub = await createLocalHub({ root: MODELS_ROOT });
  rows = (await readFile(SAMPLE, 'utf8'))
    .split('\n')
    .slice(1, 21)
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      return { input: line.slice(0, tab), label: line.slice(tab + 1) === '1' ? 'POSITIVE' : 'NEGATIVE' };
    });
});
afterAll(async () => {
  await hub.close();
  await Promise.all(temporary.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function cacheFolder(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'modelscout-lifecycle-'));
  temporary.push(directory);
  return directory;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('createLifecycle', () => {
  test('getOrLoad downloads only the asked dtype into the cache, loads it, and hits the registry after', async () => {
    const cacheDirectory = await cacheFolder();
    const lifecycle = createLifecycle({
      runners: [transformersJsRunner()],
      download: { hubUrl: hub.url, cacheDirectory, offline: false },
      random: seededRandom(1),
    });
    const seen: string[] = [];
    lifecycle.events.on('download_finished', () => seen.push('download_finished'));
    lifecycle.events.on('model_loaded', () => seen.push('model_loaded'));
    try {
      const model = await lifecycle.getOrLoad(CLASSIFIER, { task: 'text-classification', dtype: 'q8' });
      const predictions = await model.predict(rows.map((row) => row.input));
      const correct = predictions.filter((prediction, index) => prediction.output === rows[index]!.label);
      expect(correct.length).toBeGreaterThanOrEqual(15);

      const snapshot = (
        await filesUnder(path.join(cacheDirectory, 'models--modelscout--sst2-bow-logreg', 'snapshots'))
      ).map((file) => file.split(path.sep).slice(1).join('/'));
      expect(snapshot).toContain('onnx/model_quantized.onnx');
      expect(snapshot).not.toContain('onnx/model.onnx');
      expect(snapshot).not.toContain('onnx/model_fp16.onnx');

      // A hit: the same model, no second download.
      const again = await lifecycle.getOrLoad(CLASSIFIER, { task: 'text-classification', dtype: 'q8' });
      expect(again).toBe(model);
      expect(seen).toEqual(['download_finished', 'model_loaded']);
      expect(lifecycle.registry.statistics()).toMatchObject({ hits: 1, loads: 1 });

      // The cache knows it, with its use recorded, and the hfCache provider finds it.
      const report = await lifecycle.cache.scan();
      expect(report.repositories.map((repository) => repository.id)).toEqual([CLASSIFIER]);
      const cached = await hfCache({ cacheDir: cacheDirectory }).getModel(CLASSIFIER);
      expect(cached?.localPath).toBeDefined();
      expect((await lifecycle.cache.statistics()).misses).toBe(1);

      // The downloaded revision is the hub's: no update available.
      const check = await lifecycle.checkForUpdates(CLASSIFIER);
      expect(check.updateAvailable).toBe(false);
    } finally {
      await lifecycle.close();
    }
    expect(lifecycle.registry.list()).toEqual([]);
  });

  test('a cached model loads with the hub unreachable; the download wrote refs/main so updates are seen', async () => {
    const cacheDirectory = await cacheFolder();
    const online = createLifecycle({
      runners: [transformersJsRunner()],
      download: { hubUrl: hub.url, cacheDirectory, offline: false },
    });
    const candidate = (await huggingFace({ hubUrl: hub.url }).getModel(CLASSIFIER))!;
    expect(candidate.revision).toMatch(/^[0-9a-f]{40}$/);
    await online.getOrLoad(candidate, { task: 'text-classification', dtype: 'q8' });
    const main = await readFile(
      path.join(cacheDirectory, 'models--modelscout--sst2-bow-logreg', 'refs', 'main'),
      'utf8',
    );
    expect(main.trim()).toBe(candidate.revision);
    await online.close();

    // Port 9 (discard) refuses connections: the load must not need the hub.
    const offline = createLifecycle({
      runners: [transformersJsRunner()],
      download: { hubUrl: 'http://127.0.0.1:9', cacheDirectory, offline: false, maxAttempts: 1 },
      registry: { provider: hfCache({ cacheDir: cacheDirectory }) },
    });
    try {
      const model = await offline.getOrLoad({ ...candidate }, { task: 'text-classification', dtype: 'q8' });
      const [prediction] = await model.predict([rows[0]!.input]);
      expect(['POSITIVE', 'NEGATIVE']).toContain(prediction!.output);
      expect((await offline.cache.statistics()).hits).toBe(1);
    } finally {
      await offline.close();
    }
  });

  test('the retention job leaves the shared cache alone unless enforceCacheBudget is set', async () => {
    const cacheDirectory = await cacheFolder();
    const make = (enforceCacheBudget: boolean) =>
      createLifecycle({
        download: { hubUrl: hub.url, cacheDirectory, offline: false },
        cache: { budgetBytes: 1_000 },
        upkeep: { enforceCacheBudget },
      });
    const first = make(false);
    await first.download(CLASSIFIER, { dtype: 'q8' });
    await first.scheduler.runNow('retention');
    expect((await first.cache.scan()).repositories).toHaveLength(1);
    const second = make(true);
    await second.scheduler.runNow('retention');
    expect(
      (await second.cache.scan()).repositories.flatMap((repository) => repository.revisions),
    ).toHaveLength(0);
  });

  test('a clock without timers drives the circuit breakers too', async () => {
    let time = 42;
    const lifecycle = createLifecycle({
      clock: { now: () => time },
      circuitBreaker: { consecutiveFailureThreshold: 1, coolDownMs: 100 },
    });
    const selected = { primary: { id: 'a' }, fallbacks: [{ id: 'b' }] };
    await lifecycle.withFallback(selected, async (candidate) => {
      if (candidate.id === 'a') throw new Error('down');
      return candidate.id;
    });
    expect(lifecycle.circuitBreakers.state('a')).toBe('open');
    time += 100;
    expect(lifecycle.circuitBreakers.state('a')).toBe('half-open');
  });

  test('rejects unknown options and a namespace with a colon', () => {
    expect(() => createLifecycle({ unknown: 1 } as never)).toThrow(InvalidArgumentError);
    expect(() => createLifecycle({ namespace: 'a:b' })).toThrow(InvalidArgumentError);
    expect(() => createLifecycle({ upkeep: { strat: true } } as never)).toThrow(InvalidArgumentError);
    expect(() => createLifecycle({ clock: null } as never)).toThrow(InvalidArgumentError);
  });
});

describe('scout.lifecycle', () => {
  test('withFallback serves from a fallback, records every outcome in the scout, and trips the breaker', async () => {
    const clock = manualClock(1_000_000);
    const broken = new Set(['flaky']);
    const runner = functionRunner({
      predict: async (inputs: readonly string[]) => inputs.map((input) => input.toUpperCase()),
    });
    const scout = createScout({
      seed: 3,
      clock,
      models: ['flaky', 'steady'],
      runners: [runner],
      lifecycle: { circuitBreaker: { consecutiveFailureThreshold: 3, coolDownMs: 5_000 } },
    });
    const opened: LifecycleEvents['circuit_opened'][0][] = [];
    scout.lifecycle.events.on('circuit_opened', (event) => opened.push(event));
    const selected = { primary: { id: 'flaky' }, fallbacks: [{ id: 'steady' }] };
    const served: string[] = [];
    for (let request = 0; request < 4; request++) {
      const result = await scout.lifecycle.runWithFallback(selected, async (candidate) => {
        if (broken.has(candidate.id)) throw new Error(`${candidate.id} is down`);
        return `${candidate.id}:ok`;
      });
      served.push(result.result);
    }
    expect(served).toEqual(['steady:ok', 'steady:ok', 'steady:ok', 'steady:ok']);
    // Three failures opened flaky's circuit: the fourth request went straight to steady.
    expect(opened.map((event) => event.modelId)).toEqual(['flaky']);
    expect(scout.lifecycle.circuitBreakers.state('flaky')).toBe('open');
    const { estimates } = await scout.selectOptimal({ candidates: ['flaky', 'steady'] });
    const flaky = estimates.find((estimate) => estimate.id === 'flaky')!;
    const steady = estimates.find((estimate) => estimate.id === 'steady')!;
    expect(flaky.pulls).toBe(3);
    expect(flaky.quality.mean).toBeLessThan(0.5);
    expect(steady.pulls).toBe(4);

    // After the cool-down the circuit lets a probe through; when it succeeds, it closes.
    broken.clear();
    clock.advance(5_000);
    const recovered = await scout.lifecycle.runWithFallback(
      selected,
      async (candidate) => `${candidate.id}:ok`,
    );
    expect(recovered.result).toBe('flaky:ok');
    expect(scout.lifecycle.circuitBreakers.state('flaky')).toBe('closed');

    broken.add('flaky').add('steady');
    await expect(
      scout.lifecycle.withFallback(selected, async (candidate) => {
        if (broken.has(candidate.id)) throw new Error(`${candidate.id} is down`);
        return 'never';
      }),
    ).rejects.toBeInstanceOf(FallbackExhaustedError);
    await scout.lifecycle.close();
  });

  test('upkeep on a manual clock: availability history on start-up, retention of old records', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 23));
    const cacheDirectory = await cacheFolder();
    const store = memoryStore();
    const scout = createScout({
      seed: 5,
      clock,
      store,
      runners: [transformersJsRunner()],
      lifecycle: {
        download: { hubUrl: hub.url, cacheDirectory, offline: false },
        upkeep: { historyRetentionMs: 7 * 24 * 3_600_000 },
      },
    });
    const lifecycle = scout.lifecycle;
    await lifecycle.download(CLASSIFIER, { dtype: 'q8' });
    // An old record, from before the retention window.
    await saveAvailability(store, 'default', {
      modelId: CLASSIFIER,
      checkedAt: clock.now() - 30 * 24 * 3_600_000,
      available: true,
      latencyMs: 1,
    });
    const finished: string[] = [];
    lifecycle.events.on('job_finished', (event) => finished.push(event.name));
    const checked = new Promise<void>((resolve) =>
      lifecycle.events.once('availability_checked', () => resolve()),
    );
    const pruned = new Promise<LifecycleEvents['history_pruned'][0]>((resolve) =>
      lifecycle.events.once('history_pruned', resolve),
    );
    lifecycle.scheduler.start();
    await checked;
    expect((await pruned).availability).toBe(1);
    await lifecycle.scheduler.runNow('availability');
    const history = await readAvailability(store, 'default', CLASSIFIER);
    expect(history.length).toBe(2);
    expect(history.every((record) => record.available && record.updateAvailable === false)).toBe(true);
    expect(lifecycle.scheduler.jobs().map((job) => job.name)).toEqual(['availability', 'retention']);
    await lifecycle.close();
    expect(lifecycle.scheduler.started).toBe(false);
    expect(finished).toContain('retention');
  });
});
