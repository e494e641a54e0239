// Markdown for library and script functions and probe aliases, shared by
// hover and completion.

import * as path from 'path';
import { LibraryDoc, LibraryFunction, LibraryProbe } from '../analysis/tapsetIndex';
import { FunctionDecl } from '../syntax/ast';
import { functionSignature } from '../syntax/signature';

const fence = (code: string) => ['```systemtap', code, '```'].join('\n');

function docText(doc: LibraryDoc): string[] {
  return [doc.summary, doc.details].filter((x): x is string => !!x && x !== doc.summary + '.');
}

/** Where a library entry lives, relative to the tapset folder when it can be. */
function whereDefined(file: string): string {
  const i = file.lastIndexOf('/tapset/');
  return `Defined in \`${i >= 0 ? file.slice(i + 1) : path.basename(file)}\``;
}

export function libraryFunctionDoc(fns: LibraryFunction[]): string {
  const [first] = fns;
  const signatures = [...new Set(fns.map((f) => `function ${f.signature}`))].join('\n');
  return [fence(signatures), ...docText(first), whereDefined(first.at.file)].join('\n\n');
}

export function libraryProbeDoc(probes: LibraryProbe[]): string {
  const [first] = probes;
  return [fence(`probe ${first.name}`), ...docText(first), whereDefined(first.at.file)].join('\n\n');
}

export function scriptFunctionDoc(fn: FunctionDecl): string {
  return [fence(`${fn.isPrivate ? 'private ' : ''}function ${functionSignature(fn)}`), fn.body?.kind === 'embedded' ? 'Embedded C: the script needs `stap -g`.' : ''].filter(Boolean).join('\n\n');
}
