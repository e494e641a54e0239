// Tokenises SystemTap fixtures with the TextMate grammar in
// syntaxes/systemtap.tmLanguage.json (through vscode-textmate + the oniguruma
// wasm, the same engine VS Code uses) and checks the scopes of single tokens.
//
// Compiled by tsc to out/test/unit/, run with `node --test out/test/unit/`.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

// out/test/unit -> repository root
const ROOT = path.join(__dirname, '..', '..', '..');
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'systemtap.tmLanguage.json');

// The real C grammar (VS Code's built-in C/C++ extension) is not available to
// these offline tests, so `source.c` is served by this tiny stand-in. It only
// exists to prove that `%{ ... %}` content is handed to whatever grammar owns
// `source.c`, that the SystemTap rules for STAP_* macros and pragma comments
// win over C, and that they still apply inside a region the C grammar opened
// (the parentheses rule).
const C_GRAMMAR_STUB = {
  scopeName: 'source.c',
  patterns: [
    {
      begin: '^\\s*(#\\s*include)\\b',
      end: '$',
      name: 'meta.preprocessor.include.c',
      beginCaptures: { 1: { name: 'keyword.control.directive.include.c' } },
      patterns: [{ match: '<[^>]*>', name: 'string.quoted.other.lt-gt.include.c' }],
    },
    { begin: '/\\*', end: '\\*/', name: 'comment.block.c' },
    { match: '//.*$', name: 'comment.line.double-slash.c' },
    {
      begin: '"',
      end: '"',
      name: 'string.quoted.double.c',
      patterns: [{ match: '\\\\.', name: 'constant.character.escape.c' }],
    },
    { match: '\\b(?:int|char)\\b', name: 'storage.type.c' },
    { match: '\\breturn\\b', name: 'keyword.control.c' },
    { match: '\\b[0-9]+\\b', name: 'constant.numeric.c' },
    { begin: '\\(', end: '\\)', name: 'meta.parens.c', patterns: [{ include: '$self' }] },
    { match: '\\b[A-Za-z_][A-Za-z0-9_]*\\b', name: 'variable.other.c' },
  ],
};

let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'source.systemtap') {
        return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
      }
      if (scopeName === 'source.c') {
        return vsctm.parseRawGrammar(JSON.stringify(C_GRAMMAR_STUB), 'c-stub.json');
      }
      return null;
    },
  });
  const loaded = await registry.loadGrammar('source.systemtap');
  assert.ok(loaded, 'grammar source.systemtap did not load');
  grammar = loaded;
});

const tokenCache = new WeakMap<readonly string[], vsctm.IToken[][]>();

function tokenize(lines: readonly string[]): vsctm.IToken[][] {
  let result = tokenCache.get(lines);
  if (!result) {
    result = [];
    let state = vsctm.INITIAL;
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, state);
      result.push(r.tokens);
      state = r.ruleStack;
    }
    tokenCache.set(lines, result);
  }
  return result;
}

/**
 * Scopes of the token that contains `text` (its `occurrence`-th appearance)
 * on line `lineNo`. Throws if `text` is not there or spans several tokens,
 * so a grammar change that splits or merges tokens is reported clearly.
 */
function scopesAt(lines: readonly string[], lineNo: number, text: string, occurrence = 0): string[] {
  const line = lines[lineNo];
  assert.ok(line !== undefined, `no line ${lineNo}`);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = line.indexOf(text, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(text)} (#${occurrence}) not found on line ${lineNo}: ${line}`);
  }
  const tokens = tokenize(lines)[lineNo];
  const token = tokens.find((t) => t.startIndex <= at && at < t.endIndex);
  assert.ok(token, `no token at column ${at} of line ${lineNo}`);
  const tokenText = line.slice(token.startIndex, token.endIndex);
  assert.ok(token.endIndex >= at + text.length, `${JSON.stringify(text)} spans several tokens on line ${lineNo}; first is ${JSON.stringify(tokenText)} [${token.scopes.join(', ')}]`);
  return token.scopes;
}

/** Index of the only line containing `needle`. */
function lineOf(lines: readonly string[], needle: string): number {
  const found = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
  assert.equal(found.length, 1, `expected exactly one line containing ${JSON.stringify(needle)}`);
  return found[0];
}

let assertionCount = 0;

