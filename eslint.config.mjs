// ESLint over the TypeScript sources (client, server, tests, scripts) and the
// build scripts. `npm run lint` runs it with `prettier --check`; formatting is
// Prettier's business, so no rule here is about layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['out/', 'dist/', 'dist-vsix/', '.vscode-test/', 'test-results/', 'test/fixtures/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // The code compares with === everywhere; keep it so.
      eqeqeq: ['error', 'always'],
      'no-throw-literal': 'error',
      // Not enabled (deliberately): @typescript-eslint/no-non-null-assertion.
      // The code uses `!` about a hundred times where an invariant holds that
      // the types cannot express (a map entry set just before, a child process
      // spawned with pipes, a test's find() that the next assert covers).
    },
  },
  {
    // escapeControl() matches the control characters in order to escape them.
    files: ['server/src/cli/output.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
