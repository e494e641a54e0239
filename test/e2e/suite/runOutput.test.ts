// A run's output on its way to the output view: every stap task goes through
// the tee, which copies stap's stdout to a run file that the extension's
// capture follows (the API's runOutput events). The stand-in stap prints real
// captured stap output for output-NAME.stp, and fails at once for quick-fail.stp.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SystemTapApi } from '../../../client/src/extension';
import type { RunEnded, RunStarted } from '../../../client/src/output/runOutputEvents';
import { nextEvent, workspaceFile } from './helpers';
import { standinRecords, waitFor } from './runHelpers';

const isStap = (e: vscode.TaskExecution) => e.task.definition.type === 'stap';

/** Everything the capture said, by run. */
class Heard implements vscode.Disposable {
  readonly starts: RunStarted[] = [];
  readonly texts = new Map<string, string>();
  readonly ends: RunEnded[] = [];
  private readonly subscriptions: vscode.Disposable[];
  constructor(api: SystemTapApi) {
    this.subscriptions = [
      api.runOutput.onDidStartRun((e) => this.starts.push(e)),
      api.runOutput.onDidWrite((e) => this.texts.set(e.id, (this.texts.get(e.id) ?? '') + e.text)),
      api.runOutput.onDidEndRun((e) => this.ends.push(e)),
    ];
  }
  text = (id: string) => this.texts.get(id) ?? '';
  started = (name: RegExp) => waitFor(() => this.starts.find((s) => name.test(s.name)), `no run named ${name} started`);
  ended = (id: string) => waitFor(() => this.ends.find((e) => e.id === id), `run ${id} never ended`);
  dispose = () => this.subscriptions.forEach((s) => s.dispose());
}

/** The run file the task's tee writes: the argument after --out. */
function outFileOf(execution: vscode.TaskExecution): string {
  const args = (execution.task.execution as vscode.ProcessExecution).args;
  return args[args.indexOf('--out') + 1];
}

async function stop(pid: number): Promise<void> {
  const ended = nextEvent(vscode.tasks.onDidEndTaskProcess, (e) => isStap(e.execution));
  assert.strictEqual(await vscode.commands.executeCommand('systemtap.stop'), true);
  await ended;
  const stopped = await waitFor(() => standinRecords().find((r) => r.pid === pid && r.signal), `stap (pid ${pid}) was not signalled`);
  assert.strictEqual(stopped.signal, 'SIGINT');
}

