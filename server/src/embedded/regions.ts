// Finds every `%{ ... %}` region of a script and the context it sits in: top
// level C, the body of an embedded-C function, or a `%{ expr %}` expression.

import { EmbeddedCode, FunctionDecl, Script, Statement } from '../syntax/ast';
import { walkTree } from '../syntax/walk';

export type RegionContext = { kind: 'topLevel' } | { kind: 'functionBody'; fn: FunctionDecl } | { kind: 'expression'; fn?: FunctionDecl };

export interface EmbeddedRegion {
  code: EmbeddedCode;
  context: RegionContext;
}

/** `remember`: keep what each body holds for the next analysis of the same tree (the editor's); a one-time check walks each body once and need not. */
export function findEmbeddedRegions(script: Script, remember = false): EmbeddedRegion[] {
  const regions: EmbeddedRegion[] = [];
  const visit = (root: Statement | undefined, fn: FunctionDecl | undefined) => {
    if (!root) return;
    for (const code of embeddedIn(root, remember)) regions.push({ code, context: { kind: 'expression', fn } });
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

const NONE: readonly EmbeddedCode[] = [];

/** The `%{ %}` expressions of each body: trees do not change after the parse, and an unedited declaration is the same object in the next tree. */
const embeddedInBody = new WeakMap<Statement, readonly EmbeddedCode[]>();

function embeddedIn(root: Statement, remember: boolean): readonly EmbeddedCode[] {
  const known = embeddedInBody.get(root);
  if (known) return known;
  const found: EmbeddedCode[] = [];
  walkTree(root, (node) => {
    if (node.kind !== 'embeddedExpr' || !('embedded' in node) || !node.embedded) return true;
    found.push(node.embedded);
    return false;
  });
  const codes = found.length ? found : NONE;
  if (remember) embeddedInBody.set(root, codes);
  return codes;
}
