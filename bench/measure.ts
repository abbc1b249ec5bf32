/**
 * Median, over `samples` batches, of the mean time per call of `run` (microseconds). Warms up
 * for at least `warmupMs` and `warmupCalls` first: V8's optimizing compiler settles only after
 * tens of thousands of calls, and a short warmup measures the JIT, not the code.
 */
export async function medianMicroseconds(
  run: () => unknown | Promise<unknown>,
  {
    batch = 200,
    samples = 101,
    warmupCalls = 20_000,
    warmupMs = 500,
  }: { batch?: number; samples?: number; warmupCalls?: number; warmupMs?: number } = {},
): Promise<number> {
  const warmupStart = performance.now();
  for (let calls = 0; calls < warmupCalls || performance.now() - warmupStart < warmupMs; calls++) await run();
  const perCall: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < batch; index++) await run();
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  perCall.sort((left, right) => left - right);
  return perCall[Math.floor(perCall.length / 2)]!;
}

/** Formats a row: measured value, target, ratio measured/target, and whether it meets the target. */
export function verdict(label: string, measured: number, target: number, unit: string): string {
  const ratio = measured / target;
  return `${label.padEnd(66)} ${measured.toFixed(2).padStart(8)} ${unit}  target ≤ ${target} ${unit}  ratio ${ratio.toFixed(3)}  ${ratio <= 1 ? 'PASS' : 'FAIL'}`;
}

/** Formats an informational row (no target). */
export function information(label: string, measured: number, unit: string): string {
  return `${label.padEnd(66)} ${measured.toFixed(2).padStart(8)} ${unit}`;
}
