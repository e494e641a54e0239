// The snippets of docs/snippets.ts as completion items, for the place the
// cursor is in; shared by the script and the embedded-C completion.

import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Range } from 'vscode-languageserver';
import { expandDefaults, SnippetPlace, SNIPPETS } from '../docs/snippets';

/** The snippets that may stand here. */
export function snippetItems(place: SnippetPlace, range: Range): CompletionItem[] {
  return SNIPPETS.filter((s) => s.place === place).map((s) => ({
    label: s.prefix,
    ...(s.label !== s.prefix ? { labelDetails: { description: s.label } } : {}),
    kind: CompletionItemKind.Snippet,
    detail: s.label,
    documentation: { kind: MarkupKind.Markdown, value: `${s.description}\n\n${['```' + (place.startsWith('c') ? 'c' : 'systemtap'), expandDefaults(s.body.join('\n')), '```'].join('\n')}` },
    filterText: s.prefix,
    sortText: `3${s.prefix}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: s.body.join('\n') },
  }));
}
