import { expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import { createTransferMeter } from './transfer-meter.js';

test('rate and ETA from the bytes received since the start, resumed bytes excluded from the rate', () => {
  const clock = manualClock(1_000);
  const meter = createTransferMeter({ clock, totalBytes: 1_000, startBytes: 200, intervalMs: 100 });
  expect(meter.status()).toEqual({ bytes: 200, totalBytes: 1_000, bytesPerSecond: 0, etaMs: undefined });
  clock.advance(200);
  expect(meter.add(100)).toEqual({ bytes: 300, totalBytes: 1_000, bytesPerSecond: 500, etaMs: 1_400 });
  clock.advance(50);
  // Throttled: within intervalMs of the last report.
  expect(meter.add(100)).toBeUndefined();
  clock.advance(50);
  expect(meter.add(100)).toMatchObject({ bytes: 500, bytesPerSecond: 1_000, etaMs: 500 });
  // The last bytes always report, whatever the interval.
  expect(meter.add(500)).toMatchObject({ bytes: 1_000, etaMs: 0 });
});

test('skip moves the progress without changing the rate', () => {
  const clock = manualClock(0);
  const meter = createTransferMeter({ clock, totalBytes: 100, intervalMs: 0 });
  clock.advance(1_000);
  meter.add(10);
  meter.skip(40);
  expect(meter.status()).toMatchObject({ bytes: 50, bytesPerSecond: 10, etaMs: 5_000 });
  meter.skip(-50);
  expect(meter.status()).toMatchObject({ bytes: 0, bytesPerSecond: 10 });
});
