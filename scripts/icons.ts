/**
 * Draws the Teams app icons into manifest/: a white speech bubble with a check mark, on the
 * accent colour (color.png, 192×192) and as a white outline on transparent (outline.png, 32×32).
 * Run with `npx tsx scripts/icons.ts` after changing the design; the PNGs are committed.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

/** The colour icon's background: the accentColor in manifest/manifest.template.json. */
const ACCENT = '#0E7C7B';

type Point = readonly [number, number];

/** Signed distance to a rounded box centred on c with half-size h and corner radius r. */
function roundedBox([x, y]: Point, c: Point, h: Point, r: number): number {
  const qx = Math.abs(x - c[0]) - h[0] + r;
  const qy = Math.abs(y - c[1]) - h[1] + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to the segment a–b. */
function segment([x, y]: Point, a: Point, b: Point): number {
  const ex = b[0] - a[0];
  const ey = b[1] - a[1];
  const t = Math.min(Math.max(((x - a[0]) * ex + (y - a[1]) * ey) / (ex * ex + ey * ey), 0), 1);
  return Math.hypot(x - a[0] - ex * t, y - a[1] - ey * t);
}

/** Signed distance to the triangle a, b, c. */
function triangle(p: Point, a: Point, b: Point, c: Point): number {
  const distance = Math.min(segment(p, a, b), segment(p, b, c), segment(p, c, a));
  const side = (v: Point, w: Point) => Math.sign((w[0] - v[0]) * (p[1] - v[1]) - (w[1] - v[1]) * (p[0] - v[0]));
  const inside = Math.abs(side(a, b) + side(b, c) + side(c, a)) === 3;
  return inside ? -distance : distance;
}

/** The symbol in a unit square (y down): the bubble's signed distance and the check's distance. */
function symbol(p: Point): { bubble: number; check: number } {
  const box = roundedBox(p, [0.5, 0.42], [0.42, 0.3], 0.14);
  const tail = triangle(p, [0.2, 0.6], [0.42, 0.6], [0.14, 0.9]);
  const check = Math.min(segment(p, [0.3, 0.43], [0.43, 0.56]), segment(p, [0.43, 0.56], [0.7, 0.28]));
  return { bubble: Math.min(box, tail), check };
}

interface Layer {
  readonly rgb: readonly [number, number, number];
  /** True where this colour covers the point of the unit square. */
  readonly covers: (p: Point) => boolean;
}

/** Renders layers bottom to top with 4×4 supersampling; the symbol fills the box inset by margin. */
function render(size: number, margin: number, layers: readonly Layer[]): Buffer {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  const span = size - 2 * margin;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const p: Point = [(x + (sx + 0.5) / n - margin) / span, (y + (sy + 0.5) / n - margin) / span];
          const top = layers.findLast((layer) => layer.covers(p));
          if (top) {
            r += top.rgb[0];
            g += top.rgb[1];
            b += top.rgb[2];
            a += 1;
          }
        }
      }
      const i = (y * size + x) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / (n * n));
    }
  }
  return PNG.sync.write(png);
}

const WHITE = [255, 255, 255] as const;
const accent = [1, 3, 5].map((i) => parseInt(ACCENT.slice(i, i + 2), 16)) as [number, number, number];

/** The full-colour icon: accent background, white bubble, accent check. */
export function colorIcon(): Buffer {
  return render(192, 40, [
    { rgb: accent, covers: () => true },
    { rgb: WHITE, covers: (p) => symbol(p).bubble <= 0 },
    { rgb: accent, covers: (p) => symbol(p).check <= 0.055 },
  ]);
}

/** The outline icon: the bubble's white outline and check on a transparent background. */
export function outlineIcon(): Buffer {
  return render(32, 2, [{ rgb: WHITE, covers: (p) => Math.abs(symbol(p).bubble) <= 0.04 || symbol(p).check <= 0.05 }]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../manifest/', import.meta.url));
  await writeFile(path.join(dir, 'color.png'), colorIcon());
  await writeFile(path.join(dir, 'outline.png'), outlineIcon());
  console.log(`Wrote ${path.join(dir, 'color.png')} and ${path.join(dir, 'outline.png')}`);
}
