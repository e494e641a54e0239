// The environment scripts are checked in, in-process: built from settings,
// shared by settings that resolve alike, one per settings scope; and the
// include-path resolution the client and the server share.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { URI } from 'vscode-uri';
import * as fs from 'node:fs';
import { TapsetIndexCache } from '../../server/src/analysis/tapsetIndexCache';
import { Environment, EnvironmentPool } from '../../server/src/environment/environment';
import { EnvironmentScopes } from '../../server/src/environment/scopes';
import { readRunExtraArgs, resolveIncludePaths, workspaceFolderOf } from '../../server/src/workspaceSettings';
import { tempFolder } from '../support/tempFiles';

describe('include paths, as the client and the server resolve them', () => {
  const folders = ['/w/a', '/w/b', '/w/b/inner'];

  test('a relative path is resolved against the workspace folder of the document', () => {
    assert.deepEqual(resolveIncludePaths(['tapset', '../shared', '/abs/tapset'], '/w/b/x.stp', folders), ['/w/b/tapset', '/w/shared', '/abs/tapset']);
    assert.deepEqual(resolveIncludePaths(['tapset'], '/w/b/inner/deep/x.stp', folders), ['/w/b/inner/tapset'], 'the innermost folder');
    assert.deepEqual(resolveIncludePaths(['tapset'], '/w/b', folders), ['/w/b/tapset'], 'a folder is its own');
  });

  test('outside every folder, or with no document: against the first folder; with no folder: as given, from the current folder', () => {
    assert.deepEqual(resolveIncludePaths(['tapset'], '/elsewhere/x.stp', folders), ['/w/a/tapset']);
    assert.deepEqual(resolveIncludePaths(['tapset'], undefined, folders), ['/w/a/tapset']);
    assert.deepEqual(resolveIncludePaths(['tapset'], '/elsewhere/x.stp', []), [path.resolve('tapset')]);
  });

  test('only non-blank strings are paths', () => {
    assert.deepEqual(resolveIncludePaths(['', '  ', 3, null, 'ok'], '/w/a/x.stp', folders), ['/w/a/ok']);
    assert.deepEqual(resolveIncludePaths('tapset', '/w/a/x.stp', folders), []);
    assert.deepEqual(resolveIncludePaths(undefined, '/w/a/x.stp', folders), []);
  });

  test('a folder holds what is below it, not a sibling that starts alike', () => {
    assert.equal(workspaceFolderOf('/w/ab/x.stp', ['/w/a']), undefined);
    assert.equal(workspaceFolderOf('/w/a/..x/y.stp', ['/w/a']), '/w/a');
    assert.equal(workspaceFolderOf('/w/x.stp', ['/w/a']), undefined);
  });
});

