/** imageGridPng: layout, padding, clamping and errors, read back with pngjs. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { imageGridPng } from '../../src/io/image_grid.js';

describe('imageGridPng', () => {
  it('lays out images row by row with black padding, clamping to [0, 1]', async () => {
    // Five 2x3 images, each filled with its own value; 3 per row, padding 1.
    const fills = [0, 0.2, 1, 1.7, -0.5];
    const images = et.tensor(fills.flatMap((v) => new Array(6).fill(v)), [5, 6]);
    const png = PNG.sync.read(await imageGridPng(images, { imageShape: [2, 3], columns: 3, padding: 1 }));
    images.dispose();
    expect([png.width, png.height]).toEqual([3 * 3 + 4, 2 * 2 + 3]);
    const gray = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    // Image k's top-left pixel is at (1 + (k % 3) * 4, 1 + floor(k / 3) * 3).
    expect(fills.map((_, k) => gray(1 + (k % 3) * 4, 1 + Math.floor(k / 3) * 3))).toEqual([0, 51, 255, 255, 0]);
    expect(gray(2 + 4, 2)).toBe(51);
    // Padding and the empty sixth cell are black.
    expect(gray(0, 0)).toBe(0);
    expect(gray(4, 1)).toBe(0);
    expect(gray(1 + 2 * 4, 4)).toBe(0);
  });

  it('defaults to 28x28 images in a square grid', async () => {
    const images = et.ones([64, 784]);
    const png = PNG.sync.read(await imageGridPng(images));
    images.dispose();
    expect([png.width, png.height]).toEqual([8 * 28 + 9 * 2, 8 * 28 + 9 * 2]);
  });

  it('names the expected shape and bad options', async () => {
    const images = et.zeros([4, 100]);
    await expect(imageGridPng(images)).rejects.toThrow(/images must have shape \[n >= 1, 784\] for 28x28 images, got \[4, 100\]/);
    await expect(imageGridPng(images, { imageShape: [10, 10], padding: -1 })).rejects.toThrow(/padding must be an integer >= 0, got -1/);
    await expect(imageGridPng(images, { imageShape: [10, 10], columns: 0 })).rejects.toThrow(/columns must be a positive integer, got 0/);
    images.dispose();
  });
});
