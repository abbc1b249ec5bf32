import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalHub, huggingFace, type ModelCandidate, seededRandom, type Task } from 'modelscout';
import { information, verdict } from './measure.js';

const TASKS: readonly Task[] = [
  'text-classification',
  'token-classification',
  'feature-extraction',
  'fill-mask',
  'automatic-speech-recognition',
  'image-classification',
];
const LICENSES = ['apache-2.0', 'mit', 'cc-by-4.0', 'cc-by-nc-4.0'];
const MODEL_TYPES = ['bert', 'distilbert', 'roberta', 'whisper', 'vit'];

/** Writes `count` small model folders (`org-N/model-M/`: config, README with front matter, a tiny ONNX file), seeded. */
async function writeModels(root: string, count: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const pick = <Value>(values: readonly Value[]) => values[Math.floor(random.next() * values.length)]!;
  for (let index = 0; index < count; index++) {
    const directory = path.join(root, `org-${index % 50}`, `model-${index}`);
    await mkdir(path.join(directory, 'onnx'), { recursive: true });
    const task = pick(TASKS);
    await writeFile(
      path.join(directory, 'config.json'),
      JSON.stringify({ model_type: pick(MODEL_TYPES), architectures: ['BertModel'], pipeline_tag: task }),
    );
    await writeFile(
      path.join(directory, 'README.md'),
      `---\nlicense: ${pick(LICENSES)}\npipeline_tag: ${task}\ntags:\n  - benchmark\n---\n# model-${index}\n`,
    );
    await writeFile(path.join(directory, 'onnx', 'model.onnx'), Buffer.alloc(64 + (index % 64), index % 251));
  }
}

async function listAll(hubUrl: string): Promise<ModelCandidate[]> {
  const candidates: ModelCandidate[] = [];
  for await (const candidate of huggingFace({ hubUrl }).listModels({})) candidates.push(candidate);
  return candidates;
}

/**
 * Listing a local hub end to end (issue 3: 2,000 models through `huggingFace({ hubUrl })`, with
 * the Hub's pagination, in ≤ 1 s): a local hub over a temporary folder of `count` generated
 * models, listed once to warm up, then `runs` times; the median counts.
 */
export async function runListingBenchmark({
  count = 2_000,
  runs = 5,
  targetMs = 1_000,
}: {
  count?: number;
  runs?: number;
  targetMs?: number;
} = {}): Promise<{ lines: string[]; failures: number }> {
  const root = await mkdtemp(path.join(tmpdir(), 'modelscout-bench-listing-'));
  const lines: string[] = [];
  let failures = 0;
  try {
    const writeStart = performance.now();
    await writeModels(root, count, 1);
    lines.push(information(`writing ${count} model folders (setup)`, performance.now() - writeStart, 'ms'));
    const hub = await createLocalHub({ root });
    try {
      const warmupStart = performance.now();
      const listed = await listAll(hub.url);
      lines.push(
        information(
          'first listing (warm-up, the hub scans the folder)',
          performance.now() - warmupStart,
          'ms',
        ),
      );
      if (listed.length !== count) throw new Error(`listed ${listed.length} models, expected ${count}`);
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const start = performance.now();
        const again = await listAll(hub.url);
        times.push(performance.now() - start);
        if (again.length !== count) throw new Error(`listed ${again.length} models, expected ${count}`);
      }
      times.sort((left, right) => left - right);
      const median = times[Math.floor(times.length / 2)]!;
      const range = ` (range ${times[0]!.toFixed(0)}–${times.at(-1)!.toFixed(0)}, ${runs} runs)`;
      lines.push(
        verdict(`list ${count} models via huggingFace({ hubUrl }), pages of 500`, median, targetMs, 'ms') +
          range,
      );
      if (median > targetMs) failures++;
    } finally {
      await hub.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return { lines, failures };
}
