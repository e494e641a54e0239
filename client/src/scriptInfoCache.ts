// Pure: the script info the server pushed, per document URI, and how a run or
// check gets info that is up to date with the document it is about to use.
// No VS Code here (scriptInfo.ts wires it to the client), so the waiting and
// the fallback are unit-tested on their own.

import { ScriptInfo } from '../../server/src/protocol';

/** What a run assumes when nothing is known: no guru mode, no script arguments. */
export const UNKNOWN_SCRIPT_INFO: ScriptInfo = { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 0 };

export interface PushedScriptInfo {
  /** The document version the server analysed. */
  version: number;
  info: ScriptInfo;
}

interface Waiter {
  version: number;
  resolve: (info: ScriptInfo | undefined) => void;
  timer: NodeJS.Timeout;
}

export class ScriptInfoCache {
  private readonly latest = new Map<string, PushedScriptInfo>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** Takes a push; true when the document's info differs from what was held (or none was). */
  accept(uri: string, version: number, info: ScriptInfo): boolean {
    const held = this.latest.get(uri);
    this.latest.set(uri, { version, info });
    for (const w of [...(this.waiters.get(uri) ?? [])]) if (version >= w.version) this.settle(uri, w, info);
    return !held || !sameInfo(held.info, info);
  }

  /** The last info pushed for a document, whatever version it was for. */
  get(uri: string): PushedScriptInfo | undefined {
    return this.latest.get(uri);
  }

  /** Resolves with the info of the first push for `version` or later, or undefined when none comes within `waitMs` or the document is forgotten. */
  next(uri: string, version: number, waitMs: number): Promise<ScriptInfo | undefined> {
    return new Promise((resolve) => {
      const waiter: Waiter = { version, resolve, timer: setTimeout(() => this.settle(uri, waiter, undefined), waitMs) };
      if (!this.waiters.has(uri)) this.waiters.set(uri, new Set());
      this.waiters.get(uri)!.add(waiter);
    });
  }

  /** A closed document: its info is dropped, and whoever waits for it stops waiting. */
  forget(uri: string): void {
    this.latest.delete(uri);
    for (const w of [...(this.waiters.get(uri) ?? [])]) this.settle(uri, w, undefined);
  }

  dispose(): void {
    for (const uri of [...this.waiters.keys()]) this.forget(uri);
    this.latest.clear();
  }

  private settle(uri: string, waiter: Waiter, info: ScriptInfo | undefined): void {
    clearTimeout(waiter.timer);
    const set = this.waiters.get(uri);
    set?.delete(waiter);
    if (set?.size === 0) this.waiters.delete(uri);
    waiter.resolve(info);
  }
}

export interface FreshOptions {
  /** How long to wait for the server's next push (its analysis is debounced after typing). */
  waitMs: number;
  /** The fallback: ask the server (null: it does not have the document). May throw, e.g. while the server restarts. */
  ask: () => Promise<ScriptInfo | null>;
}

/**
 * The info for `version` of a document: what was pushed for it, else the next push, else the server's answer
 * to a request. A server that is restarting or does not answer must not stop a run: then the last push, or
 * UNKNOWN_SCRIPT_INFO.
 */
export async function freshScriptInfo(cache: ScriptInfoCache, uri: string, version: number, options: FreshOptions): Promise<ScriptInfo> {
  const held = cache.get(uri);
  if (held && held.version >= version) return held.info;
  const pushed = await cache.next(uri, version, options.waitMs);
  if (pushed) return pushed;
  try {
    const answer = await options.ask();
    if (answer) return answer;
  } catch {
    // the server is restarting or gone: fall through
  }
  return cache.get(uri)?.info ?? UNKNOWN_SCRIPT_INFO;
}

function sameInfo(a: ScriptInfo, b: ScriptInfo): boolean {
  return (
    a.needsGuru === b.needsGuru &&
    a.declaresGuru === b.declaresGuru &&
    a.scriptArgs === b.scriptArgs &&
    a.guruReasons.length === b.guruReasons.length &&
    a.guruReasons.every((r, i) => r === b.guruReasons[i])
  );
}
