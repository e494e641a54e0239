// Nesting that stap accepts must not overflow our stack. The parser recurses at
// most MAX_NESTING levels deep and skips anything deeper with a warning; chains
// that nest without brackets (else-if, 1 + 1 + ..., a = b = ...) are parsed in
// loops; every walk over the syntax tree and over embedded C's tree-sitter tree
// uses an explicit stack. Inputs are generated here, never stored. Nesting
// 100,000 deep, walks over such trees, and every kind under a small stack take
// seconds: they are in test/server/deepNesting.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { analyze, Analysis } from '../../server/src/analysis/analyze';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { Expr, Statement } from '../../server/src/syntax/ast';
import { dumpScript } from '../../server/src/syntax/dump';
import { MAX_NESTING, parse } from '../../server/src/syntax/parser';
import { walkCode } from '../../server/src/syntax/walk';
import { REALISTIC_CASES } from '../support/deepNesting';
import { ourVerdict } from '../support/ourVerdict';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

const tooDeep = (a: Analysis) => a.findings.filter((f) => f.message.startsWith('nesting too deep'));

/** The deepest nesting, counted as the parser counts it, of real code (python3.stp in the tapset library: 21). */
const REAL_NESTING = 25;
const EXAMPLES = '/usr/share/doc/systemtap/examples';

describe('the nesting limit', () => {
  // A small limit shows what is skipped, and that parsing goes on right after it.
  const at = (text: string, maxNesting: number) => {
    const script = parse(text, { maxNesting });
    const warnings = script.errors.filter((e) => e.severity === 'warning').map((e) => text.slice(e.start, e.end));
    const rest = script.errors.filter((e) => e.severity !== 'warning').map((e) => e.message);
    return { script, warnings, rest };
  };

  test('is 20 times the deepest nesting of the tapset library and the installed examples', { skip: !findTapsetDir() && 'no tapset library' }, () => {
    const libraryMacros = loadLibraryMacros(findTapsetDir());
    const files = [findTapsetDir()!, EXAMPLES].filter((d) => fs.existsSync(d)).flatMap((d) => listFiles(d, ['.stp', '.stpm']));
    assert.ok(files.length > 500, `${files.length} files`);
    const deep = files.filter((f) => parse(fs.readFileSync(f, 'utf8'), { libraryMacros, maxNesting: REAL_NESTING }).errors.some((e) => e.message.startsWith('nesting too deep')));
    assert.deepEqual(deep, []);
    assert.ok(MAX_NESTING >= 20 * REAL_NESTING);
  });

  test('a block past the limit is skipped to its closing brace; the block around it goes on', () => {
    const { warnings, rest } = at('probe begin { { { { x = 1 } } } y = ; }', 2);
    assert.deepEqual(warnings, ['{']);
    assert.deepEqual(rest, ["expected expression, saw ';'"]);
  });

  test('a statement past the limit is skipped with its else branches', () => {
    const text = 'probe begin { if (a) { if (b) x = 1; else if (c) x = 2; else x = 3 } z = ; }';
    const { script, warnings, rest } = at(text, 2);
    assert.deepEqual(warnings, ['if']);
    assert.deepEqual(rest, ["expected expression, saw ';'"]);
    const dump = dumpScript(text, script);
    assert.match(dump, /^ {8}empty \[1:24-1:67\]$/m);
  });

  test('an expression past the limit is skipped to the bracket that closes it, and no further', () => {
    for (const text of ['probe begin { x = a ? ((b ? c : d)) : e; y = ; }', 'probe begin { x = f(((1), 2), 3); y = ; }', 'probe begin { x = a[((1)), 2]; y = ; }']) {
      const { warnings, rest } = at(text, 3);
      assert.equal(warnings.length, 1, text);
      assert.deepEqual(rest, ["expected expression, saw ';'"], text);
    }
  });

  test('probe point brace groups past the limit are skipped', () => {
    const { script, warnings, rest } = at('probe {{{{begin}}}} { } probe end { y = ; }', 2);
    assert.deepEqual(warnings, ['{']);
    assert.deepEqual(rest, ["expected expression, saw ';'"]);
    assert.equal(script.items.length, 2);
  });

  test('nothing below the limit changes', () => {
    const text = 'probe begin { if (a) { x = f((1 + 2) * 3, a[b[c]]) } else if (b) y = -(-z) }';
    assert.equal(dumpScript(text, parse(text, { maxNesting: 7 })), dumpScript(text, parse(text)));
    assert.match(dumpScript(text, parse(text, { maxNesting: 6 })), /warning .* nesting too deep/);
  });
});

describe('chains that nest without brackets build the same trees as before, in loops', () => {
  const shape = (text: string) => {
    const out: string[] = [];
    walkCode(parse(text), (n: Statement | Expr) => void out.push(n.kind + ('text' in n && n.text ? ` ${n.text}` : '') + ` ${n.start}-${n.end}`));
    return out.join(', ');
  };

  // The expected trees are what the recursive parser built.
  test("else if: each link is the previous if's else branch", () => {
    assert.equal(
      shape('probe begin { if (a) x; else if (b) y; else z; }'),
      'block 12-48, if 14-46, identifier a 18-19, exprStatement 21-22, identifier x 21-22, if 29-46, identifier b 33-34, exprStatement 36-37, identifier y 36-37, exprStatement 44-45, identifier z 44-45',
    );
  });

  test('assignments and conditionals are right-associative, prefix operators apply from the inside out', () => {
    assert.equal(
      shape('probe begin { a = b += c ? d : e ? f : - ! g++ }'),
      'block 12-48, exprStatement 14-46, assign = 14-46, identifier a 14-15, assign += 18-46, identifier b 18-19, ternary ?: 23-46, identifier c 23-24, identifier d 27-28, ternary ?: 31-46, identifier e 31-32, identifier f 35-36, unary - 39-46, unary ! 41-46, postfix ++ 43-46, identifier g 43-44',
    );
  });

  test("binary operators keep stap's precedence levels", () => {
    assert.equal(
      shape('probe begin { x = a || b && c + d * e - f in g }'),
      'block 12-48, exprStatement 14-46, assign = 14-46, identifier x 14-15, binary || 18-46, identifier a 18-19, binary && 23-46, identifier b 23-24, in in 28-46, binary - 28-41, binary + 28-37, identifier c 28-29, binary * 32-37, identifier d 32-33, identifier e 36-37, identifier f 40-41, identifier g 45-46',
    );
  });
});

describe('realistic depths (what stap -p1 says of them: test/oracle/nesting.test.ts)', () => {
  const cases = REALISTIC_CASES;

  test('below the limit, nothing is skipped', () => {
    for (const c of cases.filter((c) => !c.name.includes('past our limit'))) {
      assert.deepEqual(tooDeep(analyze(c.text, { cParser, guru: true })), [], c.name);
    }
  });

  test('our verdict', () => {
    for (const c of cases) {
      const expected = c.name.endsWith('then an error') ? c.text.split('\n').length - 1 : undefined;
      assert.equal(ourVerdict(c.text, { guru: true }).line, expected, c.name);
    }
  });
});
