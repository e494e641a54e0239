// `npm run hostile [CASE...]`: every hostile case through stap-check and the
// stdio server, with wall time and peak memory. Figures only: the hostile
// test asserts that each case is answered; this prints how fast and how big.
//   HOSTILE_DIST=DIR     another build to measure (e.g. an older checkout's dist/)
//   HOSTILE_TIMEOUT=S    seconds before a step counts as hung (default 60)
import * as fs from 'fs';
import * as path from 'path';
import { HOSTILE_CASES } from '../test/support/hostile';
import { runCli, runServer, setUp } from '../test/support/hostileRun';

const dist = path.resolve(process.env.HOSTILE_DIST ?? path.join(__dirname, '..', '..', 'dist'));
const timeout = Number(process.env.HOSTILE_TIMEOUT ?? 60);
const only = process.argv.slice(2);

const s = (x?: number) => (x === undefined ? `>${timeout} s` : `${x.toFixed(2)} s`);
const mb = (x?: number) => (x === undefined ? '?' : `${Math.round(x)} MB`);

async function main(): Promise<void> {
  console.log(`hostile corpus against ${dist} (a step over ${timeout} s counts as hung)`);
  console.log('| case | CLI | CLI peak | server open | keystroke | other script | server peak | outcome |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of HOSTILE_CASES.filter((x) => only.length === 0 || only.includes(x.name))) {
    const { dir, setup } = setUp(c);
    const cli = runCli(path.join(dist, 'cli.js'), setup, timeout);
    const server = await runServer(path.join(dist, 'server.js'), setup, timeout);
    const problems: string[] = [];
    if (cli.timedOut) problems.push('CLI hung');
    else if (!cli.findings) problems.push(`CLI failed (${cli.stderr.trim().split('\n')[0]?.slice(0, 80)})`);
    else if (c.expect?.(cli.findings)) problems.push(`CLI: ${c.expect(cli.findings)}`);
    if (!server.alive) problems.push('server died');
    if (server.findings && c.expect?.(server.findings)) problems.push(`server: ${c.expect(server.findings)}`);
    if (server.openSeconds === undefined) problems.push('server published nothing');
    console.log(
      `| ${c.name} | ${cli.timedOut ? `>${timeout} s` : s(cli.seconds)} | ${mb(cli.peakMb)} | ${s(server.openSeconds)} | ${server.openSeconds === undefined ? '-' : s(server.keystrokeSeconds)} | ${s(server.otherSeconds)} | ${mb(server.peakMb)} | ${problems.join('; ') || 'ok'} |`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
