// One analysis per document version, computed on demand and cached, so that
// every feature answering for that version shares it (its checks too, run
// when a feature first needs them).

import { TextDocument } from 'vscode-languageserver-textdocument';
import { ParsedText } from '../syntax/reparse';
import { Analysis, analysisMs, analyze, AnalysisOptions } from './analyze';

interface Entry {
  /** A document opened again gets a new object with its version numbering restarted: both must match. */
  document: TextDocument;
  version: number;
  analysis: Analysis;
}

export class AnalysisCache {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly optionsFor: (uri: string) => AnalysisOptions) {}

  get(document: TextDocument): Analysis {
    const current = this.current(document);
    if (current) return current;
    // Drop the old analysis first, so two of a large file never live at once;
    // only its parse stays, for the new one to keep what the edit left alone.
    const old = this.cache.get(document.uri)?.analysis;
    // Nothing reads the old analysis after this (features run on the current one, synchronously): its tree may be moved.
    const previous: ParsedText | undefined = old && { text: old.text, options: old.parseOptions, script: old.script, disposable: true };
    this.cache.delete(document.uri);
    const analysis = analyze(document.getText(), this.optionsFor(document.uri), previous);
    this.cache.set(document.uri, { document, version: document.version, analysis });
    return analysis;
  }

  private current(document: TextDocument): Analysis | undefined {
    const hit = this.cache.get(document.uri);
    return hit && hit.document === document && hit.version === document.version ? hit.analysis : undefined;
  }

  /** How long the last analysis of `uri` took (its parse, and its checks if they ran), in milliseconds (0 if none): for pacing the next one. */
  lastDuration(uri: string): number {
    const hit = this.cache.get(uri);
    return hit ? analysisMs(hit.analysis) : 0;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
