/**
 * Builds Hugging Face cache folders for tests by writing the layout directly:
 * `models--org--name/blobs/{hash}`, `snapshots/{commit}/{path}` as relative symlinks to the
 * blobs, and `refs/{name}`. Internal to the tests of `src/lifecycle/cache`.
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fakeBytes } from '../../../discovery/providers/fake-model-files.js';
import { ONNX_DTYPE_SUFFIXES } from '../../../discovery/providers/onnx-variants.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/** 2020-01-01T00:00:00Z: the access and modification time fixture blobs get unless told otherwise. @internal */
export const FIXTURE_TIME = Date.UTC(2020, 0, 1);

/** One revision to write. @internal */
export interface FixtureRevision {
  /** `org/name` or `name`. */
  readonly modelId: string;
  /** 40 hex digits; see {@link commitOf}. */
  readonly commit: string;
  /** Contents by repository path (`'config.json'`, `'onnx/model_q4.onnx'`). The same content is one shared blob. */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** Refs to point at it (`'main'`, `'v1.0'`). @default [] */
  readonly refs?: readonly string[];
  /** Access and modification time of its blobs and snapshot folders, in ms. @default FIXTURE_TIME */
  readonly time?: number;
}

/** Where a written revision lives. @internal */
export interface WrittenRevision {
  /** The `models--…` folder. */
  readonly repositoryPath: string;
  /** The `snapshots/{commit}` folder. */
  readonly snapshotPath: string;
  /** Repository path → absolute blob path. */
  readonly blobPaths: ReadonlyMap<string, string>;
}

/** A readable, deterministic commit sha for a label (`commitOf('v1')`). @internal */
export function commitOf(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/**
 * The blob name the Hub gives a file: the sha256 of LFS files (`.onnx`, `.onnx_data`, `.bin`,
 * `.safetensors`), the git blob sha1 of the others.
 * @internal
 */
export function blobNameOf(filePath: string, content: Uint8Array): string {
  return /\.(onnx|onnx_data(_\d+)?|bin|safetensors)$/.test(filePath)
    ? createHash('sha256').update(content).digest('hex')
    : createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Writes one revision into the cache layout (blobs shared with earlier revisions are reused). @internal */
export async function writeCachedRevision(
  cacheDirectory: string,
  revision: FixtureRevision,
): Promise<WrittenRevision> {
  const repositoryPath = path.join(cacheDirectory, `models--${revision.modelId.replace('/', '--')}`);
  const blobs = path.join(repositoryPath, 'blobs');
  const snapshotPath = path.join(repositoryPath, 'snapshots', revision.commit);
  const seconds = (revision.time ?? FIXTURE_TIME) / 1000;
  await mkdir(blobs, { recursive: true });
  await mkdir(snapshotPath, { recursive: true });
  const blobPaths = new Map<string, string>();
  for (const [filePath, value] of Object.entries(revision.files)) {
    const content = typeof value === 'string' ? Buffer.from(value) : value;
    const blobPath = path.join(blobs, blobNameOf(filePath, content));
    if (!(await lstat(blobPath).catch(() => undefined))) await writeFile(blobPath, content);
    await utimes(blobPath, seconds, seconds);
    const link = path.join(snapshotPath, ...filePath.split('/'));
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.relative(path.dirname(link), blobPath), link);
    blobPaths.set(filePath, blobPath);
  }
  for (const name of revision.refs ?? []) await writeReference(repositoryPath, name, revision.commit);
  await touchFolders(snapshotPath, seconds);
  return { repositoryPath, snapshotPath, blobPaths };
}

/** Writes `refs/{name}` holding `commit`, as `huggingface_hub` does (no newline). @internal */
export async function writeReference(repositoryPath: string, name: string, commit: string): Promise<void> {
  const file = path.join(repositoryPath, 'refs', ...name.split('/'));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, commit);
}

async function touchFolders(folder: string, seconds: number): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) await touchFolders(path.join(folder, entry.name), seconds);
  }
  await utimes(folder, seconds, seconds);
}

/**
 * ONNX weight files of `dtypes` under `onnx/` (`'fp32'` → `onnx/model.onnx`, `'fp16'` →
 * `onnx/model_fp16.onnx`, `'q8'` → `onnx/model_quantized.onnx`, `'q4'` → `onnx/model_q4.onnx`),
 * of `sizeBytes` deterministic bytes each (different per dtype and seed).
 * @internal
 */
export function onnxVariantFiles(
  dtypes: readonly string[],
  { sizeBytes = 1000, seed = 1, base = 'model' }: { sizeBytes?: number; seed?: number; base?: string } = {},
): Record<string, Buffer> {
  const suffixOf = new Map<string, string>([
    ['fp32', ''],
    ...ONNX_DTYPE_SUFFIXES.map(([suffix, dtype]) => [dtype, suffix] as [string, string]),
  ]);
  const files: Record<string, Buffer> = {};
  for (const [index, dtype] of dtypes.entries()) {
    const suffix = suffixOf.get(dtype);
    if (suffix === undefined) {
      throw new InvalidArgumentError({ argument: 'dtypes', value: dtype, message: 'is not a known dtype' });
    }
    files[`onnx/${base}${suffix}.onnx`] = fakeBytes(sizeBytes, seed * 101 + index + 1);
  }
  return files;
}

/** Bytes of the regular files under `folder`, symlinks not followed: what the folder holds on disk. @internal */
export async function diskUsage(folder: string): Promise<number> {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) total += await diskUsage(entryPath);
    else if (entry.isFile()) total += (await lstat(entryPath)).size;
  }
  return total;
}

/** A temporary folder holding `hub/` (the cache folder), removed by `cleanup()`. @internal */
export interface TemporaryCache {
  /** The temporary folder (its real path); put things "outside the cache" here. */
  readonly root: string;
  /** `root/hub`. */
  readonly cacheDirectory: string;
  cleanup(): Promise<void>;
}

/** Creates a {@link TemporaryCache}. @internal */
export async function temporaryCache(): Promise<TemporaryCache> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'modelscout-cache-manager-')));
  const cacheDirectory = path.join(root, 'hub');
  await mkdir(cacheDirectory);
  return { root, cacheDirectory, cleanup: () => rm(root, { recursive: true, force: true }) };
}
