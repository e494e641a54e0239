// The names a script's code can refer to, as stap's symbol resolution finds
// them: the script's globals, its functions and the tapset library's (from
// the library index's signatures), and per probe or function body, its
// parameters and locals.

import { FunctionDecl, Param, Script } from '../../syntax/ast';
import { OffsetRange } from '../../syntax/diagnostic';
import { FunctionSymbol, Slot, ValueType, VariableSymbol } from './types';

/** A library function as the index knows it: `task_pid:long(task:long)`. */
export interface LibrarySignature {
  signature: string;
}

export type LibraryFunctions = ReadonlyMap<string, readonly LibrarySignature[]>;

export function declaredType(name: string | undefined): ValueType | undefined {
  return name === 'long' || name === 'string' ? name : undefined;
}

export function newVariable(name: string, kind: VariableSymbol['kind'], declared: OffsetRange, type?: ValueType): VariableSymbol {
  return { name, kind, declared, value: type ? { type } : {}, indexes: [] };
}

export function globalsOf(script: Script): Map<string, VariableSymbol> {
  const globals = new Map<string, VariableSymbol>();
  for (const item of script.items) {
    if (item.kind !== 'global') continue;
    for (const v of item.vars) {
      if (globals.has(v.text)) continue;
      const symbol = newVariable(v.text, 'global', v);
      if (v.isArray || v.arraySize) symbol.declaredArray = true;
      globals.set(v.text, symbol);
    }
  }
  return globals;
}

function paramSymbol(p: Param): VariableSymbol {
  return newVariable(p.text, 'param', p, declaredType(p.type?.text));
}

export function scriptFunction(fn: FunctionDecl): FunctionSymbol {
  const returns: Slot = {};
  const declared = declaredType(fn.returnType?.text);
  if (declared) returns.type = declared;
  return {
    name: fn.name.text,
    declared: fn.name,
    body: fn.body ? { start: fn.body.start, end: fn.body.end } : undefined,
    params: fn.params.map(paramSymbol),
    returns,
    library: false,
  };
}

/** Reads `name:type(p:type, q)` back; undefined for anything else. */
export function libraryFunction(name: string, signature: string): FunctionSymbol | undefined {
  const m = /^([\w$]+)(?::(\w+))?\s*\(([^)]*)\)$/.exec(signature.trim());
  if (!m || m[1] !== name) return undefined;
  const none = { start: 0, end: 0 };
  const params = m[3].trim()
    ? m[3].split(',').map((p) => {
        const [pname, ptype] = p.trim().split(':');
        return newVariable(pname, 'param', none, declaredType(ptype));
      })
    : [];
  const returns: Slot = {};
  const type = declaredType(m[2]);
  if (type) returns.type = type;
  return { name, params, returns, library: true };
}
