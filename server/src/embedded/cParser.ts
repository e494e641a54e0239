// Loads tree-sitter's C grammar through web-tree-sitter. Both wasm files are
// copied next to the bundle (dist/) at build time; in tests that run from
// sources they are found in node_modules.

import * as fs from 'fs';
import * as path from 'path';
import type { Tree } from 'web-tree-sitter';

export interface CParser {
  parse(code: string): Tree;
}

let loading: Promise<CParser> | undefined;

function locate(file: string, packageName: string): string {
  const candidates = [
    path.join(__dirname, file), // bundled: dist/
    path.join(__dirname, '..', '..', '..', 'node_modules', packageName, file), // sources
    path.join(__dirname, '..', '..', '..', '..', 'node_modules', packageName, file), // out/server/src/embedded
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`cannot find ${file} (looked in ${candidates.join(', ')})`);
  return found;
}

/** Loads the C grammar once per process; later calls share the same parser. */
export function loadCParser(): Promise<CParser> {
  loading ??= (async () => {
    // Imported here, not at the top: the runtime is 100 KB of JavaScript that a
    // run without embedded-C checks (stap-check --syntax-only) need not load.
    const { Language, Parser } = await import('web-tree-sitter');
    const runtimeWasm = locate('tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtimeWasm });
    const language = await Language.load(locate('tree-sitter-c.wasm', 'tree-sitter-c'));
    const parser = new Parser();
    parser.setLanguage(language);
    return {
      parse(code: string): Tree {
        const tree = parser.parse(code);
        if (!tree) throw new Error('tree-sitter returned no tree');
        return tree;
      },
    };
  })();
  return loading;
}