function hasScope(lines: readonly string[], needle: string, text: string, scope: string, occurrence = 0): void {
  const lineNo = lineOf(lines, needle);
  const scopes = scopesAt(lines, lineNo, text, occurrence);
  assertionCount++;
  assert.ok(scopes.includes(scope), `${JSON.stringify(text)} on line ${lineNo} (${lines[lineNo].trim()}): expected ${scope} in [${scopes.join(', ')}]`);
}

function lacksScope(lines: readonly string[], needle: string, text: string, scope: string, occurrence = 0): void {
  const lineNo = lineOf(lines, needle);
  const scopes = scopesAt(lines, lineNo, text, occurrence);
  assertionCount++;
  assert.ok(!scopes.includes(scope), `${JSON.stringify(text)} on line ${lineNo} (${lines[lineNo].trim()}): did not expect ${scope} in [${scopes.join(', ')}]`);
}

const EMBEDDED = 'meta.embedded.block.c';

const SCRIPT: readonly string[] = [
  '#!/usr/bin/env stap',
  '# a hash comment',
  '// a double-slash comment',
  '/* a block comment */',
  'global counts, sizes[100], wrapped%',
  '%{',
  '#include <linux/netdevice.h>',
  '%}',
  'function dev_name:string(skb:long, len:long) %{ /* pure */ /* unprivileged */',
  '  int n = STAP_ARG_len;',
  '  if (n < 0) STAP_ERROR("bad len %d", n);',
  '  strlcpy(STAP_RETVALUE, (char *)STAP_ARG_skb, MAXSTRINGLEN);',
  '  CONTEXT->last_error = 0;',
  '%}',
  'probe kernel.function("ip_output@net/ipv4/ip_output.c").return, timer.ms(100) ? {',
  '  if ($skb->dev != 0) counts[execname()] <<< 1',
  '  printf("%s: %d bytes\\n", execname(), $1)',
  '  x = @cast($skb, "sk_buff")->len',
  '  y = @entry($len) + 0x1F',
  '%( kernel_v >= "2.6.30" %?',
  '  foreach (k in counts limit 5) delete counts[k]',
  '%:',
  '  next',
  '%) // end of kernel_v conditional',
  '}',
  '@define twice(v) %( (@v * 2) %)',
  'probe syscall.open = kernel.function("sys_open") !, nd_syscall.open ? { }',
  'probe begin { s = "%{ not embedded"; }',
  'probe end { exit() }',
];

test('comments: shebang, #, //, /* */', () => {
  hasScope(SCRIPT, '#!/usr/bin', '/usr/bin/env stap', 'comment.line.number-sign.shebang.systemtap');
  hasScope(SCRIPT, '# a hash', 'a hash comment', 'comment.line.number-sign.systemtap');
  hasScope(SCRIPT, '// a double', 'a double-slash comment', 'comment.line.double-slash.systemtap');
  hasScope(SCRIPT, '/* a block', 'a block comment', 'comment.block.systemtap');
  // `#!` anywhere but the very first line is an ordinary `#` comment.
  const later = ['probe begin {}', '#!not a shebang'];
  hasScope(later, '#!not', 'not a shebang', 'comment.line.number-sign.systemtap');
  lacksScope(later, '#!not', 'not a shebang', 'comment.line.number-sign.shebang.systemtap');
});

test('keywords', () => {
  hasScope(SCRIPT, '$skb->dev != 0', 'if', 'keyword.control.systemtap');
  hasScope(SCRIPT, 'foreach (k', 'foreach', 'keyword.control.systemtap');
  hasScope(SCRIPT, 'foreach (k', 'in', 'keyword.control.systemtap');
  hasScope(SCRIPT, 'foreach (k', 'limit', 'keyword.control.systemtap');
  hasScope(SCRIPT, 'foreach (k', 'delete', 'keyword.control.systemtap');
  hasScope(SCRIPT, '  next', 'next', 'keyword.control.systemtap');
  hasScope(SCRIPT, 'global counts', 'global', 'storage.type.global.systemtap');
  hasScope(SCRIPT, 'probe end', 'probe', 'storage.type.probe.systemtap');
  const priv = ['private function helper() { return 1 }', 'try { x = 1 } catch (msg) { }'];
  hasScope(priv, 'private', 'private', 'storage.modifier.private.systemtap');
  hasScope(priv, 'private', 'function', 'storage.type.function.systemtap');
  hasScope(priv, 'private', 'return', 'keyword.control.systemtap');
  hasScope(priv, 'try', 'try', 'keyword.control.systemtap');
  hasScope(priv, 'try', 'catch', 'keyword.control.systemtap');
});

