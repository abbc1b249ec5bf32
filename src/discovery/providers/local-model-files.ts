import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelCandidate, ModelFile } from '../../core/model-candidate.js';
import { buildModelRecord } from '../local-hub/model-record.js';
import type { LocalFile, RepositorySnapshot } from '../local-hub/repository-scanner.js';
import { realPathInside } from '../local-hub/safe-path.js';
import { normalizeHubRecord } from './hub-record.js';
import { recordTags } from './provider-query-filter.js';

/** The deepest folder nesting walked inside one model. */
const MAX_DEPTH = 32;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Every regular file under `directory`, sub-folders included (`onnx/model.onnx`), sorted by path.
 * Symlinks are followed only when their real path stays inside `realRoot`; anything else is
 * skipped. Hidden folders (`.git`, `.cache`) are skipped; hidden files are kept.
 */
export async function walkModelFiles(realRoot: string, directory: string): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  const visit = async (absolute: string, relative: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    for (const entry of await readDirectory(absolute)) {
      const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const real = await realPathInside(realRoot, path.join(absolute, entry.name));
      if (!real) continue;
      const stats = await stat(real).catch(() => undefined);
      if (!stats) continue;
      if (stats.isDirectory()) {
        if (!entry.name.startsWith('.')) await visit(real, childRelative, depth + 1);
      } else if (stats.isFile()) {
        files.push({ path: childRelative, realPath: real, size: stats.size, mtimeMs: stats.mtimeMs });
      }
    }
  };
  await visit(directory, '', 0);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A candidate of a local provider, with the tags of its record (for query matching). */
export interface LocalCandidate {
  readonly candidate: ModelCandidate;
  readonly tags: readonly string[];
}

/**
 * The candidate of a model on disk: the same record the local hub would serve for it (metadata
 * from `config.json` and the README front matter), normalized, with file sizes from disk and the
 * sha256 of files whose real path is a blob named by its sha256 (the Hugging Face cache).
 */
export async function localCandidate(
  snapshot: RepositorySnapshot,
  provider: string,
): Promise<LocalCandidate> {
  const record = await buildModelRecord(snapshot);
  const files: ModelFile[] = snapshot.files.map((file) => {
    const blobName = path.basename(file.realPath);
    return {
      path: file.path,
      sizeBytes: file.size,
      ...(SHA256_PATTERN.test(blobName) ? { sha256: blobName } : {}),
    };
  });
  const candidate = normalizeHubRecord(record as unknown as Record<string, unknown>, {
    provider,
    popularity: false,
    inferTaskFromArchitecture: true,
    files,
  });
  return { candidate, tags: recordTags(record as unknown as Record<string, unknown>) };
}

/** The entries of a folder, or none when it cannot be read. */
export async function readDirectory(directory: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether `candidate` is an existing folder (symlinks followed). */
export async function isDirectory(candidate: string): Promise<boolean> {
  return (await stat(candidate).catch(() => undefined))?.isDirectory() ?? false;
}
