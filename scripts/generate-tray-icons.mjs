#!/usr/bin/env node
// Draws the tray icons (one per trading state, 1x and @2x) and the app icon into resources/ as PNGs; no assets copied.
// Usage: node scripts/generate-tray-icons.mjs [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const outArg = process.argv.indexOf('--out');
const OUT = resolve(outArg > 0 ? process.argv[outArg + 1] : 'resources');

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (Uint8Array, size*size*4) as a PNG. */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** Renders layers [{ inside(x, y) for x, y in 0..1, color }] with 4x4 supersampling; later layers paint over earlier. */
function render(size, layers) {
  const px = new Uint8Array(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (x + (sx + 0.5) / S) / size;
          const v = (y + (sy + 0.5) / S) / size;
          let hit;
          for (const l of layers) if (l.inside(u, v)) hit = l.color;
          if (hit) {
            r += hit[0];
            g += hit[1];
            b += hit[2];
            a += 255;
          }
        }
      }
      const n = S * S;
      const i = (y * size + x) * 4;
      const cover = a / n;
      px[i] = cover ? Math.round((r / n) * (255 / cover)) : 0;
      px[i + 1] = cover ? Math.round((g / n) * (255 / cover)) : 0;
      px[i + 2] = cover ? Math.round((b / n) * (255 / cover)) : 0;
      px[i + 3] = Math.round(cover);
    }
  }
  return px;
}

const disc = (cx, cy, rad) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const triangle = (x, y) => x >= 0.38 && x <= 0.72 && Math.abs(y - 0.5) <= (0.72 - x) * 0.62;
const slash = (x, y) => Math.abs(x + y - 1) <= 0.1 && disc(0.5, 0.5, 0.3)(x, y);
const WHITE = [255, 255, 255];

const STATES = {
  active: { color: '#16a34a', glyph: [triangle] },
  paused: { color: '#d97706', glyph: [rect(0.33, 0.3, 0.44, 0.7), rect(0.56, 0.3, 0.67, 0.7)] },
  halted: { color: '#dc2626', glyph: [rect(0.33, 0.33, 0.67, 0.67)] },
  disconnected: { color: '#6b7280', glyph: [slash] },
};

mkdirSync(OUT, { recursive: true });
const written = [];
for (const [state, { color, glyph }] of Object.entries(STATES)) {
  const layers = [{ inside: disc(0.5, 0.5, 0.47), color: hex(color) }, ...glyph.map((inside) => ({ inside, color: WHITE }))];
  for (const [size, suffix] of [[16, ''], [32, '@2x']]) {
    const file = join(OUT, `tray-${state}${suffix}.png`);
    writeFileSync(file, png(size, render(size, layers)));
    written.push(file);
  }
}
const roundedSquare = (x, y) => {
  const r = 0.18;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r - 0.04), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r - 0.04), 0);
  return qx * qx + qy * qy <= r * r;
};
const appLayers = [
  { inside: roundedSquare, color: hex('#0f172a') },
  { inside: disc(0.4, 0.5, 0.2), color: hex('#38bdf8') },
  { inside: disc(0.62, 0.5, 0.2), color: hex('#818cf8') },
  { inside: (x, y) => disc(0.4, 0.5, 0.2)(x, y) && disc(0.62, 0.5, 0.2)(x, y), color: WHITE },
];
writeFileSync(join(OUT, 'icon.png'), png(512, render(512, appLayers)));
written.push(join(OUT, 'icon.png'));
console.log(`wrote ${written.length} icons to ${OUT}`);
