// One output view: a webview panel beside the editor (or terminal) drawing
// one source's output, a run's or a file's. It feeds the source's text to an
// OutputModel and sends the webview a snapshot at most a few times a second.

import * as fs from 'fs';
import * as vscode from 'vscode';
import { OutputModel } from './outputModel';
import { UserPattern, compileUserPattern } from './userPattern';
import type { FromView, ToView } from './viewMessages';

/** Snapshots sent to the webview at most this often. */
const UPDATE_INTERVAL_MS = 250;
/** Text kept to read again when the user's pattern changes: the latest this many characters. */
const KEPT_TEXT = 8 * 1024 * 1024;

export class OutputPanel implements vscode.Disposable {
  private model = new OutputModel();
  private pattern: UserPattern | undefined;
  private kept: string[] = [];
  private keptLength = 0;
  private ended = false;
  private status: string;
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDidDisposeEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    title: string,
    status: string,
  ) {
    this.status = status;
    this.panel = vscode.window.createWebviewPanel(
      'systemtap.outputView',
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
      },
    );
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: FromView) => this.receive(m)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  reveal(): void {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Output as it arrives. */
  write(text: string): void {
    this.keep(text);
    this.model.write(text);
    this.schedule();
  }

  /** The source ended (the run stopped, the file was read). */
  end(status: string): void {
    this.ended = true;
    this.status = status;
    this.model.end();
    this.schedule(true);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDidDisposeEmitter.fire();
    this.onDidDisposeEmitter.dispose();
  }

  private keep(text: string): void {
    this.kept.push(text);
    this.keptLength += text.length;
    while (this.keptLength > KEPT_TEXT && this.kept.length > 1) this.keptLength -= this.kept.shift()!.length;
  }

  private schedule(now = false): void {
    if (!this.ready) return;
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.send();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.model.takeChanged()) this.send();
    }, UPDATE_INTERVAL_MS);
  }

  private send(): void {
    this.model.takeChanged();
    this.post({ type: 'snapshot', snapshot: this.model.snapshot(), status: this.status });
  }

  private post(message: ToView): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(message: FromView): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          this.post({ type: 'pattern', source: this.pattern?.source ?? '' });
          this.send();
          return;
        case 'pattern':
          this.setPattern(message.source);
          return;
        case 'saveCsv':
          await this.save(`${message.name}.csv`, { CSV: ['csv'] }, Buffer.from(message.csv, 'utf8'));
          return;
        case 'savePng': {
          const base64 = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(message.dataUrl)?.[1];
          if (base64) await this.save(`${message.name}.png`, { 'PNG image': ['png'] }, Buffer.from(base64, 'base64'));
          return;
        }
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`SystemTap output view: ${(e as Error).message}`);
    }
  }

  /** A new pattern: the kept text is read again with it. */
  private setPattern(source: string): void {
    if (source.trim() === '') {
      this.pattern = undefined;
    } else {
      const compiled = compileUserPattern(source);
      if (typeof compiled === 'string') {
        this.post({ type: 'pattern', source, error: compiled });
        return;
      }
      this.pattern = compiled;
    }
    this.model = new OutputModel(this.pattern);
    for (const text of this.kept) this.model.write(text);
    if (this.ended) this.model.end();
    this.post({ type: 'pattern', source });
    this.send();
  }

  private async save(name: string, filters: Record<string, string[]>, data: Buffer): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters });
    if (!target) return;
    if (target.scheme === 'file') await fs.promises.writeFile(target.fsPath, data);
    else await vscode.workspace.fs.writeFile(target, data);
  }

  private html(): string {
    const webview = this.panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'outputView.js'));
    const nonce = makeNonce();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header id="toolbar">
  <span id="status"></span>
  <form id="pattern-form"><input id="pattern" type="text" spellcheck="false" placeholder="Regex for other lines, e.g. (?&lt;reads&gt;\\d+) reads"><button type="submit">Apply</button></form>
  <span id="pattern-error" role="alert"></span>
</header>
<p id="empty">No histogram or periodic lines yet.</p>
<section id="histograms"></section>
<section id="series"></section>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}

function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let nonce = '';
  for (let i = 0; i < 32; i++) nonce += chars[Math.floor(Math.random() * chars.length)];
  return nonce;
}

const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 12px 12px; }
#toolbar { position: sticky; top: 0; background: var(--vscode-editor-background); padding: 8px 0; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; z-index: 1; }
#status { color: var(--vscode-descriptionForeground); }
#pattern-form { display: flex; gap: 4px; flex: 1; min-width: 240px; }
#pattern { flex: 1; background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 3px 6px; font-family: var(--vscode-editor-font-family); }
#pattern-error { color: var(--vscode-errorForeground); }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 3px 10px; cursor: pointer; }
button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
button:hover { background: var(--vscode-button-hoverBackground); }
.chart { border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); border-radius: 4px; padding: 8px; margin: 8px 0; }
.chart h3 { margin: 0 0 4px; font-size: 1em; font-weight: 600; display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.chart h3 .title { flex: 1 1 100%; font-family: var(--vscode-editor-font-family); white-space: pre; overflow: hidden; text-overflow: ellipsis; }
.chart .note { flex: 1; color: var(--vscode-descriptionForeground); font-weight: normal; }
.fields { display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0; }
.fields label { display: inline-flex; gap: 4px; align-items: center; }
.canvas-box { position: relative; height: 260px; }
#empty { color: var(--vscode-descriptionForeground); }
`;
