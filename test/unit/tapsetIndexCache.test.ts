// The tapset index kept on disk: read back only when built by this server
// from the same library files with the same settings; anything else, damage
// included, is a miss and never an error.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { indexLibraryFiles, TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { CachedIndex, defaultCacheDirectory, INDEX_CACHE_FORMAT, IndexCacheKey, indexCacheDirectory, TapsetIndexCache } from '../../server/src/analysis/tapsetIndexCache';
import { ListedFile, listLibraryFilesAsync, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { machineTarget } from '../../server/src/analysis/target';
import { MacroDefinition } from '../../server/src/syntax/preprocessor';
import { canMkfifo, mkfifo, tempFolder } from '../support/tempFiles';

const ENVIRONMENT = '["/lib","6.1.0","x86_64",[],false]';
const target = machineTarget({ arch: 'x86_64', kernelRelease: '6.1.0' });

/** A small library: documented functions, an overloaded name, a probe alias, a macro the index depends on. */
function library(): string {
  return tempFolder('index-cache-lib-', {
    'a.stp': [
      '/**\n * sfunction tool - Does the job\n *\n * @x: the input\n *\n * Description: more words.\n */\nfunction tool:long(x:long) { return @twice(x) }\n',
      'function tool:string(s:string) { return s }\n',
      '/**\n * probe thing.happens - A thing happened\n */\nprobe thing.happens = begin { name = "x" }\n',
      'global shared_names\nprivate global own_names\n',
    ].join(''),
    'sub/b.stp': 'function other() { }\n',
    'm.stpm': '@define twice(v) %( (@v * 2) %)\n',
  });
}

async function built(dir: string): Promise<{ key: IndexCacheKey; cached: CachedIndex }> {
  const files = await listLibraryFilesAsync([dir], ['.stp', '.stpm'], 'x86_64');
  const texts = new Map<string, string>();
  const macros = loadLibraryMacros(dir, 'x86_64', [], undefined, texts);
  const index = await indexLibraryFiles(
    files.filter((f) => f.path.endsWith('.stp')).map((f) => f.path),
    target,
    macros,
  );
  return { key: { environment: ENVIRONMENT, files }, cached: { index, macros: { macros, texts }, skipped: [[path.join(dir, 'gone.stp'), 'permission denied']] } };
}

/** Macros as plain data, without what is computed on first use. */
const plainMacros = (macros: ReadonlyMap<string, MacroDefinition>) =>
  JSON.parse(JSON.stringify([...macros], (key, value: unknown) => (key === 'paramIndexes' || key === 'bodyOrigins' ? undefined : value))) as unknown;

/** The index as plain data, in order, without the undefined fields an object may or may not carry. */
const plain = (index: TapsetIndex) => JSON.parse(JSON.stringify({ functions: [...index.functions], probes: [...index.probes], globals: [...(index.globals ?? [])] })) as unknown;

const relisted = (dir: string) => listLibraryFilesAsync([dir], ['.stp', '.stpm'], 'x86_64');

async function missReason(cache: TapsetIndexCache, key: IndexCacheKey): Promise<string> {
  const read = await cache.read(key);
  assert.ok('miss' in read, 'expected a miss');
  return read.miss;
}

describe('tapset index cache', () => {
  test('what is written is read back: the same index, in the same order, and the files left out', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    assert.ok(cached.index.functions.get('tool')?.length === 2 && cached.index.probes.has('thing.happens'), 'the fixture indexes');
    // Scripts may use the public globals undeclared; a private one is its file's own.
    assert.deepEqual([...(cached.index.globals ?? [])], ['shared_names']);
    const cache = new TapsetIndexCache(path.join(tempFolder('index-cache-'), 'not', 'yet'), 'build 1');
    assert.match(await missReason(cache, key), /nothing cached yet/);
    await cache.write(key, cached);
    const read = await cache.read({ environment: ENVIRONMENT, files: relisted(dir) });
    assert.ok('hit' in read);
    assert.deepEqual(plain(read.hit.index), plain(cached.index));
    assert.equal(read.hit.index.functions.get('tool')?.[0].summary, 'Does the job');
    assert.match(read.hit.index.functions.get('tool')?.[0].details ?? '', /`x`: the input/);
    assert.deepEqual(read.hit.skipped, cached.skipped);
    // The macros as the preprocessor made them, with the text Go to Definition shows.
    assert.deepEqual([...read.hit.macros.macros.keys()], ['twice']);
    assert.deepEqual(plainMacros(read.hit.macros.macros), plainMacros(cached.macros.macros));
    assert.deepEqual([...read.hit.macros.texts], [[path.join(dir, 'm.stpm'), '@define twice(v) %( (@v * 2) %)\n']]);
    assert.deepEqual(
      fs.readdirSync(cache.dir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file is left',
    );
  });

  test('a changed, added or removed library file, a .stpm file included, is a miss', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    const cache = new TapsetIndexCache(tempFolder('index-cache-'), 'build 1');
    await cache.write(key, cached);
    const a = path.join(dir, 'a.stp');
    const later = new Date(Date.now() + 60_000);

    fs.utimesSync(a, later, later);
    assert.match(await missReason(cache, { environment: ENVIRONMENT, files: relisted(dir) }), /a\.stp was modified/);
    await cache.write({ environment: ENVIRONMENT, files: await relisted(dir) }, cached);
    assert.ok('hit' in (await cache.read({ environment: ENVIRONMENT, files: relisted(dir) })), 'rewritten, it holds again');

    // Same modification time, other size.
    const st = fs.statSync(a);
    fs.appendFileSync(a, '\n');
    fs.utimesSync(a, st.atime, st.mtime);
    assert.match(await missReason(cache, { environment: ENVIRONMENT, files: relisted(dir) }), /a\.stp was modified/);

    const { key: fresh } = await built(dir);
    await cache.write(fresh, cached);
    fs.appendFileSync(path.join(dir, 'm.stpm'), '@define thrice(v) %( (@v * 3) %)\n');
    assert.match(await missReason(cache, { environment: ENVIRONMENT, files: relisted(dir) }), /m\.stpm was modified/);

    await cache.write({ environment: ENVIRONMENT, files: await relisted(dir) }, cached);
    fs.writeFileSync(path.join(dir, 'sub', 'c.stp'), 'function c() { }\n');
    assert.match(await missReason(cache, { environment: ENVIRONMENT, files: relisted(dir) }), /c\.stp is new/);

    await cache.write({ environment: ENVIRONMENT, files: await relisted(dir) }, cached);
    fs.rmSync(path.join(dir, 'sub', 'b.stp'));
    assert.match(await missReason(cache, { environment: ENVIRONMENT, files: relisted(dir) }), /b\.stp is gone/);
  });

  test('other settings, another build of the server or another format: a miss', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    const folder = tempFolder('index-cache-');
    await new TapsetIndexCache(folder, 'build 1').write(key, cached);
    assert.match(await missReason(new TapsetIndexCache(folder, 'build 2'), key), /another version/);
    const cache = new TapsetIndexCache(folder, 'build 1');
    assert.match(await missReason(cache, { ...key, environment: '["/lib","5.4.0","x86_64",[],false]' }), /nothing cached yet/);
    // The same file name for other settings (a hash collision, or a file copied by hand).
    fs.copyFileSync(cache.fileFor(key.environment), cache.fileFor('other'));
    assert.match(await missReason(cache, { ...key, environment: 'other' }), /other settings/);
    const file = cache.fileFor(key.environment);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: number };
    fs.writeFileSync(file, JSON.stringify({ ...data, format: INDEX_CACHE_FORMAT + 1 }));
    assert.match(await missReason(cache, key), /another version/);
  });

  test('a damaged cache file is a miss, whatever the damage', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    const cache = new TapsetIndexCache(tempFolder('index-cache-'), 'build 1');
    await cache.write(key, cached);
    const file = cache.fileFor(key.environment);
    const good = fs.readFileSync(file, 'utf8');
    const data = JSON.parse(good) as Record<string, unknown> & {
      functions: Record<string, unknown[]>;
      probes: Record<string, unknown[]>;
      macros: Record<string, unknown> & { bodyLength: number[]; file: number[]; kinds: string };
    };
    const damaged: [string, string][] = [
      ['truncated', good.slice(0, good.length / 2)],
      ['empty', ''],
      ['not JSON', '\0\0\0'],
      ['null', 'null'],
      ['an array', '[1,2]'],
      ['no entries', JSON.stringify({ ...data, functions: undefined })],
      ['a column too short', JSON.stringify({ ...data, functions: { ...data.functions, line: data.functions.line.slice(1) } })],
      ['a negative line', JSON.stringify({ ...data, functions: { ...data.functions, line: data.functions.line.map(() => -1) } })],
      ['a file number out of range', JSON.stringify({ ...data, probes: { ...data.probes, file: data.probes.file.map(() => 99) } })],
      ['a name that is not a string', JSON.stringify({ ...data, functions: { ...data.functions, name: data.functions.name.map(() => 7) } })],
      ['an empty probe alias name (checked before the aliases are made)', JSON.stringify({ ...data, probes: { ...data.probes, name: data.probes.name.map(() => '') } })],
      ['a summary that is an object', JSON.stringify({ ...data, probes: { ...data.probes, summary: data.probes.summary.map(() => ({})) } })],
      ['no file list', JSON.stringify({ ...data, files: 'x' })],
      ['bad skipped files', JSON.stringify({ ...data, skipped: [[1]] })],
      ['no globals (written by format 1)', JSON.stringify({ ...data, globals: undefined })],
      ['an empty global name', JSON.stringify({ ...data, globals: [''] })],
      ['no macros (written by format 2)', JSON.stringify({ ...data, macros: undefined })],
      ['a token kind unknown', JSON.stringify({ ...data, macros: { ...data.macros, kinds: '?'.repeat(data.macros.kinds.length) } })],
      ['a body longer than its tokens', JSON.stringify({ ...data, macros: { ...data.macros, bodyLength: data.macros.bodyLength.map((n) => n + 1) } })],
      ['a macro file number out of range', JSON.stringify({ ...data, macros: { ...data.macros, file: data.macros.file.map(() => 5) } })],
      ['a token origin out of shape', JSON.stringify({ ...data, macros: { ...data.macros, origins: [[0, -1, 2, null]] } })],
      ['a token text for a token that is not there', JSON.stringify({ ...data, macros: { ...data.macros, otherTexts: [[999, 'x']] } })],
      ['a token past the end of its file', JSON.stringify({ ...data, macros: { ...data.macros, tokenLength: [...data.macros.kinds].map(() => 9999) } })],
      ['a macro text missing', JSON.stringify({ ...data, macros: { ...data.macros, texts: [] } })],
    ];
    for (const [what, text] of damaged) {
      fs.writeFileSync(file, text);
      const read = await cache.read(key);
      assert.ok('miss' in read, what);
    }
    fs.writeFileSync(file, good);
    assert.ok('hit' in (await cache.read(key)), 'the undamaged file holds');
  });

  test('a cache file that is not a regular file is not opened', { skip: !canMkfifo }, async () => {
    const dir = library();
    const { key } = await built(dir);
    const cache = new TapsetIndexCache(tempFolder('index-cache-'), 'build 1');
    mkfifo(cache.fileFor(key.environment));
    assert.match(await missReason(cache, key), /FIFO/);
  });

  test('a folder that cannot be written: write rejects, read misses, nothing throws', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    // Below a regular file: no folder can be made there, even by root.
    const blocker = path.join(tempFolder('index-cache-'), 'a-file');
    fs.writeFileSync(blocker, '');
    const cache = new TapsetIndexCache(path.join(blocker, 'cache'), 'build 1');
    await assert.rejects(cache.write(key, cached));
    assert.match(await missReason(cache, key), /cannot read/);
  });

  test('the cache files of settings unused for a month are removed when another is written', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    const cache = new TapsetIndexCache(tempFolder('index-cache-'), 'build 1');
    const old = cache.fileFor('old settings');
    const recent = cache.fileFor('recent settings');
    const unrelated = path.join(cache.dir, 'notes.txt');
    for (const f of [old, recent, unrelated]) fs.writeFileSync(f, '{}');
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    fs.utimesSync(old, longAgo, longAgo);
    fs.utimesSync(unrelated, longAgo, longAgo);
    await cache.write(key, cached);
    assert.equal(fs.existsSync(old), false);
    assert.equal(fs.existsSync(recent), true);
    assert.equal(fs.existsSync(unrelated), true, 'only our own files');
    assert.equal(fs.existsSync(cache.fileFor(key.environment)), true);
  });

  test('files listed in another order are a miss: shadowing between folders may differ', async () => {
    const dir = library();
    const { key, cached } = await built(dir);
    const cache = new TapsetIndexCache(tempFolder('index-cache-'), 'build 1');
    await cache.write(key, cached);
    const files = key.files as ListedFile[];
    assert.match(await missReason(cache, { ...key, files: [...files].reverse() }), /another order/);
  });
});

