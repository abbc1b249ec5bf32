import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { decodePng } from './png-image.js';

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function paeth(left: number, above: number, upperLeft: number): number {
  const estimate = left + above - upperLeft;
  const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - above), Math.abs(estimate - upperLeft)];
  return a <= b && a <= c ? left : b <= c ? above : upperLeft;
}

/** A PNG encoder for the test: row `r` uses filter `r % 5`, so that every filter is decoded. */
function encodePng(
  width: number,
  height: number,
  channels: 3 | 4,
  pixel: (x: number, y: number) => number[],
): Buffer {
  const stride = width * channels;
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const raw = Buffer.from(Array.from({ length: width }, (_, x) => pixel(x, y).slice(0, channels)).flat());
    const filter = y % 5;
    const filtered = Buffer.alloc(stride + 1);
    filtered[0] = filter;
    for (let index = 0; index < stride; index++) {
      const left = index >= channels ? raw[index - channels]! : 0;
      const above = previous[index]!;
      const upperLeft = index >= channels ? previous[index - channels]! : 0;
      const predicted = [0, left, above, (left + above) >> 1, paeth(left, above, upperLeft)][filter]!;
      filtered[index + 1] = (raw[index]! - predicted) & 0xff;
    }
    rows.push(filtered);
    previous = raw;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pattern = (x: number, y: number) => [
  (x * 37 + y * 11) & 0xff,
  (x * y) & 0xff,
  (255 - x * 3) & 0xff,
  (y * 50) & 0xff,
];

describe('decodePng', () => {
  test.each([3, 4] as const)('decodes %i-channel images with every filter type', (channels) => {
    const image = decodePng(encodePng(13, 10, channels, pattern));
    expect([image.width, image.height]).toEqual([13, 10]);
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 13; x++) {
        const expected = pattern(x, y);
        if (channels === 3) expected[3] = 255;
        expect(Array.from(image.pixels.subarray((y * 13 + x) * 4, (y * 13 + x) * 4 + 4))).toEqual(expected);
      }
    }
  });

  test('rejects what it does not decode', () => {
    expect(() => decodePng(Buffer.from('not a png'))).toThrow(InvalidArgumentError);
    const png = encodePng(2, 2, 3, pattern);
    // Color type 3 (palette) in the header.
    const palette = Buffer.from(png);
    palette[8 + 8 + 9] = 3;
    expect(() => decodePng(palette)).toThrow(/unsupported PNG/);
  });
});
