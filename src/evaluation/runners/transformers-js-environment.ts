/**
 * transformers.js keeps its configuration (`env`: where the hub is, whether local folders are
 * read) in one object shared by the whole process, read while a pipeline loads its files. The
 * transformers.js runner therefore changes `env` only inside this queue: one load at a time,
 * with the fields it needs set for the load and put back to their previous values right after,
 * so the host's own settings are what it finds between loads. Code that calls transformers.js
 * directly while a runner is loading may see the runner's settings for that moment.
 */

/** The `env` fields a load may set. */
export interface TransformersEnvironmentSettings {
  readonly remoteHost?: string;
  readonly remotePathTemplate?: string;
  readonly allowRemoteModels?: boolean;
  readonly allowLocalModels?: boolean;
  readonly localModelPath?: string;
  readonly useFS?: boolean;
  readonly useFSCache?: boolean;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `body` after every earlier call finished, with `settings` applied to `environment` (the
 * transformers.js `env`), and restores the previous values of exactly those fields afterwards.
 */
export function withTransformersEnvironment<T>(
  environment: Record<string, unknown>,
  settings: TransformersEnvironmentSettings,
  body: () => Promise<T>,
): Promise<T> {
  const run = queue.then(async () => {
    const saved = new Map<string, unknown>();
    for (const [key, value] of Object.entries(settings)) {
      if (value === undefined) continue;
      saved.set(key, environment[key]);
      environment[key] = value;
    }
    try {
      return await body();
    } finally {
      for (const [key, value] of saved) environment[key] = value;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
