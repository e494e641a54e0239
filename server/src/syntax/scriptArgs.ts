// Script arguments, as stap's lexer pastes them in before anything else reads
// the script: `$N` becomes the text of argument N, `@N` that text as a string
// literal, `$#` and `@#` their count. Done here only when the arguments are
// known (stap-check --args, or in the editor those of the file's last run);
// otherwise `$N` and `@N` stay tokens of their own, which the parser takes for
// whatever the argument may turn out to be.

import { SyntaxError } from './diagnostic';
import { lex, makeToken, Token } from './lexer';

export interface Substituted {
  tokens: Token[];
  /** Out-of-range and nested arguments; stap reports them only where it reads them (not in untaken %( %) branches). */
  errors: SyntaxError[];
}

const SCRIPT_ARG = /^[$@](\d+|#)$/;

/** `$1`, `@2`, `$#`, `@#`. */
export const isScriptArgToken = (t: Token): boolean => (t.kind === 'dollar' || t.kind === 'at') && SCRIPT_ARG.test(t.text);

/**
 * The tokens with the arguments pasted in, each pasted token at the range of
 * the `$N` it replaces. Without arguments only `$0` and `@0` are errors:
 * arguments are numbered from 1, whatever is given.
 */
export function substituteScriptArgs(tokens: Token[], args: readonly string[] | undefined, source: ScriptArgsSource = 'command line'): Substituted {
  const errors: SyntaxError[] = [];
  if (!args) {
    for (const t of tokens) if (isScriptArgToken(t) && Number(t.text.slice(1)) === 0) errors.push(outOfRange(t, undefined));
    return { tokens, errors };
  }
  const out: Token[] = [];
  for (const t of tokens) {
    if (!isScriptArgToken(t)) {
      out.push(t);
      continue;
    }
    const quotedForm = t.text.startsWith('@');
    const which = t.text.slice(1);
    const n = which === '#' ? undefined : Number(which);
    if (n !== undefined && (n === 0 || n > args.length)) {
      errors.push(outOfRange(t, args.length));
      out.push(t);
      continue;
    }
    const value = n === undefined ? String(args.length) : args[n - 1];
    if (quotedForm) {
      out.push(makeToken('string', quoteString(value), t.start, t.end, t.spaceBefore));
      continue;
    }
    const pasted = lex(value);
    for (const e of pasted.errors) errors.push({ message: `in script argument ${t.text} (${JSON.stringify(clip(value))}): ${e.message}`, start: t.start, end: t.end, severity: e.severity });
    pasted.tokens.slice(0, -1).forEach((p, i) => {
      if (isScriptArgToken(p))
        errors.push({ message: `invalid nested substitution of command line arguments: script argument ${t.text} is ${JSON.stringify(clip(value))}, which names another`, start: t.start, end: t.end });
      out.push(makeToken(p.kind, p.text, t.start, t.end, i === 0 ? t.spaceBefore : p.spaceBefore));
    });
  }
  return { tokens: out, errors: source === 'last run' ? errors.map(asLastRunWarning) : errors };
}

/**
 * Where known arguments come from: given for this check (stap-check --args),
 * or remembered from the file's last run, which the next run may change (it
 * asks again): what they cause is then a warning that says so.
 */
export type ScriptArgsSource = 'command line' | 'last run';

function asLastRunWarning(e: SyntaxError): SyntaxError {
  return { ...e, severity: 'warning', message: `${e.message} (with the arguments of this file's last run)` };
}

function outOfRange(t: Token, given: number | undefined): SyntaxError {
  const why = t.text.slice(1) === '0' ? 'arguments are numbered from 1' : given === 0 ? 'no script arguments are given' : `${given} script argument${given === 1 ? ' is' : 's are'} given`;
  return { message: `command line argument out of range: ${t.text}, but ${why}`, start: t.start, end: t.end };
}

/** How stap quotes an argument for `@N`: a string literal with `"` and `\` escaped. */
function quoteString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
