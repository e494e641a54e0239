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
import { FIXTURES, SAMPLES } from './paths';

/** A hang or a quadratic blow-up shows as a parse far slower than this. */
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

export function fuzz(cases: number, seed: number, onProgress?: (done: number) => void): { failures: FuzzFailure[]; slowestMs: number } {
  const random = seededRandom(seed);
  const seeds = fuzzSeeds();
  const libraryMacros = loadLibraryMacros(findTapsetDir());
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  for (let i = 0; i < cases; i++) {
    const input = mutate(seeds[Math.floor(random() * seeds.length)], random);
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
    if (ms > MAX_PARSE_MS) failures.push({ caseNumber: i, problem: `took ${ms.toFixed(0)} ms`, input });
    if (onProgress && i % 5000 === 4999) onProgress(i + 1);
  }
  return { failures, slowestMs };
}
