// The public surface of `modelscout` and `modelscout/testing`: the names the issues make public
// must stay exported, and work through the barrels as a user would import them.
import { describe, expect, test } from 'vitest';
import * as modelscout from '../src/index.js';
import * as testing from '../src/testing/index.js';

describe('the package entry point', () => {
  test('exports the selection engine, the strategies, the stores, errors, randomness and time', () => {
    const names = [
      'createScout',
      'selectOptimal',
      'recordOutcome',
      'createSelector',
      'thompsonSampling',
      'ucb1',
      'klUcb',
      'epsilonGreedy',
      'linUcb',
      'memoryStore',
      'keyvStore',
      'sqliteStore',
      'redisStore',
      'ModelscoutError',
      'InvalidArgumentError',
      'UnknownArmError',
      'NoFeasibleCandidateError',
      'ContradictoryConstraintsError',
      'StoreError',
      'ApiCallError',
      'seededRandom',
      'manualClock',
      'systemClock',
      'licenseGroup',
      'normalizeLicense',
      'isTask',
      'modalityOf',
      'createCandidateIndex',
      'createLocalHub',
      'huggingFace',
      'hfCache',
      'localDirectory',
      'ollama',
      'openAICompatible',
      'openRouter',
      'catalog',
      'createDiscoveryService',
      'scoreTask',
      'createEvaluator',
      'transformersJsRunner',
      'ollamaRunner',
      'openAICompatibleRunner',
      'functionRunner',
      'createLifecycle',
      'createDownloader',
      'createCacheManager',
      'createModelRegistry',
      'createCircuitBreakers',
      'circuitBreaker',
      'withFallback',
      'runWithFallback',
      'createScheduler',
      'DownloadError',
      'CacheError',
      'FallbackExhaustedError',
      'ModelRegistryError',
      'renderReport',
      'writeReport',
      'recordLearningCurve',
      'paretoFront',
      'ReportError',
      'loadRequirements',
      'parseRequirements',
      'watchRequirements',
      'toSelectionRequest',
      'REQUIREMENTS_SCHEMA',
      'ConfigurationError',
      'readLabeledData',
      'InputFileError',
    ];
    for (const name of names) expect(modelscout, name).toHaveProperty(name);
  });

  test('every option default is one frozen DEFAULTS constant', () => {
    const defaults = Object.entries(modelscout).filter(([name]) => name.endsWith('_DEFAULTS'));
    expect(defaults.map(([name]) => name).sort()).toEqual([
      'CACHE_MANAGER_DEFAULTS',
      'CACHE_PRUNE_DEFAULTS',
      'CATALOG_DEFAULTS',
      'CIRCUIT_BREAKER_DEFAULTS',
      'DISCOVERY_DEFAULTS',
      'DOWNLOADER_DEFAULTS',
      'EPSILON_GREEDY_DEFAULTS',
      'EVALUATION_DEFAULTS',
      'FALLBACK_DEFAULTS',
      'FUNCTION_RUNNER_DEFAULTS',
      'HISTORY_DEFAULTS',
      'HTTP_CLIENT_DEFAULTS',
      'HUGGING_FACE_DEFAULTS',
      'KEYV_STORE_DEFAULTS',
      'KL_UCB_DEFAULTS',
      'LEARNING_CURVE_DEFAULTS',
      'LIN_UCB_DEFAULTS',
      'LOCAL_HUB_DEFAULTS',
      'MEMORY_STORE_DEFAULTS',
      'MODEL_REGISTRY_DEFAULTS',
      'OLLAMA_DEFAULTS',
      'OLLAMA_RUNNER_DEFAULTS',
      'OPENAI_COMPATIBLE_DEFAULTS',
      'OPENAI_COMPATIBLE_RUNNER_DEFAULTS',
      'OPEN_ROUTER_DEFAULTS',
      'REDIS_STORE_DEFAULTS',
      'REPORT_DEFAULTS',
      'REQUIREMENTS_DEFAULTS',
      'REQUIREMENTS_WATCH_DEFAULTS',
      'SCHEDULER_DEFAULTS',
      'SCORING_DEFAULTS',
      'SEARCH_DEFAULTS',
      'SELECTION_DEFAULTS',
      'SELECTOR_DEFAULTS',
      'SQLITE_STORE_DEFAULTS',
      'THOMPSON_SAMPLING_DEFAULTS',
      'TRANSFORMERS_JS_RUNNER_DEFAULTS',
      'UCB1_DEFAULTS',
      'UPKEEP_DEFAULTS',
    ]);
    for (const [name, value] of defaults) expect(Object.isFrozen(value), name).toBe(true);
  });

  test('the strategies the factories build say which spec version they implement', () => {
    for (const create of [
      modelscout.thompsonSampling,
      modelscout.ucb1,
      modelscout.klUcb,
      modelscout.epsilonGreedy,
      modelscout.linUcb,
    ]) {
      expect(create().specificationVersion).toBe('v1');
    }
    expect(modelscout.memoryStore().specificationVersion).toBe('v1');
  });

  test('a selection through the barrel, with a result that serializes with its estimates', async () => {
    const scout = modelscout.createScout({ seed: 1 });
    const selected = await scout.selectOptimal({ candidates: ['a', 'b'] });
    const json = JSON.parse(JSON.stringify(selected)) as {
      estimates: unknown[];
      explanation: { summary: string };
    };
    expect(json.estimates).toHaveLength(2);
    expect(json.explanation.summary).toContain(selected.primary.id);
  });
});

describe('modelscout/testing', () => {
  test('exports the conformance suites and the helpers', () => {
    for (const name of [
      'strategyConformance',
      'storeConformance',
      'providerConformance',
      'runnerConformance',
      'simulateBernoulliBandit',
      'faultyStore',
      'manualClock',
    ]) {
      expect(testing, name).toHaveProperty(name);
    }
  });
});
