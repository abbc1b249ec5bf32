// The one way tests find ../shared (real data nobody here wrote: datasets, tokenizers, recorded
// Hub responses; each folder has a PROVENANCE.md). CI has it beside the clone.
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = process.env.MODELSCOUT_SHARED_DIR ?? path.resolve(import.meta.dirname, '../../shared');

/** The absolute path of `segments` inside the shared folder; throws a clear error when it is missing. */
export function sharedPath(...segments: string[]): string {
  const target = path.join(root, ...segments);
  if (!existsSync(target)) {
    throw new Error(
      `Shared test data not found: ${target}. Tests expect the shared/ folder beside the repository (or MODELSCOUT_SHARED_DIR).`,
    );
  }
  return target;
}
