/** A record of a CSV or TSV file, with the line it starts on. */
export interface DelimitedRecord {
  readonly fields: readonly string[];
  /** The 1-based line where the record starts. */
  readonly line: number;
}

/** A syntax error in delimited text, with where it is. */
export interface DelimitedTextProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Splits CSV (RFC 4180: `,`, fields optionally in double quotes with `""` for a quote, line breaks
 * allowed inside quotes) or TSV (tab-separated, no quoting: a quote is an ordinary character)
 * into records. Blank lines are skipped; `\r\n` and `\n` both end a line; a BOM is ignored.
 *
 * @returns the records, or the first problem (an unterminated quote, text after a closing quote).
 */
export function parseDelimitedText(
  text: string,
  format: 'csv' | 'tsv',
): { records: DelimitedRecord[] } | { problem: DelimitedTextProblem } {
  const source = text.replace(/^\uFEFF/, '');
  const records: DelimitedRecord[] = [];
  if (format === 'tsv') {
    source.split('\n').forEach((rawLine, index) => {
      const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
      if (line.trim() !== '') records.push({ fields: line.split('\t'), line: index + 1 });
    });
    return { records };
  }
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let column = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let quoteColumn = 0;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  for (let index = 0; index < source.length; index++) {
    const character = source[index]!;
    if (quoted) {
      if (character === '"') {
        if (source[index + 1] === '"') {
          field += '"';
          index++;
          column++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else field += character;
      if (character === '\n') {
        line++;
        column = 1;
      } else column++;
      continue;
    }
    if (character === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (character === '\n' || (character === '\r' && source[index + 1] === '\n')) {
      if (character === '\r') index++;
      endRecord();
      afterQuote = false;
      line++;
      column = 0;
      recordLine = line;
    } else if (character === '"' && field === '' && !afterQuote) {
      quoted = true;
      quoteLine = line;
      quoteColumn = column;
    } else if (afterQuote) {
      return { problem: { message: 'unexpected text after a closing quote', line, column } };
    } else field += character;
    column++;
  }
  if (quoted) {
    return { problem: { message: 'a quoted field is never closed', line: quoteLine, column: quoteColumn } };
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}
