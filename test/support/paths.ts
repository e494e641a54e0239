// Locations shared by the tests; compiled tests live in out/test/..., so the
// repository root is found from this file's own place.
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SAMPLES = path.join(REPO_ROOT, 'samples');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const DIST = path.join(REPO_ROOT, 'dist');
export const CLI = path.join(DIST, 'cli.js');
export const SERVER = path.join(DIST, 'server.js');
