// `node out/scripts/formatStyle.js [DIR...]`: how the installed tapsets and examples are laid
// out, measured from the lexer's tokens, to choose the formatter's style (server/src/format/).
// Figures only: brace placement, spacing around operators and after keywords, statements per
// line, blank lines between declarations, indentation.

import * as fs from 'fs';
import * as path from 'path';
import { lex, Token } from '../server/src/syntax/lexer';

const DIRS = process.argv.slice(2).length ? process.argv.slice(2) : ['/usr/share/systemtap/tapset', '/usr/share/systemtap/examples'];

function* files(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.stpm?$/.test(e.name)) yield p;
  }
}

const counts = new Map<string, number>();
const add = (key: string, n = 1) => counts.set(key, (counts.get(key) ?? 0) + n);
const BINARY = new Set(['=', '==', '!=', '<', '>', '<=', '>=', '+=', '-=', '.=', '&&', '||', '<<<', '=~', '!~', '*', '/', '|', '&', '^', '<<', '>>', '?']);
const CONCAT = '.';
const BLOCK_KEYWORDS = new Set(['if', 'while', 'for', 'foreach']);
const endsOperand = (t: Token) => ['identifier', 'dollar', 'at', 'number', 'string'].includes(t.kind) || t.text === ')' || t.text === ']';