test('probe points', () => {
  const n = 'probe kernel.function(';
  hasScope(SCRIPT, n, 'kernel', 'entity.name.function.probe-point.systemtap');
  hasScope(SCRIPT, n, 'function', 'entity.name.function.probe-point.systemtap');
  hasScope(SCRIPT, n, 'ip_output@net/ipv4/ip_output.c', 'string.quoted.double.systemtap');
  hasScope(SCRIPT, n, 'return', 'entity.name.function.probe-point.systemtap');
  lacksScope(SCRIPT, n, 'return', 'keyword.control.systemtap');
  hasScope(SCRIPT, n, 'ms', 'entity.name.function.probe-point.systemtap');
  hasScope(SCRIPT, n, '100', 'constant.numeric.decimal.systemtap');
  hasScope(SCRIPT, n, '?', 'keyword.operator.probe-point.optional.systemtap');

  const alias = 'probe syscall.open =';
  hasScope(SCRIPT, alias, 'syscall', 'entity.name.function.probe-alias.systemtap');
  hasScope(SCRIPT, alias, '=', 'keyword.operator.assignment.probe-alias.systemtap');
  hasScope(SCRIPT, alias, 'sys_open', 'string.quoted.double.systemtap');
  hasScope(SCRIPT, alias, '!', 'keyword.operator.probe-point.sufficient.systemtap');
  hasScope(SCRIPT, alias, 'nd_syscall', 'entity.name.function.probe-point.systemtap');

  const more = ['probe tcp.** += kernel.function("tcp_*").call {}', 'probe process(@1).function("main") if (enabled) { }'];
  hasScope(more, 'tcp.**', 'tcp', 'entity.name.function.probe-alias.systemtap');
  hasScope(more, 'tcp.**', '+=', 'keyword.operator.assignment.probe-alias.systemtap');
  hasScope(more, 'tcp.**', 'call', 'entity.name.function.probe-point.systemtap');
  hasScope(more, 'process(@1)', '@1', 'variable.parameter.script-argument.systemtap');
  hasScope(more, 'process(@1)', 'if', 'keyword.control.systemtap');
  hasScope(more, 'process(@1)', 'enabled', 'variable.other.systemtap');
  const wild = ['probe syscall.* { }', 'probe module("ext4").function("*") { }'];
  hasScope(wild, 'syscall.*', '*', 'entity.name.function.probe-point.systemtap');
  hasScope(wild, 'module("ext4")', 'module', 'entity.name.function.probe-point.systemtap');
});

test('function and global declarations', () => {
  const n = 'function dev_name';
  hasScope(SCRIPT, n, 'function', 'storage.type.function.systemtap');
  hasScope(SCRIPT, n, 'dev_name', 'entity.name.function.systemtap');
  hasScope(SCRIPT, n, 'string', 'storage.type.systemtap');
  hasScope(SCRIPT, n, 'skb', 'variable.parameter.systemtap');
  hasScope(SCRIPT, n, 'len', 'variable.parameter.systemtap');
  hasScope(SCRIPT, n, 'long', 'storage.type.systemtap', 1);
  const unknown = ['function f:unknown (x:unknown) { return x }'];
  hasScope(unknown, 'function f', 'unknown', 'storage.type.systemtap', 1);

  const g = 'global counts';
  hasScope(SCRIPT, g, 'counts', 'variable.other.global.systemtap');
  hasScope(SCRIPT, g, 'sizes', 'variable.other.global.systemtap');
  hasScope(SCRIPT, g, '100', 'constant.numeric.decimal.systemtap');
  hasScope(SCRIPT, g, 'wrapped', 'variable.other.global.systemtap');
  hasScope(SCRIPT, g, '%', 'storage.modifier.wrap.systemtap');
  const multi = ['global a,', '  total = 5', 'probe begin { total = 1 }'];
  hasScope(multi, '  total = 5', 'total', 'variable.other.global.systemtap');
  lacksScope(multi, 'probe begin', 'total', 'variable.other.global.systemtap');
  hasScope(multi, 'probe begin', 'total', 'variable.other.systemtap');
});

