import { open } from 'node:fs/promises';
import { gguf } from '@huggingface/gguf';
import type { LocalFile } from './repository-scanner.js';

/** Parameter counts of a repository's safetensors files: the Hub's `safetensors` field. */
export interface SafetensorsSummary {
  /** Parameters per tensor dtype (`F32`, `BF16`, `I64`, …), summed over every file. */
  readonly parameters: Readonly<Record<string, number>>;
  readonly total: number;
}

/** What the Hub reports of a repository's GGUF file: its `gguf` field. */
export interface GgufSummary {
  readonly total: number;
  readonly architecture?: string;
  readonly context_length?: number;
  readonly chat_template?: string;
  readonly bos_token?: string;
  readonly eos_token?: string;
}

/** The safetensors format caps its JSON header at 100 MB; larger headers are not read. */
const SAFETENSORS_HEADER_LIMIT = 100 * 1024 * 1024;

/**
 * Sums the parameters of every `.safetensors` file from their headers (8 bytes of little-endian
 * header length, then a JSON object of tensors with `dtype` and `shape`). `undefined` when there
 * is no such file or none can be read; an unreadable or malformed file is skipped.
 */
export async function summarizeSafetensors(
  files: readonly LocalFile[],
): Promise<SafetensorsSummary | undefined> {
  const parameters: Record<string, number> = {};
  let total = 0;
  let read = 0;
  for (const file of files) {
    if (!file.path.endsWith('.safetensors')) continue;
    const tensors = await readSafetensorsHeader(file);
    if (!tensors) continue;
    read++;
    for (const [name, tensor] of Object.entries(tensors)) {
      if (name === '__metadata__' || typeof tensor !== 'object' || tensor === null) continue;
      const { dtype, shape } = tensor as { dtype?: unknown; shape?: unknown };
      if (typeof dtype !== 'string' || !Array.isArray(shape)) continue;
      const count = shape.reduce<number>(
        (product, dimension) =>
          product *
          (typeof dimension === 'number' && Number.isInteger(dimension) && dimension >= 0 ? dimension : 0),
        1,
      );
      parameters[dtype] = (parameters[dtype] ?? 0) + count;
      total += count;
    }
  }
  return read === 0 ? undefined : { parameters, total };
}

async function readSafetensorsHeader(file: LocalFile): Promise<Record<string, unknown> | undefined> {
  if (file.size < 8) return undefined;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file.realPath, 'r');
  } catch {
    // Unreadable, or removed since the folder was scanned: skipped like a malformed file.
    return undefined;
  }
  try {
    const prefix = Buffer.alloc(8);
    await handle.read(prefix, 0, 8, 0);
    const length = Number(prefix.readBigUInt64LE(0));
    if (length < 2 || length > SAFETENSORS_HEADER_LIMIT || 8 + length > file.size) return undefined;
    const header = Buffer.alloc(length);
    await handle.read(header, 0, length, 8);
    const value: unknown = JSON.parse(header.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Reads the metadata of the first `.gguf` file (by path) with `@huggingface/gguf`: the parameter
 * count, architecture, context length, chat template and special tokens. `undefined` when there is
 * no GGUF file or it cannot be parsed.
 */
export async function summarizeGguf(files: readonly LocalFile[]): Promise<GgufSummary | undefined> {
  const file = files
    .filter((candidate) => candidate.path.endsWith('.gguf'))
    .sort((left, right) => (left.path < right.path ? -1 : 1))[0];
  if (!file) return undefined;
  try {
    const { metadata, parameterCount } = await gguf(file.realPath, {
      allowLocalFile: true,
      computeParametersCount: true,
    });
    const values = metadata as unknown as Record<string, unknown>;
    const architecture =
      typeof values['general.architecture'] === 'string' ? values['general.architecture'] : undefined;
    const contextLength = architecture ? values[`${architecture}.context_length`] : undefined;
    const tokens = values['tokenizer.ggml.tokens'];
    const token = (key: string): string | undefined => {
      const index = values[key];
      const position = typeof index === 'bigint' ? Number(index) : index;
      return Array.isArray(tokens) && typeof position === 'number' && typeof tokens[position] === 'string'
        ? (tokens[position] as string)
        : undefined;
    };
    const chatTemplate = values['tokenizer.chat_template'];
    const bosToken = token('tokenizer.ggml.bos_token_id');
    const eosToken = token('tokenizer.ggml.eos_token_id');
    const context = typeof contextLength === 'bigint' ? Number(contextLength) : contextLength;
    return {
      total: parameterCount,
      ...(architecture ? { architecture } : {}),
      ...(typeof context === 'number' ? { context_length: context } : {}),
      ...(typeof chatTemplate === 'string' ? { chat_template: chatTemplate } : {}),
      ...(bosToken === undefined ? {} : { bos_token: bosToken }),
      ...(eosToken === undefined ? {} : { eos_token: eosToken }),
    };
  } catch {
    return undefined;
  }
}
