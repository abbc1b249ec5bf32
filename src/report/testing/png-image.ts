import { inflateSync } from 'node:zlib';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** A decoded image: `width × height` pixels, 4 bytes (red, green, blue, alpha) each, row by row. @internal */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Color type → channels per pixel: 2 is RGB, 6 is RGBA (the ones Chromium writes). */
const CHANNELS: Readonly<Record<number, number>> = { 2: 3, 6: 4 };

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument: 'png', message });
}

/** The Paeth predictor of the PNG specification (filter type 4). */
function paeth(left: number, above: number, upperLeft: number): number {
  const estimate = left + above - upperLeft;
  const toLeft = Math.abs(estimate - left);
  const toAbove = Math.abs(estimate - above);
  const toUpperLeft = Math.abs(estimate - upperLeft);
  if (toLeft <= toAbove && toLeft <= toUpperLeft) return left;
  return toAbove <= toUpperLeft ? above : upperLeft;
}

/**
 * Decodes a PNG of 8-bit RGB or RGBA, not interlaced (what headless Chromium's `--screenshot`
 * writes), with every filter type. Other PNGs are rejected with an `InvalidArgumentError`.
 * @internal
 */
export function decodePng(png: Uint8Array): RgbaImage {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) throw invalid('not a PNG file');
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const chunk = bytes.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      const [bitDepth, colorType, , , interlace] = chunk.subarray(8, 13);
      channels = CHANNELS[colorType ?? -1] ?? 0;
      if (bitDepth !== 8 || channels === 0 || interlace !== 0) {
        throw invalid(
          `unsupported PNG: bit depth ${bitDepth}, color type ${colorType}, interlace ${interlace}`,
        );
      }
    } else if (type === 'IDAT') data.push(chunk);
    else if (type === 'IEND') break;
  }
  if (channels === 0) throw invalid('no IHDR chunk');
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw invalid('truncated image data');
  let previous = new Uint8Array(stride);
  let current = new Uint8Array(stride);
  const pixels = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const start = row * (stride + 1) + 1;
    const filter = raw[start - 1]!;
    current.set(raw.subarray(start, start + stride));
    // Each filter adds a prediction from the reconstructed bytes to the left (`channels` back)
    // and above (the previous row).
    if (filter === 1) {
      for (let index = channels; index < stride; index++)
        current[index] = current[index]! + current[index - channels]!;
    } else if (filter === 2) {
      for (let index = 0; index < stride; index++) current[index] = current[index]! + previous[index]!;
    } else if (filter === 3) {
      for (let index = 0; index < stride; index++) {
        const left = index >= channels ? current[index - channels]! : 0;
        current[index] = current[index]! + ((left + previous[index]!) >> 1);
      }
    } else if (filter === 4) {
      for (let index = 0; index < stride; index++) {
        const left = index >= channels ? current[index - channels]! : 0;
        const upperLeft = index >= channels ? previous[index - channels]! : 0;
        current[index] = current[index]! + paeth(left, previous[index]!, upperLeft);
      }
    } else if (filter !== 0) {
      throw invalid(`unknown filter type ${filter} in row ${row}`);
    }
    const target = row * width * 4;
    if (channels === 4) pixels.set(current, target);
    else {
      for (let column = 0; column < width; column++) {
        pixels[target + column * 4] = current[column * 3]!;
        pixels[target + column * 4 + 1] = current[column * 3 + 1]!;
        pixels[target + column * 4 + 2] = current[column * 3 + 2]!;
        pixels[target + column * 4 + 3] = 255;
      }
    }
    [previous, current] = [current, previous];
  }
  return { width, height, pixels };
}
