// The snippets of snippets/systemtap.json, each as the script it makes when
// every placeholder keeps its default.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export interface Snippet {
  prefix: string;
  body: string[];
}

export const snippets = Object.entries(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'snippets', 'systemtap.json'), 'utf8')) as Record<string, Snippet>);

/** The text VS Code inserts when every placeholder keeps its default (the first choice). */
export function expandDefaults(body: string): string {
  let text = body;
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+:([^${}]*)\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '');
}

// Snippets that are a statement, or a line of C, need somewhere to stand.
const CONTEXT: Record<string, (s: string) => string> = {
  printk: (s) => `function f() %{\n${s}\n%}\n`,
  foreach: (s) => `global array\nprobe end {\n${s}\n}\n`,
};
export const scriptOf = ([, s]: [string, Snippet]) => (CONTEXT[s.prefix] ?? ((x: string) => x + '\n'))(expandDefaults(s.body.join('\n')));
