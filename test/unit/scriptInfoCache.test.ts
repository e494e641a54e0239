// The client's store of pushed script info, without VS Code: which push a run
// uses, how it waits for the analysis of the version it runs, and the request
// it falls back to when no push comes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { freshScriptInfo, ScriptInfoCache, UNKNOWN_SCRIPT_INFO } from '../../client/src/scriptInfoCache';
import { ScriptInfo } from '../../server/src/protocol';

const URI = 'file:///w/trace.stp';
const GURU: ScriptInfo = { needsGuru: true, guruReasons: ["embedded C ('%{ %}') at line 1"], declaresGuru: false, scriptArgs: 0 };
const TWO_ARGS: ScriptInfo = { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 2 };
// Long enough never to expire in a test: a push has to end the wait, and clears the timer.
const FOREVER = 600_000;
const neverAsked = () => Promise.reject(new Error('asked the server although a push answered'));

describe('script info cache', () => {
  test('keeps the last push per document and says when its info changed', () => {
    const cache = new ScriptInfoCache();
    assert.equal(cache.get(URI), undefined);
    assert.equal(cache.accept(URI, 1, GURU), true, 'the first push is a change');
    assert.equal(cache.accept(URI, 2, { ...GURU, guruReasons: [...GURU.guruReasons] }), false, 'the same info for a new version is not');
    assert.deepEqual(cache.get(URI), { version: 2, info: GURU });
    assert.equal(cache.accept(URI, 3, TWO_ARGS), true);
    assert.equal(cache.accept(URI, 4, { ...TWO_ARGS, guruReasons: ['x'] }), true, 'other reasons are a change');
    assert.equal(cache.accept('file:///w/other.stp', 1, GURU), true, 'documents are apart');
    cache.forget(URI);
    assert.equal(cache.get(URI), undefined);
    assert.equal(cache.get('file:///w/other.stp')?.info, GURU);
  });

  test('a push for the version the document has is used as it is', async () => {
    const cache = new ScriptInfoCache();
    cache.accept(URI, 3, GURU);
    assert.equal(await freshScriptInfo(cache, URI, 3, { waitMs: FOREVER, ask: neverAsked }), GURU);
    assert.equal(await freshScriptInfo(cache, URI, 2, { waitMs: FOREVER, ask: neverAsked }), GURU);
  });

  test('after an edit, the run waits for the push of the new version, not an older one', async () => {
    const cache = new ScriptInfoCache();
    cache.accept(URI, 1, UNKNOWN_SCRIPT_INFO);
    const info = freshScriptInfo(cache, URI, 3, { waitMs: FOREVER, ask: neverAsked });
    cache.accept(URI, 2, TWO_ARGS); // an analysis of the version before: not what will run
    cache.accept('file:///w/other.stp', 3, TWO_ARGS);
    cache.accept(URI, 3, GURU);
    assert.equal(await info, GURU);
  });

  test('a document nothing was pushed for waits for its first push', async () => {
    const cache = new ScriptInfoCache();
    const info = freshScriptInfo(cache, URI, 1, { waitMs: FOREVER, ask: neverAsked });
    cache.accept(URI, 1, TWO_ARGS);
    assert.equal(await info, TWO_ARGS);
  });

  test('when no push comes in time, it asks the server', async () => {
    const cache = new ScriptInfoCache();
    cache.accept(URI, 1, UNKNOWN_SCRIPT_INFO);
    let asked = 0;
    const info = await freshScriptInfo(cache, URI, 2, { waitMs: 0, ask: async () => (asked++, GURU) });
    assert.equal(info, GURU);
    assert.equal(asked, 1);
  });

  test('a server that does not answer does not stop a run: the last push, else nothing needed', async () => {
    const restarting = () => Promise.reject(new Error('Connection got disposed.'));
    const cache = new ScriptInfoCache();
    assert.equal(await freshScriptInfo(cache, URI, 1, { waitMs: 0, ask: restarting }), UNKNOWN_SCRIPT_INFO);
    assert.equal(await freshScriptInfo(cache, URI, 1, { waitMs: 0, ask: async () => null }), UNKNOWN_SCRIPT_INFO, 'null: the server does not have the document');
    cache.accept(URI, 1, GURU);
    assert.equal(await freshScriptInfo(cache, URI, 2, { waitMs: 0, ask: restarting }), GURU);
  });

  test('closing the document ends the wait, and the run asks instead', async () => {
    const cache = new ScriptInfoCache();
    const info = freshScriptInfo(cache, URI, 1, { waitMs: FOREVER, ask: async () => TWO_ARGS });
    cache.forget(URI);
    assert.equal(await info, TWO_ARGS);
    const waiting = cache.next(URI, 1, FOREVER);
    cache.dispose();
    assert.equal(await waiting, undefined, 'dispose ends every wait');
  });
});
