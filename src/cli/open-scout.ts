import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelProvider } from '../discovery/spec.js';
import { StoreError } from '../errors/store-error.js';
import type { InferenceRunner } from '../evaluation/spec.js';
import { createScout, type Scout } from '../scout.js';

/** Options of {@link openScout}. */
export interface OpenScoutOptions {
  /** `--store`: the SQLite file, created (with its folder) when missing. @default in memory */
  readonly storePath?: string | undefined;
  readonly providers?: readonly ModelProvider[];
  readonly runners?: readonly InferenceRunner[];
  /** Seeds selection and evaluation, for reproducible runs. @default unseeded */
  readonly seed?: number | undefined;
}

/**
 * A scout for one command: `createScout({ path })` when `--store` is given (so evaluations and
 * what selection learns are kept), in memory otherwise.
 *
 * @throws {StoreError} when the store's folder cannot be made.
 */
export function openScout({ storePath, providers = [], runners = [], seed }: OpenScoutOptions): Scout {
  if (storePath !== undefined) {
    try {
      mkdirSync(path.dirname(path.resolve(storePath)), { recursive: true });
    } catch (error) {
      throw new StoreError({
        store: storePath,
        message: `cannot make its folder: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
  }
  return createScout({
    ...(storePath === undefined ? {} : { path: storePath }),
    providers,
    runners,
    ...(seed === undefined ? {} : { seed }),
  });
}
