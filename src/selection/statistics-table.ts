import { type DecayFactors, epochFactor } from './decay.js';

/** One group of fields that share a count (the backoff works per group). @internal */
export interface FieldGroup {
  /** Index of the group's count field. */
  readonly countIndex: number;
  /** First field index of the group. */
  readonly start: number;
  /** One past the last field index. */
  readonly end: number;
}

/** The fields of a table's records. @internal */
export interface StatisticsLayout {
  /** Field names as stored. */
  readonly fieldNames: readonly string[];
  /** Field index by name. */
  readonly fieldIndex: ReadonlyMap<string, number>;
  readonly groups: readonly FieldGroup[];
}

/** Builds a layout from field names and groups. @internal */
export function createLayout(fieldNames: readonly string[], groups: readonly FieldGroup[]): StatisticsLayout {
  return { fieldNames, fieldIndex: new Map(fieldNames.map((name, index) => [name, index])), groups };
}

/** @internal */
export interface ArmRecord {
  epoch: number;
  current: Float64Array;
  previous: Float64Array | undefined;
}

/**
 * The in-process view of additive statistics: partition → arm → sums of the current and the
 * previous decay epoch. Reads are synchronous and allocation-free.
 * @internal
 */
export class StatisticsTable {
  private readonly partitions = new Map<string, Map<string, ArmRecord>>();

  constructor(readonly layout: StatisticsLayout) {}

  /** Adds `deltas` (indexed like the layout) to the record of `arm` in `partition` for `epoch`. */
  add(partition: string, arm: string, epoch: number, deltas: ArrayLike<number>): void {
    let arms = this.partitions.get(partition);
    if (arms === undefined) {
      arms = new Map();
      this.partitions.set(partition, arms);
    }
    const size = this.layout.fieldNames.length;
    let record = arms.get(arm);
    if (record === undefined) {
      record = { epoch, current: new Float64Array(size), previous: undefined };
      arms.set(arm, record);
    }
    let target: Float64Array;
    if (epoch === record.epoch) target = record.current;
    else if (epoch === record.epoch - 1) {
      record.previous ??= new Float64Array(size);
      target = record.previous;
    } else if (epoch > record.epoch) {
      record.previous = epoch === record.epoch + 1 ? record.current : undefined;
      record.current = new Float64Array(size);
      record.epoch = epoch;
      target = record.current;
    } else return; // Older than the previous epoch: weighs nothing any more.
    for (let index = 0; index < size; index++) target[index]! += deltas[index]!;
  }

  /** The arms of `partition`, for {@link StatisticsTable.read}; undefined when it has none. */
  partition(partition: string): ReadonlyMap<string, ArmRecord> | undefined {
    return this.partitions.get(partition);
  }

  /**
   * Writes the decayed sums of `arm` in `partition` (a name, or the map from
   * {@link StatisticsTable.partition}) into `out` at `offset`; zeros when unknown. Returns false
   * when there is no record.
   */
  read(
    partition: string | ReadonlyMap<string, ArmRecord> | undefined,
    arm: string,
    factors: DecayFactors,
    out: number[],
    offset: number,
  ): boolean {
    const size = this.layout.fieldNames.length;
    const record = (typeof partition === 'string' ? this.partitions.get(partition) : partition)?.get(arm);
    if (record === undefined) {
      out.fill(0, offset, offset + size);
      return false;
    }
    const currentFactor = epochFactor(factors, record.epoch);
    const { current, previous } = record;
    if (previous === undefined) {
      for (let index = 0; index < size; index++) out[offset + index] = current[index]! * currentFactor;
    } else {
      const previousFactor = epochFactor(factors, record.epoch - 1);
      for (let index = 0; index < size; index++) {
        out[offset + index] = current[index]! * currentFactor + previous[index]! * previousFactor;
      }
    }
    return currentFactor > 0;
  }

  /** Whether `arm` has a record in any partition. */
  hasArm(arm: string): boolean {
    for (const arms of this.partitions.values()) if (arms.has(arm)) return true;
    return false;
  }
}

/**
 * Adds pseudo-observations from `parent` to `target` (both at their offsets): per field group, the
 * parent's sums scaled so they weigh `min(strength, parent count)`. A rarely seen partition thus
 * behaves like its parent, and an often seen one by its own data.
 * @internal
 */
export function shrinkToward(
  layout: StatisticsLayout,
  target: number[],
  targetOffset: number,
  parent: readonly number[],
  parentOffset: number,
  strength: number,
): void {
  for (const group of layout.groups) {
    const parentCount = parent[parentOffset + group.countIndex]!;
    if (parentCount <= 0) continue;
    const weight = Math.min(strength, parentCount) / parentCount;
    for (let index = group.start; index < group.end; index++) {
      target[targetOffset + index]! += weight * parent[parentOffset + index]!;
    }
  }
}
