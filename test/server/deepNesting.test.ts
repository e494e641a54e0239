// Nesting far deeper than real code, analysed with every feature: no stack
// overflow, the rest of the file still analysed, every walk over the tree done
// with its own stack, also under a small stack. The nesting limit and the
// trees it leaves are unit tests (test/unit/nesting.test.ts); these take
// seconds. Inputs are generated here, never stored.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { analyze, Analysis } from '../../server/src/analysis/analyze';
import { guruReasons } from '../../server/src/analysis/guruMode';
import { analyzeRegion } from '../../server/src/embedded/cFacts';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { findEmbeddedRegions } from '../../server/src/embedded/regions';
import { dumpScript } from '../../server/src/syntax/dump';
import { MAX_NESTING, parse } from '../../server/src/syntax/parser';
import { walkCode } from '../../server/src/syntax/walk';
import { AFTER, CASES } from '../support/deepNesting';
import { everyFeature } from '../support/everyFeature';
import { NestingJob, NestingResult } from '../support/nestingWorker';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

/** A hang ends the test here; how long the analysis takes is the benchmarks' business. */
const HANG = { timeout: 10 * 60_000 };

const afterError = (text: string) => text.lastIndexOf('x = ;') + 4;

const tooDeep = (a: Analysis) => a.findings.filter((f) => f.message.startsWith('nesting too deep'));
const errors = (a: Analysis) => a.findings.filter((f) => f.severity === 'error').map((f) => ({ start: f.start, message: f.message }));

describe('deep nesting: no stack overflow, the rest of the file still analysed', () => {
  for (const c of CASES) {
    for (const n of [2 * c.overflowedAt, 100_000]) {
      test(`${c.name}, ${n.toLocaleString('en')} deep`, HANG, () => {
        const construct = c.make(n);
        const text = construct + AFTER;
        const analysis = analyze(text, { cParser, guru: true });

        assert.ok(
          analysis.script.items.some((i) => i.kind === 'function' && i.name.text === 'after'),
          'the function after the construct is parsed',
        );
        assert.deepEqual(errors(analysis), [{ start: afterError(text), message: "expected expression, saw ';'" }]);

        const warnings = tooDeep(analysis);
        if (c.limited) {
          assert.equal(warnings.length, 1, 'one warning, at the construct past the limit');
          const [w] = warnings;
          assert.equal(w.severity, 'warning');
          const opened = construct.slice(0, w.start).split(c.name === 'braces' ? '{' : '(').length - 2; // less the probe's own brace
          assert.ok(opened >= MAX_NESTING - 3 && opened <= MAX_NESTING, `warned at nesting ${opened}`);
          assert.ok(w.related![0].start > w.start && w.related![0].start <= construct.length, 'says where analysis resumes');
        } else {
          assert.deepEqual(warnings, []);
        }
        if (c.name.includes('embedded C')) {
          assert.deepEqual(
            analysis.cFacts.flatMap((f) => f.stapArgs.map((a) => a.name)),
            ['x'],
            'the C facts are found at any depth',
          );
        }
        everyFeature(analysis, [0, construct.length >> 1, construct.length, text.indexOf('after'), text.length]);
      });
    }
  }

  test('an unclosed construct past the limit does not swallow the declarations after it', () => {
    for (const open of ['(', '{', 'f(', 'a[']) {
      const text = `probe begin { x = 1; ${open === '{' ? '' : 'y = '}${open.repeat(5000)}\n` + AFTER;
      const analysis = analyze(text, { cParser });
      assert.ok(
        analysis.script.items.some((i) => i.kind === 'function' && i.name.text === 'after'),
        `after 5,000 unclosed '${open}'`,
      );
      assert.ok(
        errors(analysis).some((e) => e.start === afterError(text)),
        `the error after 5,000 unclosed '${open}' is reported`,
      );
      everyFeature(analysis, [0, text.length >> 1, text.length]);
    }
  });
});

