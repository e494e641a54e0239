// What running a script takes: guru mode or not, and how many script
// arguments. The client asks before it runs or checks a script.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { guruReasons } from '../analysis/guruMode';
import { ScriptInfo } from '../protocol';
import { lex } from '../syntax/lexer';

export function scriptInfo(analysis: Analysis, document: TextDocument, isLibrary: boolean): ScriptInfo {
  const reasons = isLibrary ? [] : guruReasons(analysis.script, analysis.regions);
  return {
    needsGuru: reasons.length > 0,
    guruReasons: reasons.map((r) => `${r.what} at line ${document.positionAt(r.start).line + 1}`),
    declaresGuru: !!analysis.shebang?.guru,
    scriptArgs: highestScriptArg(analysis.text),
  };
}

/** `$3` or `@3` anywhere in the code (conditions and probe points included): 3. */
export function highestScriptArg(text: string): number {
  let highest = 0;
  for (const t of lex(text).tokens) {
    if (t.kind !== 'dollar' && t.kind !== 'at') continue;
    const m = /^[$@](\d+)$/.exec(t.text);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return highest;
}
