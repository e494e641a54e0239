// A quick pick of the running processes, for `stap -x PID`. Reads /proc
// directly: no `ps` to spawn, nothing to parse.

import * as fs from 'fs';
import * as vscode from 'vscode';

interface ProcessItem extends vscode.QuickPickItem {
  pid: number;
}

export function listProcesses(): ProcessItem[] {
  const items: ProcessItem[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (!cmdline) continue; // kernel threads: nothing for -x to attach to
      items.push({ pid: Number(entry), label: `${comm}`, description: `pid ${entry}`, detail: cmdline.slice(0, 200) });
    } catch {
      // the process exited while we looked
    }
  }
  return items.sort((a, b) => b.pid - a.pid);
}

export async function pickProcess(): Promise<number | undefined> {
  const picked = await vscode.window.showQuickPick(listProcesses(), {
    title: 'Attach stap to a process (stap -x PID)',
    placeHolder: 'Type to filter by name, pid or command line',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.pid;
}
