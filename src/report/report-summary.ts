import { escapeHtml } from './escape-html.js';
import {
  formatDate,
  formatInteger,
  formatMilliseconds,
  formatQuality,
  formatQualityInterval,
} from './format-values.js';
import type { LearningCurves } from './learning-curves.js';
import type { LatencyPercentile } from './report-input.js';
import type { ReportRow, ReportWinner } from './report-rows.js';

/** What {@link renderSummary} shows. @internal */
export interface SummaryOptions {
  readonly rows: readonly ReportRow[];
  readonly winner: ReportWinner | undefined;
  readonly generatedAt: Date;
  /** The caller's name for the data, when given. */
  readonly dataset: string | undefined;
  readonly percentile: LatencyPercentile;
  readonly curves: LearningCurves | undefined;
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))];
}

function listing(values: readonly string[], limit = 4): string {
  const shown = values.slice(0, limit).map(escapeHtml).join(', ');
  return values.length > limit ? `${shown} and ${values.length - limit} more` : shown;
}

/** When the scores were evaluated: one time, or the earliest and latest. */
function evaluatedWhen(rows: readonly ReportRow[]): string | undefined {
  const times = rows
    .map((row) => (row.score.evaluatedAt === undefined ? Number.NaN : Date.parse(row.score.evaluatedAt)))
    .filter(Number.isFinite);
  if (times.length === 0) return undefined;
  const first = formatDate(new Date(Math.min(...times)));
  const last = formatDate(new Date(Math.max(...times)));
  return first === last ? first : `${first} – ${last}`;
}

/** Samples: the total, and per model (one number when every measured model had the same). */
function samplesText(rows: readonly ReportRow[]): string | undefined {
  const samples = rows
    .map((row) => row.score.samples)
    .filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (samples.length === 0) return undefined;
  const total = samples.reduce((sum, value) => sum + value, 0);
  const minimum = Math.min(...samples);
  const maximum = Math.max(...samples);
  const each =
    minimum === maximum
      ? `${formatInteger(minimum)} per candidate`
      : `${formatInteger(minimum)}–${formatInteger(maximum)} per candidate`;
  return `${formatInteger(total)} predictions (${each})`;
}

/** The summary under the title: task, data, when, samples, candidates, winner, learning. @internal */
export function renderSummary({
  rows,
  winner,
  generatedAt,
  dataset,
  percentile,
  curves,
}: SummaryOptions): string {
  const items: [string, string][] = [];
  const tasks = distinct(rows.map((row) => row.score.task));
  if (tasks.length > 0) items.push([tasks.length === 1 ? 'Task' : 'Tasks', listing(tasks)]);
  const datasets = dataset === undefined ? distinct(rows.map((row) => row.score.dataset)) : [dataset];
  if (datasets.length > 0) items.push(['Data', listing(datasets)]);
  const when = evaluatedWhen(rows);
  if (when !== undefined) items.push(['Evaluated', escapeHtml(when)]);
  const samples = samplesText(rows);
  if (samples !== undefined) items.push(['Samples', samples]);
  const measured = rows.filter((row) => row.measured).length;
  const eliminated = rows.filter((row) => row.score.stopReason === 'eliminated').length;
  const failed = rows.length - measured;
  const counts = [
    `${formatInteger(rows.length)} evaluated`,
    ...(eliminated > 0 ? [`${formatInteger(eliminated)} eliminated by racing`] : []),
    ...(failed > 0 ? [`${formatInteger(failed)} without measurements`] : []),
  ];
  items.push(['Candidates', counts.join(', ')]);
  if (winner !== undefined) {
    const { row, reason } = winner;
    const latency = row.latency === undefined ? '' : `, ${percentile} ${formatMilliseconds(row.latency)}`;
    items.push([
      'Winner',
      `<strong>${escapeHtml(row.modelId)}</strong>: ${escapeHtml(row.score.quality.metric)} ` +
        `${formatQualityInterval(row.quality!, row.interval?.[0], row.interval?.[1])}${latency} ` +
        `<span class="muted">(${reason === 'race' ? 'won the race' : 'highest quality measured'})</span>`,
    ]);
  }
  if (curves !== undefined && curves.requests > 0) {
    const last = curves.meanReward.at(-1);
    const learned = [
      `${formatInteger(curves.requests)} requests over ${formatInteger(curves.models)} models`,
      ...(last === undefined ? [] : [`mean reward ${formatQuality(last.value)}`]),
      ...(curves.series[0] === undefined
        ? []
        : [`most served: ${escapeHtml(curves.series[0].label)} (${formatInteger(curves.series[0].picks)})`]),
    ];
    items.push(['Selection', learned.join(', ')]);
  }
  items.push(['Report generated', escapeHtml(formatDate(generatedAt))]);
  return `<dl class="summary">${items.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`;
}
