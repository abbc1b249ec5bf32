/** Process memory at one moment, in bytes. @internal */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
}

/** Reads the process's memory (resident set and JavaScript heap). @internal */
export function sampleMemory(): MemorySample {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

/** Only the resident set size: cheaper, for sampling during a run. @internal */
export function sampleResidentSetSize(): number {
  return process.memoryUsage.rss();
}
