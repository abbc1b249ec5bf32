import { assertKnownKeys } from '../core/validate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { renderCandidateTable } from './candidate-table.js';
import { escapeHtml } from './escape-html.js';
import { renderLearningCurvePlots } from './learning-curve-plot.js';
import { computeLearningCurves, type LearningCurves } from './learning-curves.js';
import { paretoFront } from './pareto-front.js';
import { renderQualityIntervalPlot } from './quality-interval-plot.js';
import { renderQualityLatencyPlot } from './quality-latency-plot.js';
import { REPORT_DEFAULTS, type ReportInput, type ReportScore } from './report-input.js';
import { chooseWinner, reportRows } from './report-rows.js';
import { REPORT_STYLES } from './report-styles.js';
import { renderSummary } from './report-summary.js';

const INPUT_KEYS = [
  'title',
  'description',
  'scores',
  'learningCurve',
  'generatedAt',
  'dataset',
  'latencyPercentile',
  'latencyAxis',
  'logScaleRatio',
  'maxPointLabels',
  'maxIntervalRows',
  'maxLegendEntries',
];

/**
 * The page's Content-Security-Policy: nothing may be fetched or run; only the inline style sheet
 * and inline style attributes apply. A browser enforces "no network requests" even if the page
 * were edited by hand.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function optionalString(argument: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') {
    throw new InvalidArgumentError({ argument, value, message: 'must be a string' });
  }
}

function assertOneOf(argument: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new InvalidArgumentError({ argument, value, message: `must be one of ${allowed.join(', ')}` });
  }
}

function assertCount(argument: string, value: unknown, minimum: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < minimum)) {
    throw new InvalidArgumentError({ argument, value, message: `must be an integer ≥ ${minimum}` });
  }
}

function assertScore(score: unknown, index: number): asserts score is ReportScore {
  const argument = `input.scores[${index}]`;
  if (score === null || typeof score !== 'object') {
    throw new InvalidArgumentError({ argument, value: score, message: 'must be a score object' });
  }
  const { modelId, quality, latencyMs } = score as Partial<Record<keyof ReportScore, unknown>>;
  if (typeof modelId !== 'string' || modelId === '') {
    throw new InvalidArgumentError({
      argument: `${argument}.modelId`,
      value: modelId,
      message: 'must be a non-empty string',
    });
  }
  if (
    quality === null ||
    typeof quality !== 'object' ||
    typeof (quality as { metric?: unknown }).metric !== 'string' ||
    typeof (quality as { value?: unknown }).value !== 'number'
  ) {
    throw new InvalidArgumentError({
      argument: `${argument}.quality`,
      value: quality,
      message: 'must be { metric: string, value: number, lower?, upper? }',
    });
  }
  if (latencyMs !== undefined && (latencyMs === null || typeof latencyMs !== 'object')) {
    throw new InvalidArgumentError({
      argument: `${argument}.latencyMs`,
      value: latencyMs,
      message: 'must be { p50?, p95?, p99? } in milliseconds',
    });
  }
}

function resolveDate(value: Date | number | undefined): Date {
  if (value === undefined) return new Date();
  const date = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  if ((typeof value !== 'number' && !(value instanceof Date)) || !Number.isFinite(date.getTime())) {
    throw new InvalidArgumentError({
      argument: 'input.generatedAt',
      value,
      message: 'must be a valid Date or a time in milliseconds',
    });
  }
  return date;
}

/** Throws an `InvalidArgumentError` unless `input` is a valid {@link ReportInput}. */
function assertInput(input: ReportInput): void {
  if (input === null || typeof input !== 'object') {
    throw new InvalidArgumentError({ argument: 'input', value: input, message: 'must be an object' });
  }
  assertKnownKeys('input', input, INPUT_KEYS);
  optionalString('input.title', input.title);
  optionalString('input.description', input.description);
  optionalString('input.dataset', input.dataset);
  if (!Array.isArray(input.scores)) {
    throw new InvalidArgumentError({
      argument: 'input.scores',
      value: input.scores,
      message: 'must be an array of scores (e.g. what scout.evaluate resolved to)',
    });
  }
  input.scores.forEach((score: unknown, index) => {
    assertScore(score, index);
  });
  assertOneOf('input.latencyPercentile', input.latencyPercentile, ['p50', 'p95', 'p99']);
  assertOneOf('input.latencyAxis', input.latencyAxis, ['auto', 'linear', 'log']);
  if (
    input.logScaleRatio !== undefined &&
    (typeof input.logScaleRatio !== 'number' ||
      !Number.isFinite(input.logScaleRatio) ||
      input.logScaleRatio <= 1)
  ) {
    throw new InvalidArgumentError({
      argument: 'input.logScaleRatio',
      value: input.logScaleRatio,
      message: 'must be a finite number > 1',
    });
  }
  assertCount('input.maxPointLabels', input.maxPointLabels, 0);
  assertCount('input.maxIntervalRows', input.maxIntervalRows, 1);
  assertCount('input.maxLegendEntries', input.maxLegendEntries, 1);
}

