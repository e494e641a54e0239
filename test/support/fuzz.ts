// Seeded mutation fuzzing of the parser: real scripts with tokens deleted,
// duplicated, swapped, truncated, random bytes and unbalanced delimiters.
// The parser must never throw, and must finish each input quickly.
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { EMPTY_INDEX } from '../../server/src/analysis/tapsetIndex';
import { definition } from '../../server/src/features/definition';
import { hover } from '../../server/src/features/hover';
import { prepareRename, references } from '../../server/src/features/references';
import { completeScript } from '../../server/src/features/scriptCompletion';
import { signatureHelp } from '../../server/src/features/signatureHelp';
import { foldingRanges } from '../../server/src/features/folding';
import { documentSymbols } from '../../server/src/features/symbols';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { lex } from '../../server/src/syntax/lexer';
import { parse } from '../../server/src/syntax/parser';
import { incrementalParse, ParsedText } from '../../server/src/syntax/reparse';
import { isDeepStrictEqual } from 'util';
import { formatProblem } from './formatChecks';
import { FIXTURES, SAMPLES } from './paths';

/** For `npm run fuzz`: a hang or a quadratic blow-up shows as a parse far slower than this. The tests report times, they do not judge them. */
export const MAX_PARSE_MS = 2000;

export interface FuzzFailure {
  caseNumber: number;
  problem: string;
  input: string;
}

export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real scripts to mutate: the samples, the golden fixtures and some of the tapset library. */
export function fuzzSeeds(): string[] {
  const files = [
    ...listFiles(SAMPLES, ['.stp']),
    ...listFiles(path.join(FIXTURES, 'golden'), ['.stp']),
    ...(findTapsetDir() ? listFiles(findTapsetDir()!, ['.stp', '.stpm']).filter((_, i) => i % 10 === 0) : []),
  ];
  return files.map((f) => fs.readFileSync(f, 'utf8'));
}

const JUNK = ['%{', '%}', '%(', '%?', '%:', '%)', '{', '}', '(', ')', '[', ']', '"', "'", '/*', '*/', '#', '@', '$', ';', ',', '.', 'probe', 'function', '@define', '\0', '\u00e9', '\ud83d', '\n'];

export function mutate(text: string, random: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const tokens = lex(text).tokens.filter((t) => t.kind !== 'eof');
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    if (tokens.length === 0) return text + pick(JUNK);
    const t = pick(tokens);
    const u = pick(tokens);
    switch (Math.floor(random() * 7)) {
      case 0: // delete a token
        text = text.slice(0, t.start) + text.slice(t.end);
        break;
      case 1: // duplicate a token
        text = text.slice(0, t.end) + ' ' + t.text + text.slice(t.end);
        break;
      case 2: // swap two tokens
        if (t.end <= u.start) text = text.slice(0, t.start) + u.text + text.slice(t.end, u.start) + t.text + text.slice(u.end);
        break;
      case 3: // truncate
        text = text.slice(0, Math.floor(random() * text.length));
        break;
      case 4: // random bytes
        text = text.slice(0, t.start) + String.fromCharCode(...Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256))) + text.slice(t.start);
        break;
      default: // an unbalanced delimiter or keyword
        text = text.slice(0, t.start) + pick(JUNK) + text.slice(t.start);
    }
    if (e < edits - 1) tokens.splice(0, tokens.length, ...lex(text).tokens.filter((x) => x.kind !== 'eof'));
  }
  return text;
}

/**
 * Mutations toward what exhausts a parser: deep nesting around a token,
 * long chains, macros that double, conditionals inside conditionals, globs
 * with many stars. Sizes are drawn up to 20,000 so that depth limits are hit.
 */
