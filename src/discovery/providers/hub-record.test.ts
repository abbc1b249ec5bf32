import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { modelIndexMetrics, normalizeHubRecord, recordLicense, toJsonValue } from './hub-record.js';
import { onnxDtypes, onnxVariantOf, onnxVariants } from './onnx-variants.js';

async function recorded(name: string): Promise<Record<string, unknown>> {
  const cassette = JSON.parse(
    await readFile(sharedPath('fixtures', 'hf-hub', 'model-info', `${name}.json`), 'utf8'),
  ) as { body: Record<string, unknown> };
  return cassette.body;
}

describe('normalizeHubRecord on recorded Hub bodies', () => {
  test('deepset/roberta-base-squad2: task, license from cardData, parameters from safetensors', async () => {
    const body = await recorded('deepset__roberta-base-squad2');
    const candidate = normalizeHubRecord(body, { provider: 'huggingface' });
    expect(candidate).toMatchObject({
      id: 'deepset/roberta-base-squad2',
      provider: 'huggingface',
      tasks: ['question-answering'],
      modalities: ['nlp'],
      library: 'transformers',
      family: 'roberta',
      license: 'cc-by-4.0',
      gated: false,
      parameters: 124_057_092,
      sizeBytes: 3_943_613_347,
      downloads: 1_801_802,
      likes: 842,
      revision: 'adc3b06f79f797d1c575d5479d6f5efe54a9e3b4',
      lastModified: '2024-09-24T15:48:47.000Z',
    });
    expect(candidate.files?.map((file) => file.path)).toContain('model.safetensors');
    expect(candidate.files).toHaveLength(12);
    expect(candidate.capabilities).toBeUndefined();
    expect(candidate.dtypes).toBeUndefined();
    expect(candidate.raw).toEqual(body);
  });

  test('google-bert/bert-base-uncased: a root model.onnx is fp32, but no onnx/ folder means no transformers.js', async () => {
    const candidate = normalizeHubRecord(await recorded('google-bert__bert-base-uncased'), {
      provider: 'huggingface',
    });
    expect(candidate).toMatchObject({
      tasks: ['fill-mask'],
      license: 'apache-2.0',
      parameters: 110_106_428,
      family: 'bert',
      dtypes: ['fp32'],
    });
    expect(candidate.capabilities).toBeUndefined();
  });

  test("paraphrase-albert-small-v2: onnx/ folder → transformers.js; optimum's _O1 / _qint8_arm64 files are not dtypes", async () => {
    const candidate = normalizeHubRecord(
      await recorded('sentence-transformers__paraphrase-albert-small-v2'),
      {
        provider: 'huggingface',
      },
    );
    expect(candidate).toMatchObject({
      tasks: ['sentence-similarity'],
      library: 'sentence-transformers',
      license: 'apache-2.0',
      capabilities: ['transformers.js'],
      dtypes: ['fp32'],
      parameters: 11_684_096,
    });
  });

  test('stable-diffusion-2-1: no safetensors count, license openrail++, text-to-image is cv', async () => {
    const candidate = normalizeHubRecord(await recorded('stabilityai__stable-diffusion-2-1'), {
      provider: 'huggingface',
    });
    expect(candidate).toMatchObject({
      tasks: ['text-to-image'],
      modalities: ['cv'],
      library: 'diffusers',
      license: 'openrail++',
      sizeBytes: 57_147_037_677,
    });
    expect(candidate.parameters).toBeUndefined();
    expect(candidate.family).toBeUndefined();
  });

  test('license falls back to the license: tag when the card has none', async () => {
    const { cardData: _cardData, ...body } = await recorded('deepset__roberta-base-squad2');
    expect(normalizeHubRecord(body, { provider: 'huggingface' }).license).toBe('cc-by-4.0');
  });

  test('popularity can be left out, malformed fields are ignored, unknown tasks are dropped', () => {
    const candidate = normalizeHubRecord(
      {
        id: 'x/y',
        pipeline_tag: 'not-a-task',
        downloads: -3,
        likes: 5,
        usedStorage: 'big',
        safetensors: { total: Number.NaN },
        lastModified: 'yesterday',
        siblings: [{ rfilename: 'onnx/model_fp16.onnx', size: 10 }, { nope: 1 }, 'junk'],
        gated: 'manual',
      },
      { provider: 'p', popularity: false },
    );
    expect(candidate).toEqual({
      id: 'x/y',
      provider: 'p',
      capabilities: ['transformers.js'],
      gated: true,
      sizeBytes: 10,
      dtypes: ['fp16'],
      files: [{ path: 'onnx/model_fp16.onnx', sizeBytes: 10 }],
      raw: expect.any(Object),
    });
  });

  test('tasks from the architecture only when asked', () => {
    const record = { id: 'a', config: { architectures: ['BertForSequenceClassification'] } };
    expect(normalizeHubRecord(record, { provider: 'p' }).tasks).toBeUndefined();
    expect(normalizeHubRecord(record, { provider: 'p', inferTaskFromArchitecture: true }).tasks).toEqual([
      'text-classification',
    ]);
  });
});

