// The hostile corpus (test/support/hostile.ts) through stap-check and the
// stdio server: no crash, an answer, the rest of the file still checked,
// other documents still served. Memory is capped by V8's own heap limit, so a
// case that needs more fails with an out-of-memory crash; the time limits
// only tell a hang from an answer (`npm run hostile` prints the real figures).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { HOSTILE_CASES } from '../support/hostile';
import { runCli, runServer, setUp } from '../support/hostileRun';
import { CLI, SERVER } from '../support/paths';

/** Heap caps, in MB: several times what the worst case needs, far below what the attacks took. */
const CLI_HEAP_MB = 768;
const SERVER_HEAP_MB = 1024;
const HANG_SECONDS = 60;

describe('hostile scripts', { concurrency: 2 }, () => {
  for (const c of HOSTILE_CASES) {
    test(`${c.name}: ${c.attack}`, { timeout: 4 * HANG_SECONDS * 1000 }, async () => {
      const { dir, setup } = setUp(c);
      try {
        const cli = runCli(CLI, setup, HANG_SECONDS, [`--max-old-space-size=${CLI_HEAP_MB}`]);
        assert.ok(!cli.timedOut, `stap-check did not finish in ${HANG_SECONDS} s`);
        assert.ok(cli.status === 0 || cli.status === 1, `stap-check exited with ${cli.status}: ${cli.stderr.slice(0, 500)}`);
        assert.ok(cli.findings, 'stap-check printed no JSON');
        assert.equal(c.expect?.(cli.findings), undefined);

        const server = await runServer(SERVER, setup, HANG_SECONDS, [`--max-old-space-size=${SERVER_HEAP_MB}`]);
        assert.ok(server.alive, `the server died; its log: ${server.log.join('\n').slice(0, 500)}`);
        assert.notEqual(server.indexSeconds, undefined, 'the library was never indexed');
        assert.notEqual(server.openSeconds, undefined, 'no diagnostics for the hostile script');
        assert.notEqual(server.keystrokeSeconds, undefined, 'no diagnostics after an edit');
        assert.notEqual(server.otherSeconds, undefined, 'an ordinary script opened afterwards was not answered');
        assert.equal(c.expect?.(server.findings!), undefined);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
