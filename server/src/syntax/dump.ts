// The syntax tree and errors as indented text, one node a line, with 1-based
// line:column ranges: for golden tests and for debugging the parser.

import { Expr, ProbePoint, Script, Statement } from './ast';
import { LineIndex } from './lineIndex';
import { walkTree } from './walk';

export function dumpScript(text: string, script: Script): string {
  const lines = new LineIndex(text);
  const at = (o: number) => {
    const p = lines.positionAt(o);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const range = (n: { start: number; end: number }) => `[${at(n.start)}-${at(n.end)}]`;
  const out: string[] = [];
  const emit = (depth: number, line: string) => out.push('  '.repeat(depth) + line);

  const point = (p: ProbePoint, depth: number) => {
    const comps = p.components.map((c) => c.name + (c.arg ? `(${c.arg.text})` : '')).join('.');
    emit(depth, `point ${comps}${p.sufficient ? '!' : p.optional ? '?' : ''} ${range(p)}`);
    if (p.condition) node(p.condition, depth + 1);
  };
  const node = (root: Statement | Expr, depth: number) =>
    walkTree(root, (n, below) => {
      const label = 'text' in n && n.text !== undefined && n.text !== '' && n.kind !== 'embeddedExpr' ? ` ${n.text}` : '';
      emit(depth + below, `${n.kind}${label} ${range(n)}`);
    });

  for (const item of script.items) {
    switch (item.kind) {
      case 'probe':
        emit(0, `probe ${range(item)}`);
        item.points.forEach((p) => point(p, 1));
        if (item.alias) {
          emit(1, `alias ${item.alias.op}`);
          item.alias.points.forEach((p) => point(p, 2));
        }
        if (item.body) node(item.body, 1);
        if (item.epilogue) node(item.epilogue, 1);
        break;
      case 'function': {
        const params = item.params.map((p) => p.text + (p.type ? `:${p.type.text}` : '')).join(', ');
        emit(0, `${item.isPrivate ? 'private ' : ''}function ${item.name.text}${item.returnType ? ':' + item.returnType.text : ''}(${params}) ${range(item)}`);
        if (item.body?.kind === 'embedded') emit(1, `embedded ${range(item.body)}`);
        else if (item.body) node(item.body, 1);
        break;
      }
      case 'global':
        emit(0, `${item.isPrivate ? 'private ' : ''}global ${range(item)}`);
        for (const v of item.vars) {
          const shape = (v.wrap ? '%' : '') + (v.isArray ? `[${v.arraySize?.text ?? ''}]` : '');
          emit(1, `${v.text}${shape}${v.init ? ' = ' + v.init.text : ''} ${range(v)}`);
        }
        break;
      case 'embedded':
        emit(0, `embedded ${range(item)}`);
        break;
    }
  }
  for (const m of script.macros) emit(0, `macro @${m.name}(${m.params.join(', ')}) ${range(m)}`);
  for (const r of script.inactive) emit(0, `inactive ${range(r)}`);
  for (const e of script.errors) emit(0, `${e.severity ?? 'error'} ${range(e)} ${e.message}`);
  return out.join('\n') + '\n';
}