let fileCount = 0;
let generated = 0;
for (const dir of DIRS) {
  for (const file of files(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    // Tables written by a script (the syscall numbers) say so at the top: they are no one's style.
    if (/generated/i.test(text.slice(0, 300))) {
      generated++;
      continue;
    }
    fileCount++;
    const { tokens } = lex(text);
    const gap = (a: Token, b: Token) => text.slice(a.end, b.start);
    // Top-level declaration starts, by brace depth, for blank lines between declarations.
    let depth = 0;
    let paren = 0;
    let inHeader = false; // probe or function header: `.` and `*` there are no operators
    let lastTopEnd = -1;
    for (let i = 0; i < tokens.length - 1; i++) {
      const t = tokens[i];
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (depth === 0 && (t.text === 'probe' || t.text === 'function')) inHeader = true;
      if (depth === 0 && ['probe', 'function', 'global', 'private'].includes(t.text) && (!prev || prev.text !== 'private')) {
        if (lastTopEnd >= 0) {
          const between = text.slice(lastTopEnd, t.start);
          const blank = /\n[ \t]*\n/.test(between.replace(/(#|\/\/)[^\n]*/g, ''));
          const kinds = `${tokens.find((x) => x.end === lastTopEnd)?.text === '}' ? 'body' : 'other'}`;
          add(`blank line before a declaration after a ${kinds === 'body' ? 'probe or function' : 'global or one-line declaration'}: ${blank ? 'yes' : 'no'}`);
        }
      }
      if (t.text === '(') paren++;
      if (t.text === ')') paren--;
      if (t.text === '{') {
        if (depth === 0 || (prev && (prev.text === ')' || prev.text === 'else'))) {
          const own = /\n/.test(gap(prev ?? t, t));
          const what =
            depth === 0
              ? (tokens
                  .slice(0, i)
                  .reverse()
                  .find((x) => x.text === 'probe' || x.text === 'function')?.text ?? '?')
              : 'statement';
          add(`'{' of a ${what} body: ${own ? 'own line (Allman)' : 'same line (K&R)'}`);
        }
        depth++;
        inHeader = false;
      }
      if (t.kind === 'embedded' && depth === 0) inHeader = false;
      if (t.text === '}') {
        depth = Math.max(0, depth - 1);
        if (depth === 0) lastTopEnd = t.end;
        if (next.text === 'else') add(`'}' before 'else': ${/\n/.test(gap(t, next)) ? 'else on its own line' : '} else'}`);
      }
      if (depth === 0 && t.kind === 'identifier' && next.text !== '{' && t.text !== 'probe' && t.text !== 'function' && t.text !== 'global') {
        // a global declaration's last token ends a top-level declaration too
        if (
          /\n/.test(gap(t, next)) &&
          tokens
            .slice(0, i)
            .reverse()
            .find((x) => ['probe', 'function', 'global'].includes(x.text))?.text === 'global'
        )
          lastTopEnd = t.end;
      }
      if (t.kind === 'identifier' && BLOCK_KEYWORDS.has(t.text) && next.text === '(') add(`'${t.text === 'if' ? 'if' : 'while/for/foreach'}' then '(': ${gap(t, next) === '' ? 'no space' : 'space'}`);
      if (t.kind === 'identifier' && !BLOCK_KEYWORDS.has(t.text) && next.text === '(' && depth > 0) add(`call: name then '(': ${gap(t, next) === '' ? 'no space' : 'space'}`);
      if (t.kind === 'operator' && (BINARY.has(t.text) || (t.text === CONCAT && !inHeader && depth > 0)) && prev && endsOperand(prev) && depth > 0) {
        const before = gap(prev, t);
        const after = gap(t, next);
        if (/\n/.test(before) || /\n/.test(after)) continue;
        const kind =
          t.text === '='
            ? "'='"
            : t.text === '.'
              ? "'.' (concatenation)"
              : ['==', '!=', '<', '>', '<=', '>='].includes(t.text)
                ? 'comparison'
                : ['&&', '||'].includes(t.text)
                  ? "'&&' '||'"
                  : ['+=', '-=', '.=', '<<<'].includes(t.text)
                    ? "'+=' '.=' '<<<'"
                    : 'other binary';
        add(`${kind}: ${before && after ? 'spaces both sides' : !before && !after ? 'no spaces' : 'space on one side'}`);
      }
      if ((t.text === '+' || t.text === '-') && prev && endsOperand(prev) && depth > 0 && next.text !== ')' && next.text !== ',' && next.text !== ']' && next.text !== 'limit') {
        const before = gap(prev, t);
        const after = gap(t, next);
        if (!/\n/.test(before + after)) add(`'+' '-' (binary): ${before && after ? 'spaces both sides' : !before && !after ? 'no spaces' : 'space on one side'}`);
      }
      if (t.text === ',' && paren > 0 && !/\n/.test(gap(t, next))) add(`after ',': ${gap(t, next) ? 'space' : 'no space'}`);
      if (t.text === ';' && paren === 0 && depth > 0 && next.text !== '}' && !/\n/.test(gap(t, next))) {
        add(`after ';' in a body: another statement on the same line`);
      } else if (t.text === ';' && paren === 0 && depth > 0) add(`after ';' in a body: line ends (or '}')`);
    }
    // Indentation: the first character of each indented line outside %{ %} and comments.
    const embedded = tokens.filter((t) => t.kind === 'embedded');
    let offset = 0;
    for (const line of text.split('\n')) {
      const inC = embedded.some((e) => offset > e.start && offset < e.end);
      const m = /^([ \t]+)\S/.exec(line);
      if (!inC && m && !/^\s*(\*|#|\/\/)/.test(line)) {
        if (m[1].startsWith('\t')) add('indented line: starts with a tab');
        else add(`indented line: starts with ${m[1].length >= 8 ? '8 or more' : m[1].length} space(s)`);
      }
      offset += line.length + 1;
    }
  }
}

console.log(`${fileCount} files under ${DIRS.join(', ')} (${generated} generated ones left out)`);
const groups = new Map<string, [string, number][]>();
for (const [k, v] of counts) {
  const [g, rest] = k.split(/: (?=[^:]*$)/);
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g)!.push([rest, v]);
}
for (const [g, rows] of [...groups].sort()) {
  const total = rows.reduce((s, [, v]) => s + v, 0);
  const parts = rows.sort((a, b) => b[1] - a[1]).map(([r, v]) => `${r} ${v} (${((100 * v) / total).toFixed(1)}%)`);
  console.log(`${g}: ${parts.join(', ')}`);
}
