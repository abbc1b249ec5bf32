import path from 'node:path';
import {
  createModelRegistry,
  localDirectory,
  type ModelCandidate,
  type ModelRegistryRequest,
  onnxVariants,
  transformersJsRunner,
} from 'modelscout';
import { information, medianMicroseconds, verdict } from './measure.js';

/** The repository root: this file runs from `build/bench/bench/`. */
const REPOSITORY = path.resolve(import.meta.dirname, '../../..');
const CLASSIFIER = 'modelscout/sst2-bow-logreg';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Bytes of the candidate's fp32 ONNX files (`onnx/model.onnx` and the like). */
function fp32Bytes(candidate: ModelCandidate): number {
  return onnxVariants(candidate.files ?? [])
    .filter((variant) => variant.dtype === 'fp32')
    .reduce((sum, variant) => sum + (variant.sizeBytes ?? 0), 0);
}

/**
 * The loaded-model registry (issue: lifecycle), on the zoo's models read from `examples/models`
 * by `transformersJsRunner()`:
 * - lookup: `getOrLoad` of a model already loaded (a hit), median over batches of the mean time
 *   per awaited call (target ≤ 10 µs);
 * - load: `getOrLoad` of the zoo's largest model (by fp32 ONNX file size) into an empty registry
 *   with a fresh runner (no shared session), median of `runs` (target ≤ 500 ms). The first-ever
 *   import of transformers.js (and onnxruntime-node's native setup) is excluded: the lookup
 *   section loads a model first. The candidate is read from its folder once, before timing.
 */
export async function runLifecycleBenchmark({ runs = 5 }: { runs?: number } = {}): Promise<{
  lines: string[];
  failures: number;
}> {
  const lines: string[] = [];
  let failures = 0;
  const provider = localDirectory({ root: path.join(REPOSITORY, 'examples', 'models') });

  // Lookup of a loaded model.
  const registry = createModelRegistry({ runners: [transformersJsRunner()], provider });
  const request: ModelRegistryRequest = { task: 'text-classification' };
  try {
    await registry.getOrLoad(CLASSIFIER, request);
    const lookupMicroseconds = await medianMicroseconds(() => registry.getOrLoad(CLASSIFIER, request));
    const leaseMicroseconds = await medianMicroseconds(async () => {
      const lease = await registry.acquire(CLASSIFIER, request);
      lease.release();
    });
    lines.push(verdict('registry.getOrLoad of a loaded model (hit, awaited)', lookupMicroseconds, 10, 'µs'));
    lines.push(
      information('registry.acquire + release of a loaded model (hit, awaited)', leaseMicroseconds, 'µs'),
    );
    if (lookupMicroseconds > 10) failures++;
  } finally {
    await registry.close();
  }

  // Loading the largest model.
  const candidates: ModelCandidate[] = [];
  for await (const candidate of provider.listModels({})) candidates.push(candidate);
  const largest = candidates.reduce((left, right) => (fp32Bytes(right) > fp32Bytes(left) ? right : left));
  const task = largest.tasks?.[0] ?? 'feature-extraction';
  const loadMs: number[] = [];
  let memoryBytes = 0;
  for (let run = 0; run < runs; run++) {
    const fresh = createModelRegistry({ runners: [transformersJsRunner()] });
    try {
      const start = performance.now();
      const model = await fresh.getOrLoad(largest, { task });
      loadMs.push(performance.now() - start);
      memoryBytes = model.memoryBytes ?? 0;
    } finally {
      await fresh.close();
    }
  }
  const medianLoadMs = median(loadMs);
  lines.push(information(`largest zoo model (fp32 ONNX): ${largest.id}`, fp32Bytes(largest) / 1e6, 'MB'));
  lines.push(information(`its memory as transformersJsRunner reports it (${task})`, memoryBytes / 1e6, 'MB'));
  lines.push(
    verdict(`its load into an empty registry (median of ${runs}, import excluded)`, medianLoadMs, 500, 'ms'),
  );
  if (medianLoadMs > 500) failures++;
  return { lines, failures };
}
