import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { redactUrl } from '../../discovery/providers/http-json.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { type NormalizedGeneration, normalizeGenerationInput } from './generation-input.js';

/** Tasks the Ollama and OpenAI-compatible runners run. */
export const REMOTE_RUNNER_TASKS: readonly Task[] = ['text-generation', 'feature-extraction'];

/** Whether `candidate` comes from `provider` (its own provider or one of those merged into it). */
export function fromProvider(candidate: ModelCandidate, provider: string): boolean {
  return candidate.provider === provider || (candidate.providers?.includes(provider) ?? false);
}

/** Whether `candidate` lists `task`, or lists no tasks. */
export function listsTask(candidate: ModelCandidate, task: Task): boolean {
  return candidate.tasks === undefined || candidate.tasks.length === 0 || candidate.tasks.includes(task);
}

/** The generation input, or an {@link InvalidArgumentError}. */
export function generationInput(input: unknown): NormalizedGeneration {
  const normalized = normalizeGenerationInput(input);
  if (normalized === undefined) {
    throw new InvalidArgumentError({
      argument: 'inputs',
      value: input,
      message:
        'a text-generation input is a prompt, chat messages, or { prompt | messages, tools?, responseFormat? }',
    });
  }
  return normalized;
}

/** The texts of a `feature-extraction` batch, or an {@link InvalidArgumentError}. */
export function embeddingTexts(inputs: readonly unknown[]): string[] {
  return inputs.map((input) => {
    if (typeof input !== 'string') {
      throw new InvalidArgumentError({
        argument: 'inputs',
        value: input,
        message: 'a feature-extraction input is text',
      });
    }
    return input;
  });
}

/** An {@link ApiCallError} for a stream that ended without its final chunk (the server stopped early). */
export function truncatedStream(url: string, what: string): ApiCallError {
  return new ApiCallError({
    url: redactUrl(url),
    statusCode: 200,
    message: `The stream ended before ${what}`,
    isRetryable: true,
  });
}

/** An {@link ApiCallError} for an error the server reported inside a 200 stream. */
export function streamedError(url: string, message: string): ApiCallError {
  return new ApiCallError({
    url: redactUrl(url),
    statusCode: 200,
    message: `The server reported an error mid-stream: ${message}`,
    isRetryable: false,
  });
}

/** Milliseconds since `start` (from `performance.now()`), never negative. */
export function since(start: number): number {
  return Math.max(0, performance.now() - start);
}
