// The `%{ ... %}` regions of a script, found by a small scanner rather than
// the parser: the compile check runs in the client too, which must not carry
// the language layer. Comments and strings are skipped as stap's lexer skips
// them; inside a region nothing is special until `%}`.
// Pure: unit-tested.

import type { ScriptRegion } from './compileMap';

export function scanEmbeddedRegions(text: string): ScriptRegion[] {
  const regions: ScriptRegion[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '%' && next === '{') {
      const codeStart = i + 2;
      const close = text.indexOf('%}', codeStart);
      const codeEnd = close < 0 ? text.length : close;
      regions.push({ codeStart, code: text.slice(codeStart, codeEnd) });
      i = codeEnd + 2;
    } else if (c === '#' || (c === '/' && next === '/')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else {
      i++;
    }
  }
  return regions;
}
