// The untaken branches of `%( %? %: %)` conditionals, sent to the client so it
// can fade them (a notification of our own, in the manner of clangd's).

import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { InactiveRegionsParams } from '../protocol';
import { toRange } from './lspRanges';

export function inactiveRegions(analysis: Analysis, document: TextDocument): InactiveRegionsParams {
  return {
    uri: document.uri,
    regions: analysis.script.inactive.map((r) => toRange(document, r)),
  };
}