describe("a run's output", () => {
  let api: SystemTapApi;
  let heard: Heard;
  before(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    api = (await vscode.extensions.getExtension<SystemTapApi>('systemtap-guru.systemtap-guru')!.activate())!;
  });
  beforeEach(() => (heard = new Heard(api)));
  afterEach(() => heard.dispose());

  it("reaches the capture live, histograms and all, through a tee that VS Code's own executable runs; Stop still stops stap, and the end is read", async () => {
    const uri = workspaceFile('fixtures', 'run', 'output-sched-latency.stp');
    const before = standinRecords().length;
    const execution = await vscode.commands.executeCommand<vscode.TaskExecution>('systemtap.run', uri);
    assert.ok(execution, 'no run started');
    const taskProcess = execution.task.execution as vscode.ProcessExecution;
    // No node on PATH is needed: the extension host's executable runs the tee.
    assert.strictEqual(taskProcess.process, process.execPath);
    assert.strictEqual(path.basename(taskProcess.args[0]), 'stapTee.js');
    assert.strictEqual(taskProcess.options?.env?.ELECTRON_RUN_AS_NODE, '1');
    const record = await waitFor(
      () =>
        standinRecords()
          .slice(before)
          .find((r) => r.argv),
      'the stand-in stap never started',
    );
    assert.deepStrictEqual(record.argv, ['-v', '-g', '--', uri.fsPath], 'the tee passes the argument vector on untouched');
    assert.strictEqual(record.cwd, path.dirname(uri.fsPath));
    const run = await heard.started(/^stap -vg output-sched-latency\.stp$/);
    assert.strictEqual(run.script, uri.fsPath);
    // Two histograms of the capture, while stap still runs.
    await waitFor(() => /pid:29140 prio:120\nvalue \|-+ count\n[\s\S]*pid:29161 prio:120\nvalue \|/.test(heard.text(run.id)) || undefined, 'the histograms never arrived');
    assert.ok(heard.text(run.id).startsWith('[stap stand-in for the e2e tests]'), 'the output from its first byte');
    assert.strictEqual(heard.ends.length, 0);
    await stop(record.pid);
    const end = await heard.ended(run.id);
    assert.strictEqual(end.exitCode, 0);
    // What the stand-in printed on SIGINT, as stap prints its end probes' output: read at the end.
    assert.match(heard.text(run.id), /Pass 5: run completed in 0usr\/0sys\/1234real ms\.\r\n$/);
    const file = outFileOf(execution);
    assert.match(path.basename(file), /^output-sched-latency-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d(-\d+)?\.txt$/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), heard.text(run.id), 'the capture heard the run file, all of it, once');
  });

  it('a run that fails at once ends with stap\'s exit code (no "failed to launch"), its stdout empty', async () => {
    const uri = workspaceFile('fixtures', 'run', 'quick-fail.stp');
    const processEnded = nextEvent(vscode.tasks.onDidEndTaskProcess, (e) => isStap(e.execution));
    const execution = await vscode.commands.executeCommand<vscode.TaskExecution>('systemtap.run', uri);
    assert.ok(execution, 'no run started');
    const run = await heard.started(/quick-fail\.stp$/);
    assert.strictEqual((await processEnded).exitCode, 1);
    const end = await heard.ended(run.id);
    assert.strictEqual(end.exitCode, 1);
    assert.strictEqual(heard.text(run.id), '', "stap's message went to stderr, the terminal only");
    await waitFor(() => vscode.tasks.taskExecutions.filter(isStap).length === 0 || undefined, 'the task did not end');
  });

  it('with systemtap.run.sudo "always", sudo comes after the tee: the tee copies what sudo passes on, and the terminal stays sudo\'s', async () => {
    // The test machines have no sudo (and the extension host's PATH is the login shell's): the task is built, not run.
    // The tee, sudo's stand-in and a stap that stops on SIGINT run together in the unit tests (stapTee.test.ts).
    const config = vscode.workspace.getConfiguration('systemtap');
    await config.update('run.sudo', 'always', vscode.ConfigurationTarget.Global);
    try {
      const task = (await vscode.tasks.fetchTasks({ type: 'stap' })).find((t) => t.name === 'trace relative');
      assert.ok(task, 'the tasks.json task is missing');
      const taskProcess = task.execution as vscode.ProcessExecution;
      const stap = (JSON.parse(fs.readFileSync(process.env.STAP_E2E_MACHINE_SETTINGS!, 'utf8')) as Record<string, string>)['systemtap.stapPath'];
      const script = workspaceFile('fixtures', 'run', 'trace.stp').fsPath;
      assert.strictEqual(taskProcess.process, process.execPath);
      assert.deepStrictEqual(taskProcess.args.slice(0, 3), [taskProcess.args[0], '--out', taskProcess.args[2]]);
      assert.match(taskProcess.args[0], /[/\\]dist[/\\]stapTee\.js$/);
      assert.deepStrictEqual(taskProcess.args.slice(3), ['--', 'sudo', '--', stap, '-v', '-g', '--', script]);
    } finally {
      await config.update('run.sudo', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a stap task from tasks.json goes through the same tee and capture', async () => {
    const task = (await vscode.tasks.fetchTasks({ type: 'stap' })).find((t) => t.name === 'trace relative');
    assert.ok(task, 'the tasks.json task is missing');
    const before = standinRecords().length;
    const execution = await vscode.tasks.executeTask(task);
    const record = await waitFor(
      () =>
        standinRecords()
          .slice(before)
          .find((r) => r.argv),
      'the tasks.json task never started stap',
    );
    const script = workspaceFile('fixtures', 'run', 'trace.stp').fsPath;
    assert.deepStrictEqual(record.argv, ['-v', '-g', '--', script]);
    assert.match(path.basename(outFileOf(execution)), /^trace-.*\.txt$/);
    const run = await heard.started(/^trace relative$/);
    assert.strictEqual(run.script, script);
    await waitFor(() => heard.text(run.id).includes('Pass 5: starting run.') || undefined, "the task's output never arrived");
    await stop(record.pid);
    await heard.ended(run.id);
  });
});
