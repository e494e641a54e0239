// The settings in package.json are the ones the client and server read, with
// the same defaults; the executable path cannot come from a workspace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CLIENT_SETTINGS } from '../../client/src/config/defaults';
import { DEFAULT_SERVER_SETTINGS } from '../../server/src/protocol';
import { DEFAULT_FORMAT_OPTIONS } from '../../server/src/format/options';
import { DEFAULT_INLAY_HINT_SETTINGS } from '../../server/src/features/inlayHints';
import { REPO_ROOT } from '../support/paths';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const properties: Record<string, { default: unknown; scope?: string; description?: string; markdownDescription?: string }> = manifest.contributes.configuration.properties;

test('every setting in package.json is read by the client or the server, with the same default', () => {
  const code: Record<string, unknown> = {};
  const format = { 'format.declarationBraces': DEFAULT_FORMAT_OPTIONS.declarationBraces, 'format.embeddedC': DEFAULT_FORMAT_OPTIONS.embeddedC };
  for (const [key, value] of Object.entries({ ...DEFAULT_CLIENT_SETTINGS, ...DEFAULT_SERVER_SETTINGS, ...DEFAULT_INLAY_HINT_SETTINGS, ...format })) code[`systemtap.${key}`] = value;
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(code).sort());
  for (const [key, p] of Object.entries(properties)) {
    assert.deepEqual(p.default, code[key], `${key}: package.json default ${JSON.stringify(p.default)}, code default ${JSON.stringify(code[key])}`);
    assert.ok(p.description || p.markdownDescription, `${key} has no description`);
  }
});

test('stapPath has machine scope, and everything that chooses what runs is restricted in untrusted workspaces', () => {
  assert.equal(properties['systemtap.stapPath'].scope, 'machine');
  const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of ['systemtap.run.extraArgs', 'systemtap.run.sudo', 'systemtap.run.remote', 'systemtap.kernelRelease']) assert.ok(restricted.includes(key), key);
});
