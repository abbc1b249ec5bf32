// The progress display on a terminal, fed the scout's evaluation events by hand: what its last
// frame shows once the evaluation has finished. (Plain, non-terminal progress is tested through
// the built binary in cli-eval.test.ts.)
import { EventEmitter } from 'eventemitter3';
import { describe, expect, test } from 'vitest';
import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import type { ScoutEvents } from '../events.js';
import { showEvaluationProgress } from './evaluation-progress.js';
import { createOutput } from './output.js';
import { stripStyle } from './text-style.js';

/** An output whose stderr is a terminal, recording what is written to it. */
function terminalOutput(environment: Readonly<Record<string, string>> = {}) {
  const written: string[] = [];
  const output = createOutput({
    stdout: { write: () => true },
    stderr: {
      isTTY: true,
      columns: 120,
      write: (text) => {
        written.push(text);
        return true;
      },
    },
    json: false,
    quiet: false,
    noColor: true,
    environment,
  });
  /** The lines of the last frame drawn (after the last cursor move up). */
  const lastFrame = () => {
    const text = written.join('');
    const frames = text.split(new RegExp(`${String.fromCharCode(27)}\\[\\d+A`));
    return stripStyle(frames.at(-1)!).trimEnd().split('\n');
  };
  return { output, lastFrame, written };
}

function score(modelId: string, stopReason: EvaluationScore['stopReason'], samples: number): EvaluationScore {
  return { modelId, stopReason, samples } as EvaluationScore;
}

describe('evaluation progress on a terminal', () => {
  test('a model that never predicted (its load failed) ends as failed, and the overall line as done', () => {
    const events = new EventEmitter<ScoutEvents>();
    const { output, lastFrame } = terminalOutput();
    const progress = showEvaluationProgress(events, output, { budgetMs: 60_000 });
    events.emit('evaluation_started', {
      candidates: ['org/broken', 'org/fine'],
      task: 'text-classification',
      race: false,
      total: 10,
    });
    events.emit('evaluation_progress', { modelId: 'org/fine', done: 5, total: 10, etaMs: 50 });
    events.emit('evaluation_progress', { modelId: 'org/fine', done: 10, total: 10, etaMs: 0 });
    events.emit('evaluation_finished', {
      scores: [score('org/broken', 'load-failed', 0), score('org/fine', 'completed', 10)],
      durationMs: 100,
      winner: undefined,
      storeError: undefined,
    });
    progress.stop();

    const [broken, fine, overall] = lastFrame();
    expect(broken).toMatch(/^org\/broken .* 0\/10 +0% {2}load failed$/);
    expect(fine).toMatch(/^org\/fine .* 10\/10 100% {2}done$/);
    expect(overall).toMatch(/^overall 100% · elapsed .* · done$/);
  });
});

describe('evaluation progress on a dumb terminal (TERM=dumb, e.g. an Emacs shell)', () => {
  test('is plain lines, without escape sequences: such a terminal cannot move the cursor', () => {
    const events = new EventEmitter<ScoutEvents>();
    const { output, written } = terminalOutput({ TERM: 'dumb' });
    const progress = showEvaluationProgress(events, output, { budgetMs: 60_000 });
    events.emit('evaluation_started', {
      candidates: ['org/fine'],
      task: 'text-classification',
      race: false,
      total: 8,
    });
    events.emit('evaluation_progress', { modelId: 'org/fine', done: 4, total: 8, etaMs: 40 });
    events.emit('evaluation_progress', { modelId: 'org/fine', done: 8, total: 8, etaMs: 0 });
    progress.stop();

    const text = written.join('');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\r');
    expect(text).toContain('  org/fine: done at 8/8\n');
  });
});
