import type { EventEmitter } from 'eventemitter3';
import type { EvaluationStopReason } from '../evaluation/evaluator/evaluation-score.js';
import type {
  CandidateEliminatedEvent,
  EvaluationFinishedEvent,
  EvaluationProgressEvent,
  EvaluationStartedEvent,
  ScoutEvents,
} from '../events.js';
import { formatDuration } from './format-values.js';
import type { Output } from './output.js';
import {
  type CandidateProgress,
  millisecondsPerExample,
  overallEtaMs,
  overallFraction,
} from './progress-estimate.js';
import { stripStyle } from './text-style.js';

/** How often progress bars are redrawn on a terminal, at most. */
const REDRAW_INTERVAL_MS = 100;
/** On a non-terminal, a candidate's progress is printed at each quarter, and at least this often. */
const PLAIN_INTERVAL_MS = 10_000;
const BAR_WIDTH = 24;
/** The width assumed when a terminal does not tell its own. */
const DEFAULT_COLUMNS = 80;
const NAME_WIDTH = 40;
/** Room for a bar's status: `'ETA 12m 05s'`, `'waiting'`, `'done'`. */
const STATUS_WIDTH = 12;

interface CandidateState extends CandidateProgress {
  readonly id: string;
  /** The last quarter printed (non-terminal output). */
  readonly quarter: number;
  readonly lastPrintedAt: number;
  readonly note: string | undefined;
}

/** Stops drawing progress. */
export interface ProgressDisplay {
  /** Draws the final state (on a terminal) and unsubscribes. */
  stop(): void;
}

/** How a candidate's progress ends, in a word or two, when no progress event told it (the table says more). */
const ENDINGS: Readonly<Record<EvaluationStopReason, string>> = {
  completed: 'done',
  'race-decided': 'race decided',
  eliminated: 'eliminated',
  budget: 'stopped',
  'max-samples': 'done',
  'runner-failed': 'runner failed',
  'no-runner': 'no runner',
  'load-failed': 'load failed',
};

function percent(done: number, total: number | undefined): string {
  return total === undefined || total === 0 ? '' : `${Math.floor((100 * Math.min(done, total)) / total)}%`;
}

/**
 * Shows an evaluation's progress on stderr from the scout's `evaluation_started`,
 * `evaluation_progress` and `candidate_eliminated` events: on a terminal, one bar per candidate
 * and an overall line with the ETA, redrawn in place; otherwise (a pipe, a file, CI) plain lines
 * at each quarter of a candidate's examples, when it stops, and at least every 10 s — never an
 * escape sequence or a carriage return. Nothing with `--quiet`.
 */
