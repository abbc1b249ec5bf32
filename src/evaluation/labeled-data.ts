import path from 'node:path';
import type { LabeledExample } from '../core/test-data.js';
import { InputFileError, readInputFile } from '../errors/input-file-error.js';
import { parseDelimitedText } from './delimited-text.js';

/** The formats {@link readLabeledData} reads (and the CLI's `eval --data`), told by the file's extension. */
export type LabeledDataFormat = 'jsonl' | 'json' | 'csv' | 'tsv';

/** Options of {@link readLabeledData}. */
export interface LabeledDataOptions {
  /** The file to read. */
  readonly file: string;
  /** The field (JSON) or column (CSV, TSV) holding the input. @default the first of `input`, `text`, `sentence` (or `question` with `context`) */
  readonly inputField?: string | undefined;
  /** The field or column holding the label. @default 'label' */
  readonly labelField?: string | undefined;
  /**
   * Names of the classes by index: a label that is an integer `i` (a number, or digits) becomes
   * `labelNames[i]` (`0`/`1` → `NEGATIVE`/`POSITIVE`). @default labels as they are
   */
  readonly labelNames?: readonly string[] | undefined;
}

/** Labeled examples read from a file. */
export interface LabeledData {
  readonly format: LabeledDataFormat;
  readonly examples: readonly LabeledExample[];
}

const INPUT_FIELDS = ['input', 'text', 'sentence'];
const DEFAULT_LABEL_FIELD = 'label';

/** The format of `file` by its extension. */
export function labeledDataFormat(file: string): LabeledDataFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.json') return 'json';
  if (extension === '.csv') return 'csv';
  if (extension === '.tsv' || extension === '.tab') return 'tsv';
  return undefined;
}

/** Line and column (1-based) of a character offset in `text`. */
function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Where JSON.parse failed in `text`, from its message ("… at position 12 …"). */
function jsonErrorOffset(error: unknown): number | undefined {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match === null ? undefined : Number(match[1]);
}

function jsonErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

/**
 * Reads labeled examples from a JSON Lines, JSON, CSV or TSV file (see `docs/guides/cli.md`):
 * each row gives an input and a label; rows without a label are kept (the evaluator counts them
 * as skipped). The CLI's `eval --data` reads files with it.
 *
 * @example
 * ```ts
 * const { examples } = await readLabeledData({ file: 'reviews.tsv', labelNames: ['NEGATIVE', 'POSITIVE'] });
 * const scores = await scout.evaluate({ candidates, data: { task: 'text-classification', examples } });
 * ```
 *
 * @throws {InputFileError} when the file cannot be read, does not parse, lacks the input or label
 * field, or holds no row — with the line and column of the problem.
 */
export async function readLabeledData({
  file,
  inputField,
  labelField = DEFAULT_LABEL_FIELD,
  labelNames,
}: LabeledDataOptions): Promise<LabeledData> {
  const format = labeledDataFormat(file);
  if (format === undefined) {
    throw new InputFileError({
      file,
      message: 'unknown format: name the file .jsonl, .json, .csv or .tsv',
    });
  }
  const text = await readInputFile(file);

  const label = (value: unknown, line: number, column = 1): unknown => {
    if (labelNames === undefined || labelNames.length === 0) return value;
    const index =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\d+$/.test(value.trim())
          ? Number(value)
          : undefined;
    if (index === undefined) return value;
    const name = labelNames[index];
    if (name === undefined) {
      throw new InputFileError({
        file,
        line,
        column,
        message: `label ${index} has no name in --labels (${labelNames.length} given)`,
      });
    }
    return name;
  };

  const examples: LabeledExample[] = [];
  if (format === 'csv' || format === 'tsv') {
    const parsed = parseDelimitedText(text, format);
    if ('problem' in parsed) throw new InputFileError({ file, ...parsed.problem });
    const [header, ...rows] = parsed.records;
    if (header === undefined) throw new InputFileError({ file, message: 'the file is empty' });
    const columns = header.fields.map((name) => name.trim());
    const labelIndex = columns.indexOf(labelField);
    if (labelIndex === -1) {
      throw new InputFileError({
        file,
        message: `no '${labelField}' column in the header (${columns.join(', ')}); name it with --label-field`,
      });
    }
    const inputIndex = columns.indexOf(
      inputField ?? INPUT_FIELDS.find((name) => columns.includes(name)) ?? '',
    );
    const questionIndex = columns.indexOf('question');
    const contextIndex = columns.indexOf('context');
    if (inputIndex === -1 && (inputField !== undefined || questionIndex === -1 || contextIndex === -1)) {
      throw new InputFileError({
        file,
        message: `no ${inputField === undefined ? INPUT_FIELDS.map((name) => `'${name}'`).join(', ') : `'${inputField}'`} column in the header (${columns.join(', ')}); name it with --input-field`,
      });
    }
    for (const row of rows) {
      if (row.fields.length !== columns.length) {
        throw new InputFileError({
          file,
          line: row.line,
          message: `${row.fields.length} fields where the header has ${columns.length}`,
        });
      }
      const input =
        inputIndex === -1
          ? { question: row.fields[questionIndex]!, context: row.fields[contextIndex]! }
          : row.fields[inputIndex]!;
      const value = row.fields[labelIndex]!.trim();
      examples.push({ input, label: value === '' ? undefined : label(value, row.line) });
    }
  } else {
    const records: { value: unknown; line: number }[] = [];
    if (format === 'json') {
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        const offset = jsonErrorOffset(error);
        throw new InputFileError({
          file,
          ...(offset === undefined ? {} : locate(text, offset)),
          message: jsonErrorMessage(error),
        });
      }
      const rows = Array.isArray(document) ? document : (document as { examples?: unknown } | null)?.examples;
      if (!Array.isArray(rows)) {
        throw new InputFileError({
          file,
          message: 'expected an array of { input, label } objects (or { "examples": [...] })',
        });
      }
      for (const value of rows) records.push({ value, line: 1 });
    } else {
      text.split('\n').forEach((line, index) => {
        if (line.trim() === '') return;
        try {
          records.push({ value: JSON.parse(line), line: index + 1 });
        } catch (error) {
          const offset = jsonErrorOffset(error);
          throw new InputFileError({
            file,
            line: index + 1,
            column: offset === undefined ? 1 : offset + 1,
            message: jsonErrorMessage(error),
          });
        }
      });
    }
    for (const { value, line } of records) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new InputFileError({
          file,
          line,
          message: 'expected an object such as { "input": …, "label": … }',
        });
      }
      const row = value as Record<string, unknown>;
      const inputName = inputField ?? INPUT_FIELDS.find((name) => name in row);
      let input: unknown;
      if (inputName !== undefined && inputName in row) input = row[inputName];
      else if (inputField === undefined && 'question' in row && 'context' in row) {
        input = { question: row.question, context: row.context };
      } else {
        throw new InputFileError({
          file,
          line,
          message: `no ${inputField === undefined ? INPUT_FIELDS.map((name) => `'${name}'`).join(', ') : `'${inputField}'`} field; name it with --input-field`,
        });
      }
      examples.push({ input, label: row[labelField] === null ? undefined : label(row[labelField], line) });
    }
  }
  if (examples.length === 0) throw new InputFileError({ file, message: 'the file holds no labeled row' });
  return { format, examples };
}
