// The installed tapset library opens read-only (Go to Definition lands there,
// and as root a stray keystroke could be saved into it): package.json gives
// `files.readonlyInclude` a default for each folder the server looks for the
// library in. VS Code merges a user's own patterns with these defaults.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_TAPSET_DIRS } from '../../server/src/analysis/tapsetLibrary';
import { REPO_ROOT } from '../support/paths';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

test('every folder the server takes the tapset library from is read-only in VS Code', () => {
  const readonly = manifest.contributes.configurationDefaults?.['files.readonlyInclude'] ?? {};
  assert.deepEqual(Object.keys(readonly).sort(), DEFAULT_TAPSET_DIRS.map((dir) => `${dir}/**`).sort());
  assert.ok(Object.values(readonly).every((v) => v === true));
});

test('the patterns are absolute globs, as VS Code needs for files outside the workspace', () => {
  for (const pattern of Object.keys(manifest.contributes.configurationDefaults['files.readonlyInclude'])) {
    assert.ok(path.isAbsolute(pattern) && pattern.endsWith('/**'), pattern);
  }
});
