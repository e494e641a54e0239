// Running scripts in the real VS Code, with systemtap.stapPath (a machine
// setting) pointing at a stand-in that records the argv it receives; the
// check command runs the real stap on a fake kernel tree.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SystemTapApi } from '../../../client/src/extension';
import { hasCode, nextEvent, waitForDiagnostics, withMachineStap, workspaceFile } from './helpers';
import { HOSTILE_NAME, standinRecords, waitFor } from './runHelpers';

const isStap = (e: vscode.TaskExecution) => e.task.definition.type === 'stap';

async function runAndRecord(command: string, uri: vscode.Uri): Promise<{ argv: string[]; cwd: string; pid: number }> {
  const before = standinRecords().length;
  const execution = await vscode.commands.executeCommand<vscode.TaskExecution | undefined>(command, uri);
  assert.ok(execution, `${command} started no task`);
  // Runs are told apart by identity: VS Code must hand out the same object everywhere.
  assert.ok(vscode.tasks.taskExecutions.includes(execution), 'tasks.taskExecutions has another object for this run');
  return waitFor(
    () =>
      standinRecords()
        .slice(before)
        .find((r) => r.argv) as { argv: string[]; cwd: string; pid: number } | undefined,
    'the stand-in stap never started',
  );
}

async function stopAndConfirm(pid: number): Promise<void> {
  const ended = nextEvent(vscode.tasks.onDidEndTaskProcess, (e) => isStap(e.execution));
  assert.strictEqual(await vscode.commands.executeCommand('systemtap.stop'), true);
  await ended;
  const stopped = await waitFor(() => standinRecords().find((r) => r.pid === pid && r.signal), `stap (pid ${pid}) was not signalled`);
  assert.strictEqual(stopped.signal, 'SIGINT', 'stopped as Ctrl+C stops it, so that stap can unload its module');
  assert.strictEqual(vscode.tasks.taskExecutions.filter(isStap).length, 0);
}