/**
 * Renders an evaluation as one self-contained HTML document: inline CSS and inline SVG, no
 * script, no URL (a Content-Security-Policy forbids every request), every input string escaped.
 *
 * It shows a summary (task, data, when, samples, candidates, the winner: the race's when there
 * was one, else the highest quality), then the plots — quality against latency with the Pareto
 * front, quality with its interval per candidate, and, with `learningCurve`, the selector's
 * learning curves — and a table of every candidate (quality with interval, latency p50 and p95,
 * throughput, load time, memory, samples, Pareto front, how its evaluation ended). Candidates
 * without measurements (no samples, no finite quality, no latency) are listed but not plotted.
 * The plots' colors are {@link PLOT_COLORS}.
 *
 * @example
 * ```ts
 * const scores = await scout.evaluate({ candidates, data, race: true });
 * const html = renderReport({ title: 'Sentiment models', scores, dataset: 'SST-2 sample' });
 * ```
 * @throws InvalidArgumentError for an invalid input: scores that are not an array, a score
 *   without a `modelId` or `quality`, an unknown key, an invalid option or learning observation.
 */
export function renderReport(input: ReportInput): string {
  assertInput(input);
  const generatedAt = resolveDate(input.generatedAt);
  const title = input.title ?? REPORT_DEFAULTS.title;
  const percentile = input.latencyPercentile ?? REPORT_DEFAULTS.latencyPercentile;
  const curves: LearningCurves | undefined =
    input.learningCurve === undefined
      ? undefined
      : computeLearningCurves(input.learningCurve, {
          maxSeries: input.maxLegendEntries ?? REPORT_DEFAULTS.maxLegendEntries,
        });

  const candidates = reportRows(input.scores, percentile, new Set());
  const plottable = candidates.filter((row) => row.measured && row.latency !== undefined);
  const front = new Set(
    paretoFront(plottable.map((row) => ({ quality: row.quality!, latency: row.latency!, row }))).map(
      ({ row }) => row,
    ),
  );
  const rows = candidates.map((row) => (front.has(row) ? { ...row, onFront: true } : row));
  const winner = chooseWinner(rows);
  const metrics = [...new Set(rows.filter((row) => row.measured).map((row) => row.score.quality.metric))];
  const qualityLabel = metrics.length === 1 ? metrics[0]! : `quality (${metrics.join(', ')})`;

  const scatter = renderQualityLatencyPlot(rows, {
    percentile,
    latencyAxis: input.latencyAxis ?? REPORT_DEFAULTS.latencyAxis,
    logScaleRatio: input.logScaleRatio ?? REPORT_DEFAULTS.logScaleRatio,
    maxPointLabels: input.maxPointLabels ?? REPORT_DEFAULTS.maxPointLabels,
    qualityLabel,
  });
  const intervals = renderQualityIntervalPlot(rows, {
    maxRows: input.maxIntervalRows ?? REPORT_DEFAULTS.maxIntervalRows,
    qualityLabel,
    winner: winner?.row.modelId,
  });
  const learning = curves === undefined ? '' : renderLearningCurvePlots(curves);

  const sections: string[] = [
    `<header><h1>${escapeHtml(title)}</h1>`,
    input.description === undefined ? '' : `<p class="description">${escapeHtml(input.description)}</p>`,
    renderSummary({ rows, winner, generatedAt, dataset: input.dataset, percentile, curves }),
    '</header>',
    '<section><h2>Quality and latency</h2>',
    scatter === '' && intervals === ''
      ? '<p class="muted">Nothing to plot: no candidate has a measured quality.</p>'
      : `<div class="plots">${scatter}${intervals}</div>`,
    '</section>',
    learning === '' ? '' : `<section><h2>How the selector learned</h2>${learning}</section>`,
    `<section><h2>Candidates</h2>${renderCandidateTable(rows, winner?.row.modelId)}</section>`,
    '<footer>Made with modelscout. This page is self-contained: no scripts, no network requests.</footer>',
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLES}</style>`,
    '</head>',
    `<body><main>${sections.join('')}</main></body>`,
    '</html>',
    '',
  ].join('\n');
}
