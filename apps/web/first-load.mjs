// The JavaScript a first visit to each page downloads, gzip, from the build's manifest: the entry with its
// static imports plus the page's chunk with its static imports. Dynamic imports (ECharts, other pages) are
// not part of it. Run after `nx run web:build`: `node apps/web/first-load.mjs` (--json for the figures).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../../dist/apps/web', import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
const gzipped = new Map();
const sizeOf = (file) => {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gzipped.get(file);
};

/** The chunk and everything it imports statically. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const next of manifest[key].imports ?? []) closure(next, seen);
  return seen;
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const pages = Object.keys(manifest).filter((key) => /src\/pages\/.+Page\.tsx$/.test(key));
const rows = pages.map((page) => {
  const chunks = closure(page, closure(entry));
  const files = [...chunks].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
  return { page: path.basename(page, '.tsx'), kB: Math.round(files.reduce((sum, f) => sum + sizeOf(f), 0) / 100) / 10 };
});
rows.sort((a, b) => b.kB - a.kB);
if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(`entry alone: ${Math.round(sizeOf(manifest[entry].file) / 100) / 10} kB gzip`);
  for (const row of rows) console.log(`${row.page.padEnd(20)} ${String(row.kB).padStart(6)} kB gzip`);
}
