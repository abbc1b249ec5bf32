import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import { formatInterval, formatMilliseconds, formatNumber, UNKNOWN } from './format-values.js';
import type { TextStyle } from './text-style.js';
import { renderTable } from './text-table.js';

/** How a candidate's evaluation ended, in words: `'completed'`, `'eliminated by …'`, `'load failed: …'`. */
export function scoreStatus(score: EvaluationScore): string {
  switch (score.stopReason) {
    case 'completed':
      return score.race?.winner === true ? 'completed, won the race' : 'completed';
    case 'race-decided':
      return score.race?.winner === true ? 'won the race' : 'race decided';
    case 'eliminated':
      return `eliminated by ${score.race?.eliminatedBy ?? 'the leader'}`;
    case 'budget':
      return 'stopped by the time budget';
    case 'max-samples':
      return 'stopped at --max-samples';
    case 'runner-failed':
      return `runner failed: ${score.error ?? 'unknown error'}`;
    case 'no-runner':
      return `no runner: ${score.error ?? 'none supports it'}`;
    case 'load-failed':
      return `load failed: ${score.error ?? 'unknown error'}`;
  }
}

/** Whether a score measured anything: samples were predicted and the quality is a number. */
export function isMeasured(score: EvaluationScore): boolean {
  return score.samples > 0 && Number.isFinite(score.quality.value);
}

/**
 * The best score: the race's winner when there is one, else the highest quality (ties: the lower
 * p50 latency); `undefined` when nothing was measured.
 */
export function bestScore(scores: readonly EvaluationScore[]): EvaluationScore | undefined {
  const winner = scores.find((score) => score.race?.winner === true);
  if (winner !== undefined) return winner;
  let best: EvaluationScore | undefined;
  for (const score of scores.filter(isMeasured)) {
    if (
      best === undefined ||
      score.quality.value > best.quality.value ||
      (score.quality.value === best.quality.value && score.latencyMs.p50 < best.latencyMs.p50)
    ) {
      best = score;
    }
  }
  return best;
}

function statusStyle(text: string, score: EvaluationScore, style: TextStyle): string {
  if (score.error !== undefined) return style.red(text);
  if (score.stopReason === 'eliminated') return style.yellow(text);
  if (score.stopReason === 'completed' || score.race?.winner === true) return style.green(text);
  return text;
}

/** The results table of an evaluation: quality with its interval, latency, throughput, samples, status. */
export function renderScoreTable(scores: readonly EvaluationScore[], style: TextStyle): string {
  const metrics = [...new Set(scores.map((score) => score.quality.metric))];
  const qualityHeader = metrics.length === 1 ? `${metrics[0]} [95% interval]` : 'quality [95% interval]';
  const best = bestScore(scores);
  return renderTable<EvaluationScore>(
    [
      {
        header: 'model',
        value: (score) => score.modelId,
        style: (text, score, styles) => (score === best ? styles.bold(text) : text),
      },
      {
        header: qualityHeader,
        value: (score) =>
          isMeasured(score)
            ? `${metrics.length === 1 ? '' : `${score.quality.metric} `}${formatInterval(score.quality.value, score.quality.lower, score.quality.upper)}`
            : UNKNOWN,
      },
      {
        header: 'p50',
        value: (score) => (isMeasured(score) ? formatMilliseconds(score.latencyMs.p50) : UNKNOWN),
        align: 'right',
      },
      {
        header: 'p95',
        value: (score) => (isMeasured(score) ? formatMilliseconds(score.latencyMs.p95) : UNKNOWN),
        align: 'right',
      },
      {
        header: 'throughput',
        value: (score) => (isMeasured(score) ? `${formatNumber(score.throughput)}/s` : UNKNOWN),
        align: 'right',
      },
      { header: 'samples', value: (score) => String(score.samples), align: 'right' },
      { header: 'status', value: scoreStatus, style: statusStyle },
    ],
    scores,
    style,
  );
}
