// Finds every `%{ ... %}` region of a script and the context it sits in: top
// level C, the body of an embedded-C function, or a `%{ expr %}` expression.

import { EmbeddedCode, FunctionDecl, Script, Statement } from '../syntax/ast';
import { walkTree } from '../syntax/walk';

export type RegionContext = { kind: 'topLevel' } | { kind: 'functionBody'; fn: FunctionDecl } | { kind: 'expression'; fn?: FunctionDecl };

export interface EmbeddedRegion {
  code: EmbeddedCode;
  context: RegionContext;
}

export function findEmbeddedRegions(script: Script): EmbeddedRegion[] {
  const regions: EmbeddedRegion[] = [];
  const visit = (root: Statement | undefined, fn: FunctionDecl | undefined) => {
    if (!root) return;
    walkTree(root, (node) => {
      if (node.kind !== 'embeddedExpr' || !('embedded' in node) || !node.embedded) return true;
      regions.push({ code: node.embedded, context: { kind: 'expression', fn } });
      return false;
    });
  };
  for (const item of script.items) {
    if (item.kind === 'embedded') regions.push({ code: item, context: { kind: 'topLevel' } });
    else if (item.kind === 'function') {
      if (item.body?.kind === 'embedded') regions.push({ code: item.body, context: { kind: 'functionBody', fn: item } });
      else visit(item.body, item);
    } else if (item.kind === 'probe') {
      visit(item.body, undefined);
      visit(item.epilogue, undefined);
    }
  }
  return regions.sort((a, b) => a.code.start - b.code.start);
}
