import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { ONNX_DTYPE_SUFFIXES } from './onnx-variants.js';

/** A small fake model for tests: metadata, a tokenizer, and ONNX files of arbitrary bytes. @internal */
export interface FakeModel {
  /** `org/name` or `name`. */
  readonly id: string;
  /** Written as `pipeline_tag` in `config.json` (omit to leave the task to the architecture). */
  readonly task?: string;
  /** `config.json` `model_type`. @default 'bert' */
  readonly modelType?: string;
  readonly architectures?: readonly string[];
  /** Class labels, written as `id2label` / `label2id`. */
  readonly labels?: readonly string[];
  /** README front matter `license`, written as given (e.g. `'Apache 2.0'`). */
  readonly license?: string;
  /** README front matter `tags`. */
  readonly tags?: readonly string[];
  /** ONNX dtypes to write under `onnx/` (`'fp32'` → `model.onnx`, `'q8'` → `model_quantized.onnx`). @default ['fp32', 'q8'] */
  readonly dtypes?: readonly string[];
  /** More files, by path. */
  readonly extraFiles?: Readonly<Record<string, string | Buffer>>;
}

const TOKENIZER_FILES = ['special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt'];

/** Deterministic bytes standing in for weights. @internal */
export function fakeBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** The files of a fake model, by repository path, with the tokenizer copied from `tokenizerDirectory`. @internal */
export async function fakeModelFiles(
  model: FakeModel,
  tokenizerDirectory: string,
): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const labels = model.labels ?? [];
  const config = {
    model_type: model.modelType ?? 'bert',
    ...(model.architectures ? { architectures: model.architectures } : {}),
    ...(model.task ? { pipeline_tag: model.task } : {}),
    ...(labels.length > 0
      ? {
          id2label: Object.fromEntries(labels.map((label, index) => [String(index), label])),
          label2id: Object.fromEntries(labels.map((label, index) => [label, index])),
        }
      : {}),
  };
  files.set('config.json', Buffer.from(`${JSON.stringify(config, null, 2)}\n`));
  const frontMatter = [
    ...(model.license ? [`license: ${model.license}`] : []),
    ...(model.tags && model.tags.length > 0 ? ['tags:', ...model.tags.map((tag) => `  - ${tag}`)] : []),
  ];
  const card = frontMatter.length > 0 ? `---\n${frontMatter.join('\n')}\n---\n` : '';
  files.set('README.md', Buffer.from(`${card}# ${model.id}\n\nA fake model for tests.\n`));
  for (const name of TOKENIZER_FILES) files.set(name, await readFile(path.join(tokenizerDirectory, name)));
  const suffixOf = new Map(ONNX_DTYPE_SUFFIXES.map(([suffix, dtype]) => [dtype, suffix]));
  for (const [index, dtype] of (model.dtypes ?? ['fp32', 'q8']).entries()) {
    const suffix = dtype === 'fp32' ? '' : suffixOf.get(dtype);
    if (suffix === undefined)
      throw new InvalidArgumentError({
        argument: 'model.dtypes',
        value: dtype,
        message: 'is not a known dtype',
      });
    files.set(`onnx/model${suffix}.onnx`, fakeBytes(2048 >> index, model.id.length * 31 + index));
  }
  for (const [filePath, content] of Object.entries(model.extraFiles ?? {})) {
    files.set(filePath, Buffer.isBuffer(content) ? content : Buffer.from(content));
  }
  return files;
}

/** Writes a fake model as a plain folder `root/{id}/`. @internal */
export async function writePlainModel(
  root: string,
  model: FakeModel,
  tokenizerDirectory: string,
): Promise<string> {
  const directory = path.join(root, ...model.id.split('/'));
  for (const [filePath, content] of await fakeModelFiles(model, tokenizerDirectory)) {
    const target = path.join(directory, ...filePath.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return directory;
}

/**
 * Writes a fake model in the Hugging Face cache layout: `models--org--name/blobs/{hash}` (sha256
 * for `.onnx` files, as for LFS files; git sha1 otherwise), `snapshots/{commit}/{path}` symlinks
 * to the blobs (relative, as `huggingface_hub` makes them), and `refs/main`. @internal
 */
export async function writeCachedModel(
  cacheDirectory: string,
  model: FakeModel,
  tokenizerDirectory: string,
  commit: string,
): Promise<string> {
  const repository = path.join(cacheDirectory, `models--${model.id.replace('/', '--')}`);
  await mkdir(path.join(repository, 'blobs'), { recursive: true });
  await mkdir(path.join(repository, 'refs'), { recursive: true });
  for (const [filePath, content] of await fakeModelFiles(model, tokenizerDirectory)) {
    const hash = filePath.endsWith('.onnx')
      ? createHash('sha256').update(content).digest('hex')
      : createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
    await writeFile(path.join(repository, 'blobs', hash), content);
    const link = path.join(repository, 'snapshots', commit, ...filePath.split('/'));
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.relative(path.dirname(link), path.join(repository, 'blobs', hash)), link);
  }
  await writeFile(path.join(repository, 'refs', 'main'), commit);
  return repository;
}
