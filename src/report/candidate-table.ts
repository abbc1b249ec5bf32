import { escapeHtml } from './escape-html.js';
import {
  formatBytes,
  formatInteger,
  formatMilliseconds,
  formatQualityInterval,
  formatThroughput,
  MISSING,
} from './format-values.js';
import type { ReportScore } from './report-input.js';
import { finiteOrUndefined, measuredLatency, type ReportRow } from './report-rows.js';

/** How a candidate's evaluation ended, for people: `'eliminated by racing (leader x)'`, `'completed'`… @internal */
export function statusText(score: ReportScore): string {
  const leader = score.race?.eliminatedBy;
  switch (score.stopReason) {
    case 'completed':
      return score.race?.winner ? 'completed, won the race' : 'completed';
    case 'max-samples':
      return 'stopped at the sample cap';
    case 'budget':
      return 'stopped by the time budget';
    case 'eliminated':
      return leader === undefined ? 'eliminated by racing' : `eliminated by racing (leader ${leader})`;
    case 'race-decided':
      return score.race?.winner ? 'won the race' : 'race decided: within tolerance of the winner';
    case 'runner-failed':
      return 'runner failed';
    case 'no-runner':
      return 'no runner';
    case 'load-failed':
      return 'load failed';
    default:
      if (score.race?.winner) return 'won the race';
      return score.partial ? 'partial' : 'completed';
  }
}

/**
 * The table of candidates, in the rows' order: quality with its interval, latency p50 and p95,
 * throughput, load time, memory, samples, whether it is on the Pareto front, and how its
 * evaluation ended (with the error, when it failed). @internal
 */
export function renderCandidateTable(rows: readonly ReportRow[], winner: string | undefined): string {
  if (rows.length === 0) return '<p class="muted">No candidates were evaluated.</p>';
  const metrics = [...new Set(rows.map((row) => row.score.quality.metric))];
  const qualityHeader = metrics.length === 1 ? metrics[0]! : 'quality';
  const body = rows.map((row) => {
    const { score } = row;
    const quality =
      row.quality === undefined
        ? MISSING
        : formatQualityInterval(row.quality, row.interval?.[0], row.interval?.[1]);
    const metric =
      metrics.length > 1 ? ` <span class="muted">${escapeHtml(score.quality.metric)}</span>` : '';
    const status = statusText(score);
    const error =
      score.error === undefined ? '' : `<div class="error">${escapeHtml(score.error.slice(0, 300))}</div>`;
    const classes = [
      row.modelId === winner ? 'winner' : '',
      score.stopReason === 'eliminated' ? 'eliminated' : '',
      row.measured ? '' : 'unmeasured',
    ].filter((name) => name !== '');
    const runner = [score.runner, score.dtype].filter((part) => part !== undefined).join(' · ');
    return (
      `<tr${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}>` +
      `<td class="number">${row.rank}</td>` +
      `<td class="model">${escapeHtml(row.modelId)}${row.modelId === winner ? ' <span class="badge">winner</span>' : ''}` +
      `${runner === '' ? '' : `<div class="muted">${escapeHtml(runner)}</div>`}</td>` +
      `<td class="number">${quality}${metric}</td>` +
      `<td class="number">${formatMilliseconds(measuredLatency(score.latencyMs?.p50))}</td>` +
      `<td class="number">${formatMilliseconds(measuredLatency(score.latencyMs?.p95))}</td>` +
      `<td class="number">${formatThroughput(finiteOrUndefined(score.throughput))}</td>` +
      `<td class="number">${formatMilliseconds(finiteOrUndefined(score.loadMs))}</td>` +
      `<td class="number">${formatBytes(finiteOrUndefined(score.memoryBytes))}</td>` +
      `<td class="number">${formatInteger(score.samples)}</td>` +
      `<td class="center">${row.onFront ? '●' : ''}</td>` +
      `<td>${escapeHtml(status)}${error}</td></tr>`
    );
  });
  return (
    '<div class="table-wrapper"><table class="candidates"><thead><tr>' +
    '<th>#</th><th>model</th>' +
    `<th>${escapeHtml(qualityHeader)} [interval]</th>` +
    '<th>latency p50</th><th>latency p95</th><th>throughput</th><th>load</th><th>memory</th>' +
    '<th>samples</th><th title="on the quality–latency Pareto front">Pareto</th><th>status</th>' +
    `</tr></thead><tbody>${body.join('')}</tbody></table></div>`
  );
}
