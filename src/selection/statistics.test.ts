import { describe, expect, test } from 'vitest';
import { ContextParser, GLOBAL_PARTITION } from './context.js';
import { Decay } from './decay.js';
import { createLayout, StatisticsTable, shrinkToward } from './statistics-table.js';

describe('ContextParser', () => {
  test('splits categorical pairs into partitions and numbers into features, keys sorted', () => {
    const parser = new ContextParser();
    expect(parser.parse(undefined)).toMatchObject({ partition: GLOBAL_PARTITION, features: [1] });
    expect(parser.parse({ tier: 'free' })).toMatchObject({ partition: 'tier=free', singlePartitions: [] });
    const parsed = parser.parse({ tier: 'free', tokens: 120, language: 'de', premium: false, score: 0.5 });
    expect(parsed.partition).toBe('language=de&premium=false&tier=free');
    expect(parsed.singlePartitions).toEqual(['language=de', 'premium=false', 'tier=free']);
    expect(parsed.features).toEqual([1, 0.5, 120]);
    expect(parsed.featureSignature).toBe('score,tokens');
    expect(parser.parse({ 'a&b': 'x=y:z' }).partition).toBe('a%26b=x%3Dy%3Az');
  });

  test('a rejected context changes nothing: the kinds of its valid keys are not remembered', () => {
    const parser = new ContextParser();
    expect(() => parser.parse({ a: 1, b: null } as never)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    );
    expect(parser.parse({ a: 'categorical now' }).partition).toBe('a=categorical%20now');
  });
});

describe('Decay', () => {
  test('every observation weighs 2^(−age / halfLife), across epoch boundaries', () => {
    const decay = new Decay(10);
    const layout = createLayout(['count'], [{ countIndex: 0, start: 0, end: 1 }]);
    const table = new StatisticsTable(layout);
    const times = [0, 300, 639, 640, 700, 1279, 1300];
    for (const time of times) table.add('*', 'arm', decay.epochOf(time), [decay.weightAt(time)]);
    // The table only keeps two epochs: reading at 1300 sees epochs 1 and 2 (times ≥ 640).
    const out = [0];
    table.read('*', 'arm', decay.factorsAt(1300), out, 0);
    const expected = times
      .filter((time) => time >= 640)
      .reduce((sum, time) => sum + 2 ** (-(1300 - time) / 10), 0);
    expect(out[0]).toBeCloseTo(expected, 12);
  });

  test('without a half-life nothing decays', () => {
    const decay = new Decay(undefined);
    expect(decay.weightAt(123456)).toBe(1);
    expect(decay.factorsAt(9e12)).toEqual({ epoch: 0, current: 1, previous: 0 });
  });
});

describe('shrinkToward', () => {
  test('adds at most `strength` pseudo-observations from the parent, per field group', () => {
    const layout = createLayout(
      ['a.count', 'a.sum', 'b.count', 'b.sum'],
      [
        { countIndex: 0, start: 0, end: 2 },
        { countIndex: 2, start: 2, end: 4 },
      ],
    );
    const target = [2, 2, 0, 0];
    const parent = [100, 25, 4, 2];
    shrinkToward(layout, target, 0, parent, 0, 10);
    expect(target).toEqual([12, 4.5, 4, 2]);
  });
});
