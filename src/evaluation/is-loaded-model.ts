import type { LoadedModel } from './spec.js';

/**
 * Whether `value` has the shape of a {@link LoadedModel}: an object with `predict` and `dispose`
 * functions (what a runner's `load` must resolve to). @internal
 */
export function isLoadedModel(value: unknown): value is LoadedModel {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as LoadedModel).predict === 'function' &&
    typeof (value as LoadedModel).dispose === 'function'
  );
}
