import type { TextStyle } from './text-style.js';

/** One column of a {@link renderTable} table. */
export interface TableColumn<Row> {
  /** The header, printed in capitals. */
  readonly header: string;
  /** The cell's text (plain; styling comes from `style`). */
  readonly value: (row: Row) => string;
  /** @default 'left' */
  readonly align?: 'left' | 'right';
  /** Styles a cell after padding, e.g. colors a status. @default none */
  readonly style?: (text: string, row: Row, style: TextStyle) => string;
}

/** Display width of plain text: code points (the CLI prints no wide characters in cells). */
function width(text: string): number {
  return [...text].length;
}

/**
 * A plain-text table: a header in capitals (bold on a terminal), then one line per row, columns
 * separated by two spaces, numbers right-aligned. No trailing spaces; no lines for an empty table
 * but the header.
 */
export function renderTable<Row>(
  columns: readonly TableColumn<Row>[],
  rows: readonly Row[],
  style: TextStyle,
): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row).replace(/\s+/g, ' ')));
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = columns.map((_, index) =>
    Math.max(width(headers[index]!), ...cells.map((line) => width(line[index]!))),
  );
  const pad = (text: string, index: number): string => {
    const column = columns[index]!;
    const fill = ' '.repeat(widths[index]! - width(text));
    if (column.align === 'right') return `${fill}${text}`;
    return index === columns.length - 1 ? text : `${text}${fill}`;
  };
  const lines = [headers.map((header, index) => style.bold(pad(header, index))).join('  ')];
  cells.forEach((line, rowIndex) => {
    lines.push(
      line
        .map((text, index) => {
          const padded = pad(text, index);
          const column = columns[index]!;
          return column.style === undefined ? padded : column.style(padded, rows[rowIndex]!, style);
        })
        .join('  '),
    );
  });
  return lines.map((line) => line.trimEnd()).join('\n');
}

/** Aligned `label  value` lines, labels padded to the longest; rows with an undefined value are left out. */
export function renderFields(
  fields: readonly (readonly [label: string, value: string | undefined])[],
  style: TextStyle,
  indent = '',
): string {
  const shown = fields.filter((field): field is readonly [string, string] => field[1] !== undefined);
  const labelWidth = Math.max(0, ...shown.map(([label]) => width(label)));
  return shown
    .map(([label, value]) => `${indent}${style.dim(label.padEnd(labelWidth))}  ${value}`.trimEnd())
    .join('\n');
}
