// The formatter's promise, checked on every result: the same tokens in the same order, the same
// comments, and the same syntax tree once positions are left out.

import { Expr, ProbePoint, Script, Statement } from '../syntax/ast';
import { dumpScript } from '../syntax/dump';
import { lex } from '../syntax/lexer';
import { parse } from '../syntax/parser';
import { walkTree } from '../syntax/walk';
import { embeddedCodeKey } from './embeddedIndent';

/** The golden tree dump of `text` without its line:column ranges (for tests: its lines are indented by depth). */
export function treeShape(text: string, script: Script = parse(text)): string {
  return dumpScript(text, script).replace(/ \[\d+:\d+-\d+:\d+\]/g, '');
}

/**
 * What dump.ts prints, without positions, one entry a node with its depth as a number: a tree
 * 100,000 deep makes no string of 100,000 spaces a line here.
 */
export function treeEntries(script: Script): string[] {
  const out: string[] = [];
  const point = (p: ProbePoint) => {
    out.push(`point ${p.components.map((c) => c.name + (c.arg ? `(${c.arg.text})` : '')).join('.')}${p.sufficient ? '!' : p.optional ? '?' : ''}`);
    if (p.condition) node(p.condition);
  };
  const node = (root: Statement | Expr) =>
    walkTree(root, (n, depth) => {
      out.push(`${depth} ${n.kind} ${'text' in n && n.kind !== 'embeddedExpr' ? n.text : ''}`);
    });
  for (const item of script.items) {
    switch (item.kind) {
      case 'probe':
        out.push('probe');
        item.points.forEach(point);
        if (item.alias) {
          out.push(`alias ${item.alias.op}`);
          item.alias.points.forEach(point);
        }
        if (item.body) node(item.body);
        if (item.epilogue) node(item.epilogue);
        break;
      case 'function':
        out.push(`${item.isPrivate ? 'private ' : ''}function ${item.name.text}:${item.returnType?.text ?? ''}(${item.params.map((p) => p.text + ':' + (p.type?.text ?? '')).join(',')})`);
        if (item.body?.kind === 'embedded') out.push('embedded');
        else if (item.body) node(item.body);
        break;
      case 'global':
        out.push(`${item.isPrivate ? 'private ' : ''}global`);
        for (const v of item.vars) out.push(`${v.text}${v.wrap ? '%' : ''}${v.isArray ? `[${v.arraySize?.text ?? ''}]` : ''}${v.init ? ' = ' + v.init.text : ''}`);
        break;
      case 'embedded':
        out.push('embedded');
        break;
    }
  }
  for (const m of script.macros) out.push(`macro @${m.name}(${m.params.join(', ')})`);
  out.push(`inactive ${script.inactive.length}`);
  for (const e of script.errors) out.push(`${e.severity ?? 'error'} ${e.message}`);
  return out;
}

/** Undefined when `after` means what `before` means; otherwise what differs. */
export function keepsMeaning(before: string, after: string, beforeScript?: Script, embeddedReindented = false): string | undefined {
  const a = lex(before);
  const b = lex(after);
  if (a.tokens.length !== b.tokens.length) return `token count ${a.tokens.length} became ${b.tokens.length}`;
  for (let i = 0; i < a.tokens.length; i++) {
    const same = a.tokens[i].text === b.tokens[i].text || (embeddedReindented && a.tokens[i].kind === 'embedded' && embeddedCodeKey(a.tokens[i].text) === embeddedCodeKey(b.tokens[i].text));
    if (a.tokens[i].kind !== b.tokens[i].kind || !same) return `token ${i} ${JSON.stringify(a.tokens[i].text)} became ${JSON.stringify(b.tokens[i].text)}`;
  }
  if (a.comments.length !== b.comments.length) return `comment count ${a.comments.length} became ${b.comments.length}`;
  for (let i = 0; i < a.comments.length; i++) if (a.comments[i].text !== b.comments[i].text) return `comment ${i} changed`;
  const treeBefore = treeEntries(beforeScript ?? parse(before));
  const treeAfter = treeEntries(parse(after));
  if (treeBefore.length !== treeAfter.length || treeBefore.some((entry, i) => entry !== treeAfter[i])) return 'the syntax tree changed';
  return undefined;
}
