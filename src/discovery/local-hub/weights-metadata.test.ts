import { mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelInfo } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { huggingFace } from '../providers/hugging-face.js';
import { localDirectory } from '../providers/local-directory.js';
import { createLocalHub, type LocalHub } from './index.js';
import type { LocalFile } from './repository-scanner.js';
import { summarizeGguf, summarizeSafetensors } from './weights-metadata.js';

/** A safetensors file: 8 bytes of header length, the JSON header, then zeroed tensor data. */
function safetensorsBytes(
  tensors: Record<string, { dtype: string; shape: number[]; bytesPerValue: number }>,
) {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, { dtype, shape, bytesPerValue }] of Object.entries(tensors)) {
    const length = shape.reduce((product, dimension) => product * dimension, 1) * bytesPerValue;
    header[name] = { dtype, shape, data_offsets: [offset, offset + length] };
    offset += length;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([prefix, json, Buffer.alloc(offset)]);
}

/** A GGUF v3 file written by hand from the specification (not with the library under test). */
function ggufBytes(): Buffer {
  const parts: Buffer[] = [];
  const u32 = (value: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    parts.push(buffer);
  };
  const u64 = (value: number) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    parts.push(buffer);
  };
  const text = (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    u64(bytes.length);
    parts.push(bytes);
  };
  const STRING = 8;
  const UINT32 = 4;
  const ARRAY = 9;
  const tensors: { name: string; shape: number[] }[] = [
    { name: 'token_embd.weight', shape: [16, 10] },
    { name: 'output.weight', shape: [16, 10] },
    { name: 'output_norm.weight', shape: [16] },
  ];
  parts.push(Buffer.from('GGUF', 'ascii'));
  u32(3);
  u64(tensors.length);
  u64(6);
  text('general.architecture');
  u32(STRING);
  text('llama');
  text('general.alignment');
  u32(UINT32);
  u32(32);
  text('llama.context_length');
  u32(UINT32);
  u32(4096);
  text('tokenizer.chat_template');
  u32(STRING);
  text('{{ messages }}');
  text('tokenizer.ggml.tokens');
  u32(ARRAY);
  u32(STRING);
  u64(3);
  text('<unk>');
  text('<s>');
  text('</s>');
  text('tokenizer.ggml.bos_token_id');
  u32(UINT32);
  u32(1);
  let offset = 0;
  for (const tensor of tensors) {
    text(tensor.name);
    u32(tensor.shape.length);
    for (const dimension of tensor.shape) u64(dimension);
    u32(0); // F32
    u64(offset);
    offset += tensor.shape.reduce((product, dimension) => product * dimension, 1) * 4;
  }
  const header = Buffer.concat(parts);
  const padding = (32 - (header.length % 32)) % 32;
  return Buffer.concat([header, Buffer.alloc(padding), Buffer.alloc(offset)]);
}

let root: string;
let hub: LocalHub;

async function localFile(relative: string): Promise<LocalFile> {
  const realPath = path.join(root, relative);
  const stats = await stat(realPath);
  return {
    path: relative.split(path.sep).slice(2).join('/'),
    realPath,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'modelscout-weights-'));
  const safetensorsModel = path.join(root, 'acme', 'tiny-bert');
  await mkdir(safetensorsModel, { recursive: true });
  await writeFile(path.join(safetensorsModel, 'config.json'), JSON.stringify({ model_type: 'bert' }));
  await writeFile(
    path.join(safetensorsModel, 'README.md'),
    [
      '---',
      'license: apache-2.0',
      'pipeline_tag: text-classification',
      'model-index:',
      '- name: tiny-bert',
      '  results:',
      '  - task: { type: text-classification }',
      '    dataset: { name: SST-2, type: sst2, split: validation }',
      '    metrics:',
      '    - { type: accuracy, value: 0.815 }',
      '    - { type: f1, value: "0.8" }',
      '  - task: { type: text-classification }',
      '    dataset: { name: IMDB, type: imdb }',
      '    metrics:',
      '    - { type: accuracy, value: 0.7 }',
      '---',
      '# tiny-bert',
    ].join('\n'),
  );
  await writeFile(
    path.join(safetensorsModel, 'model-00001-of-00002.safetensors'),
    safetensorsBytes({
      'embeddings.weight': { dtype: 'F32', shape: [100, 8], bytesPerValue: 4 },
      position_ids: { dtype: 'I64', shape: [1, 16], bytesPerValue: 8 },
    }),
  );
  await writeFile(
    path.join(safetensorsModel, 'model-00002-of-00002.safetensors'),
    safetensorsBytes({ 'classifier.weight': { dtype: 'F32', shape: [8, 2], bytesPerValue: 4 } }),
  );
  await writeFile(
    path.join(safetensorsModel, 'broken.safetensors'),
    Buffer.from([255, 255, 255, 255, 0, 0, 0, 0, 1]),
  );

  const ggufModel = path.join(root, 'acme', 'tiny-llama-gguf');
  await mkdir(ggufModel, { recursive: true });
  await writeFile(path.join(ggufModel, 'tiny-llama.Q8_0.gguf'), ggufBytes());
  hub = await createLocalHub({ root, port: 0 });
});