describe('running scripts', () => {
  before(function () {
    if (!vscode.workspace.isTrusted) this.skip();
  });

  it('Run with stap -vg starts stap -v -g FILE in a terminal task beside the script, and Stop ends it', async () => {
    const uri = workspaceFile('fixtures', 'run', 'trace.stp');
    const record = await runAndRecord('systemtap.run', uri);
    assert.deepStrictEqual(record.argv, ['-v', '-g', '--', uri.fsPath]);
    assert.strictEqual(record.cwd, path.dirname(uri.fsPath));
    const running = vscode.tasks.taskExecutions.filter(isStap);
    assert.strictEqual(running.length, 1);
    assert.match(running[0].task.name, /^stap -vg trace\.stp$/);
    await stopAndConfirm(record.pid);
  });

  it('a hostile file name reaches stap as one argument, and nothing in it is executed', async () => {
    const uri = workspaceFile('fixtures', 'run', HOSTILE_NAME);
    const record = await runAndRecord('systemtap.run', uri);
    assert.deepStrictEqual(record.argv, ['-v', '-g', '--', uri.fsPath]);
    await stopAndConfirm(record.pid);
    for (const dir of [path.dirname(uri.fsPath), workspaceFile().fsPath, record.cwd, process.cwd()]) {
      assert.ok(!fs.existsSync(path.join(dir, 'PWNED')), `PWNED appeared in ${dir}`);
    }
  });

  it('stap tasks in tasks.json: variables, options, and a script path relative to the folder', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'stap' });
    const named = (label: string) => {
      const task = tasks.find((t) => t.name === label);
      assert.ok(task, `tasks.json task "${label}" not found among ${tasks.map((t) => t.name).join(', ')}`);
      return task;
    };
    const script = workspaceFile('fixtures', 'run', 'trace.stp').fsPath;
    for (const [label, argv, cwd] of [
      ['trace with options', ['-v', '-DMAXACTION=5000', '-c', 'sleep 1', '--', script, 'from-tasks-json'], workspaceFile().fsPath],
      ['trace relative', ['-v', '-g', '--', script], path.dirname(script)],
    ] as const) {
      const before = standinRecords().length;
      await vscode.tasks.executeTask(named(label));
      const record = await waitFor(
        () =>
          standinRecords()
            .slice(before)
            .find((r) => r.argv),
        `the tasks.json task "${label}" never started stap`,
      );
      assert.deepStrictEqual(record.argv, argv);
      assert.strictEqual(record.cwd, cwd);
      await stopAndConfirm(record.pid);
    }
  });

  it('Check with stap (pass 2) runs the real stap, shows its semantic error on the right range, and checks on save', async function () {
    this.timeout(150_000);
    const uri = workspaceFile('fixtures', 'run', 'unresolved.stp');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await withMachineStap(process.env.STAP_E2E_REAL_STAP!, async () => {
      const outcome = await vscode.commands.executeCommand<string>('systemtap.check', uri);
      assert.strictEqual(outcome, 'errors');
      const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => d.source === 'stap'));
      const error = diagnostics.find((d) => d.source === 'stap')!;
      assert.match(error.message, /^unresolved function foo/);
      assert.strictEqual(doc.getText(error.range), 'foo');
      assert.strictEqual(error.range.start.line, 2);
      assert.strictEqual(error.severity, vscode.DiagnosticSeverity.Error);
      // Our own parser has nothing to say about it: this is what stap adds.
      assert.ok(!hasCode('syntax')(diagnostics));

      // With checkOnSave, fixing the call and saving clears stap's error.
      await vscode.workspace.getConfiguration('systemtap').update('checkOnSave', true, vscode.ConfigurationTarget.Workspace);
      try {
        await editor.edit((e) => e.replace(new vscode.Range(error.range.start, error.range.end.translate(0, '(1)'.length)), '1'));
        assert.strictEqual(doc.lineAt(2).text, '  x = 1');
        assert.ok(await doc.save());
        await waitForDiagnostics(uri, (ds) => !ds.some((d) => d.source === 'stap'), 60_000);
      } finally {
        await vscode.workspace.getConfiguration('systemtap').update('checkOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });

  it('a check of a script that just changed uses what the new text needs: embedded C just added gets -g', async function () {
    this.timeout(150_000);
    const uri = workspaceFile('fixtures', 'run', 'typed-guru.stp');
    fs.writeFileSync(uri.fsPath, 'probe begin { exit() }\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const api = await vscode.extensions.getExtension<SystemTapApi>('systemtap-guru.systemtap-guru')!.activate();
    const before = await waitFor(() => api.scriptInfo(uri), 'no script info was pushed for the script');
    assert.strictEqual(before.needsGuru, false);
    await withMachineStap(process.env.STAP_E2E_REAL_STAP!, async () => {
      // Changed on disk, the document reloads with a new version and stays saved: the check starts at once, well
      // before the server's analysis of the new text is pushed. With the info of the version before, stap -p2
      // would run without -g and fail.
      const reloaded = nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === doc && e.contentChanges.length > 0);
      await vscode.workspace.fs.writeFile(uri, Buffer.from('function answer:long() %{ STAP_RETVALUE = 42; %}\nprobe begin { exit() }\n'));
      await reloaded;
      assert.ok(!doc.isDirty);
      assert.strictEqual(await vscode.commands.executeCommand<string>('systemtap.check', uri), 'ok');
    });
  });

  it('a stap that is not installed is reported, not a crash', async () => {
    const uri = workspaceFile('fixtures', 'run', 'trace.stp');
    await withMachineStap('/nonexistent/bin/stap', async () => {
      assert.strictEqual(await vscode.commands.executeCommand<string>('systemtap.check', uri), 'failed');
      const before = standinRecords().length;
      assert.strictEqual(await vscode.commands.executeCommand('systemtap.run', uri), undefined, 'a run without stap started a task');
      assert.strictEqual(vscode.tasks.taskExecutions.filter(isStap).length, 0);
      assert.strictEqual(standinRecords().length, before);
    });
  });

  it('Follow kernel log opens journalctl -k -f, or dmesg -w, in a terminal', async () => {
    const opened = nextEvent(vscode.window.onDidOpenTerminal, (t) => t.name.startsWith('Kernel log'));
    const terminal = await vscode.commands.executeCommand<vscode.Terminal | undefined>('systemtap.followKernelLog');
    assert.ok(terminal, 'neither journalctl nor dmesg was found');
    const t = await opened;
    assert.match(t.name, /^Kernel log \((journalctl|dmesg)\)$/);
    const options = t.creationOptions as vscode.TerminalOptions;
    assert.deepStrictEqual([options.shellPath, options.shellArgs], t.name.includes('journalctl') ? ['journalctl', ['-k', '-f', '-n', '20']] : ['dmesg', ['-w']]);
    t.dispose();
  });

  it('the workspace settings name another stap executable, and are ignored', async () => {
    // prepareWorkspace wrote "systemtap.stapPath": "/bin/false" into .vscode/settings.json.
    const uri = workspaceFile('fixtures', 'run', 'trace.stp');
    const record = await runAndRecord('systemtap.run', uri);
    assert.deepStrictEqual(record.argv, ['-v', '-g', '--', uri.fsPath], 'the stand-in from the machine settings ran');
    await stopAndConfirm(record.pid);
  });
});
