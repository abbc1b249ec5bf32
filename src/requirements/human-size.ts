/**
 * The form of a byte size in a requirements file: a number and an optional unit, case-insensitive:
 * `B`; `k`/`kB`, `M`/`MB`, `G`/`GB`, `T`/`TB` (powers of 1000); `Ki`/`KiB`, `Mi`/`MiB`,
 * `Gi`/`GiB`, `Ti`/`TiB` (powers of 1024). Spaces may surround the number and the unit.
 * @internal
 */
export const BYTE_SIZE_PATTERN = '^ *[0-9]+(\\.[0-9]+)? *(([kKmMgGtT][iI]?)[bB]?|[bB])? *$';

/**
 * The form of a parameter count: a number and an optional scale, case-insensitive: `K` (thousand),
 * `M` (million), `B` (billion), `T` (trillion), e.g. `'1.5B'`, `'270M'`.
 * @internal
 */
export const PARAMETER_COUNT_PATTERN = '^ *[0-9]+(\\.[0-9]+)? *[kKmMbBtT]? *$';

const BYTE_SIZE = new RegExp(BYTE_SIZE_PATTERN);
const PARAMETER_COUNT = new RegExp(PARAMETER_COUNT_PATTERN);

const DECIMAL_SCALES: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const BINARY_SCALES: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const COUNT_SCALES: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9, t: 1e12 };

/**
 * The number of bytes a size means: a non-negative integer as it is, or a string such as
 * `'500MB'` (500 000 000), `'2 GiB'` (2 147 483 648), `'1.5 GB'`, `'640k'`, `'512'`. Decimal
 * units (`kB`, `MB`, `GB`, `TB`) are powers of 1000, binary ones (`KiB`, `MiB`, `GiB`, `TiB`)
 * powers of 1024; units are case-insensitive and the trailing `B` optional. Fractions of a byte
 * are rounded to the nearest byte.
 *
 * @returns the byte count, or `undefined` when `size` is neither a non-negative integer nor a
 * size string, or when the result exceeds `Number.MAX_SAFE_INTEGER`.
 */
export function parseByteSize(size: number | string): number | undefined {
  if (typeof size === 'number') return isCount(size) ? size : undefined;
  if (typeof size !== 'string') return undefined;
  const match = BYTE_SIZE.exec(size);
  if (match === null) return undefined;
  const number = Number(size.replace(/[^0-9.]/g, ''));
  const unit = (match[3] ?? '').toLowerCase();
  const scale = unit === '' ? 1 : unit.endsWith('i') ? BINARY_SCALES[unit[0]!] : DECIMAL_SCALES[unit];
  return checked(number * (scale ?? 1));
}

/**
 * The parameter count a value means: a non-negative integer as it is, or a string such as
 * `'1.5B'` (1 500 000 000), `'270M'`, `'7b'`, `'125k'`, `'1.2T'` (scales are powers of 1000,
 * case-insensitive), rounded to an integer.
 *
 * @returns the count, or `undefined` when `count` is neither a non-negative integer nor a count
 * string, or when the result exceeds `Number.MAX_SAFE_INTEGER`.
 */
export function parseParameterCount(count: number | string): number | undefined {
  if (typeof count === 'number') return isCount(count) ? count : undefined;
  if (typeof count !== 'string') return undefined;
  if (!PARAMETER_COUNT.test(count)) return undefined;
  const number = Number(count.replace(/[^0-9.]/g, ''));
  const scale = COUNT_SCALES[count.replace(/[^a-zA-Z]/g, '').toLowerCase()] ?? 1;
  return checked(number * scale);
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function checked(value: number): number | undefined {
  const rounded = Math.round(value);
  return isCount(rounded) ? rounded : undefined;
}
