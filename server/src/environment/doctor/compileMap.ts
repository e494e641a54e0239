// Places gcc's findings on stap's generated C back in the script. stap 4.8
// writes no `#line` directives: it copies the text of each `%{ %}` region
// verbatim into stap_N_src.c (or an aux_N.c beside it), so a region is found
// in the generated file by its text, and a position inside that copy is the
// same distance into the region in the script. What falls outside the
// script's own C is stap's runtime, a tapset, or the kernel's headers: not
// the user's code, reported apart.
// Pure: no VS Code or process imports, unit-tested on captured real output.

import { characterOfDisplayColumn, GccDiagnostic, GccOutput } from './gccOutput';
import { LineIndex, Position } from '../../syntax/lineIndex';

/** A `%{ %}` region of the script: where its C text starts, and the text. */
export interface ScriptRegion {
  codeStart: number;
  code: string;
}

export type { Position };

export interface MappedDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  start: Position;
  end: Position;
  /** Notes gcc attached that also fall in the script. */
  notes: { message: string; start: Position; end: Position }[];
  /** gcc's fix-it for the text from start to end ("did you mean 'name'?"), when it gave one. */
  fixIt?: string;
}

export interface CompileMapping {
  /** Findings in the script's own C, placed. */
  script: MappedDiagnostic[];
  /**
   * Findings elsewhere, each once, in order: in stap's runtime or the kernel
   * headers, or (`generated`) in stap's generated C outside the script's
   * regions: a tapset's embedded C, or stap's translation.
   */
  elsewhere: (GccDiagnostic & { generated: boolean })[];
}

// Short regions (`%{ 1 %}`) would match stap's own code by chance.
const MIN_REGION_TEXT = 8;

interface Copy {
  /** Offset of the copy in the generated file. */
  at: number;
  region: ScriptRegion;
}

/**
 * Maps the parsed gcc output. `generated` reads a generated C file by the
 * path gcc named (undefined for files that are not stap's output: runtime,
 * headers); `scriptText` is the script as stap read it.
 */
export function mapCompileOutput(output: GccOutput, scriptText: string, regions: readonly ScriptRegion[], generated: (file: string) => string | undefined): CompileMapping {
  const scriptLines = new LineIndex(scriptText);
  const copiesByFile = new Map<string, { text: string; lines: LineIndex; copies: Copy[] } | undefined>();
  const copiesOf = (file: string) => {
    if (!copiesByFile.has(file)) {
      const text = generated(file);
      copiesByFile.set(file, text === undefined ? undefined : { text, lines: new LineIndex(text), copies: findCopies(text, regions) });
    }
    return copiesByFile.get(file);
  };
  const place = (d: GccDiagnostic): { start: Position; end: Position } | undefined => {
    const file = copiesOf(d.file);
    if (!file) return undefined;
    const lineStart = file.lines.offsetOfLine(d.line - 1);
    if (lineStart === undefined) return undefined;
    const lineEnd = file.text.indexOf('\n', lineStart);
    const lineText = file.text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    const offset = lineStart + characterOfDisplayColumn(lineText, d.column);
    const copy = file.copies.find((c) => offset >= c.at && offset < c.at + c.region.code.length);
    if (!copy) return undefined;
    const start = copy.region.codeStart + (offset - copy.at);
    const endInLine = lineStart + characterOfDisplayColumn(lineText, d.column + Math.max(1, d.width));
    const end = Math.min(copy.region.codeStart + (endInLine - copy.at), copy.region.codeStart + copy.region.code.length);
    return { start: scriptLines.positionAt(start), end: scriptLines.positionAt(Math.max(end, start)) };
  };

  const script: MappedDiagnostic[] = [];
  const elsewhere: CompileMapping['elsewhere'] = [];
  const seen = new Set<string>();
  for (const d of output.diagnostics) {
    const at = place(d);
    if (at) {
      const notes = d.notes.flatMap((n) => {
        const where = place(n);
        return where ? [{ message: n.message, ...where }] : [];
      });
      script.push({ severity: d.severity === 'warning' ? 'warning' : 'error', message: d.message, ...at, notes, ...(d.fixIt ? { fixIt: d.fixIt } : {}) });
      continue;
    }
    // The same header error repeats for every file that includes it: once is enough.
    const key = `${d.file}:${d.line}:${d.column}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    elsewhere.push({ ...d, generated: copiesOf(d.file) !== undefined });
  }
  // A kernel function the module calls but the kernel does not export: placed at its first call in the script's C.
  for (const { symbol } of output.undefinedSymbols) {
    const at = firstUse(symbol, regions);
    if (at === undefined) continue;
    script.push({
      severity: 'error',
      message: `'${symbol}' is not exported by the kernel: a module cannot call it (modpost: undefined symbol)`,
      start: scriptLines.positionAt(at),
      end: scriptLines.positionAt(at + symbol.length),
      notes: [],
    });
  }
  return { script, elsewhere };
}

function findCopies(text: string, regions: readonly ScriptRegion[]): Copy[] {
  const copies: Copy[] = [];
  for (const region of regions) {
    if (region.code.trim().length < MIN_REGION_TEXT) continue;
    // A function stap emits once per use context may appear more than once.
    for (let at = text.indexOf(region.code); at >= 0; at = text.indexOf(region.code, at + region.code.length)) copies.push({ at, region });
  }
  return copies;
}

function firstUse(symbol: string, regions: readonly ScriptRegion[]): number | undefined {
  const word = new RegExp(`\\b${symbol.replace(/[^\w]/g, '')}\\b`);
  for (const r of regions) {
    const m = word.exec(r.code);
    if (m) return r.codeStart + m.index;
  }
  return undefined;
}
