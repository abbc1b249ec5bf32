import { describe, expect, test } from 'vitest';
import { parseCommandLine } from './command-line.js';
import type { OptionDefinition } from './option-definition.js';
import { UsageError } from './usage-error.js';

const OPTIONS: OptionDefinition[] = [
  { name: 'task', type: 'string', description: '' },
  { name: 'json', type: 'boolean', description: '' },
  { name: 'quiet', short: 'q', type: 'boolean', description: '' },
  { name: 'license', type: 'string', multiple: true, description: '' },
  { name: 'candidates', type: 'string', variadic: true, description: '' },
  { name: 'cache', type: 'string', optionalValue: true, path: true, description: '' },
  { name: 'out', type: 'string', path: true, description: '' },
];

function usageError(args: string[]): UsageError {
  try {
    parseCommandLine('test', args, OPTIONS);
  } catch (error) {
    if (UsageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandLine', () => {
  test('options, flags, short flags and positionals in any order', () => {
    const line = parseCommandLine('test', ['bert', '--task', 'fill-mask', '-q', 'base', '--json'], OPTIONS);
    expect(line.positionals).toEqual(['bert', 'base']);
    expect(line.string('task')).toBe('fill-mask');
    expect(line.flag('quiet')).toBe(true);
    expect(line.flag('json')).toBe(true);
    expect(line.has('license')).toBe(false);
  });

  test('repeated and comma-separated values; variadic options take the words after them', () => {
    const line = parseCommandLine(
      'test',
      ['--license', 'mit,apache-2.0', '--license=bsd-3-clause', '--candidates', 'a', 'b,c', '--json', 'text'],
      OPTIONS,
    );
    expect(line.list('license')).toEqual(['mit', 'apache-2.0', 'bsd-3-clause']);
    expect(line.list('candidates')).toEqual(['a', 'b', 'c']);
    expect(line.positionals).toEqual(['text']);
    expect(parseCommandLine('test', ['--candidates', 'a', '--', 'b'], OPTIONS).positionals).toEqual(['b']);
  });

  test('an optional value is given with = only', () => {
    expect(parseCommandLine('test', ['--cache', 'word'], OPTIONS)).toMatchObject({ positionals: ['word'] });
    expect(parseCommandLine('test', ['--cache'], OPTIONS).string('cache')).toBe('');
    expect(parseCommandLine('test', ['--cache=/tmp/hf'], OPTIONS).string('cache')).toBe('/tmp/hf');
  });

  test("a path option's leading ~ is the home folder; other options and ~user are left alone", () => {
    const home = { home: '/home/ada' };
    const line = (args: string[]) => parseCommandLine('test', args, OPTIONS, home);
    expect(line(['--out=~/reports/r.html']).string('out')).toBe('/home/ada/reports/r.html');
    expect(line(['--out', '~']).string('out')).toBe('/home/ada');
    expect(line(['--cache=~/hf']).string('cache')).toBe('/home/ada/hf');
    expect(line(['--out=~ada/r.html']).string('out')).toBe('~ada/r.html');
    expect(line(['--out=./~/r.html']).string('out')).toBe('./~/r.html');
    expect(line(['--task=~/x']).string('task')).toBe('~/x');
  });

  test('refuses unknown options (suggesting one), values of flags, missing values, repeats', () => {
    expect(usageError(['--tsak', 'x']).message).toBe("unknown option '--tsak'; did you mean '--task'?");
    expect(usageError(['--json=1']).message).toBe("option '--json' takes no value");
    expect(usageError(['--task']).message).toBe("option '--task' needs a value <value>");
    expect(usageError(['--task', '--json']).message).toBe("option '--task' needs a value <value>");
    expect(usageError(['--task=']).message).toBe("option '--task' needs a value <value>");
    expect(usageError(['--task', 'a', '--task', 'b']).message).toBe(
      "option '--task' was given more than once",
    );
    expect(usageError(['-x']).command).toBe('test');
  });
});
