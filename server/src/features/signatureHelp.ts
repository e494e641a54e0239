// Signature help inside a call's parentheses: the script's own functions, the
// tapset library's, and stap's printing built-ins. Works on half-typed calls:
// it reads tokens backwards from the cursor, not the (possibly broken) tree.

import { SignatureHelp, SignatureInformation } from 'vscode-languageserver';
import { Analysis } from '../analysis/analyze';
import { TapsetIndex } from '../analysis/tapsetIndex';
import { functionSignature, paramList } from '../syntax/signature';
import { PRINT_FUNCTIONS } from '../docs/builtins';
import { embeddedRegionAt } from './cursorContext';
import { tokensAround } from './nameAt';

export function signatureHelp(analysis: Analysis, offset: number, index: TapsetIndex): SignatureHelp | null {
  if (embeddedRegionAt(analysis, offset)) return null;
  const tokens = tokensAround(analysis, offset).filter((t) => t.end <= offset && t.kind !== 'eof');
  let depth = 0;
  let commas = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind === 'operator' && (t.text === ')' || t.text === ']')) depth++;
    else if (t.kind === 'operator' && t.text === '[' && depth > 0) depth--;
    else if (t.kind === 'operator' && t.text === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const callee = tokens[i - 1];
      if (!callee || callee.kind !== 'identifier') return null;
      const signatures = signaturesOf(analysis, callee.text, index);
      return signatures.length ? { signatures, activeSignature: 0, activeParameter: commas } : null;
    } else if (t.kind === 'operator' && t.text === ',' && depth === 0) commas++;
    else if (t.kind === 'operator' && (t.text === '{' || t.text === '}' || t.text === ';')) return null;
  }
  return null;
}

function signaturesOf(analysis: Analysis, name: string, index: TapsetIndex): SignatureInformation[] {
  const local = analysis.script.items.find((i) => i.kind === 'function' && i.name.text === name);
  if (local && local.kind === 'function') return [information(functionSignature(local), paramList(local.params))];
  const builtin = PRINT_FUNCTIONS.get(name);
  if (builtin) return [{ ...information(builtin.signature, builtin.signature.slice(builtin.signature.indexOf('(') + 1, -1)), documentation: builtin.doc }];
  return (index.functions.get(name) ?? []).slice(0, 1).map((f) => ({ ...information(f.signature, f.signature.slice(f.signature.indexOf('(') + 1, -1)), documentation: f.summary }));
}

function information(label: string, params: string): SignatureInformation {
  const start = label.indexOf('(') + 1;
  const parameters: [number, number][] = [];
  let at = start;
  for (const p of params ? params.split(', ') : []) {
    parameters.push([at, at + p.length]);
    at += p.length + 2;
  }
  return { label, parameters: parameters.map((label) => ({ label })) };
}
