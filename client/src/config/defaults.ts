// The client's `systemtap.*` settings and their defaults, which must equal
// package.json's (a unit test compares them). Pure: no VS Code imports.

import type { SudoMode } from '../run/stapCommand';

export interface ClientSettings {
  /** Machine scope: a workspace cannot name the executable that runs as root. */
  stapPath: string;
  'run.extraArgs': string[];
  'run.sudo': SudoMode;
  'run.remote': string[];
  'run.followKernelLog': boolean;
  /** Open the output view beside a run when it first prints a histogram or periodic lines. */
  'outputView.openOnRun': boolean;
  checkOnSave: boolean;
  kernelRelease: string;
  /** `stap -I DIR` for runs and checks; relative to the workspace folder. */
  includePaths: string[];
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
  stapPath: 'stap',
  'run.extraArgs': [],
  'run.sudo': 'auto',
  'run.remote': [],
  'run.followKernelLog': false,
  'outputView.openOnRun': true,
  checkOnSave: false,
  kernelRelease: '',
  includePaths: [],
};
