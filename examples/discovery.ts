// Discover models across providers: the project's zoo served by a local hub (the same code path as
// the real Hugging Face Hub), the same folder read directly, and the bundled models.dev catalog of
// hosted LLMs. Offline; npx tsx examples/discovery.ts
import { fileURLToPath } from 'node:url';
import { catalog, createLocalHub, createScout, huggingFace, localDirectory } from 'modelscout';

const zoo = fileURLToPath(new URL('./models', import.meta.url));
const hub = await createLocalHub({ root: zoo, port: 0 });
try {
  const scout = createScout({
    seed: 7,
    providers: [huggingFace({ hubUrl: hub.url }), localDirectory({ root: zoo }), catalog()],
  });
  scout.events.on('provider_finished', ({ provider, count, durationMs }) =>
    console.log(`  ${provider}: ${count} models in ${durationMs.toFixed(0)} ms`),
  );

  console.log('SST-2 sentiment classifiers with a permissive license and a measured accuracy ≥ 0.85:');
  const sentiment = await scout.discover({
    task: 'text-classification',
    text: 'sst2',
    license: { allow: ['permissive'] },
    metrics: { accuracy: { min: 0.85 } },
    sort: 'size',
  });
  for (const model of sentiment.candidates) {
    console.log(
      `- ${model.id}: accuracy ${model.metrics?.accuracy}, ${((model.sizeBytes ?? 0) / 1e6).toFixed(2)} MB,`,
      `dtypes ${model.dtypes?.join('/')}, found by ${model.providers?.join(' + ') ?? model.provider}`,
    );
  }

  console.log('\nEvery task the zoo covers (facets of an unfiltered search):');
  const local = await scout.discover({ provider: 'huggingface', limit: 0 });
  for (const { value, count } of local.facets.tasks) console.log(`- ${value}: ${count}`);

  console.log('\nPaid hosted "mini" LLMs with tool calling, cheapest input first (bundled models.dev data):');
  const hosted = await scout.discover({
    provider: 'catalog',
    capabilities: ['tools'],
    text: 'mini',
    limit: 100,
  });
  const cheapest = [...hosted.candidates]
    .filter((model) => (model.pricing?.inputPerMillionTokensUsd ?? 0) > 0)
    .sort(
      (left, right) =>
        (left.pricing?.inputPerMillionTokensUsd ?? 0) - (right.pricing?.inputPerMillionTokensUsd ?? 0),
    )
    .slice(0, 5);
  for (const model of cheapest) {
    console.log(
      `- ${model.id}: $${model.pricing?.inputPerMillionTokensUsd}/M input, context ${model.contextLength ?? '?'}`,
    );
  }
  console.log(`(${hosted.total} matched; provider errors: ${hosted.errors.length})`);
} finally {
  await hub.close();
}
