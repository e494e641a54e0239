// Parsing again after an edit keeps the declarations the edit left alone
// (server/src/syntax/reparse.ts). Whatever it reuses, the tree must be the
// one a whole parse gives: real scripts are edited as a user types (a
// character in, a character out, a line pasted, a selection deleted), edit
// after edit, and each result is compared with a whole parse of the text.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { describe, test } from 'node:test';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { parse, ParseOptions } from '../../server/src/syntax/parser';
import { incrementalParse, ParsedText } from '../../server/src/syntax/reparse';
import { fuzzSeeds, seededRandom } from '../support/fuzz';

const EXAMPLES = '/usr/share/systemtap/examples';
const TYPED = [...'abcxyz_019 \n(){}[]";,.=+-*/#%$@<>!&|?:', 'probe ', 'function ', 'global ', '%{', '%}', '%(', '%)', '/*', '*/', '@define ', '"', '\t'];

function seeds(): string[] {
  const examples = fs.existsSync(EXAMPLES) ? listFiles(EXAMPLES, ['.stp']).filter((_, i) => i % 8 === 0) : [];
  return [...fuzzSeeds(), ...examples.map((f) => fs.readFileSync(f, 'utf8'))];
}

/** One edit as typing makes them: mostly a character in or out, sometimes a line pasted or a selection deleted. */
function edit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const r = random();
  if (r < 0.45) return text.slice(0, at) + TYPED[Math.floor(random() * TYPED.length)] + text.slice(at);
  if (r < 0.8) return text.slice(0, Math.max(0, at - 1)) + text.slice(at);
  if (r < 0.9) {
    const from = Math.floor(random() * text.length);
    const line = text.slice(from, text.indexOf('\n', from) + 1 || text.length);
    return text.slice(0, at) + line + text.slice(at);
  }
  return text.slice(0, at) + text.slice(Math.min(text.length, at + Math.floor(random() * 200)));
}

describe('parsing again after an edit', () => {
  const libraryMacros = findTapsetDir() ? loadLibraryMacros(findTapsetDir()!) : new Map();
  const options: ParseOptions = { libraryMacros };

  test('gives the tree of a whole parse, edit after edit, on real scripts', () => {
    const random = seededRandom(20261201);
    let cleanEdits = 0;
    let reused = 0;
    const check = (previous: ParsedText, text: string, what: string) => {
      const incremental = incrementalParse(previous, text, options);
      if (incremental) assert.deepEqual(incremental, parse(text, options), `${what}: the tree differs from a whole parse`);
      return incremental;
    };
    for (const seed of seeds()) {
      const start: ParsedText = { text: seed, options, script: parse(seed, options) };
      const clean = start.script.errors.length === 0 && start.script.macros.length === 0 && start.script.inactive.length === 0;
      // Single edits of the script as it is ...
      for (let i = 0; i < 5; i++) {
        const reusedHere = check(start, edit(seed, random), `edit ${i} of a script starting ${JSON.stringify(seed.slice(0, 60))}`);
        if (clean) cleanEdits++;
        if (clean && reusedHere) reused++;
      }
      // Copies leave the tree they were made from as it was.
      assert.deepEqual(start.script, parse(seed, options), `a script starting ${JSON.stringify(seed.slice(0, 60))} was changed by parsing its edits`);
      // ... and a run of edits, each parsed from the one before, which is given up as the editor does.
      let previous = start;
      for (let i = 0; i < 6; i++) {
        const text = edit(previous.text, random);
        previous = { text, options, script: check({ ...previous, disposable: true }, text, `edit ${i} of a run on a script starting ${JSON.stringify(seed.slice(0, 60))}`) ?? parse(text, options) };
      }
    }
    // Most edits of a clean script keep what they did not touch: a parse that never reuses would pass the checks above.
    assert.ok(reused > cleanEdits / 2, `only ${reused} of ${cleanEdits} edits of clean scripts were parsed incrementally`);
  });

  test('a tree shares no node between two places: moving one where it is moves each node once', () => {
    const random = seededRandom(20261202);
    const shared = (script: object): string | undefined => {
      const seen = new Set<object>();
      const stack: unknown[] = [(script as { items: unknown }).items];
      while (stack.length) {
        const value = stack.pop();
        if (typeof value !== 'object' || value === null) continue;
        // What has offsets: a shared array (the parser's one empty list) has none of its own.
        if (seen.has(value) && 'start' in value) return JSON.stringify(value).slice(0, 80);
        seen.add(value);
        for (const v of Object.values(value)) stack.push(v);
      }
      return undefined;
    };
    for (const seed of seeds()) {
      const script = parse(seed, options);
      assert.equal(shared(script), undefined, `a script starting ${JSON.stringify(seed.slice(0, 60))}`);
      const text = edit(seed, random);
      const again = incrementalParse({ text: seed, options, script, disposable: true }, text, options);
      if (again) assert.equal(shared(again), undefined, `an edit of a script starting ${JSON.stringify(seed.slice(0, 60))}`);
    }
  });

  test('declines where a whole parse is needed', () => {
    const text = 'global a\nglobal b\nprobe begin { a = 1 }\nprobe end { println(a) }\n';
    const previous: ParsedText = { text, options, script: parse(text, options) };
    // An unclosed brace, a conditional and a macro of the file's own all need the whole text.
    assert.equal(incrementalParse(previous, text.replace('a = 1 }', 'a = 1'), options), undefined);
    assert.equal(incrementalParse(previous, text.replace('a = 1', '%( arch == "x86_64" %? a = 1 %: a = 2 %)'), options), undefined);
    assert.equal(incrementalParse(previous, text.replace('probe end', '@define two %( 2 %)\nprobe end'), options), undefined);
    // A conditional that holds leaves no inactive range, and may still span declarations: its file is parsed whole.
    const conditional = 'function f() {\n  %( $# > 1 %? print(1) %)\n}\nprobe begin { f() }\nprobe end { f() }\n';
    const parsed: ParsedText = { text: conditional, options, script: parse(conditional, options) };
    assert.equal(parsed.script.inactive.length, 0);
    assert.equal(incrementalParse(parsed, conditional.replace('print(1) %)', 'print(1)'), options), undefined);
    // `$N` outside the edited declaration still counts, a probe point's `$1` too.
    const withArgs = 'probe $1.call { print(1) }\nprobe begin { print(2) }\nprobe end { print(@2) }\nprobe never { print(3) }\n';
    const argsParsed: ParsedText = { text: withArgs, options, script: parse(withArgs, options) };
    const argsEdited = withArgs.replace('print(3)', 'print(33)');
    assert.equal(incrementalParse(argsParsed, argsEdited, options)?.scriptArgs, 2);
    // Other options (another target) parse everything again.
    assert.equal(incrementalParse(previous, text.replace('a = 1', 'a = 2'), { ...options, scriptArgs: ['x'] }), undefined);
    // A clean edit inside one probe reuses the others: the first declaration is the very same object.
    const edited = incrementalParse(previous, text.replace('a = 1', 'a = 12'), options);
    assert.ok(edited);
    assert.equal(edited.items[0], previous.script.items[0]);
    assert.equal(edited.items[3].start, previous.script.items[3].start + 1);
  });
});