afterAll(async () => {
  await hub?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('summarizeSafetensors', () => {
  test('sums parameters per dtype over shards and skips malformed files', async () => {
    const files = await Promise.all(
      ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'broken.safetensors'].map(
        (name) => localFile(path.join('acme', 'tiny-bert', name)),
      ),
    );
    expect(await summarizeSafetensors(files)).toEqual({ parameters: { F32: 816, I64: 16 }, total: 832 });
  });

  test('is undefined without a readable safetensors file', async () => {
    expect(
      await summarizeSafetensors([await localFile(path.join('acme', 'tiny-bert', 'broken.safetensors'))]),
    ).toBe(undefined);
    expect(await summarizeSafetensors([await localFile(path.join('acme', 'tiny-bert', 'config.json'))])).toBe(
      undefined,
    );
  });

  test('skips a file removed since the folder was scanned', async () => {
    const relative = path.join('acme', 'tiny-bert', 'removed.safetensors');
    await writeFile(
      path.join(root, relative),
      safetensorsBytes({ weight: { dtype: 'F32', shape: [4, 4], bytesPerValue: 4 } }),
    );
    const removed = await localFile(relative);
    await rm(removed.realPath);
    const kept = await localFile(path.join('acme', 'tiny-bert', 'model-00002-of-00002.safetensors'));
    expect(await summarizeSafetensors([removed, kept])).toEqual({ parameters: { F32: 16 }, total: 16 });
  });
});

describe('summarizeGguf', () => {
  test('reads parameters, architecture, context length, template and tokens', async () => {
    const file = await localFile(path.join('acme', 'tiny-llama-gguf', 'tiny-llama.Q8_0.gguf'));
    expect(await summarizeGguf([file])).toEqual({
      total: 336,
      architecture: 'llama',
      context_length: 4096,
      chat_template: '{{ messages }}',
      bos_token: '<s>',
    });
  });

  test('is undefined for a file that is not GGUF', async () => {
    const file = await localFile(path.join('acme', 'tiny-bert', 'config.json'));
    expect(await summarizeGguf([{ ...file, path: 'fake.gguf' }])).toBe(undefined);
  });
});

describe('through the local hub', () => {
  test('@huggingface/hub reads safetensors counts and the gguf summary', async () => {
    const bert = await modelInfo({
      name: 'acme/tiny-bert',
      hubUrl: hub.url,
      additionalFields: ['safetensors', 'cardData'],
    });
    expect(bert.safetensors).toEqual({ parameters: { F32: 816, I64: 16 }, total: 832 });
    const llama = (await modelInfo({
      name: 'acme/tiny-llama-gguf',
      hubUrl: hub.url,
      additionalFields: ['gguf' as 'sha'],
    })) as unknown as { gguf?: { total?: number; context_length?: number } };
    expect(llama.gguf).toMatchObject({ total: 336, context_length: 4096 });
  });

  test('huggingFace() fills parameters, context length and the card metrics', async () => {
    const provider = huggingFace({ hubUrl: hub.url });
    const bert = await provider.getModel('acme/tiny-bert');
    expect(bert).toMatchObject({
      parameters: 832,
      metrics: { accuracy: 0.815, f1: 0.8 },
      license: 'apache-2.0',
    });
    const llama = await provider.getModel('acme/tiny-llama-gguf');
    expect(llama).toMatchObject({ parameters: 336, contextLength: 4096, library: 'gguf' });
  });
});

describe('localDirectory()', () => {
  test('lists a GGUF folder without config.json, with its parameters and context length', async () => {
    const found = [];
    for await (const candidate of localDirectory({ root }).listModels({})) found.push(candidate);
    expect(found.map((candidate) => candidate.id)).toEqual(['acme/tiny-bert', 'acme/tiny-llama-gguf']);
    expect(found[1]).toMatchObject({ parameters: 336, contextLength: 4096, library: 'gguf' });
    expect(found[1]?.localPath).toBe(path.join(await realpath(root), 'acme', 'tiny-llama-gguf'));
    expect(found[0]).toMatchObject({ parameters: 832, metrics: { accuracy: 0.815 } });
  });
});
