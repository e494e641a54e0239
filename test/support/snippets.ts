// The snippets of server/src/docs/snippets.ts, each as the script it makes
// when every placeholder keeps its default, placed where completion offers it.
import { expandDefaults, Snippet, SnippetPlace, SNIPPETS } from '../../server/src/docs/snippets';

export { expandDefaults };
export const snippets: [string, Snippet][] = SNIPPETS.map((s) => [s.label, s]);

// Snippets that are a statement, or C, need somewhere to stand.
const PLACES: Record<SnippetPlace, (s: string) => string> = {
  topLevel: (s) => `${s}\n`,
  statement: (s) => `global array\nprobe end {\n${s}\n}\n`,
  cFunctionBody: (s) => `function f:string(skb:long) %{\n${s}\n%}\nprobe begin { print(f(0)) }\n`,
  cCode: (s) => `function f() %{\n${s}\n%}\n`,
  cTopLevel: (s) => `%{\n${s}\n%}\n`,
};
export const scriptOf = ([, s]: [string, Snippet]) => PLACES[s.place](expandDefaults(s.body.join('\n')));
