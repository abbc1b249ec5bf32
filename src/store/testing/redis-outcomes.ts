/**
 * The outcomes `redis-outcome-worker.ts` records, and their totals, shared with the test that
 * checks them. Not part of the package API.
 *
 * @internal
 * @module
 */

/** The models the workers record outcomes of. */
export const WORKER_MODELS = ['a', 'b'] as const;

/** The outcome number `index` (from 0) of every worker: alternating models, deterministic values. */
export function workerOutcome(index: number): { modelId: string; success: boolean; latencyMs: number } {
  return {
    modelId: WORKER_MODELS[index % 2] as string,
    success: index % 3 === 0,
    latencyMs: (index % 7) * 10 + 5,
  };
}

/** What one worker recorded for one model. */
export interface WorkerTotals {
  outcomes: number;
  successes: number;
  latencyMs: number;
}

/** Per model: outcomes, successes and total latency of `calls` outcomes of one worker. */
export function workerTotals(calls: number): Map<string, WorkerTotals> {
  const totals = new Map<string, WorkerTotals>();
  for (const model of WORKER_MODELS) totals.set(model, { outcomes: 0, successes: 0, latencyMs: 0 });
  for (let index = 0; index < calls; index++) {
    const { modelId, success, latencyMs } = workerOutcome(index);
    const total = totals.get(modelId)!;
    total.outcomes++;
    if (success) total.successes++;
    total.latencyMs += latencyMs;
  }
  return totals;
}
