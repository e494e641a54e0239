// Bundles the client, the language server and the CLI with esbuild into dist/,
// and copies the two wasm files web-tree-sitter needs beside them.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });
fs.mkdirSync(path.join(root, 'dist-vsix'), { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  logLevel: 'warning',
  define: { VERSION: JSON.stringify(pkg.version) },
  // The ESM build of web-tree-sitter needs import.meta.url, which a CommonJS
  // bundle lacks; its CommonJS build works as is.
  alias: { 'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
  // In watch mode, a line before and after each round of rebuilds, for the
  // background problem matcher of the `npm: watch` task (.vscode/tasks.json).
  plugins: watch ? [watchMarkers()] : [],
};
const builds = [
  { ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'] },
  { ...common, entryPoints: [path.join(root, 'server/src/server.ts')], outfile: path.join(dist, 'server.js') },
  { ...common, entryPoints: [path.join(root, 'server/src/cli.ts')], outfile: path.join(dist, 'stap-check.js') },
  // stap-check's bin: turns the code cache on, then loads stap-check.js.
  { ...common, entryPoints: [path.join(root, 'server/src/cliEntry.ts')], outfile: path.join(dist, 'cli.js'), external: ['./stap-check.js'] },
  { ...common, entryPoints: [path.join(root, 'server/src/fmt.ts')], outfile: path.join(dist, 'fmt.js') },
  // The tee a stap run's output goes through (client/src/run/tee.ts), run by VS Code's own executable as Node.
  { ...common, entryPoints: [path.join(root, 'client/src/run/stapTee.ts')], outfile: path.join(dist, 'stapTee.js') },
  // The output view's page, with chart.js: a script for the browser in a webview.
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: [path.join(root, 'client/webview/outputView.ts')], outfile: path.join(dist, 'outputView.js') },
];

for (const [from, to] of [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ['node_modules/tree-sitter-c/tree-sitter-c.wasm', 'tree-sitter-c.wasm'],
]) {
  fs.copyFileSync(path.join(root, from), path.join(dist, to));
}

function watchMarkers() {
  let running = 0;
  return {
    name: 'watch-markers',
    setup(build) {
      build.onStart(() => {
        if (running++ === 0) console.log('[watch] build started');
      });
      build.onEnd(() => {
        if (--running === 0) console.log('[watch] build finished');
      });
    },
  };
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching for changes...');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const f of ['server.js', 'cli.js', 'fmt.js']) fs.chmodSync(path.join(dist, f), 0o755);
}
