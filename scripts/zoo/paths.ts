// Where the zoo's inputs and outputs live.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root. */
export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '../..');

/** The folder the zoo is written to: a local hub root (`modelscout/<name>/…`). */
export const MODELS_DIRECTORY = path.join(REPOSITORY_ROOT, 'examples/models');

/** The folder of the bundled labeled samples. */
export const SAMPLES_DIRECTORY = path.join(REPOSITORY_ROOT, 'examples/data');

/** The organization of every zoo model id. */
export const ZOO_ORGANIZATION = 'modelscout';

/** The shared folder beside the clone (same rule as test/shared-data.ts). */
const SHARED_ROOT = process.env.MODELSCOUT_SHARED_DIR ?? path.resolve(REPOSITORY_ROOT, '../shared');

/** The absolute path of `segments` inside ../shared; throws a clear error when it is missing. */
export function sharedInput(...segments: string[]): string {
  const target = path.join(SHARED_ROOT, ...segments);
  if (!existsSync(target)) {
    throw new Error(
      `Shared data not found: ${target}. The zoo is built from ../shared (or MODELSCOUT_SHARED_DIR).`,
    );
  }
  return target;
}
