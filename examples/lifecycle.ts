// From "selected" to "loaded, current and within budget": download a zoo model from the local hub
// into a Hugging Face cache (only its q8 weights), load it through the memory-bounded registry,
// serve requests with fallbacks and circuit breakers, look at and prune the cache, and run the
// availability check. Offline; npx tsx examples/lifecycle.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalHub, createScout, transformersJsRunner } from 'modelscout';

const zoo = fileURLToPath(new URL('./models', import.meta.url));
const hub = await createLocalHub({ root: zoo, port: 0 });
// A fresh cache folder; by default it is HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub.
const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'modelscout-example-cache-'));
try {
  const scout = createScout({
    seed: 7,
    models: ['modelscout/sst2-bigram-hashed', 'modelscout/sst2-bow-logreg'],
    runners: [transformersJsRunner()],
    lifecycle: {
      download: { hubUrl: hub.url, cacheDirectory, offline: false },
      registry: { maxModels: 2, maxMemoryBytes: 512 * 1024 ** 2 },
      circuitBreaker: { consecutiveFailureThreshold: 2, coolDownMs: 5_000 },
    },
  });
  const { lifecycle } = scout;
  lifecycle.events.on('file_finished', ({ path: file, sizeBytes }) =>
    console.log(`  fetched ${file} (${(sizeBytes / 1024).toFixed(0)} KiB)`),
  );
  lifecycle.events.on('circuit_opened', ({ modelId, reason }) =>
    console.log(`  circuit opened: ${modelId} (${reason})`),
  );

  console.log('getOrLoad downloads the q8 weights and the tokenizer, then loads them:');
  const task = 'text-classification';
  const model = await lifecycle.getOrLoad('modelscout/sst2-bigram-hashed', { task, dtype: 'q8' });
  const [prediction] = await model.predict(['a gorgeous, witty, seductive movie']);
  console.log(`  → ${prediction?.output}; registry: ${JSON.stringify(lifecycle.registry.statistics())}`);

  // Serve requests on the primary with a fallback; the primary fails twice and its circuit opens.
  let primaryFailures = 2;
  const selected = {
    primary: { id: 'modelscout/sst2-bigram-hashed' },
    fallbacks: [{ id: 'modelscout/sst2-bow-logreg' }],
  };
  for (const text of ['dull, tedious and far too long', 'warm and funny', 'a flat, lifeless script']) {
    const { result, candidate } = await lifecycle.runWithFallback(selected, async (chosen) => {
      if (chosen.id === selected.primary.id && primaryFailures-- > 0) throw new Error('simulated outage');
      // use() pins the model while it predicts: no other load can unload it meanwhile.
      return lifecycle.registry.use(
        chosen.id,
        { task, dtype: 'q8' },
        async (loaded) => (await loaded.predict([text]))[0]?.output,
      );
    });
    console.log(`  "${text}" → ${result} (served by ${candidate.id})`);
  }

  const report = await lifecycle.cache.scan();
  console.log(
    `The cache holds ${report.repositories.length} models, ${(report.sizeOnDisk / 1024).toFixed(0)} KiB:`,
  );
  for (const repository of report.repositories) {
    console.log(
      `  ${repository.id}: ${repository.revisions.length} revision(s), ${repository.sizeOnDisk} bytes`,
    );
  }
  const plan = await lifecycle.cache.prune({ budget: 200 * 1024 });
  console.log(
    `A 200 KiB budget would evict ${plan.revisions.length} revision(s), freeing ${plan.expectedFreedBytes} bytes (dry run)`,
  );

  const checks: string[] = [];
  lifecycle.events.on('availability_checked', ({ modelId, available, updateAvailable }) =>
    checks.push(`${modelId}: ${available ? 'available' : 'unavailable'}, update ${updateAvailable}`),
  );
  await lifecycle.scheduler.runNow('availability');
  console.log(`Availability check:\n  ${checks.join('\n  ')}`);
  await lifecycle.close();
} finally {
  await hub.close();
  await rm(cacheDirectory, { recursive: true, force: true });
}