test('strings, escapes, format placeholders, numbers', () => {
  const n = 'printf("%s: %d bytes';
  hasScope(SCRIPT, n, 'printf', 'support.function.builtin.systemtap');
  hasScope(SCRIPT, n, '%s', 'constant.other.placeholder.systemtap');
  hasScope(SCRIPT, n, '%d', 'constant.other.placeholder.systemtap');
  hasScope(SCRIPT, n, '%d', 'string.quoted.double.systemtap');
  hasScope(SCRIPT, n, '\\n', 'constant.character.escape.systemtap');
  hasScope(SCRIPT, n, 'bytes', 'string.quoted.double.systemtap');
  hasScope(SCRIPT, n, 'execname', 'entity.name.function.call.systemtap');
  const fmt = ['printf("%-10s|%5.2d|%p|%x|%%|%q\\"\\t", 1, 2)', 'x = 017 + 42'];
  for (const spec of ['%-10s', '%5.2d', '%p', '%x', '%%']) {
    hasScope(fmt, 'printf', spec, 'constant.other.placeholder.systemtap');
  }
  lacksScope(fmt, 'printf', '%q', 'constant.other.placeholder.systemtap');
  hasScope(fmt, 'printf', '\\"', 'constant.character.escape.systemtap');
  hasScope(fmt, 'printf', '\\t', 'constant.character.escape.systemtap');
  hasScope(SCRIPT, '0x1F', '0x1F', 'constant.numeric.hex.systemtap');
  hasScope(fmt, '017', '017', 'constant.numeric.octal.systemtap');
  hasScope(fmt, '017', '42', 'constant.numeric.decimal.systemtap');
});

test('target variables, script arguments, @-operators', () => {
  const n = '$skb->dev != 0';
  hasScope(SCRIPT, n, '$skb', 'variable.other.target.systemtap');
  hasScope(SCRIPT, n, '->', 'punctuation.accessor.arrow.systemtap');
  hasScope(SCRIPT, n, 'dev', 'variable.other.member.systemtap');
  hasScope(SCRIPT, n, '<<<', 'keyword.operator.aggregate.systemtap');
  hasScope(SCRIPT, 'printf("%s', '$1', 'variable.parameter.script-argument.systemtap');
  hasScope(SCRIPT, '@cast', '@cast', 'keyword.other.at-operator.systemtap');
  hasScope(SCRIPT, '@cast', 'len', 'variable.other.member.systemtap');
  hasScope(SCRIPT, '@entry', '@entry', 'keyword.other.at-operator.systemtap');
  hasScope(SCRIPT, '@entry', '$len', 'variable.other.target.systemtap');

  const more = ['println($$vars, $$parms$, $var$$, $#, @#, @2)', 'total = @count(s) + @hist_log(s) + @my_macro(1)', 's .= "x"; if (s =~ "^a" || s !~ "b") s = @var("e@f.c")'];
  hasScope(more, 'println', '$$vars', 'variable.language.target.systemtap');
  hasScope(more, 'println', '$$parms$', 'variable.language.target.systemtap');
  hasScope(more, 'println', '$var$$', 'variable.other.target.systemtap');
  hasScope(more, 'println', '$#', 'variable.parameter.script-argument.systemtap');
  lacksScope(more, 'println', '$#', 'comment.line.number-sign.systemtap');
  hasScope(more, 'println', '@#', 'variable.parameter.script-argument.systemtap');
  hasScope(more, 'println', '@2', 'variable.parameter.script-argument.systemtap');
  hasScope(more, 'total', '@count', 'support.function.builtin.statistic.systemtap');
  hasScope(more, 'total', '@hist_log', 'support.function.builtin.statistic.systemtap');
  hasScope(more, 'total', '@my_macro', 'entity.name.function.macro.systemtap');
  hasScope(more, 's .=', '.=', 'keyword.operator.assignment.concat.systemtap');
  hasScope(more, 's .=', '=~', 'keyword.operator.regexp.systemtap');
  hasScope(more, 's .=', '!~', 'keyword.operator.regexp.systemtap');
  hasScope(more, 's .=', '@var', 'keyword.other.at-operator.systemtap');
  hasScope(more, 's .=', '||', 'keyword.operator.logical.systemtap');

  const ops = ['n++; t = a . b; u = c ? d : e; v += 1 << 2; w[1] = 0'];
  hasScope(ops, 'n++', '++', 'keyword.operator.increment.systemtap');
  hasScope(ops, 'n++', '.', 'keyword.operator.concat.systemtap');
  hasScope(ops, 'n++', '?', 'keyword.operator.ternary.systemtap');
  hasScope(ops, 'n++', '+=', 'keyword.operator.assignment.compound.systemtap');
  hasScope(ops, 'n++', '<<', 'keyword.operator.bitwise.systemtap');
  hasScope(ops, 'n++', '[', 'punctuation.section.brackets.begin.systemtap');
  hasScope(ops, 'n++', ';', 'punctuation.terminator.statement.systemtap');
});

