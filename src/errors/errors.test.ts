import { describe, expect, test } from 'vitest';
import {
  ApiCallError,
  ContradictoryConstraintsError,
  EvaluationError,
  InvalidArgumentError,
  ModelscoutError,
  NoFeasibleCandidateError,
  ProviderError,
  RunnerError,
  StoreError,
  UnknownArmError,
} from './index.js';
import { redactSecrets } from './redact-secrets.js';

describe('errors', () => {
  test('isInstance recognizes each kind and the base, and nothing else', () => {
    const errors = [
      new InvalidArgumentError({ argument: 'reward', value: 2, message: 'must be ≤ 1' }),
      new UnknownArmError({ armId: 'x' }),
      new ContradictoryConstraintsError({ constraints: ['a', 'b'], message: 'no' }),
      new NoFeasibleCandidateError({ rejections: [{ constraint: 'task', candidates: ['m'], detail: 'd' }] }),
      new StoreError({ store: 'memory', message: 'closed' }),
      new ApiCallError({ url: 'http://127.0.0.1/x', statusCode: 503, message: 'unavailable' }),
      new ProviderError({
        provider: 'ollama',
        operation: 'listModels',
        reason: 'failed',
        cause: new Error('x'),
      }),
      new RunnerError({ runner: 'function', modelId: 'm', reason: 'disposed', message: 'disposed' }),
      new EvaluationError({ failures: [{ modelId: 'm', reason: 'no-runner', message: 'no runner' }] }),
    ];
    const classes = [
      InvalidArgumentError,
      UnknownArmError,
      ContradictoryConstraintsError,
      NoFeasibleCandidateError,
      StoreError,
      ApiCallError,
      ProviderError,
      RunnerError,
      EvaluationError,
    ];
    for (const [index, error] of errors.entries()) {
      expect(ModelscoutError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      for (const [other, kind] of classes.entries()) expect(kind.isInstance(error)).toBe(index === other);
    }
    expect(ModelscoutError.isInstance(new Error('plain'))).toBe(false);
    expect(ModelscoutError.isInstance(null)).toBe(false);
    expect(ModelscoutError.isInstance('InvalidArgumentError')).toBe(false);
  });

  test('isInstance works across copies of the package (marker, not prototype)', () => {
    const foreign = Object.assign(Object.create(null) as object, {
      [Symbol.for('modelscout.error')]: true,
      [Symbol.for('modelscout.error.StoreError')]: true,
    });
    expect(ModelscoutError.isInstance(foreign)).toBe(true);
    expect(StoreError.isInstance(foreign)).toBe(true);
    expect(InvalidArgumentError.isInstance(foreign)).toBe(false);
  });

  test('fields, names and messages', () => {
    const invalid = new InvalidArgumentError({
      argument: 'context.tier',
      value: null,
      message: 'must be a string',
    });
    expect(invalid).toMatchObject({ name: 'InvalidArgumentError', argument: 'context.tier', value: null });
    expect(invalid.message).toBe("Invalid argument 'context.tier': must be a string");
    const cause = new Error('socket hang up');
    const api = new ApiCallError({ url: 'http://127.0.0.1:1/api', message: 'request failed', cause });
    expect(api).toMatchObject({ statusCode: undefined, isRetryable: true, cause });
    expect(new ApiCallError({ url: 'u', statusCode: 404, message: 'm' }).isRetryable).toBe(false);
    for (const statusCode of [408, 409, 429, 500, 503]) {
      expect(new ApiCallError({ url: 'u', statusCode, message: 'm' }).isRetryable).toBe(true);
    }
    const infeasible = new NoFeasibleCandidateError({
      rejections: [
        {
          constraint: 'license',
          candidates: ['a', 'b'],
          detail: 'a: gpl-3.0 is denied; b: gpl-3.0 is denied',
        },
      ],
    });
    expect(infeasible.message).toContain('license');
    expect(infeasible.message).toContain('a, b');
  });
});

describe('ProviderError', () => {
  test('names the provider, the operation and the reason; retryable for timeouts and retryable causes', () => {
    const timedOut = new ProviderError({
      provider: 'huggingface',
      operation: 'listModels',
      reason: 'timed-out',
      detail: 'no answer within 30000 ms',
    });
    expect(timedOut).toMatchObject({ name: 'ProviderError', provider: 'huggingface', isRetryable: true });
    expect(timedOut.message).toBe(
      "Provider 'huggingface' timed out while listing models: no answer within 30000 ms",
    );
    const cause = new ApiCallError({ url: 'http://127.0.0.1/api', statusCode: 429, message: 'slow down' });
    const failed = new ProviderError({ provider: 'hub', operation: 'getModel', reason: 'failed', cause });
    expect(failed).toMatchObject({ isRetryable: true, cause, skippedCandidates: undefined });
    expect(failed.message).toContain('while getting a model: slow down');
    const malformed = new ProviderError({
      provider: 'p',
      operation: 'listModels',
      reason: 'malformed',
      skippedCandidates: 2,
      detail: 'skipped 2',
    });
    expect(malformed).toMatchObject({ isRetryable: false, skippedCandidates: 2 });
  });

  test('token-like strings never reach the message', () => {
    const secrets = ['hf_abcdefghijklmnop', 'sk-proj-ABCDEF123456', 'opaque-bearer-value', 'pw123', 'k3y'];
    const error = new ProviderError({
      provider: 'custom',
      operation: 'listModels',
      reason: 'failed',
      cause: new Error(
        `401 for hf_abcdefghijklmnop / sk-proj-ABCDEF123456 (Authorization: Bearer opaque-bearer-value) at https://me:pw123@example.test/v1?api_key=k3y&limit=2`,
      ),
    });
    for (const secret of secrets) expect(error.message).not.toContain(secret);
    expect(error.message).toContain('https://[redacted]@example.test/v1?api_key=[redacted]&limit=2');
    expect(redactSecrets('nothing secret here')).toBe('nothing secret here');
  });
});
