import { isValidModelId } from '../../discovery/local-hub/model-id.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { CachedRevisionInfo } from './cache-report.js';

const REFERENCE_SEGMENT = /^[A-Za-z0-9][\w.-]*$/;

/** A parsed pin: a whole model, or one revision of it (a commit sha or a ref name). @internal */
export interface CachePin {
  readonly modelId: string;
  readonly revision: string | undefined;
}

/**
 * Whether `revision` is a ref name or commit sha the cache can hold: `/`-separated segments
 * (`main`, `v1.0`, `refs/pr/1`), each starting with a letter or digit, without `..`.
 * @internal
 */
export function isValidReferenceName(revision: string): boolean {
  return (
    revision.length > 0 &&
    !revision.includes('..') &&
    revision.split('/').every((segment) => REFERENCE_SEGMENT.test(segment))
  );
}

/** Throws an {@link InvalidArgumentError} unless `modelId` is `org/name` or `name`. @internal */
export function assertModelId(argument: string, modelId: unknown): asserts modelId is string {
  if (typeof modelId !== 'string' || !isValidModelId(modelId)) {
    throw new InvalidArgumentError({
      argument,
      value: modelId,
      message: "must be a model id, 'org/name' or 'name'",
    });
  }
}

/** Throws an {@link InvalidArgumentError} unless `revision` is `undefined` or a valid ref name or commit. @internal */
export function assertRevision(argument: string, revision: unknown): asserts revision is string | undefined {
  if (revision !== undefined && (typeof revision !== 'string' || !isValidReferenceName(revision))) {
    throw new InvalidArgumentError({
      argument,
      value: revision,
      message: "must be a ref name ('main', 'v1.0') or a commit sha",
    });
  }
}

/**
 * Parses pins, `'org/name'` (every revision) or `'org/name@revision'` (a commit sha, or the
 * revision a ref such as `main` points to when the plan is made).
 * @throws InvalidArgumentError for anything else.
 * @internal
 */
export function parsePins(argument: string, pins: unknown): CachePin[] {
  if (!Array.isArray(pins)) {
    throw new InvalidArgumentError({
      argument,
      value: pins,
      message: "must be an array of model ids or 'id@revision'",
    });
  }
  return pins.map((pin: unknown, index) => {
    if (typeof pin !== 'string') {
      throw new InvalidArgumentError({
        argument: `${argument}[${index}]`,
        value: pin,
        message: 'must be a string',
      });
    }
    const at = pin.indexOf('@');
    const modelId = at === -1 ? pin : pin.slice(0, at);
    const revision = at === -1 ? undefined : pin.slice(at + 1);
    assertModelId(`${argument}[${index}]`, modelId);
    if (revision !== undefined && !isValidReferenceName(revision)) {
      throw new InvalidArgumentError({
        argument: `${argument}[${index}]`,
        value: pin,
        message: "the revision after '@' must be a ref name or a commit sha",
      });
    }
    return { modelId, revision };
  });
}

/** Whether a revision of `modelId` is pinned. @internal */
export function isPinned(pins: readonly CachePin[], modelId: string, revision: CachedRevisionInfo): boolean {
  return pins.some(
    (pin) =>
      pin.modelId === modelId &&
      (pin.revision === undefined ||
        pin.revision === revision.commit ||
        revision.refs.includes(pin.revision)),
  );
}