describe('Environment', () => {
  const tapsets = tempFolder('env-tapset-', { 'lib.stp': 'function from_lib:long() { return 1 }\n', 'lib.stpm': '@define lib_macro %( 1 %)\n' });
  const include = tempFolder('env-include-', { 'mine.stp': 'function mine:long() { return 2 }\n' });
  const kernelTree = tempFolder('env-kernel-', { 'include/config/kernel.release': '5.4.0-old\n' });

  test('loads the macros, then the index, and says so each time', async () => {
    const environment = new Environment({ tapsetDir: tapsets, includePaths: [include], kernelRelease: kernelTree, arch: 'aarch64' }, { cParser: false });
    assert.equal(environment.target.kernelRelease, '5.4.0-old');
    assert.equal(environment.target.arch, 'aarch64');
    let changes = 0;
    environment.onDidChange(() => changes++);
    assert.equal(environment.macrosLoaded, false);
    await environment.load();
    assert.equal(changes, 2);
    assert.ok(environment.macrosLoaded);
    assert.deepEqual([...environment.libraryMacros.keys()], ['lib_macro']);
    assert.match(environment.readLibraryFile(path.join(tapsets, 'lib.stpm')) ?? '', /@define lib_macro/);
    assert.deepEqual([...(environment.libraryFunctions ?? [])].sort(), ['from_lib', 'mine']);
    const options = environment.analysisOptions(path.join(include, 'x.stp'));
    assert.equal(options.isLibrary, true);
    assert.equal(options.target, environment.target);
    assert.equal(options.libraryFunctions, environment.libraryFunctions);
    assert.equal(environment.analysisOptions('/elsewhere/x.stp').isLibrary, false);
    assert.equal(environment.analysisOptions('/elsewhere/x.stpm').isLibrary, true);
    assert.equal(environment.analysisOptions(undefined, { isLibrary: true }).isLibrary, true);
  });

  test('without the index (stap-check --library): macros only', async () => {
    const environment = new Environment({ tapsetDir: tapsets }, { cParser: false, index: false });
    await environment.load();
    assert.ok(environment.macrosLoaded);
    assert.equal(environment.libraryFunctions, undefined);
  });

  test('the index is ready (whenIndexed) once built, or once the environment is disposed', async () => {
    const environment = new Environment({ tapsetDir: tapsets }, { cParser: false });
    assert.equal(environment.indexed, false);
    let toldFirst = false;
    environment.onDidChange(() => (toldFirst = environment.libraryFunctions !== undefined || toldFirst));
    void environment.load();
    await environment.whenIndexed();
    assert.equal(environment.indexed, true);
    assert.ok(toldFirst, 'listeners are told before waiters resume');
    assert.deepEqual([...(environment.libraryFunctions ?? [])], ['from_lib']);
    const disposed = new Environment({ tapsetDir: tapsets }, { cParser: false });
    void disposed.load();
    disposed.dispose();
    await disposed.whenIndexed();
    assert.equal(disposed.indexed, true);
  });

  test('with an index cache: the first load builds and writes the index, the next reads it back, with the macros, in one change', async () => {
    const cache = new TapsetIndexCache(path.join(tempFolder('env-cache-'), 'systemtap-guru'), 'test build');
    const settings = { tapsetDir: tapsets, includePaths: [include], arch: 'x86_64' };
    const logs: string[] = [];
    const first = new Environment(settings, { cParser: false, kernel: false, indexCache: cache, log: (_, m) => logs.push(m) });
    await first.load();
    assert.ok(fs.existsSync(cache.fileFor(first.key)));
    assert.ok(logs.some((m) => /nothing cached yet/.test(m)));
    logs.length = 0;
    // Without the kernel's type data, which changes the environment on its own (twice, on a machine with BTF).
    const second = new Environment(settings, { cParser: false, kernel: false, indexCache: cache, log: (_, m) => logs.push(m) });
    let changes = 0;
    second.onDidChange(() => changes++);
    await second.load();
    assert.equal(changes, 1);
    assert.ok(logs.some((m) => m.includes(`read from ${cache.fileFor(second.key)}`)));
    const plain = (e: Environment) => JSON.parse(JSON.stringify([[...e.index.functions], [...e.index.probes]])) as unknown;
    assert.deepEqual(plain(second), plain(first));
    assert.deepEqual([...(second.libraryFunctions ?? [])].sort(), ['from_lib', 'mine']);
    assert.deepEqual([...second.libraryMacros.keys()], ['lib_macro']);
    assert.equal(second.libraryMacros.get('lib_macro')?.body[0]?.text, '1');
    assert.match(second.readLibraryFile(path.join(tapsets, 'lib.stpm')) ?? '', /@define lib_macro/);
  });

  test('with an index cache, the macros are read back from it, not from the .stpm files', async () => {
    const cache = new TapsetIndexCache(tempFolder('env-cache-'), 'test build');
    const settings = { tapsetDir: tapsets, arch: 'x86_64' };
    await new Environment(settings, { cParser: false, kernel: false, indexCache: cache }).load();
    // A body only the cache holds: the files are as they were, so the cache is used.
    const file = cache.fileFor(new Environment(settings).key);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { macros: object };
    fs.writeFileSync(file, JSON.stringify({ ...data, macros: { ...data.macros, otherTexts: [[0, '42']] } }));
    const second = new Environment(settings, { cParser: false, kernel: false, indexCache: cache });
    await second.load();
    assert.equal(second.libraryMacros.get('lib_macro')?.body[0]?.text, '42');
  });

  test('an index cache that cannot be written: the index is built all the same, and a warning says why', async () => {
    const blocker = path.join(tempFolder('env-cache-'), 'a-file');
    fs.writeFileSync(blocker, '');
    const warnings: string[] = [];
    const environment = new Environment(
      { tapsetDir: tapsets },
      { cParser: false, indexCache: new TapsetIndexCache(path.join(blocker, 'cache'), 'b'), log: (l, m) => l === 'warn' && warnings.push(m) },
    );
    await environment.load();
    assert.deepEqual([...(environment.libraryFunctions ?? [])], ['from_lib']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /cannot keep the tapset index/);
  });

  test('files left out while indexing are told again when the index is read from the cache', async () => {
    const cache = new TapsetIndexCache(tempFolder('env-cache-'), 'test build');
    const first = new Environment({ tapsetDir: tapsets }, { cParser: false, indexCache: cache });
    await first.load();
    // As a file that could not be read would have left it.
    const file = cache.fileFor(first.key);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), skipped: [['/lib/broken.stp', 'permission denied']] }));
    const told: string[] = [];
    const second = new Environment({ tapsetDir: tapsets }, { cParser: false, indexCache: cache, report: (f, r) => told.push(`${f}: ${r}`) });
    await second.load();
    assert.deepEqual(told, ['/lib/broken.stp: permission denied']);
  });

  test('a pool shares one environment between settings that resolve alike', () => {
    const pool = new EnvironmentPool({ cParser: false, index: false });
    const a = pool.acquire({ tapsetDir: tapsets, kernelRelease: '5.4.0-old', arch: 'x86_64' });
    const b = pool.acquire({ tapsetDir: tapsets, kernelRelease: kernelTree, arch: 'x86_64' });
    const c = pool.acquire({ tapsetDir: tapsets, kernelRelease: '6.1.0', arch: 'x86_64' });
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(pool.all().length, 2);
    pool.release(a);
    assert.equal(pool.all().length, 2, 'b still uses it');
    pool.release(b);
    pool.release(c);
    assert.equal(pool.all().length, 0);
  });
});

