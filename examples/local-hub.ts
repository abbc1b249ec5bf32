// Serve a folder of models over the Hugging Face Hub API, then use the real @huggingface/hub
// client against it, as an air-gapped team would. npx tsx examples/local-hub.ts
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { downloadFile, listModels, modelInfo } from '@huggingface/hub';
import { createLocalHub } from 'modelscout';

const root = await mkdtemp(path.join(tmpdir(), 'modelscout-example-hub-'));
for (const [id, task, license] of [
  ['acme/sentiment-small', 'text-classification', 'apache-2.0'],
  ['acme/news-topics', 'text-classification', 'mit'],
  ['acme/sentence-embeddings', 'feature-extraction', 'apache-2.0'],
] as const) {
  const folder = path.join(root, id);
  await mkdir(path.join(folder, 'onnx'), { recursive: true });
  await writeFile(
    path.join(folder, 'config.json'),
    JSON.stringify({ model_type: 'bert', pipeline_tag: task }),
  );
  await writeFile(
    path.join(folder, 'README.md'),
    `---\nlicense: ${license}\npipeline_tag: ${task}\n---\n# ${id}\n`,
  );
  await writeFile(path.join(folder, 'onnx', 'model.onnx'), Buffer.alloc(1024, 1));
}

const hub = await createLocalHub({ root, port: 0 });
try {
  console.log(`local hub at ${hub.url}`);
  for await (const model of listModels({ hubUrl: hub.url, search: { task: 'text-classification' } })) {
    console.log(`- ${model.name} (${model.task})`);
  }
  const info = await modelInfo({
    hubUrl: hub.url,
    name: 'acme/sentiment-small',
    additionalFields: ['cardData'],
  });
  console.log(
    'modelInfo:',
    info.name,
    'license',
    (info.cardData as { license?: string } | undefined)?.license,
  );
  const file = await downloadFile({ hubUrl: hub.url, repo: 'acme/sentiment-small', path: 'config.json' });
  console.log('config.json:', await file?.text());
} finally {
  await hub.close();
  await rm(root, { recursive: true, force: true });
}
