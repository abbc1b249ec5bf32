import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ModelScore } from '../core/model-score.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import type { LearningObservation } from './learning-curves.js';
import { paretoFront } from './pareto-front.js';
import { renderReport } from './render-report.js';
import { REPORT_DEFAULTS, type ReportInput, type ReportScore } from './report-input.js';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/sst2-evaluation.json', import.meta.url), 'utf8'),
) as { scores: EvaluationScore[]; learningCurve: LearningObservation[] };
const GENERATED_AT = Date.parse('2026-01-01T12:00:00Z');

/** The tags the report may contain: anything else would be markup injected from the input. */
const ALLOWED_TAGS = new Set(
  'html head meta title style body main header h1 h2 p dl dt dd section div figure figcaption span svg g rect path line text circle polyline ul li table thead tbody tr th td strong footer'.split(
    ' ',
  ),
);

/** The attributes of the document's tags (not text that looks like one): `[tag, name, value]`. */
function attributes(html: string): [string, string, string][] {
  const found: [string, string, string][] = [];
  for (const tag of html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const attribute of tag[2]!.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) {
      found.push([tag[1]!.toLowerCase(), attribute[1]!.toLowerCase(), attribute[2] ?? '']);
    }
  }
  return found;
}

/**
 * What would make a browser fetch something: attributes that load a resource (`src`, `href`…),
 * values with a URL or a protocol-relative `//`, `@import`, and `url(…)` of anything but data.
 */
