// Follows a file another process appends to: each read hands on only the
// bytes added since the last, as text, with a UTF-8 character split between
// two reads kept whole. fs.watch says when to read; a poll covers the file
// systems and platforms where it says nothing.
// Node only, no VS Code imports: unit-tested on its own.

import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';

const READ_SIZE = 64 * 1024;

export class FileTail {
  private offset = 0;
  private decoder = new StringDecoder('utf8');
  private watcher: fs.FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly onText: (text: string) => void,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    try {
      this.watcher = fs.watch(this.file, () => this.read());
      this.watcher.on('error', () => this.closeWatcher());
    } catch {
      // Not there yet, or not watchable: the poll reads it.
    }
    this.poll = setInterval(() => this.read(), this.pollMs);
    this.read();
  }

  /** Hands on what was added since the last read; nothing when the file is missing. */
  read(): void {
    if (this.stopped) return;
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        // Emptied and written again: a new run in the same file.
        this.offset = 0;
        this.decoder = new StringDecoder('utf8');
      }
      const buffer = Buffer.alloc(Math.min(READ_SIZE, Math.max(size - this.offset, 0)));
      while (this.offset < size) {
        const got = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
        if (got <= 0) break;
        this.offset += got;
        const text = this.decoder.write(buffer.subarray(0, got));
        if (text) this.onText(text);
      }
    } catch {
      // Removed while being read: what was read stands.
    } finally {
      fs.closeSync(fd);
    }
  }

  /** A last read, then whatever incomplete character is left (as U+FFFD), and no more reads. */
  stop(): void {
    if (this.stopped) return;
    this.read();
    this.stopped = true;
    const rest = this.decoder.end();
    if (rest) this.onText(rest);
    this.closeWatcher();
    clearInterval(this.poll);
  }

  private closeWatcher(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
