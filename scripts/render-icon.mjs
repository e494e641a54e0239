// Renders images/icon.svg (the source, edited by hand) into images/icon.png,
// the extension's icon in the manifest, with the headless Chromium the e2e
// tests use: `node scripts/render-icon.mjs`. Commit both files.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { chromium } from 'playwright-core';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'images', 'icon.svg'), 'utf8');
const size = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 256);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: path.join(root, 'images', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log(`images/icon.png: ${size}x${size}`);