describe('walks over deep trees', () => {
  test('walkCode visits a 100,000-deep tree parents first, children in order, and skips children on false', () => {
    const script = parse(`probe begin { x = 1${' + 1'.repeat(99_999)} }`);
    let visited = 0;
    let previousStart = -1;
    let ordered = true;
    walkCode(script, (n) => {
      visited++;
      if (n.start < previousStart) ordered = false;
      previousStart = n.start;
    });
    assert.equal(visited, 1 + 1 + 1 + 1 + 99_999 + 100_000); // block, statement, assignment, x, the +s, the 1s
    assert.ok(ordered);
    let skipped = 0;
    walkCode(script, (n) => {
      skipped++;
      return n.kind !== 'assign';
    });
    assert.equal(skipped, 3);
  });

  test('the dump of a deep tree indents every level', () => {
    const n = 3000;
    const text = `probe begin { x = 1${' + 1'.repeat(n - 1)} }`;
    const lines = dumpScript(text, parse(text)).split('\n');
    const deepest = Math.max(...lines.map((l) => l.length - l.trimStart().length));
    assert.equal(deepest, 2 * (n + 3));
  });

  test('embedded C regions and guru-mode reasons are found at any depth', () => {
    const script = parse(`probe begin { $x = 1${' + %{ 1 %}'.repeat(50_000)} }`);
    const regions = findEmbeddedRegions(script);
    assert.equal(regions.length, 50_000);
    const reasons = guruReasons(script, regions);
    assert.equal(reasons.length, 50_001);
    assert.equal(reasons[0].what, 'writing the target variable $x');
  });

  test('a C parser that fails becomes a warning on its region, not a crash', () => {
    const failing: CParser = {
      parse() {
        throw new RangeError('out of memory');
      },
    };
    const analysis = analyze('%{ int only_here_x; %}\nfunction after() { }\nprobe begin { after() }\n', { cParser: failing, guru: true });
    assert.deepEqual(
      analysis.findings.map((f) => [f.severity, f.message]),
      [['warning', 'embedded C not analysed: the C parser failed (RangeError: out of memory)']],
    );
    assert.equal(analysis.script.items.length, 3);
  });

  test('deep C: every fact, at any depth and with thousands of errors', () => {
    const n = 20_000;
    const region = (code: string) => ({
      code: { kind: 'embedded' as const, start: 0, end: code.length + 4, codeStart: 2, codeEnd: code.length + 2, code, expanded: false },
      context: { kind: 'topLevel' as const },
    });
    const deep = analyzeRegion(cParser, region(`void f(void) { ${'{ '.repeat(n)}snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%d", THIS->x); /* pure */ ${'} '.repeat(n)} }`));
    assert.deepEqual(
      deep.retvalueAsBuffer.map((x) => x.text),
      ['STAP_RETVALUE'],
    );
    assert.deepEqual(
      deep.thisUses.map((x) => x.field),
      ['x'],
    );
    assert.deepEqual(
      deep.pragmas.map((x) => x.text),
      ['pure'],
    );
    const broken = analyzeRegion(cParser, region(`void f(void) { x = ${'(['.repeat(n)}1${')]'.repeat(n)}; }`));
    assert.ok(broken.syntaxErrors.length > 1000);
  });
});

describe('under a small stack, as in a language-server request', () => {
  // The deepest the parser goes (MAX_NESTING levels) of each kind of nesting,
  // and beyond, analysed with every feature in a worker whose stack is smaller
  // than the main thread's (1 MB less node's 192 KB reserve: 832 KB, against
  // 984 KB) from under 300 frames of recursion. The costliest kinds (call
  // arguments, `[(...)] in` tuples) need about 820 KB there.
  const n = 2 * MAX_NESTING;
  const scripts = Object.entries({
    parentheses: `probe begin { x = ${'('.repeat(n)}1${')'.repeat(n)} }`,
    calls: `probe begin { x = ${'f('.repeat(n)}1${')'.repeat(n)} }`,
    operators: `probe begin { x = ${'@defined('.repeat(n)}x${')'.repeat(n)} }`,
    indexes: `probe begin { x = ${'a['.repeat(n)}1${']'.repeat(n)} }`,
    targets: `probe begin { x = ${'$p['.repeat(n)}1${']'.repeat(n)} }`,
    tuples: `probe begin { x = ${'[('.repeat(n)}1${')] in a'.repeat(n)} }`,
    conditionals: `probe begin { x = ${'1 ? ('.repeat(n)}1${') : 2'.repeat(n)} }`,
    braces: `probe begin { ${'{'.repeat(n)}${'}'.repeat(n)} }`,
    ifs: `probe begin { ${'if (x) '.repeat(n)}x = 1 }`,
    loops: `probe begin { ${'while (x) foreach (k in a) for (;;) '.repeat(n)}x = 1 }`,
    tries: `probe begin { ${'try { '.repeat(n)}${'} catch { }'.repeat(n)} }`,
    mixed: `probe begin { ${'{ if (x) x = f(a[('.repeat(n)}1${')]) }'.repeat(n)} }`,
    'probe point groups': `probe ${'{'.repeat(n)}begin${'}'.repeat(n)} { }`,
    'else-if chain': `probe begin { if (x) ; ${'else if (x) ; '.repeat(100_000)} }`,
    'binary chain': `probe begin { x = 1${' + 1'.repeat(100_000)} }`,
    'assignment chain': `probe begin { ${'x = '.repeat(100_000)}1 }`,
    'conditional chain': `probe begin { x = ${'a ? b : '.repeat(100_000)}c }`,
    'prefix chain': `probe begin { x = ${'- ! ~ '.repeat(100_000)}1 }`,
    'C parentheses': `%{ int f(void) { return ${'('.repeat(100_000)}1${')'.repeat(100_000)}; } %}`,
  }).map(([name, text]) => ({ name, text: text + AFTER }));

  test('every kind of nesting, as deep as the parser goes and beyond', { timeout: 300_000 }, async () => {
    const job: NestingJob = { nestingWorker: true, frames: 300, scripts };
    const failures = await new Promise<NestingResult>((resolve, reject) => {
      const worker = new Worker(path.join(__dirname, '..', 'support', 'nestingWorker.js'), { workerData: job, resourceLimits: { stackSizeMb: 1 } });
      worker.once('message', (m: NestingResult) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
    assert.deepEqual(failures, []);
  });
});