export function showEvaluationProgress(
  events: EventEmitter<ScoutEvents>,
  output: Output,
  { budgetMs }: { readonly budgetMs: number },
): ProgressDisplay {
  if (output.quiet) return { stop() {} };
  const terminal = output.stderrIsTerminal;
  const style = output.errorStyle;
  const states = new Map<string, CandidateState>();
  const startedAt = Date.now();
  let drawnLines = 0;
  let lastDrawAt = 0;
  let pendingDraw: NodeJS.Timeout | undefined;

  const candidates = () => [...states.values()];
  const overallLine = () => {
    const list = candidates();
    const fraction = overallFraction(list);
    const eta = overallEtaMs(list, budgetMs);
    const finished = list.every((state) => state.finished);
    const parts = [
      `overall ${fraction === undefined ? '' : `${Math.floor(100 * fraction)}% `}`.trimEnd(),
      `elapsed ${formatDuration(Date.now() - startedAt)}`,
      finished ? 'done' : `ETA ${eta === undefined ? '…' : formatDuration(eta)}`,
    ];
    return parts.join(' · ');
  };

  const nameWidth = () => Math.min(NAME_WIDTH, Math.max(...candidates().map((state) => state.id.length)));
  const fitName = (id: string) => {
    const width = nameWidth();
    return id.length <= width ? id.padEnd(width) : `…${id.slice(id.length - width + 1)}`;
  };

  const barLine = (state: CandidateState) => {
    const fraction =
      state.finished && state.total !== undefined
        ? Math.min(1, state.done / Math.max(1, state.total))
        : state.total === undefined || state.total === 0
          ? 0
          : Math.min(1, state.done / state.total);
    const countWidth = Math.max(...candidates().map((other) => `${other.total ?? '?'}`.length)) * 2 + 1;
    // Name, count, percentage and status take what they need; the bar gets the rest, within bounds.
    const columns = output.stderrColumns ?? DEFAULT_COLUMNS;
    const barWidth = Math.max(
      8,
      Math.min(BAR_WIDTH, columns - 1 - (nameWidth() + countWidth + STATUS_WIDTH + 9)),
    );
    const filled = Math.round(fraction * barWidth);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
    const count = `${state.done}/${state.total ?? '?'}`.padStart(countWidth);
    const status = state.finished
      ? (state.note ?? 'done')
      : state.etaMs === undefined
        ? state.done === 0
          ? 'waiting'
          : 'running'
        : `ETA ${formatDuration(state.etaMs)}`;
    const coloredBar = state.finished ? style.green(bar) : style.cyan(bar);
    return `${fitName(state.id)} ${coloredBar} ${count} ${percent(state.done, state.total).padStart(4)}  ${status}`;
  };

  const draw = () => {
    pendingDraw = undefined;
    lastDrawAt = Date.now();
    const columns = output.stderrColumns ?? DEFAULT_COLUMNS;
    const lines = [...candidates().map(barLine), style.dim(overallLine())];
    let text = drawnLines > 0 ? `\u001b[${drawnLines}A` : '';
    for (const line of lines) {
      // Long lines would wrap and break the redraw: cut them to the terminal's width.
      const visible = stripStyle(line);
      text += `\u001b[2K${visible.length > columns - 1 ? `${visible.slice(0, columns - 2)}…` : line}\n`;
    }
    drawnLines = lines.length;
    output.writeError(text);
  };
  const scheduleDraw = () => {
    if (!terminal || pendingDraw !== undefined) return;
    const wait = REDRAW_INTERVAL_MS - (Date.now() - lastDrawAt);
    if (wait <= 0) draw();
    else pendingDraw = setTimeout(draw, wait);
  };

  const printPlain = (state: CandidateState, text: string) => {
    output.writeError(`  ${state.id}: ${text}\n`);
  };

  const onStarted = (event: EvaluationStartedEvent) => {
    for (const id of event.candidates) {
      states.set(id, {
        id,
        done: 0,
        total: event.total,
        etaMs: undefined,
        finished: false,
        millisecondsPerExample: undefined,
        quarter: 0,
        lastPrintedAt: Date.now(),
        note: undefined,
      });
    }
    const count = event.candidates.length;
    const header = `Evaluating ${count} model${count === 1 ? '' : 's'} on ${event.total ?? 'the'} examples (${event.task}${event.race ? ', racing' : ''})`;
    output.writeError(`${header}\n`);
    scheduleDraw();
  };

  const onProgress = (event: EvaluationProgressEvent) => {
    const previous = states.get(event.modelId);
    if (previous === undefined || (previous.finished && !terminal)) return;
    const finished = event.etaMs === 0 && (event.total === undefined || event.done <= event.total);
    const state: CandidateState = {
      ...previous,
      done: event.done,
      total: event.total ?? previous.total,
      etaMs: event.etaMs,
      finished: previous.finished || finished,
      millisecondsPerExample:
        millisecondsPerExample(event.done, event.total ?? previous.total, event.etaMs) ??
        previous.millisecondsPerExample,
    };
    states.set(event.modelId, state);
    if (terminal) {
      scheduleDraw();
      return;
    }
    const now = Date.now();
    const eta = overallEtaMs(candidates(), budgetMs);
    const overall = eta === undefined || state.finished ? '' : `; overall ETA ${formatDuration(eta)}`;
    if (state.finished && !previous.finished) {
      const ending =
        state.note ?? (state.total !== undefined && event.done >= state.total ? 'done' : 'stopped');
      printPlain(state, `${ending} at ${event.done}/${state.total ?? '?'}${overall}`);
      return;
    }
    const quarter =
      state.total === undefined || state.total === 0 ? 0 : Math.floor((4 * state.done) / state.total);
    if (quarter > state.quarter || now - state.lastPrintedAt >= PLAIN_INTERVAL_MS) {
      states.set(event.modelId, { ...state, quarter: Math.max(quarter, state.quarter), lastPrintedAt: now });
      const etaText = state.etaMs === undefined ? '' : `, ETA ${formatDuration(state.etaMs)}`;
      printPlain(
        state,
        `${event.done}/${state.total ?? '?'} (${percent(event.done, state.total)})${etaText}${overall}`,
      );
    }
  };

  const onEliminated = (event: CandidateEliminatedEvent) => {
    const previous = states.get(event.modelId);
    if (previous === undefined) return;
    const note =
      event.reason === 'eliminated'
        ? `eliminated by ${event.leader}`
        : `race decided (leader ${event.leader})`;
    states.set(event.modelId, { ...previous, note });
    if (terminal) scheduleDraw();
  };

  // A candidate that never predicted (its load failed, no runner took it) sends no progress
  // event: the scores tell how it ended, so that no bar is left waiting and the ETA ends.
  const onFinished = (event: EvaluationFinishedEvent) => {
    for (const score of event.scores) {
      const previous = states.get(score.modelId);
      if (previous === undefined || previous.finished) continue;
      const state: CandidateState = {
        ...previous,
        done: score.samples,
        etaMs: 0,
        finished: true,
        note: previous.note ?? ENDINGS[score.stopReason],
      };
      states.set(score.modelId, state);
      if (!terminal) printPlain(state, `${state.note} at ${state.done}/${state.total ?? '?'}`);
    }
  };

  events.on('evaluation_started', onStarted);
  events.on('evaluation_progress', onProgress);
  events.on('candidate_eliminated', onEliminated);
  events.on('evaluation_finished', onFinished);
  return {
    stop() {
      events.off('evaluation_started', onStarted);
      events.off('evaluation_progress', onProgress);
      events.off('candidate_eliminated', onEliminated);
      events.off('evaluation_finished', onFinished);
      if (pendingDraw !== undefined) clearTimeout(pendingDraw);
      if (terminal && states.size > 0) draw();
    },
  };
}
