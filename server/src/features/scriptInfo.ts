// What running a script takes: guru mode or not, and how many script
// arguments. Pushed to the client with every publication of diagnostics, and
// answered on request; the client needs it to run or check a script.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { guruReasons } from '../analysis/guruMode';
import { ScriptInfo } from '../protocol';
import { lineOf } from './lspRanges';

export function scriptInfo(analysis: Analysis, document: TextDocument, isLibrary: boolean): ScriptInfo {
  const reasons = isLibrary ? [] : guruReasons(analysis.script, analysis.regions);
  return {
    needsGuru: reasons.length > 0,
    guruReasons: reasons.map((r) => `${r.what} at line ${lineOf(document, r.start) + 1}`),
    declaresGuru: !!analysis.shebang?.guru,
    scriptArgs: analysis.script.scriptArgs,
  };
}