describe('toJsonValue and modelIndexMetrics', () => {
  test('a __proto__ key stays data and never sets the prototype', () => {
    const copy = toJsonValue(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  test('metrics from model-index: first value per type, quoted numbers, junk ignored', () => {
    const index = [
      {
        results: [
          {
            metrics: [
              { type: 'accuracy', value: '0.9' },
              { type: 'f1', value: 0.8 },
              { type: '__proto__', value: 1 },
            ],
          },
          { metrics: [{ type: 'accuracy', value: 0.5 }, { type: 'loss', value: 'n/a' }, { value: 3 }] },
        ],
      },
      'junk',
    ];
    expect(modelIndexMetrics(index)).toEqual({ accuracy: 0.9, f1: 0.8 });
    expect(
      modelIndexMetrics([{ results: [{ metrics: [{ type: 'x', value: Number.NaN }] }] }]),
    ).toBeUndefined();
    expect(modelIndexMetrics(undefined)).toBeUndefined();
  });
});

describe('recordLicense', () => {
  test('normalizes card licenses and tags', () => {
    expect(recordLicense({ license: 'Apache 2.0' }, [])).toBe('apache-2.0');
    expect(recordLicense({ license: ['MIT', 'apache-2.0'] }, [])).toBe('mit');
    expect(recordLicense({ license: 'other', license_name: 'llama3' }, [])).toBe('llama3');
    expect(recordLicense(undefined, ['en', 'License:CC-BY-NC'])).toBe('cc-by-nc-4.0');
    expect(recordLicense({}, ['en'])).toBeUndefined();
  });
});

describe('onnx variants', () => {
  test('transformers.js suffixes map to dtypes', () => {
    const expected: Record<string, string> = {
      'onnx/model.onnx': 'fp32',
      'onnx/model_fp16.onnx': 'fp16',
      'onnx/model_quantized.onnx': 'q8',
      'onnx/model_int8.onnx': 'int8',
      'onnx/model_uint8.onnx': 'uint8',
      'onnx/model_q4.onnx': 'q4',
      'onnx/model_q4f16.onnx': 'q4f16',
      'onnx/model_bnb4.onnx': 'bnb4',
      'onnx/decoder_model_merged_q4f16.onnx': 'q4f16',
      'onnx/encoder_model.onnx': 'fp32',
    };
    for (const [file, dtype] of Object.entries(expected))
      expect(onnxVariantOf(file)?.dtype, file).toBe(dtype);
    expect(onnxVariantOf('onnx/decoder_model_merged_q4f16.onnx')?.base).toBe('decoder_model_merged');
    for (const file of [
      'onnx/model.onnx_data',
      'onnx/model_O3.onnx',
      'onnx/model_quint8_avx2.onnx',
      'config.json',
    ])
      expect(onnxVariantOf(file), file).toBeUndefined();
  });

  test('dtypes are distinct and ordered; sizes are kept', () => {
    const files = [
      { path: 'onnx/model_q4.onnx', sizeBytes: 4 },
      { path: 'onnx/model_quantized.onnx', sizeBytes: 8 },
      { path: 'onnx/model.onnx', sizeBytes: 32 },
      { path: 'onnx/encoder_model.onnx' },
      { path: 'onnx/model_fp16.onnx', sizeBytes: 16 },
    ];
    expect(onnxDtypes(files)).toEqual(['fp32', 'fp16', 'q8', 'q4']);
    expect(onnxVariants(files)[0]).toEqual({
      path: 'onnx/model_q4.onnx',
      base: 'model',
      dtype: 'q4',
      sizeBytes: 4,
    });
    expect(onnxVariants(files)[3]).toEqual({
      path: 'onnx/encoder_model.onnx',
      base: 'encoder_model',
      dtype: 'fp32',
    });
  });
});
