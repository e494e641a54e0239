// One analysis per document version, computed on demand and cached, so that
// every feature answering for that version shares it.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis, analyze, AnalysisOptions } from './analyze';

export class AnalysisCache {
  private readonly cache = new Map<string, { version: number; analysis: Analysis }>();

  constructor(private readonly optionsFor: (uri: string) => AnalysisOptions) {}

  get(document: TextDocument): Analysis {
    const hit = this.cache.get(document.uri);
    if (hit && hit.version === document.version) return hit.analysis;
    const analysis = analyze(document.getText(), this.optionsFor(document.uri));
    this.cache.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
