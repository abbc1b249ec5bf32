import type { RgbaImage } from './png-image.js';

/** A rectangle of pixels, edges included. @internal */
export interface PixelBox {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** `#rrggbb` as `[red, green, blue]`. @internal */
export function parseHexColor(color: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (match === null) throw new Error(`not a #rrggbb color: ${color}`);
  return [Number.parseInt(match[1]!, 16), Number.parseInt(match[2]!, 16), Number.parseInt(match[3]!, 16)];
}

/** Which pixels (within `box`, or the whole image) have `color`, within `tolerance` per channel. @internal */
export function colorMask(image: RgbaImage, color: string, tolerance = 0, box?: PixelBox): Uint8Array {
  const [red, green, blue] = parseHexColor(color);
  const { width, height, pixels } = image;
  const mask = new Uint8Array(width * height);
  const { left = 0, top = 0, right = width - 1, bottom = height - 1 } = box ?? {};
  for (let y = Math.max(0, top); y <= Math.min(height - 1, bottom); y++) {
    for (let x = Math.max(0, left); x <= Math.min(width - 1, right); x++) {
      const index = y * width + x;
      const offset = index * 4;
      if (
        Math.abs(pixels[offset]! - red) <= tolerance &&
        Math.abs(pixels[offset + 1]! - green) <= tolerance &&
        Math.abs(pixels[offset + 2]! - blue) <= tolerance
      ) {
        mask[index] = 1;
      }
    }
  }
  return mask;
}

/** Pixels set in `mask`. @internal */
export function countPixels(mask: Uint8Array): number {
  let count = 0;
  for (let index = 0; index < mask.length; index++) count += mask[index]!;
  return count;
}

/** The smallest box holding every pixel set in `mask`; `undefined` when none is. @internal */
export function boundingBox(mask: Uint8Array, width: number): PixelBox | undefined {
  let left = width;
  let top = -1;
  let right = -1;
  let bottom = -1;
  for (let index = 0; index < mask.length; index++) {
    if (mask[index] === 0) continue;
    const x = index % width;
    const y = (index - x) / width;
    if (top < 0) top = y;
    bottom = y;
    if (x < left) left = x;
    if (x > right) right = x;
  }
  return right < 0 ? undefined : { left, top, right, bottom };
}

/** A 4-connected group of set pixels: its size and its center (the mean of its pixels). @internal */
export interface PixelComponent {
  readonly size: number;
  readonly x: number;
  readonly y: number;
}

/** The 4-connected groups of set pixels in `mask` that have at least `minimumSize` pixels, top to bottom. @internal */
export function components(mask: Uint8Array, width: number, minimumSize = 1): PixelComponent[] {
  const seen = new Uint8Array(mask.length);
  const found: PixelComponent[] = [];
  const stack: number[] = [];
  const visit = (neighbor: number) => {
    if (mask[neighbor] === 1 && seen[neighbor] === 0) {
      seen[neighbor] = 1;
      stack.push(neighbor);
    }
  };
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || seen[start] === 1) continue;
    let size = 0;
    let sumX = 0;
    let sumY = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const index = stack.pop()!;
      size++;
      const x = index % width;
      sumX += x;
      sumY += (index - x) / width;
      if (index >= width) visit(index - width);
      if (index + width < mask.length) visit(index + width);
      if (x > 0) visit(index - 1);
      if (x < width - 1) visit(index + 1);
    }
    if (size >= minimumSize) found.push({ size, x: sumX / size, y: sumY / size });
  }
  return found;
}

/** Sizes of the 4-connected groups of set pixels in `mask` that have at least `minimumSize` pixels. @internal */
export function componentSizes(mask: Uint8Array, width: number, minimumSize = 1): number[] {
  return components(mask, width, minimumSize).map((component) => component.size);
}

/** Runs of consecutive image rows that have at least `minimumPerRow` pixels set in `mask`: one per horizontal band. @internal */
export function horizontalBands(mask: Uint8Array, width: number, minimumPerRow = 1): number {
  let bands = 0;
  let inside = false;
  for (let y = 0; y < mask.length / width; y++) {
    let count = 0;
    for (let x = 0; x < width; x++) count += mask[y * width + x]!;
    const set = count >= minimumPerRow;
    if (set && !inside) bands++;
    inside = set;
  }
  return bands;
}