describe('EnvironmentScopes', () => {
  const folderA = URI.file(tempFolder('scopes-a-')).toString();
  const folderB = URI.file(tempFolder('scopes-b-')).toString();
  const inner = `${folderB}/inner`;
  // The scopes' own timers do not keep a process alive (a server's connection does): the wait holds it open.
  const until = (scopes: EnvironmentScopes, condition: () => boolean) =>
    new Promise<void>((resolve) => {
      if (condition()) return resolve();
      const keepAlive = setInterval(() => undefined, 1000);
      const d = scopes.onDidChange(() => {
        if (!condition()) return;
        d.dispose();
        clearInterval(keepAlive);
        resolve();
      });
    });
  const settled = (scopes: EnvironmentScopes, uri: string) => until(scopes, () => scopes.isSettled(uri));

  test("a document's scope is its innermost workspace folder, else the document", () => {
    const scopes = new EnvironmentScopes(new EnvironmentPool(), async () => ({}));
    scopes.update([folderA, folderB, inner], []);
    assert.equal(scopes.scopeOf(`${folderA}/x.stp`), folderA);
    assert.equal(scopes.scopeOf(`${inner}/sub/x.stp`), inner);
    assert.equal(scopes.scopeOf('file:///elsewhere/x.stp'), 'file:///elsewhere/x.stp');
    assert.equal(scopes.scopeOf('untitled:Untitled-1'), 'untitled:Untitled-1');
    scopes.dispose();
  });

  test('each scope reads its settings with its URI; scopes that resolve alike share an environment', async () => {
    const asked: (string | undefined)[] = [];
    const settings: Record<string, unknown> = { [folderA]: { kernelRelease: '2.6.32' }, [folderB]: { kernelRelease: '6.1.0' } };
    const pool = new EnvironmentPool({ cParser: false, index: false });
    const scopes = new EnvironmentScopes(pool, async (scopeUri) => {
      asked.push(scopeUri);
      return scopeUri === undefined ? null : (settings[scopeUri] ?? { kernelRelease: '6.1.0' });
    });
    const outside = 'file:///elsewhere/x.stp';
    scopes.update([folderA, folderB], [`${folderA}/x.stp`, outside]);
    await Promise.all([settled(scopes, `${folderA}/x.stp`), settled(scopes, `${folderB}/x.stp`), settled(scopes, outside)]);
    await Promise.all(pool.all().map((e) => e.load()));
    assert.deepEqual(asked.sort(), [folderA, folderB, outside].sort());
    assert.equal(scopes.environmentOf(`${folderA}/x.stp`)?.target.kernelRelease, '2.6.32');
    assert.equal(scopes.environmentOf(`${folderB}/x.stp`)?.target.kernelRelease, '6.1.0');
    assert.equal(scopes.environmentOf(outside), scopes.environmentOf(`${folderB}/x.stp`), 'the same settings, the same environment');
    assert.equal(pool.all().length, 2);

    // A change in one folder's settings: a new environment there only.
    const before = scopes.environmentOf(`${folderB}/x.stp`);
    settings[folderA] = { kernelRelease: '6.1.0' };
    const changed: string[] = [];
    scopes.onDidChange((scope) => changed.push(scope));
    await scopes.refresh();
    assert.equal(scopes.environmentOf(`${folderA}/x.stp`), before);
    assert.deepEqual(changed, [folderA]);
    assert.equal(pool.all().length, 1, 'the 2.6.32 environment is let go');

    // The document outside closes: its scope goes, the folders stay.
    scopes.update([folderA, folderB], [`${folderA}/x.stp`]);
    assert.equal(scopes.isSettled(outside), false);
    assert.ok(scopes.isSettled(`${folderB}/y.stp`));
    scopes.dispose();
    assert.equal(pool.all().length, 0);
  });

  test("the -G globals of systemtap.run.extraArgs, per scope; a change has the scope's documents checked again, in the same environment", async () => {
    const settings: Record<string, unknown> = { [folderA]: { run: { extraArgs: ['-v', '-G', 'x=5', '-Gy=1', '-G', 'bad=/'] } }, [folderB]: {} };
    const pool = new EnvironmentPool({ cParser: false, index: false });
    const scopes = new EnvironmentScopes(pool, async (scopeUri) => (scopeUri === undefined ? null : settings[scopeUri]));
    scopes.update([folderA, folderB], []);
    await Promise.all([settled(scopes, `${folderA}/x.stp`), settled(scopes, `${folderB}/x.stp`)]);
    assert.deepEqual(scopes.globalValuesOf(`${folderA}/x.stp`), ['x', 'y']);
    assert.deepEqual(scopes.globalValuesOf(`${folderB}/x.stp`), []);
    const before = scopes.environmentOf(`${folderB}/x.stp`);
    settings[folderB] = { 'run.extraArgs': ['-G', 'z=2'] };
    const changed: string[] = [];
    scopes.onDidChange((scope) => changed.push(scope));
    await scopes.refresh();
    assert.deepEqual(scopes.globalValuesOf(`${folderB}/x.stp`), ['z']);
    assert.deepEqual(changed, [folderB]);
    assert.equal(scopes.environmentOf(`${folderB}/x.stp`), before);
    assert.deepEqual(readRunExtraArgs({ run: { extraArgs: ['a', 3, 'b'] } }), ['a', 'b']);
    assert.deepEqual(readRunExtraArgs(undefined), []);
    scopes.dispose();
  });

  test('with no workspace folder, the workspace settings are read without a scope, and answer for a document until its own come', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const scopes = new EnvironmentScopes(new EnvironmentPool({ cParser: false, index: false }), (scopeUri) =>
      scopeUri === undefined ? Promise.resolve({ kernelRelease: '4.19.0' }) : new Promise((resolve) => (answer = resolve)),
    );
    const doc = 'file:///elsewhere/x.stp';
    scopes.update([], [doc]);
    await until(scopes, () => !!scopes.environmentOf(doc));
    assert.equal(scopes.scopeOf(doc), doc);
    assert.equal(scopes.isSettled(doc), false);
    assert.equal(scopes.environmentOf(doc)?.target.kernelRelease, '4.19.0', 'the workspace environment meanwhile');
    answer({ kernelRelease: '5.15.0' });
    await settled(scopes, doc);
    assert.equal(scopes.environmentOf(doc)?.target.kernelRelease, '5.15.0');
    scopes.dispose();
  });

  test('settings slow to come: the defaults after a while, then the settings; a failed read: the defaults', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const slow = new EnvironmentScopes(new EnvironmentPool({ cParser: false, index: false }), () => new Promise((resolve) => (answer = resolve)), 20);
    slow.update([folderA], []);
    await settled(slow, `${folderA}/x.stp`);
    assert.equal(slow.environmentOf(`${folderA}/x.stp`)?.target.kernelRelease, new Environment({}).target.kernelRelease, "this machine's");
    answer({ kernelRelease: '3.10.0' });
    await until(slow, () => slow.environmentOf(`${folderA}/x.stp`)?.target.kernelRelease === '3.10.0');
    slow.dispose();

    const failing = new EnvironmentScopes(new EnvironmentPool({ cParser: false, index: false }), () => Promise.reject(new Error('no')));
    failing.update([folderA], []);
    await settled(failing, `${folderA}/x.stp`);
    assert.equal(failing.environmentOf(`${folderA}/x.stp`)?.target.kernelRelease, new Environment({}).target.kernelRelease);
    failing.dispose();
  });
});
