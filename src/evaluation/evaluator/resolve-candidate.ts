import { homedir } from 'node:os';
import path from 'node:path';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { InferenceRunner } from '../spec.js';
import type { EvaluationCandidate } from './evaluation-request.js';

/** A candidate ready to load: the model, and the runner that runs it (none when no runner supports it). @internal */
export interface ResolvedCandidate {
  readonly candidate: ModelCandidate;
  readonly runner: InferenceRunner | undefined;
  readonly dtype: string | undefined;
}

/** Whether `text` names a folder rather than a model id: absolute, or starting with `./`, `../` or `~/`. */
export function isLocalPath(text: string): boolean {
  return (
    path.isAbsolute(text) ||
    text === '.' ||
    text === '..' ||
    /^\.\.?[\\/]/.test(text) ||
    text.startsWith('~/') ||
    /^[A-Za-z]:[\\/]/.test(text)
  );
}

/** A string candidate as a {@link ModelCandidate}: a local path gets `localPath` (its id is the resolved path). */
export function candidateFromString(text: string): ModelCandidate {
  if (!isLocalPath(text)) return { id: text };
  const expanded = text.startsWith('~/') ? path.join(homedir(), text.slice(2)) : text;
  const localPath = path.resolve(expanded);
  return { id: localPath, localPath, provider: 'local-path' };
}

function isRunner(value: unknown): value is InferenceRunner {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as InferenceRunner).specificationVersion === 'v1' &&
    typeof (value as InferenceRunner).supports === 'function' &&
    typeof (value as InferenceRunner).load === 'function'
  );
}

/** Validates the evaluator's runners. @internal */
export function assertRunners(
  runners: unknown,
  argument: string,
): asserts runners is readonly InferenceRunner[] {
  if (!Array.isArray(runners)) {
    throw new InvalidArgumentError({
      argument,
      value: runners,
      message: 'must be an array of InferenceRunners',
    });
  }
  runners.forEach((runner, index) => {
    if (!isRunner(runner)) {
      throw new InvalidArgumentError({
        argument: `${argument}[${index}]`,
        value: runner,
        message: "must be an InferenceRunner of specificationVersion 'v1'",
      });
    }
  });
}

function toCandidate(value: unknown, argument: string): ModelCandidate {
  if (typeof value === 'string' && value.length > 0) return candidateFromString(value);
  if (value !== null && typeof value === 'object' && typeof (value as ModelCandidate).id === 'string') {
    const candidate = value as ModelCandidate;
    if (candidate.id.length > 0) return candidate;
  }
  throw new InvalidArgumentError({
    argument,
    value,
    message: 'must be a model id, a local path, a ModelCandidate or { candidate, runner?, dtype? }',
  });
}

/**
 * Normalizes the request's candidates and picks each one's runner: the one given, else the first
 * of `runners` whose `supports(candidate, task)` is true. Ids must be distinct.
 * @internal
 */
export function resolveCandidates(
  entries: unknown,
  task: Task,
  runners: readonly InferenceRunner[],
): ResolvedCandidate[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new InvalidArgumentError({
      argument: 'request.candidates',
      value: entries,
      message: 'must be a non-empty array',
    });
  }
  const seen = new Set<string>();
  return (entries as EvaluationCandidate[]).map((entry, index) => {
    const argument = `request.candidates[${index}]`;
    let candidate: ModelCandidate;
    let runner: InferenceRunner | undefined;
    let dtype: string | undefined;
    if (entry !== null && typeof entry === 'object' && 'candidate' in entry && !('id' in entry)) {
      candidate = toCandidate(entry.candidate, `${argument}.candidate`);
      if (entry.runner !== undefined) {
        if (!isRunner(entry.runner)) {
          throw new InvalidArgumentError({
            argument: `${argument}.runner`,
            value: entry.runner,
            message: "must be an InferenceRunner of specificationVersion 'v1'",
          });
        }
        runner = entry.runner;
      }
      if (entry.dtype !== undefined && (typeof entry.dtype !== 'string' || entry.dtype.length === 0)) {
        throw new InvalidArgumentError({
          argument: `${argument}.dtype`,
          value: entry.dtype,
          message: 'must be a non-empty string',
        });
      }
      dtype = entry.dtype;
    } else {
      candidate = toCandidate(entry, argument);
    }
    if (seen.has(candidate.id)) {
      throw new InvalidArgumentError({
        argument,
        value: candidate.id,
        message: `duplicate id '${candidate.id}'`,
      });
    }
    seen.add(candidate.id);
    runner ??= runners.find((each) => {
      try {
        return each.supports(candidate, task);
      } catch {
        return false;
      }
    });
    return { candidate, runner, dtype };
  });
}
