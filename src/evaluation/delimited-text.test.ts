import { describe, expect, test } from 'vitest';
import { parseDelimitedText } from './delimited-text.js';

describe('parseDelimitedText', () => {
  test('CSV with quotes, escaped quotes, commas and line breaks inside quotes, CRLF and blank lines', () => {
    const text = '\uFEFFtext,label\r\n"a ""quoted"", word",POSITIVE\r\n\r\n"two\nlines",NEGATIVE\nplain,\n';
    expect(parseDelimitedText(text, 'csv')).toEqual({
      records: [
        { fields: ['text', 'label'], line: 1 },
        { fields: ['a "quoted", word', 'POSITIVE'], line: 2 },
        { fields: ['two\nlines', 'NEGATIVE'], line: 4 },
        { fields: ['plain', ''], line: 6 },
      ],
    });
  });

  test('CSV errors say where', () => {
    expect(parseDelimitedText('text,label\n"never closed,1\n', 'csv')).toEqual({
      problem: { message: 'a quoted field is never closed', line: 2, column: 1 },
    });
    expect(parseDelimitedText('text,label\n"a"b,1\n', 'csv')).toEqual({
      problem: { message: 'unexpected text after a closing quote', line: 2, column: 4 },
    });
  });

  test('TSV splits on tabs only: quotes are ordinary characters', () => {
    expect(parseDelimitedText('sentence\tlabel\n"a" film, "b"\t1\n', 'tsv')).toEqual({
      records: [
        { fields: ['sentence', 'label'], line: 1 },
        { fields: ['"a" film, "b"', '1'], line: 2 },
      ],
    });
  });
});