export function mutateHostile(text: string, random: () => number): string {
  const tokens = lex(text).tokens.filter((t) => t.kind !== 'eof');
  const n = Math.floor(10 ** (1 + random() * 3.3)); // 10 .. 20,000, log-uniform
  const at = tokens.length ? tokens[Math.floor(random() * tokens.length)] : { start: text.length, end: text.length, text: '' };
  const around = (open: string, close: string) => text.slice(0, at.start) + open.repeat(n) + at.text + close.repeat(n) + text.slice(at.end);
  const insert = (s: string) => text.slice(0, at.start) + s + text.slice(at.start);
  switch (Math.floor(random() * 8)) {
    case 0:
      return around('(', ')');
    case 1:
      return around('{', '}');
    case 2:
      return around('[', ']');
    case 3: // a long chain: `x + x + ...`, `else if` after `else if`
      return insert(random() < 0.5 ? `1${' + 1'.repeat(n)}` : `if (1) x = 1${' else if (1) x = 1'.repeat(n)}\n`);
    case 4: {
      // a macro whose expansion doubles at each level of use
      const depth = 5 + Math.floor(random() * 40);
      return `@define fz_double(x) %( @x @x %)\n${text.slice(0, at.start)}${'@fz_double('.repeat(depth)}${at.text || '1'}${')'.repeat(depth)}${text.slice(at.end)}`;
    }
    case 5: // nested conditionals
      return insert(`${'%( arch == "x86_64" %? '.repeat(n)}${at.text}${' %)'.repeat(n)}`);
    case 6: // a glob that backtracks
      return `%( kernel_vr == "${'*'.repeat(Math.min(n, 200))}Z" %? probe begin { } %)\n${text}`;
    default: // embedded C nested deep
      return `${text}\nfunction fz_c:long() %{ STAP_RETVALUE = ${'('.repeat(n)}1${')'.repeat(n)}; %}\n`;
  }
}

export function fuzz(cases: number, seed: number, onProgress?: (done: number) => void, hostile = false, maxParseMs = MAX_PARSE_MS): { failures: FuzzFailure[]; slowestMs: number } {
  const random = seededRandom(seed);
  const seeds = fuzzSeeds();
  const libraryMacros = loadLibraryMacros(findTapsetDir());
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  const seedParses = new Map<string, ParsedText>();
  for (let i = 0; i < cases; i++) {
    const seedText = seeds[Math.floor(random() * seeds.length)];
    const input = hostile ? mutateHostile(seedText, random) : mutate(seedText, random);
    // Parsed again from the seed as after an edit, the tree must be the whole parse's.
    if (!hostile) {
      let seedParse = seedParses.get(seedText);
      if (!seedParse) seedParses.set(seedText, (seedParse = { text: seedText, options: { libraryMacros }, script: parse(seedText, { libraryMacros }) }));
      const incremental = incrementalParse(seedParse, input, { libraryMacros });
      if (incremental && !isDeepStrictEqual(incremental, parse(input, { libraryMacros })))
        failures.push({ caseNumber: i, problem: 'parsing again after the edit gives another tree than a whole parse', input });
    }
    const started = performance.now();
    try {
      const analysis = analyze(input, { syntaxOnly: random() < 0.5, libraryMacros });
      // The features that read the tree must cope with whatever it holds.
      const document = TextDocument.create('file:///fuzz.stp', 'systemtap', 1, input);
      documentSymbols(analysis, document);
      foldingRanges(analysis, document);
      const offset = Math.floor(random() * (input.length + 1));
      definition(analysis, document, offset, { macros: libraryMacros, index: EMPTY_INDEX, readFile: () => undefined });
      hover(analysis, document, offset);
      completeScript(analysis, document, offset, EMPTY_INDEX);
      references(analysis, document, offset, true);
      prepareRename(analysis, document, offset);
      signatureHelp(analysis, offset, EMPTY_INDEX);
    } catch (e) {
      failures.push({ caseNumber: i, problem: String((e as Error).stack ?? e), input });
      continue;
    }
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    // The formatter on the same script, outside the timing: it keeps its promises where it parses.
    if (!hostile) {
      try {
        const problem = formatProblem(input);
        if (problem) failures.push({ caseNumber: i, problem: `format: ${problem}`, input });
      } catch (e) {
        failures.push({ caseNumber: i, problem: `format: ${String((e as Error).stack ?? e)}`, input });
      }
    }
    if (ms > maxParseMs) failures.push({ caseNumber: i, problem: `took ${ms.toFixed(0)} ms`, input });
    if (onProgress && i % 5000 === 4999) onProgress(i + 1);
  }
  return { failures, slowestMs };
}
