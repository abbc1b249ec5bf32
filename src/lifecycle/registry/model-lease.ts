import type { LoadedModel } from '../../evaluation/spec.js';

/**
 * A loaded model pinned in the registry: it is not unloaded to make room (nor by `unload()`)
 * until released. Release every lease, in a `finally`, or use `registry.use()`, which does it.
 */
export interface ModelLease {
  readonly model: LoadedModel;
  /**
   * Unpins the model. Calling it again does nothing. The model stays loaded (and can be handed out
   * again) until the registry needs its room.
   */
  release(): void;
}
