import * as fs from 'fs';
import * as vscode from 'vscode';

/** The workspace folder the launcher opened (a copy of samples/ plus fixtures). */
export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/**
 * Resolves with the diagnostics of `uri` once they satisfy `predicate`,
 * checking now and on every change event. The timeout only turns a hang into
 * a readable failure.
 */
export function waitForDiagnostics(uri: vscode.Uri, predicate: (d: vscode.Diagnostic[]) => boolean, timeoutMs = 45_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const current = vscode.languages.getDiagnostics(uri);
      if (!predicate(current)) return;
      subscription.dispose();
      clearTimeout(timer);
      resolve(current);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      const current = vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`);
      reject(new Error(`diagnostics of ${uri.path} never matched; last seen: ${JSON.stringify(current)}`));
    }, timeoutMs);
    check();
  });
}

export const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);

/** Resolves once `event` fires with a value `accept` takes; the timeout only names the hang. */
export function nextEvent<T>(event: vscode.Event<T>, accept: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the awaited event did not come within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/**
 * Resolves once the language server has loaded all it loads at start: the C
 * grammar, the library's macros, and last the library's index. Until then
 * every part that arrives makes it analyse the open documents again (under
 * load an analysis may run out of time and skip checks), so a request could be
 * answered from another analysis than the one whose diagnostics a test saw.
 * A call to an unknown function is flagged only once the index is in.
 */
export async function serverLoaded(): Promise<void> {
  const probe = workspaceFile('server-loaded-probe.stp');
  await vscode.workspace.fs.writeFile(probe, new TextEncoder().encode('probe begin { no_such_function_anywhere(1) }\n'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(probe));
  await waitForDiagnostics(probe, hasCode('function-unknown'));
}

/** Runs `body` with systemtap.stapPath (a machine setting) naming `stap`, then restores it. */
export async function withMachineStap(stap: string, body: () => Promise<void>): Promise<void> {
  const machineSettings = process.env.STAP_E2E_MACHINE_SETTINGS!;
  const saved = fs.readFileSync(machineSettings, 'utf8');
  const rewrite = async (text: string) => {
    const changed = nextEvent(vscode.workspace.onDidChangeConfiguration, (e) => e.affectsConfiguration('systemtap.stapPath'));
    fs.writeFileSync(machineSettings, text);
    await changed;
  };
  await rewrite(JSON.stringify({ 'systemtap.stapPath': stap }));
  try {
    await body();
  } finally {
    await rewrite(saved);
  }
}
