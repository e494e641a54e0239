// The bodies of declarations are laid out once and walked as arrays
// (server/src/syntax/walk.ts walkBody, semantic/keptCode.ts walkUnguarded).
// Each must visit what the plain recursive-order walk visits, in the same
// order, at the same depth, with the same parent, skipping the same subtrees.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { describe, test } from 'node:test';
import { listFiles } from '../../server/src/analysis/tapsetLibrary';
import { walkUnguarded } from '../../server/src/analysis/semantic/keptCode';
import { Expr, Statement } from '../../server/src/syntax/ast';
import { parse } from '../../server/src/syntax/parser';
import { walkBody, walkTree } from '../../server/src/syntax/walk';
import { fuzzSeeds } from '../support/fuzz';

type Node = Statement | Expr;
const EXAMPLES = '/usr/share/systemtap/examples';

function bodies(): Statement[] {
  // Each way of guarding with @defined: bare, in an if's condition, in a ?:'s.
  const guards = 'probe begin { println(@defined($x) + 1); if (@defined($y)) print($y); z = @defined($w) ? $w : 2; print(z) }';
  const texts = [guards, ...fuzzSeeds(), ...(fs.existsSync(EXAMPLES) ? listFiles(EXAMPLES, ['.stp']).map((f) => fs.readFileSync(f, 'utf8')) : [])];
  const roots: Statement[] = [];
  for (const text of texts) {
    for (const item of parse(text).items) {
      if (item.kind === 'probe') for (const b of [item.body, item.epilogue]) if (b) roots.push(b);
      if (item.kind === 'function' && item.body?.kind === 'block') roots.push(item.body);
    }
  }
  return roots;
}

/** What stap's `@defined` guards, found the plain way: the subtree of an `@defined`, or of an `if`/`?:` whose condition has one. */
function guardedPlain(root: Statement): { node: Node; parent: Node | undefined }[] {
  const mentionsDefined = (e: Node) => {
    let found = false;
    walkTree(e, (n) => {
      if (n.kind === 'atOperator' && (n as Expr).text === '@defined') found = true;
      return !found;
    });
    return found;
  };
  const out: { node: Node; parent: Node | undefined }[] = [];
  const visit = (node: Node, parent: Node | undefined) => {
    if (node.kind === 'atOperator' && (node as Expr).text === '@defined') return;
    if ((node.kind === 'if' || node.kind === 'ternary') && node.children[0] && mentionsDefined(node.children[0])) return;
    out.push({ node, parent });
    for (const c of node.children) visit(c, node);
  };
  visit(root, undefined);
  return out;
}

describe('walking the bodies of declarations', () => {
  const roots = bodies();

  test('the installed examples and the fuzz seeds give many bodies to walk', () => {
    assert.ok(roots.length > 100, `only ${roots.length} bodies`);
  });

  test('walkBody visits what walkTree visits, at the same depths, twice over (laid out, then from the layout)', () => {
    for (const root of roots) {
      const plain: string[] = [];
      walkTree(root, (n, depth) => void plain.push(`${n.kind}@${n.start}:${depth}`));
      for (let round = 0; round < 2; round++) {
        const flat: string[] = [];
        walkBody(root, (n, depth) => void flat.push(`${n.kind}@${n.start}:${depth}`));
        assert.deepEqual(flat, plain);
      }
    }
  });

  test('walkBody skips the children of a node whose visit returns false, as walkTree does', () => {
    let pruned = 0;
    for (const root of roots) {
      const skip = (n: Node) => n.kind === 'call' || n.kind === 'if' || n.kind === 'binary';
      const plain: Node[] = [];
      walkTree(root, (n) => (plain.push(n), !skip(n)));
      const flat: Node[] = [];
      walkBody(root, (n) => (flat.push(n), !skip(n)));
      assert.deepEqual(flat, plain);
      if (plain.some(skip)) pruned++;
    }
    assert.ok(pruned > 50, `only ${pruned} bodies had a subtree to skip`);
  });

  test('walkUnguarded visits what a plain walk leaves unguarded, with each node’s parent', () => {
    let guarded = 0;
    for (const root of roots) {
      const expected = guardedPlain(root);
      const got: { node: Node; parent: Node | undefined }[] = [];
      walkUnguarded(root, (node, parent) => void got.push({ node, parent }));
      assert.equal(got.length, expected.length);
      got.forEach((g, i) => {
        assert.equal(g.node, expected[i].node);
        assert.equal(g.parent, expected[i].parent);
      });
      let all = 0;
      walkTree(root, () => void all++);
      if (all > expected.length) guarded++;
    }
    assert.ok(guarded > 0, 'no body had an @defined guard: the skipping went untested');
  });
});
