/** JSON's whitespace: space, tab, line feed, carriage return. */
function isWhitespace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r';
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

const HEX_DIGIT = /^[0-9a-fA-F]$/;

/** What the scanner expects next. */
type Expectation = 'value' | 'first-value' | 'key' | 'first-key' | 'after-value';

/**
 * The offset of the first character of `text` (read from `start`) that strict JSON (RFC 8259, as
 * `JSON.parse` reads it) does not allow there, `text.length` when the text ends too early, or
 * `undefined` when it is valid JSON. For placing the errors `JSON.parse` reports without a
 * position ("Unexpected token"). Iterative: any nesting depth.
 * @internal
 */
export function jsonErrorOffset(text: string, start = 0): number | undefined {
  let index = start;
  const containers: Array<'{' | '['> = [];
  const at = (offset: number): number => Math.min(offset, text.length);

  const skipWhitespace = (): void => {
    while (isWhitespace(text[index])) index++;
  };
  const skipDigits = (): boolean => {
    const from = index;
    while (isDigit(text[index])) index++;
    return index > from;
  };
  /** A string from its opening quote: an error offset, or `undefined` once past its closing quote. */
  const string = (): number | undefined => {
    index++;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        index++;
        return undefined;
      }
      if (code < 0x20) return index;
      if (code === 0x5c) {
        const escaped = text[index + 1];
        if (escaped === undefined) return text.length;
        if ('"\\/bfnrt'.includes(escaped)) {
          index += 2;
          continue;
        }
        if (escaped !== 'u') return index + 1;
        for (let digit = 2; digit < 6; digit++) {
          const character = text[index + digit];
          if (character === undefined) return text.length;
          if (!HEX_DIGIT.test(character)) return index + digit;
        }
        index += 6;
        continue;
      }
      index++;
    }
    return text.length;
  };
  const number = (): number | undefined => {
    if (text[index] === '-') index++;
    if (text[index] === '0') index++;
    else if (!skipDigits()) return at(index);
    if (text[index] === '.') {
      index++;
      if (!skipDigits()) return at(index);
    }
    if (text[index] === 'e' || text[index] === 'E') {
      index++;
      if (text[index] === '+' || text[index] === '-') index++;
      if (!skipDigits()) return at(index);
    }
    return undefined;
  };
  const literal = (word: string): number | undefined => {
    for (let position = 0; position < word.length; position++) {
      if (index + position >= text.length) return text.length;
      if (text[index + position] !== word[position]) return index + position;
    }
    index += word.length;
    return undefined;
  };
  const scalar = (): number | undefined => {
    const character = text[index];
    if (character === undefined) return text.length;
    if (character === '"') return string();
    if (character === '-' || isDigit(character)) return number();
    if (character === 't') return literal('true');
    if (character === 'f') return literal('false');
    if (character === 'n') return literal('null');
    return index;
  };

  let expectation: Expectation = 'value';
  for (;;) {
    skipWhitespace();
    const character = text[index];
    if (expectation === 'value' || expectation === 'first-value') {
      if (expectation === 'first-value' && character === ']') {
        containers.pop();
        index++;
        expectation = 'after-value';
      } else if (character === '{' || character === '[') {
        containers.push(character);
        index++;
        expectation = character === '{' ? 'first-key' : 'first-value';
      } else {
        const error = scalar();
        if (error !== undefined) return error;
        expectation = 'after-value';
      }
    } else if (expectation === 'key' || expectation === 'first-key') {
      if (expectation === 'first-key' && character === '}') {
        containers.pop();
        index++;
        expectation = 'after-value';
        continue;
      }
      if (character !== '"') return at(index);
      const error = string();
      if (error !== undefined) return error;
      skipWhitespace();
      if (text[index] !== ':') return at(index);
      index++;
      expectation = 'value';
    } else {
      const container = containers.at(-1);
      if (container === undefined) return character === undefined ? undefined : index;
      if (character === ',') {
        index++;
        expectation = container === '{' ? 'key' : 'value';
      } else if ((character === '}' && container === '{') || (character === ']' && container === '[')) {
        containers.pop();
        index++;
      } else {
        return at(index);
      }
    }
  }
}
