// Removes what tsc -b left in out/ from sources that are gone (a test moved to
// another layer, a module deleted): out/P.js, .js.map and .d.ts stay only
// while P.ts exists. tsc -b never deletes outputs, and `node --test out/test/unit/`
// would run a stale test file.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');

function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(file);
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      continue;
    }
    const stem = /^(.*)\.(js|js\.map|d\.ts)$/.exec(entry.name)?.[1];
    if (stem === undefined) continue;
    const source = path.join(root, path.relative(out, dir), `${stem}.ts`);
    if (!fs.existsSync(source)) fs.rmSync(file);
  }
}

if (fs.existsSync(out)) prune(out);