describe('where the index is kept', () => {
  test('$XDG_CACHE_HOME/systemtap-guru, else ~/.cache/systemtap-guru; a relative XDG_CACHE_HOME is ignored', () => {
    assert.equal(
      defaultCacheDirectory({ XDG_CACHE_HOME: '/x/cache' }, () => '/home/u'),
      '/x/cache/systemtap-guru',
    );
    assert.equal(
      defaultCacheDirectory({ XDG_CACHE_HOME: 'rel/cache' }, () => '/home/u'),
      '/home/u/.cache/systemtap-guru',
    );
    assert.equal(
      defaultCacheDirectory({}, () => '/home/u'),
      '/home/u/.cache/systemtap-guru',
    );
    assert.equal(
      defaultCacheDirectory({}, () => ''),
      undefined,
    );
    assert.equal(
      defaultCacheDirectory({}, () => {
        throw new Error('no home');
      }),
      undefined,
    );
  });

  test("the client's folder (VS Code's global storage) when absolute, else the server's default; null: nowhere", () => {
    assert.equal(indexCacheDirectory({ cacheDirectory: '/storage/ext' }, null), '/storage/ext');
    assert.equal(indexCacheDirectory({ cacheDirectory: 'relative/in/workspace' }, '/fallback'), '/fallback');
    assert.equal(indexCacheDirectory({ cacheDirectory: 42 }, '/fallback'), '/fallback');
    assert.equal(indexCacheDirectory(undefined, null), undefined);
    assert.equal(indexCacheDirectory(null, '/fallback'), '/fallback');
    assert.equal(indexCacheDirectory(undefined, undefined), defaultCacheDirectory());
  });
});