test('preprocessor conditionals and @define', () => {
  const cond = '%( kernel_v >= "2.6.30" %?';
  hasScope(SCRIPT, cond, '%(', 'keyword.control.directive.conditional.systemtap');
  hasScope(SCRIPT, cond, 'kernel_v', 'support.variable.preprocessor.systemtap');
  hasScope(SCRIPT, cond, 'kernel_v', 'meta.preprocessor.condition.systemtap');
  hasScope(SCRIPT, cond, '>=', 'keyword.operator.comparison.systemtap');
  hasScope(SCRIPT, cond, '2.6.30', 'string.quoted.double.systemtap');
  hasScope(SCRIPT, cond, '%?', 'keyword.control.directive.conditional.systemtap');
  hasScope(SCRIPT, '%:', '%:', 'keyword.control.directive.conditional.systemtap');
  hasScope(SCRIPT, '%) // end', '%)', 'keyword.control.directive.conditional.systemtap');
  // Code after the conditional is ordinary SystemTap again.
  hasScope(SCRIPT, '  next', 'next', 'keyword.control.systemtap');

  const def = '@define twice';
  hasScope(SCRIPT, def, '@define', 'keyword.control.directive.define.systemtap');
  hasScope(SCRIPT, def, 'twice', 'entity.name.function.macro.systemtap');
  hasScope(SCRIPT, def, 'v', 'variable.parameter.macro.systemtap');
  hasScope(SCRIPT, def, '@v', 'entity.name.function.macro.systemtap');
  hasScope(SCRIPT, def, '%(', 'keyword.control.directive.define.begin.systemtap');

  const more = [
    'global argv_1 = %( $# >= 1 %? @1 %: "" %)',
    '@define guarded',
    '%(',
    '  %( CONFIG_SMP == "y" && arch == "x86_64" %? private %)',
    '%)',
    'probe %( systemtap_v >= "4.0" %? kernel.trace("sched_switch") %: never %) { }',
  ];
  hasScope(more, 'argv_1', 'argv_1', 'variable.other.global.systemtap');
  hasScope(more, 'argv_1', '%?', 'keyword.control.directive.conditional.systemtap');
  hasScope(more, 'argv_1', '@1', 'variable.parameter.script-argument.systemtap');
  hasScope(more, '@define guarded', 'guarded', 'entity.name.function.macro.systemtap');
  hasScope(more, 'CONFIG_SMP', 'CONFIG_SMP', 'support.variable.config.systemtap');
  hasScope(more, 'CONFIG_SMP', 'arch', 'support.variable.preprocessor.systemtap');
  hasScope(more, 'CONFIG_SMP', 'private', 'storage.modifier.private.systemtap');
  hasScope(more, 'systemtap_v', 'systemtap_v', 'support.variable.preprocessor.systemtap');
  hasScope(more, 'systemtap_v', 'trace', 'entity.name.function.probe-point.systemtap');
  hasScope(more, 'systemtap_v', 'never', 'entity.name.function.probe-point.systemtap');
});

