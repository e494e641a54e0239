// The output views and their commands: one view per run (opened beside the
// terminal when the run first prints something to draw, or on command), one
// per saved output file, one per charted editor text.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { OutputModel } from './outputModel';
import { OutputPanel } from './outputPanel';
import type { RunOutputEvents, RunStarted } from './runOutputEvents';

/** Output kept per run for a view opened later (or a second time): the latest this many characters. */
const KEPT_RUN_TEXT = 8 * 1024 * 1024;
/** A saved output file larger than this is read from its end. */
const MAX_FILE = 64 * 1024 * 1024;

interface RunRecord {
  run: RunStarted;
  chunks: string[];
  length: number;
  ended: string | undefined;
  /** Watches the output until a view exists: does it hold anything to draw? */
  probe: OutputModel | undefined;
  panel: OutputPanel | undefined;
}

export class OutputViewController implements vscode.Disposable {
  private readonly runs = new Map<string, RunRecord>();
  private lastRun: RunRecord | undefined;
  private readonly panels = new Set<OutputPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    events: RunOutputEvents,
  ) {
    this.disposables.push(
      events.onDidStartRun((run) => this.started(run)),
      events.onDidWrite(({ id, text }) => this.wrote(id, text)),
      events.onDidEndRun(({ id, exitCode }) => this.ended(id, exitCode)),
    );
  }

  /** SystemTap: Show Output View: the running run's, else the last run's. */
  showRunView(): void {
    const record = this.lastRun;
    if (!record) {
      void vscode.window.showInformationMessage('No SystemTap run yet: the output view shows the histograms and periodic lines of a run (or use "Open Output File in Output View").');
      return;
    }
    this.viewOf(record).reveal();
  }

  /** SystemTap: Open Output File in Output View. */
  async openFile(uri?: vscode.Uri): Promise<void> {
    const target =
      uri ??
      (
        await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Chart',
          title: 'A saved SystemTap output file',
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        })
      )?.[0];
    if (!target) return;
    let text: string;
    try {
      text = await readEnd(target);
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot read ${target.fsPath}: ${(e as Error).message}`);
      return;
    }
    const name = path.basename(target.path);
    this.showText(`Output: ${name}`, name, text);
  }

  /**
   * SystemTap: Chart Output Text: the selection of the active editor, else its
   * whole text (output pasted into an untitled editor, a log opened as a file);
   * without an editor, the clipboard.
   */
  async chartText(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const selected = editor.selections.filter((s) => !s.isEmpty).map((s) => editor.document.getText(s));
      const text = selected.length > 0 ? selected.join('\n') : editor.document.getText();
      const name = path.basename(editor.document.uri.path);
      this.showText(`Output: ${name}`, selected.length > 0 ? `selection of ${name}` : name, text);
      return;
    }
    const text = await vscode.env.clipboard.readText();
    if (text.trim() === '') {
      void vscode.window.showInformationMessage('Paste the output into an editor (File: New Untitled Text File) and run this command there, or copy it to the clipboard first.');
      return;
    }
    this.showText('Output: clipboard', 'the clipboard', text);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const p of [...this.panels]) p.dispose();
  }

  private showText(title: string, source: string, text: string): void {
    const panel = this.newPanel(title, `Reading ${source}`);
    panel.write(text);
    panel.end(source);
  }

  private started(run: RunStarted): void {
    const record: RunRecord = { run, chunks: [], length: 0, ended: undefined, probe: new OutputModel(), panel: undefined };
    this.runs.set(run.id, record);
    this.lastRun = record;
    // Only the last few runs' output is kept.
    for (const [id, r] of this.runs) if (this.runs.size > 5 && r !== record && !r.panel) this.runs.delete(id);
  }

  private wrote(id: string, text: string): void {
    const record = this.runs.get(id);
    if (!record) return;
    record.chunks.push(text);
    record.length += text.length;
    while (record.length > KEPT_RUN_TEXT && record.chunks.length > 1) record.length -= record.chunks.shift()!.length;
    if (record.panel) {
      record.panel.write(text);
      return;
    }
    // The first histogram or series opens the view beside the terminal.
    record.probe?.write(text);
    if (record.probe?.takeChanged() && readSettings(vscode.Uri.file(record.run.script))['outputView.openOnRun']) {
      record.probe = undefined;
      this.viewOf(record);
    }
  }

  private ended(id: string, exitCode: number | undefined): void {
    const record = this.runs.get(id);
    if (!record) return;
    record.ended = exitCode === undefined ? 'stopped' : `ended (exit code ${exitCode})`;
    record.probe = undefined;
    record.panel?.end(`${record.run.name}: ${record.ended}`);
  }

  /** The run's view, made (and filled with the output so far) when there is none. */
  private viewOf(record: RunRecord): OutputPanel {
    if (record.panel) return record.panel;
    const panel = this.newPanel(`Output: ${path.basename(record.run.script)}`, `${record.run.name}: running`);
    record.panel = panel;
    panel.onDidDispose(() => {
      if (record.panel === panel) record.panel = undefined;
    });
    for (const chunk of record.chunks) panel.write(chunk);
    if (record.ended) panel.end(`${record.run.name}: ${record.ended}`);
    return panel;
  }

  private newPanel(title: string, status: string): OutputPanel {
    const panel = new OutputPanel(this.extensionUri, title, status);
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    return panel;
  }
}

async function readEnd(uri: vscode.Uri): Promise<string> {
  if (uri.scheme !== 'file') return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const handle = await fs.promises.open(uri.fsPath, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, MAX_FILE);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
