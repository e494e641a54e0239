// The kernel build tree the compile tests run stap -p4 against: Debian's
// linux-headers-*-amd64 (which .ci/run installs), found under /usr/src.
import * as fs from 'fs';
import * as path from 'path';

/** The first Debian header package's build tree, as /usr/src/linux-headers-RELEASE-amd64; undefined without one. */
export function debianBuildTree(): string | undefined {
  let names: string[] = [];
  try {
    names = fs.readdirSync('/usr/src');
  } catch {
    // no /usr/src
  }
  return names
    .filter((n) => /^linux-headers-.*-(amd64|arm64)$/.test(n))
    .map((n) => path.join('/usr/src', n))
    .find((d) => fs.existsSync(path.join(d, '.config')) && fs.existsSync(path.join(d, 'Makefile')));
}
