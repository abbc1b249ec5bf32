import { expect, test } from 'vitest';
import { ApiCallError } from './api-call-error.js';
import { DownloadError } from './download-error.js';
import { ModelscoutError } from './modelscout-error.js';

test('DownloadError: fields, message, retryable reasons, isInstance by marker', () => {
  const error = new DownloadError({
    reason: 'network',
    modelId: 'org/name',
    path: 'onnx/model.onnx',
    revision: 'main',
    message: 'the connection closed after 10 of 20 bytes',
  });
  expect(error).toMatchObject({
    name: 'DownloadError',
    reason: 'network',
    modelId: 'org/name',
    path: 'onnx/model.onnx',
    revision: 'main',
    isRetryable: true,
  });
  expect(error.message).toBe(
    "Downloading 'org/name' (onnx/model.onnx) failed [network]: the connection closed after 10 of 20 bytes",
  );
  expect(DownloadError.isInstance(error)).toBe(true);
  expect(ModelscoutError.isInstance(error)).toBe(true);
  expect(ApiCallError.isInstance(error)).toBe(false);
  expect(DownloadError.isInstance(new ApiCallError({ url: 'u', message: 'm' }))).toBe(false);
  const foreign = {
    [Symbol.for('modelscout.error')]: true,
    [Symbol.for('modelscout.error.DownloadError')]: true,
  };
  expect(DownloadError.isInstance(foreign)).toBe(true);
  for (const reason of [
    'disk',
    'pickle-refused',
    'unsafe-path',
    'offline',
    'aborted',
    'not-found',
  ] as const) {
    expect(new DownloadError({ reason, modelId: 'm', message: 'x' }).isRetryable).toBe(false);
  }
  for (const reason of ['checksum-mismatch', 'locked'] as const) {
    expect(new DownloadError({ reason, modelId: 'm', message: 'x' }).isRetryable).toBe(true);
  }
});

test('DownloadError never carries a token in its message', () => {
  const error = new DownloadError({
    reason: 'unauthorized',
    modelId: 'org/gated',
    message:
      'GET https://huggingface.co/org/gated?token=hf_abcdefgh12345 with Bearer hf_abcdefgh12345 failed',
  });
  expect(error.message).not.toContain('hf_abcdefgh12345');
});