function resourceReferences(html: string): string[] {
  const found: string[] = [];
  for (const [tag, name, value] of attributes(html)) {
    const loads = ['src', 'href', 'xlink:href', 'action', 'poster', 'srcset', 'data', 'background'].includes(
      name,
    );
    if (
      (loads && !value.startsWith('#') && !value.startsWith('data:')) ||
      /(^|[\s(])\/\/|url\(/i.test(value)
    ) {
      found.push(`<${tag} ${name}="${value}">`);
    }
  }
  for (const match of html.matchAll(/@import[^;]*/gi)) found.push(match[0]);
  for (const match of html.matchAll(/url\(\s*["']?([^"')]*)/gi)) {
    if (!(match[1] ?? '').startsWith('data:')) found.push(match[0]);
  }
  return found;
}

/** {@link resourceReferences}, and any `http://` or `https://` anywhere, even in text. */
function externalReferences(html: string): string[] {
  return [...html.matchAll(/https?:\/\/[^\s"'<>)]*/gi)]
    .map((match) => match[0])
    .concat(resourceReferences(html));
}

function tagNames(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w:-]*)/g)].map((match) => match[1]!.toLowerCase());
}

/** The inline SVGs, by their `data-plot`. */
function svgs(html: string): Map<string, string> {
  const plots = new Map<string, string>();
  for (const match of html.matchAll(/<svg data-plot="([^"]+)"[\s\S]*?<\/svg>/g))
    plots.set(match[1]!, match[0]);
  return plots;
}

/** Throws unless every tag of `markup` is closed in order (or self-closed). */
function assertBalanced(markup: string): void {
  const open: string[] = [];
  for (const match of markup.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing === '/') continue;
    if (closing === '/') expect(open.pop(), `closing </${name}>`).toBe(name);
    else open.push(name!);
  }
  expect(open).toEqual([]);
}

function count(markup: string, pattern: RegExp): number {
  return [...markup.matchAll(pattern)].length;
}

const role = (name: string) => new RegExp(`data-role="${name}"`, 'g');

function score(
  modelId: string,
  quality: number,
  p50: number | undefined,
  extra: Partial<ReportScore> = {},
): ReportScore {
  return {
    modelId,
    task: 'text-classification',
    quality: { metric: 'accuracy', value: quality, lower: quality - 0.03, upper: quality + 0.02 },
    ...(p50 === undefined ? {} : { latencyMs: { p50, p95: p50 * 3, p99: p50 * 5 } }),
    throughput: 1000,
    loadMs: 250,
    memoryBytes: 20 * 1024 * 1024,
    samples: 200,
    ...extra,
  };
}

describe('renderReport on a real evaluation (the zoo’s SST-2 models)', () => {
  const html = renderReport({
    title: 'SST-2 sentiment models',
    scores: fixture.scores,
    learningCurve: fixture.learningCurve,
    generatedAt: GENERATED_AT,
  });

  test('one self-contained HTML document: no URL, no script, a policy that forbids requests', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(tagNames(html).filter((name) => !ALLOWED_TAGS.has(name))).toEqual([]);
    assertBalanced(html.replace(/<!DOCTYPE html>|<meta[^>]*>/g, ''));
  });

  test('one SVG per plot, each with the expected elements', () => {
    const plots = svgs(html);
    expect([...plots.keys()]).toEqual([
      'quality-latency',
      'quality-intervals',
      'learning-share',
      'learning-reward',
    ]);
    expect(count(html, /<svg/g)).toBe(4);
    const front = paretoFront(
      fixture.scores.map((entry) => ({ quality: entry.quality.value, latency: entry.latencyMs.p50 })),
    );
    const scatter = plots.get('quality-latency')!;
    expect(count(scatter, role('front-point'))).toBe(front.length);
    expect(count(scatter, role('candidate-point'))).toBe(fixture.scores.length - front.length);
    expect(count(scatter, role('front-line'))).toBe(1);
    const intervals = plots.get('quality-intervals')!;
    expect(count(intervals, role('interval-bar'))).toBe(fixture.scores.length);
    expect(count(intervals, role('estimate'))).toBe(fixture.scores.length);
    const models = new Set(fixture.learningCurve.map((observation) => observation.modelId)).size;
    expect(count(plots.get('learning-share')!, role('share-line'))).toBe(models);
    expect(count(plots.get('learning-reward')!, role('mean-reward-line'))).toBe(1);
    for (const plot of plots.values()) assertBalanced(plot);
  });

  test('the Pareto step line goes through the front’s points, by latency', () => {
    const scatter = svgs(html).get('quality-latency')!;
    const centers = [...scatter.matchAll(/data-role="front-point" cx="([\d.]+)" cy="([\d.]+)"/g)].map(
      (match) => [Number(match[1]), Number(match[2])],
    );
    const path = /data-role="front-line" d="M([\d.]+) ([\d.]+)((?:[HV][\d.]+)*)"/.exec(scatter)!;
    const corners: number[][] = [[Number(path[1]), Number(path[2])]];
    for (const [, axis, value] of path[3]!.matchAll(/([HV])([\d.]+)/g)) {
      const last = corners.at(-1)!;
      corners.push(axis === 'H' ? [Number(value), last[1]!] : [last[0]!, Number(value)]);
    }
    for (const center of centers) expect(corners).toContainEqual(center);
  });

  test('the summary and the table', () => {
    expect(html).toContain('<title>SST-2 sentiment models</title>');
    expect(html).toContain('text-classification');
    expect(html).toContain(fixture.scores[0]!.dataset);
    expect(html).toContain('2026-01-01 12:00:00 UTC');
    expect(html).toContain('600 predictions (200 per candidate)');
    const winner = fixture.scores.find((entry) => entry.race?.winner) ?? fixture.scores[0]!;
    expect(html).toMatch(new RegExp(`<dt>Winner</dt><dd><strong>${winner.modelId}</strong>`));
    expect(count(html, /<tr/g)).toBe(fixture.scores.length + 1);
    for (const entry of fixture.scores) expect(html).toContain(entry.modelId);
  });

  test('is the same for the same input', () => {
    const again = renderReport({
      title: 'SST-2 sentiment models',
      scores: fixture.scores,
      learningCurve: fixture.learningCurve,
      generatedAt: new Date(GENERATED_AT),
    });
    expect(again).toBe(html);
  });

  test('takes EvaluationScores and ModelScores as they are', () => {
    const evaluations: readonly EvaluationScore[] = fixture.scores;
    const models: readonly ModelScore[] = fixture.scores;
    const input: ReportInput = { scores: evaluations };
    expect(renderReport({ ...input, generatedAt: GENERATED_AT })).toContain('data-plot="quality-latency"');
    expect(renderReport({ scores: models, generatedAt: GENERATED_AT })).toContain(
      'data-plot="quality-intervals"',
    );
  });
});

describe('renderReport escapes every string from the input', () => {
  const hostile = [
    '<script>alert("pwned")</script>',
    `quote"d 'id' & <co>`,
    '</svg><img src=x onerror=alert(1)>',
  ];
  const html = renderReport({
    title: '<script>document.title</script>',
    description: '"><script>x()</script>',
    dataset: '<iframe src="https://example.com">',
    scores: [
      score(hostile[0]!, 0.9, 2, { task: '<b>task</b>', runner: '<em>', dtype: '"q8"' }),
      score(hostile[1]!, 0.8, 20, {
        stopReason: 'eliminated',
        race: { winner: false, eliminatedBy: '<script>leader</script>' },
      }),
      score(hostile[2]!, 0.7, 5, {
        stopReason: 'load-failed',
        samples: 0,
        error: '<img src=x onerror=alert(2)>',
      }),
    ],
    learningCurve: [
      { step: 1, modelId: hostile[0]! },
      { step: 2, modelId: '<script>other</script>', reward: 1 },
    ],
    generatedAt: GENERATED_AT,
  });

  test('no markup from the input gets through', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(tagNames(html).filter((name) => !ALLOWED_TAGS.has(name))).toEqual([]);
    // The input's URL stays as (escaped) text: nothing refers to it.
    expect(resourceReferences(html)).toEqual([]);
    expect(attributes(html).filter(([, name]) => name.startsWith('on'))).toEqual([]);
    for (const id of hostile) expect(html).not.toContain(id);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('quote&quot;d &#39;id&#39; &amp; &lt;co&gt;');
    expect(html).toContain('&lt;script&gt;leader&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    assertBalanced(html.replace(/<!DOCTYPE html>|<meta[^>]*>/g, ''));
  });

  test('metric names and every other string are escaped too, also in attributes', () => {
    const hostileMetric = '</style><script>x()</script>" onload="y()';
    const page = renderReport({
      title: '</title><style>*{display:none}</style>',
      scores: [
        { ...score('a', 0.9, 2), quality: { metric: hostileMetric, value: 0.9, lower: 0.8, upper: 0.95 } },
        { ...score('b', 0.8, 4), task: '</svg><a href="javascript:alert(1)">' },
      ],
      learningCurve: [{ step: 1, modelId: '" onmouseover="z()', reward: 1 }],
      generatedAt: GENERATED_AT,
    });
    expect(page).not.toMatch(/<script|<a |javascript:alert\(1\)">|onload="|onmouseover="/);
    expect(tagNames(page).filter((name) => !ALLOWED_TAGS.has(name))).toEqual([]);
    expect(attributes(page).filter(([, name]) => name.startsWith('on'))).toEqual([]);
    expect(count(page, /<\/style>/g)).toBe(1);
    expect(page).not.toContain('<style>*{display:none}');
    assertBalanced(page.replace(/<!DOCTYPE html>|<meta[^>]*>/g, ''));
  });

  test('the network check itself catches references', () => {
    expect(
      externalReferences(
        '<img src="//cdn.example/x.png"><link href="style.css"><style>@import "a.css"; b { background: url(x.png) }</style><a href="https://x">',
      ),
    ).toEqual([
      'https://x',
      '<img src="//cdn.example/x.png">',
      '<link href="style.css">',
      '<a href="https://x">',
      '@import "a.css"',
      'url(x.png',
    ]);
    expect(resourceReferences('<p>see &lt;img src=x&gt; at https://example.com</p>')).toEqual([]);
    expect(resourceReferences('<div style="background:url(//x/y.png)"></div>')).toHaveLength(2);
    expect(
      externalReferences('<a href="#top"></a><style>b { background: url(data:image/png;base64,AA) }</style>'),
    ).toEqual([]);
  });
});

describe('renderReport edge cases', () => {
  test('one model: a front of one point, its line and its bar', () => {
    const plots = svgs(renderReport({ scores: [score('only', 0.9, 12)], generatedAt: GENERATED_AT }));
    expect(count(plots.get('quality-latency')!, role('front-point'))).toBe(1);
    expect(count(plots.get('quality-latency')!, role('candidate-point'))).toBe(0);
    expect(count(plots.get('quality-latency')!, role('front-line'))).toBe(1);
    expect(count(plots.get('quality-intervals')!, role('interval-bar'))).toBe(1);
    expect(plots.has('learning-share')).toBe(false);
  });

  test('candidates without a measured latency are in the table and the intervals, not the scatter', () => {
    const html = renderReport({
      scores: [
        score('measured', 0.9, 12),
        score('no-latency', 0.85, undefined),
        score('zero-latency', 0.8, 0),
        score('nan-latency', 0.75, Number.NaN),
      ],
      generatedAt: GENERATED_AT,
    });
    const plots = svgs(html);
    expect(count(plots.get('quality-latency')!, /<circle data-role/g)).toBe(1);
    expect(count(plots.get('quality-intervals')!, role('interval-bar'))).toBe(4);
    expect(html).toContain(
      'Not plotted (no measured latency or quality): no-latency, zero-latency, nan-latency.',
    );
    expect(count(html, /<tr/g)).toBe(5);
  });

  test('missing or NaN intervals: a marker without a bar', () => {
    const html = renderReport({
      scores: [
        score('fine', 0.9, 10),
        { ...score('no-interval', 0.8, 20), quality: { metric: 'accuracy', value: 0.8 } },
        {
          ...score('nan-interval', 0.7, 30),
          quality: { metric: 'accuracy', value: 0.7, lower: Number.NaN, upper: 0.8 },
        },
      ],
      generatedAt: GENERATED_AT,
    });
    const intervals = svgs(html).get('quality-intervals')!;
    expect(count(intervals, role('interval-bar'))).toBe(1);
    expect(count(intervals, role('estimate'))).toBe(3);
    expect(html).toContain('2 without an interval (marker only).');
    expect(html).not.toMatch(/NaN/);
  });

  test('identical points are both on the front and share a label', () => {
    const scatter = svgs(
      renderReport({
        scores: [score('twin-a', 0.9, 10), score('twin-b', 0.9, 10)],
        generatedAt: GENERATED_AT,
      }),
    ).get('quality-latency')!;
    expect(count(scatter, role('front-point'))).toBe(2);
    expect(scatter).toContain('>twin-a, twin-b</text>');
  });

  test('failed and unmeasured candidates are listed, not plotted', () => {
    const html = renderReport({
      scores: [
        score('works', 0.9, 10),
        score('broken', 0, 0, {
          samples: 0,
          stopReason: 'load-failed',
          error: 'no onnx file',
          partial: true,
        }),
        { modelId: 'nan-quality', quality: { metric: 'accuracy', value: Number.NaN } },
      ],
      generatedAt: GENERATED_AT,
    });
    const plots = svgs(html);
    expect(count(plots.get('quality-latency')!, /<circle data-role/g)).toBe(1);
    expect(count(plots.get('quality-intervals')!, role('estimate'))).toBe(1);
    expect(html).toContain('load failed<div class="error">no onnx file</div>');
    expect(html).toContain('2 without measurements');
    expect(html).not.toMatch(/NaN/);
  });

  test('qualities and latencies equal but for floating-point noise are plotted', () => {
    const html = renderReport({
      scores: [score('a', 0.9, 10), score('b', 0.8999999999999999, 10.000000000000002)],
      learningCurve: [
        { step: 1, modelId: 'a', reward: 0.9 },
        { step: 2, modelId: 'b', reward: 0.8999999999999999 },
      ],
      generatedAt: GENERATED_AT,
    });
    const plots = svgs(html);
    expect(count(plots.get('quality-latency')!, /<circle data-role/g)).toBe(2);
    expect(count(plots.get('quality-intervals')!, role('estimate'))).toBe(2);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  test('a learning curve without rewards (latency-only outcomes): the share plot, no reward plot', () => {
    const html = renderReport({
      scores: [score('a', 0.9, 10)],
      learningCurve: [
        { step: 1, modelId: 'a' },
        { step: 2, modelId: 'b' },
        { step: 3, modelId: 'a' },
      ],
      generatedAt: GENERATED_AT,
    });
    const plots = svgs(html);
    expect(count(plots.get('learning-share')!, role('share-line'))).toBe(2);
    expect(plots.has('learning-reward')).toBe(false);
    expect(html).toContain('No rewards were recorded');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  test('a learning curve of one request: a dot per curve, not an invisible one-point line', () => {
    const plots = svgs(
      renderReport({
        scores: [],
        learningCurve: [{ step: 1, modelId: 'a', reward: 1 }],
        generatedAt: GENERATED_AT,
      }),
    );
    expect(count(plots.get('learning-share')!, role('share-point'))).toBe(1);
    expect(count(plots.get('learning-reward')!, role('mean-reward-point'))).toBe(1);
  });

  test('nothing measured: no plot', () => {
    const html = renderReport({
      scores: [{ modelId: 'x', quality: { metric: 'accuracy', value: Number.NaN } }],
      generatedAt: GENERATED_AT,
    });
    expect(html).not.toContain('<svg');
    expect(html).toContain('Nothing to plot');
    const empty = renderReport({ scores: [], generatedAt: GENERATED_AT });
    expect(empty).not.toContain('<svg');
    expect(empty).toContain('No candidates were evaluated.');
    expect(externalReferences(empty)).toEqual([]);
  });

  test('60 models: labels, rows and legend stay bounded', () => {
    const scores = Array.from({ length: 60 }, (_, index) =>
      score(
        `organization-${index}/a-rather-long-model-name-number-${index}`,
        0.5 + (index % 17) / 40,
        1 + index * 3,
      ),
    );
    const learningCurve = Array.from({ length: 3000 }, (_, index) => ({
      step: index + 1,
      modelId: scores[(index * 7) % 60]!.modelId,
      reward: index % 2,
    }));
    const html = renderReport({ scores, learningCurve, generatedAt: GENERATED_AT });
    const plots = svgs(html);
    const scatter = plots.get('quality-latency')!;
    expect(count(scatter, /<circle data-role/g)).toBe(60);
    const labels = count(scatter.slice(scatter.indexOf('class="point-labels"')), /<text/g);
    expect(labels).toBeLessThanOrEqual(REPORT_DEFAULTS.maxPointLabels);
    const intervals = plots.get('quality-intervals')!;
    expect(count(intervals, role('estimate'))).toBe(REPORT_DEFAULTS.maxIntervalRows);
    expect(html).toContain('The 50 best of 60 candidates; the table lists all.');
    expect(count(plots.get('learning-share')!, role('share-line'))).toBe(
      REPORT_DEFAULTS.maxLegendEntries + 1,
    );
    expect(html).toContain('52 others');
    expect(count(html, /<li[ >]/g)).toBe(REPORT_DEFAULTS.maxLegendEntries + 3);
    expect(count(html, /<tr/g)).toBe(61);
    expect(html.length).toBeLessThan(300_000);
  });

  test('the latency axis is logarithmic when the latencies span a wide range', () => {
    const wide = svgs(
      renderReport({ scores: [score('fast', 0.8, 0.5), score('slow', 0.9, 500)], generatedAt: GENERATED_AT }),
    ).get('quality-latency')!;
    expect(wide).toContain('latency p50 (ms, log scale)');
    const narrow = svgs(
      renderReport({ scores: [score('fast', 0.8, 5), score('slow', 0.9, 50)], generatedAt: GENERATED_AT }),
    ).get('quality-latency')!;
    expect(narrow).toContain('latency p50 (ms)</text>');
    const forced = svgs(
      renderReport({
        scores: [score('fast', 0.8, 5), score('slow', 0.9, 50)],
        latencyAxis: 'log',
        latencyPercentile: 'p95',
        generatedAt: GENERATED_AT,
      }),
    ).get('quality-latency')!;
    expect(forced).toContain('latency p95 (ms, log scale)');
  });

  test('the winner: the race’s when there was one, else the highest quality', () => {
    const raced = renderReport({
      scores: [score('best-quality', 0.91, 10), score('race-winner', 0.9, 5, { race: { winner: true } })],
      generatedAt: GENERATED_AT,
    });
    expect(raced).toMatch(/<dt>Winner<\/dt><dd><strong>race-winner<\/strong>.*won the race/);
    const plain = renderReport({
      scores: [score('b', 0.8, 10), score('a', 0.9, 50)],
      generatedAt: GENERATED_AT,
    });
    expect(plain).toMatch(/<dt>Winner<\/dt><dd><strong>a<\/strong>.*highest quality measured/);
  });

  test('racing status in the table', () => {
    const html = renderReport({
      scores: [
        score('leader', 0.9, 10, { stopReason: 'race-decided', race: { winner: true } }),
        score('loser', 0.7, 10, {
          stopReason: 'eliminated',
          race: { winner: false, eliminatedBy: 'leader' },
        }),
      ],
      generatedAt: GENERATED_AT,
    });
    expect(html).toContain('<td>won the race</td>');
    expect(html).toContain('<td>eliminated by racing (leader leader)</td>');
    expect(html).toContain('1 eliminated by racing');
  });
});

describe('renderReport rejects invalid input', () => {
  const valid = { scores: [score('a', 0.9, 1)] };
  const cases: [string, unknown][] = [
    ['not an object', null],
    ['scores not an array', { scores: 'no' }],
    ['a score without modelId', { scores: [{ quality: { metric: 'accuracy', value: 1 } }] }],
    ['a score without quality', { scores: [{ modelId: 'a' }] }],
    [
      'latencyMs not an object',
      { scores: [{ modelId: 'a', quality: { metric: 'm', value: 1 }, latencyMs: 5 }] },
    ],
    ['an unknown key', { ...valid, colour: 'red' }],
    ['an invalid date', { ...valid, generatedAt: new Date(Number.NaN) }],
    ['a date string', { ...valid, generatedAt: '2026-01-01' }],
    ['an unknown percentile', { ...valid, latencyPercentile: 'p90' }],
    ['a log ratio ≤ 1', { ...valid, logScaleRatio: 1 }],
    ['zero interval rows', { ...valid, maxIntervalRows: 0 }],
    ['a fractional label count', { ...valid, maxPointLabels: 1.5 }],
    ['a title that is not a string', { ...valid, title: 5 }],
    ['an invalid learning observation', { ...valid, learningCurve: [{ step: 1 }] }],
  ];
  test.each(cases)('%s', (_name, input) => {
    expect(() => renderReport(input as ReportInput)).toThrow(InvalidArgumentError);
  });
});
