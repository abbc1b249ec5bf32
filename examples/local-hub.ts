// Serve the project's model zoo (examples/models) over the Hugging Face Hub API, then use the real
// @huggingface/hub client and transformers.js against it, as an air-gapped team would.
// Offline; npx tsx examples/local-hub.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listModels, modelInfo } from '@huggingface/hub';
import { env, pipeline } from '@huggingface/transformers';
import { createLocalHub } from 'modelscout';

const root = fileURLToPath(new URL('./models', import.meta.url));
const hub = await createLocalHub({ root, port: 0 });
// transformers.js downloads into its file cache (onnxruntime-node loads from a path): use a fresh one.
const cacheDir = await mkdtemp(path.join(tmpdir(), 'modelscout-example-cache-'));
try {
  console.log(`local hub at ${hub.url}, serving ${root}`);
  for await (const model of listModels({ hubUrl: hub.url, search: { task: 'text-classification' } })) {
    console.log(`- ${model.name} (${model.task})`);
  }

  const info = await modelInfo({
    hubUrl: hub.url,
    name: 'modelscout/sst2-bow-logreg',
    additionalFields: ['cardData', 'sha'],
  });
  const card = info.cardData as { license?: string } | undefined;
  console.log(`modelInfo: ${info.name}, license ${card?.license}, sha ${info.sha.slice(0, 8)}`);

  env.remoteHost = `${hub.url}/`;
  env.allowLocalModels = false;
  env.cacheDir = cacheDir;
  for (const dtype of ['fp32', 'q8'] as const) {
    const classify = await pipeline('text-classification', 'modelscout/sst2-bow-logreg', { dtype });
    const results = await classify(['a gorgeous, witty, seductive movie.', 'the plot is a tedious mess.']);
    console.log(`${dtype}:`, JSON.stringify(results));
    await classify.dispose();
  }
} finally {
  await hub.close();
  await rm(cacheDir, { recursive: true, force: true });
}
