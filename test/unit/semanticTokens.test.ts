// Semantic tokens: each kind of name classified as the analysis resolves it,
// the legend package.json colours, and half-typed files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, EDITOR_LIMITS } from '../../server/src/analysis/analyze';
import { classifyTokens, semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/features/semanticTokens';
import { REPO_ROOT } from '../support/paths';
import { TEST_LIBRARY } from '../support/semanticVerdict';

/** Each token as `text type.modifier.modifier`. */
function tokensOf(text: string): string[] {
  return classifyTokens(analyze(text, { librarySignatures: TEST_LIBRARY, limits: EDITOR_LIMITS })).map((t) => [text.slice(t.start, t.end), [t.type, ...t.modifiers].join('.')].join(' '));
}

describe('semantic tokens', () => {
  test('globals, locals, parameters, statistics', () => {
    const text = 'global total, s\nfunction add(n) { total += n; return n }\nprobe begin { x = add(1); s <<< x; print(@count(s)) }';
    assert.deepEqual(tokensOf(text), [
      'total variable.declaration.global',
      's variable.declaration.global.statistic',
      'add function.declaration',
      'n parameter.declaration',
      'total variable.global',
      'n parameter',
      'n parameter',
      'x variable.declaration',
      'add function',
      's variable.global.statistic',
      'x variable',
      'print function.defaultLibrary',
      '@count atOperator.statistic',
      's variable.global.statistic',
    ]);
  });

  test('library functions, target variables, script arguments', () => {
    const text = 'probe kernel.function("f") { printf("%s %d %d\\n", execname(), $fd, $1); print($$parms, @1, $#) }';
    assert.deepEqual(tokensOf(text), [
      'printf function.defaultLibrary',
      'execname function.defaultLibrary',
      '$fd targetVariable',
      '$1 scriptArgument',
      'print function.defaultLibrary',
      '$$parms targetVariable.defaultLibrary',
      '@1 scriptArgument',
      '$# scriptArgument',
    ]);
  });

  test('@ operators, macros, their parameters and uses', () => {
    const text = '@define twice(v) %( (@v * 2) %)\nprobe begin { if (@defined($x)) print(@twice(@cast(0, "task_struct")->pid)) }';
    assert.deepEqual(tokensOf(text), ['twice macro.declaration', '@v parameter', '@defined atOperator', '$x targetVariable', 'print function.defaultLibrary', '@twice macro', '@cast atOperator']);
  });

  test('nothing in comments, strings, probe points or embedded C', () => {
    const text = '# x y\nprobe timer.ms(10) { /* z */ msg = "a b" }\n%{ int q; %}';
    assert.deepEqual(tokensOf(text), ['msg variable.declaration']);
  });

  test('half-typed: the names that resolve are still coloured', () => {
    const text = 'global g\nprobe begin { g = 1; h = ';
    assert.deepEqual(tokensOf(text).slice(0, 2), ['g variable.declaration.global', 'g variable.global']);
    for (let cut = 0; cut <= text.length; cut++) tokensOf(text.slice(0, cut));
  });

  test('the encoding: relative lines and characters, legend indexes, and a range', () => {
    const text = 'global a\nprobe begin {\n  a = 1 }';
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const analysis = analyze(text, {});
    const variable = TOKEN_TYPES.indexOf('variable');
    const bits = (...m: (typeof TOKEN_MODIFIERS)[number][]) => m.reduce((b, x) => b | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
    assert.deepEqual(semanticTokens(analysis, document).data, [0, 7, 1, variable, bits('declaration', 'global'), 2, 2, 1, variable, bits('global')]);
    assert.deepEqual(semanticTokens(analysis, document, { start: text.indexOf('probe'), end: text.length }).data, [2, 2, 1, variable, bits('global')]);
  });

  test('package.json declares every custom type and modifier, and maps them to the grammar', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).contributes;
    const standardTypes = new Set(['variable', 'parameter', 'function', 'macro']);
    const standardModifiers = new Set(['declaration', 'defaultLibrary']);
    const types = new Set(manifest.semanticTokenTypes.map((t: { id: string }) => t.id));
    const modifiers = new Set(manifest.semanticTokenModifiers.map((t: { id: string }) => t.id));
    for (const t of TOKEN_TYPES) assert.ok(standardTypes.has(t) || types.has(t), t);
    for (const m of TOKEN_MODIFIERS) assert.ok(standardModifiers.has(m) || modifiers.has(m), m);
    const scopes = manifest.semanticTokenScopes.find((s: { language: string }) => s.language === 'systemtap').scopes;
    for (const t of TOKEN_TYPES) assert.ok(scopes[t], `${t} has a scope`);
    // Globals and locals must differ in the default themes: a global maps to a scope they colour apart.
    assert.notEqual(scopes['variable.global'][0].split('.').slice(0, 3).join('.'), scopes.variable[0].split('.').slice(0, 3).join('.'));
  });
});
