#!/usr/bin/env node
// stap-check's entry point (dist/cli.js): turns on V8's code cache for what
// it loads, then loads the command itself (dist/stap-check.js). A run over a
// few files is mostly start-up, and a cached bundle skips compiling it.
// Node 22.1 and later have the cache; on older releases this does nothing.

import * as nodeModule from 'module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- after the cache is on: an import would run first
require('./stap-check.js');
