// kernel-doc comments, as the tapsets write them, read into Markdown.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readKernelDoc } from '../../server/src/analysis/tapsetIndex';

describe('kernel-doc comments', () => {
  test('summary, description and parameters', () => {
    const doc = readKernelDoc(
      '/**\n * sfunction task_pid - The process identifier of the task\n *\n * @task: task_struct pointer\n *\n * Description: This function returns\n * the process id of the given task.\n */',
    );
    assert.equal(doc.summary, 'The process identifier of the task');
    assert.equal(doc.details, '- `task`: task_struct pointer\n\nThis function returns the process id of the given task.');
  });
  test('indented lines stay as they are', () => {
    const doc = readKernelDoc('/**\n * probe x.y - Fires.\n * @flags: see below\n * \tBIT_A 0 first\n * \tBIT_B 1 second\n */');
    assert.match(doc.details!, /```text\nBIT_A 0 first\nBIT_B 1 second\n```/);
  });
});