test('embedded C blocks', () => {
  hasScope(SCRIPT, '#include', '#include', 'meta.preprocessor.include.c');
  hasScope(SCRIPT, '#include', '#include', EMBEDDED);
  lacksScope(SCRIPT, '#include', '#include', 'comment.line.number-sign.systemtap');
  hasScope(SCRIPT, '#include', '<linux/netdevice.h>', 'string.quoted.other.lt-gt.include.c');
  hasScope(SCRIPT, 'function dev_name', '%{', 'punctuation.section.embedded.begin.systemtap');
  hasScope(SCRIPT, 'function dev_name', 'pure', 'keyword.other.pragma.systemtap');
  hasScope(SCRIPT, 'function dev_name', 'pure', 'comment.block.pragma.systemtap');
  hasScope(SCRIPT, 'function dev_name', 'pure', EMBEDDED);
  hasScope(SCRIPT, 'function dev_name', 'unprivileged', 'keyword.other.pragma.systemtap');
  hasScope(SCRIPT, 'int n =', 'int', 'storage.type.c');
  hasScope(SCRIPT, 'int n =', 'STAP_ARG_len', 'variable.parameter.stap-arg.systemtap');
  lacksScope(SCRIPT, 'int n =', 'STAP_ARG_len', 'variable.other.c');
  hasScope(SCRIPT, 'STAP_ERROR', 'STAP_ERROR', 'support.function.stap-macro.systemtap');
  hasScope(SCRIPT, 'STAP_ERROR', 'bad len', 'string.quoted.double.c');
  // Inside a region the C grammar opened (the stub's parentheses).
  hasScope(SCRIPT, 'strlcpy', 'STAP_RETVALUE', 'variable.language.stap-retvalue.systemtap');
  hasScope(SCRIPT, 'strlcpy', 'STAP_RETVALUE', 'meta.parens.c');
  hasScope(SCRIPT, 'strlcpy', 'STAP_ARG_skb', 'variable.parameter.stap-arg.systemtap');
  hasScope(SCRIPT, 'strlcpy', 'MAXSTRINGLEN', 'variable.other.c');
  hasScope(SCRIPT, 'CONTEXT->', 'CONTEXT', 'variable.language.systemtap');
  hasScope(SCRIPT, 'CONTEXT->', 'last_error', 'variable.other.c');

  // `%}` ends the block; the next line is SystemTap again.
  const closeLine = SCRIPT.indexOf('%}', SCRIPT.indexOf('  CONTEXT->last_error = 0;'));
  assertionCount++;
  assert.ok(scopesAt(SCRIPT, closeLine, '%}').includes('punctuation.section.embedded.end.systemtap'), 'closing %} is not punctuation.section.embedded.end.systemtap');
  hasScope(SCRIPT, 'probe kernel.function(', 'probe', 'storage.type.probe.systemtap');
  lacksScope(SCRIPT, 'probe kernel.function(', 'probe', EMBEDDED);
  lacksScope(SCRIPT, 'probe kernel.function(', 'probe', 'variable.other.c');

  const other = [
    'function f() %{ /* pragma:read:tick */ /* myproc-unprivileged */ STAP_RETURN(THIS->x); %}',
    'function g() %{ // a C comment that must not swallow the end %}',
    'function h() %{ /* unterminated C comment %}',
    'probe begin { x = %{ jiffies %} + 1 }',
  ];
  hasScope(other, 'function f', 'pragma:read', 'keyword.other.pragma.systemtap');
  hasScope(other, 'function f', 'tick', 'variable.other.pragma.systemtap');
  hasScope(other, 'function f', 'myproc-unprivileged', 'keyword.other.pragma.systemtap');
  hasScope(other, 'function f', 'STAP_RETURN', 'support.function.stap-macro.systemtap');
  hasScope(other, 'function f', 'THIS', 'variable.language.systemtap');
  hasScope(other, 'function g', '%}', 'punctuation.section.embedded.end.systemtap');
  hasScope(other, 'function h', 'unterminated', 'comment.block.c');
  hasScope(other, 'function h', '%}', 'punctuation.section.embedded.end.systemtap');
  hasScope(other, 'x = %{', 'probe', 'storage.type.probe.systemtap');
  hasScope(other, 'x = %{', 'jiffies', EMBEDDED);
  hasScope(other, 'x = %{', '+', 'keyword.operator.arithmetic.systemtap');
  lacksScope(other, 'x = %{', '+', EMBEDDED);
});

test('%{ inside a SystemTap string or comment does not open embedded C', () => {
  const n = 'probe begin { s = "%{';
  hasScope(SCRIPT, n, '%{ not embedded', 'string.quoted.double.systemtap');
  lacksScope(SCRIPT, n, '%{ not embedded', 'punctuation.section.embedded.begin.systemtap');
  hasScope(SCRIPT, n, '}', 'punctuation.section.block.end.systemtap');
  hasScope(SCRIPT, 'probe end', 'probe', 'storage.type.probe.systemtap');
  lacksScope(SCRIPT, 'probe end', 'probe', EMBEDDED);
  hasScope(SCRIPT, 'probe end', 'exit', 'entity.name.function.call.systemtap');

  const commented = ['# %{ in a comment', '// %{ in a comment', 'probe end { }'];
  hasScope(commented, 'probe end', 'probe', 'storage.type.probe.systemtap');
  lacksScope(commented, 'probe end', 'probe', EMBEDDED);
});

test('assertion count', () => {
  // The other tests ran first (node:test runs top-level tests in order).
  assert.ok(assertionCount >= 25, `only ${assertionCount} scope assertions ran`);
  console.log(`grammar scope assertions: ${assertionCount}`);
});
