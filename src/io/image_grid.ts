/**
 * A grid of grayscale images as one PNG (pngjs): e.g. the 8 x 8 sample sheet a GAN writes
 * after each epoch.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Tensor } from '../tensor.js';

export interface ImageGridOptions {
  /** Image height and width in pixels (default [28, 28]). */
  imageShape?: [number, number];
  /** Images per row (default: the square root of the count, rounded up). */
  columns?: number;
  /** Black pixels between images (default 2). */
  padding?: number;
}

/** Images [n, rows * cols] with values in [0, 1] (clamped) as a PNG file's bytes. */
export async function imageGridPng(images: Tensor, options: ImageGridOptions = {}): Promise<Buffer> {
  const [rows, cols] = options.imageShape ?? [28, 28];
  const padding = options.padding ?? 2;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new RangeError(`imageGridPng: imageShape must be two positive integers, got ${JSON.stringify(options.imageShape)}`);
  if (!Number.isInteger(padding) || padding < 0) throw new RangeError(`imageGridPng: padding must be an integer >= 0, got ${String(options.padding)}`);
  if (images.rank !== 2 || images.shape[1] !== rows * cols || images.shape[0] < 1) {
    throw new RangeError(`imageGridPng: images must have shape [n >= 1, ${rows * cols}] for ${rows}x${cols} images, got [${images.shape.join(', ')}]`);
  }
  const n = images.shape[0];
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`imageGridPng: columns must be a positive integer, got ${String(options.columns)}`);
  const gridRows = Math.ceil(n / columns);
  const width = columns * cols + (columns + 1) * padding;
  const height = gridRows * rows + (gridRows + 1) * padding;
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.alloc(width * height);
  const pixels = await images.data();
  for (let k = 0; k < n; k++) {
    const top = padding + Math.floor(k / columns) * (rows + padding);
    const left = padding + (k % columns) * (cols + padding);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = pixels[k * rows * cols + r * cols + c];
        png.data[(top + r) * width + left + c] = Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)));
      }
    }
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Writes imageGridPng(images, options) to path. */
export async function writeImageGrid(path: string, images: Tensor, options: ImageGridOptions = {}): Promise<void> {
  writeFileSync(path, await imageGridPng(images, options));
}
