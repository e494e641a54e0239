// Small tapset folders for the library reader's tests, and a collector of the
// files it skips.
import { tempFolder } from './tempFiles';

/** A tapset with one documented function, my_tool. */
export const GOOD = '/**\n * sfunction my_tool - Does the job\n */\nfunction my_tool:long() { return 42 }\n';

/** A temporary tapset folder holding `files` (relative path -> text). */
export const folder = (files: Record<string, string> = {}) => tempFolder('library-io-', files);

/** A `report` callback for skipped files, and what it was told. */
export function collect() {
  const skipped: { file: string; reason: string }[] = [];
  const report = (file: string, reason: string) => skipped.push({ file, reason });
  return { skipped, report, reasonFor: (file: string) => skipped.filter((s) => s.file === file).map((s) => s.reason) };
}
