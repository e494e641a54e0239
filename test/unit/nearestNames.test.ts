// Did-you-mean: swapped letters are one typo, and a function with one
// parameter is offered whatever the spelling.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { closestName, editDistance } from '../../server/src/analysis/names';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { codeActions } from '../../server/src/features/codeActions';
import { toDiagnostics } from '../../server/src/features/diagnostics';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

describe('edit distance', () => {
  test('a swap of neighbours is one edit', () => {
    assert.equal(editDistance('dve', 'dev'), 1);
    assert.equal(editDistance('pritnf', 'printf'), 1);
    assert.equal(editDistance('ab', 'ba'), 1);
  });
  test('inserts, deletes and replacements as before', () => {
    assert.equal(editDistance('skbb', 'skb'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', 'abc'), 0);
  });
  test('optimal string alignment: a swapped pair is not edited again', () => {
    // Damerau-Levenshtein would say 2 (swap, then insert between); OSA says 3.
    assert.equal(editDistance('ca', 'abc'), 3);
  });
  test('stops early above the bound, with a number above it', () => {
    assert.ok(editDistance('abcdefgh', 'zyxwvuts', 2) > 2);
    assert.equal(editDistance('dve', 'dev', 1), 1);
  });
});

describe('closestName', () => {
  test('a transposition in a short name is found', () => {
    assert.equal(closestName('dve', ['dev']), 'dev');
    assert.equal(closestName('pirnt', ['print', 'printf', 'pid']), 'print');
  });
  test('the nearest of several; nothing far', () => {
    assert.equal(closestName('skbb', ['skb', 'dev']), 'skb');
    assert.equal(closestName('xyz', ['skb', 'dev']), undefined);
    assert.equal(closestName('execnme', ['execname', 'pid', 'exit']), 'execname');
  });
  test('a name that keeps no letter is no typo: y is not a misspelt a', () => {
    assert.equal(closestName('y', ['a', 'b']), undefined);
    assert.equal(closestName('ab', ['cd']), undefined);
    assert.equal(closestName('x', ['xy']), 'xy');
    assert.equal(closestName('Skb', ['skb']), 'skb');
  });
});

describe('STAP_ARG_ typos', () => {
  const open = (text: string) => {
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const analysis = analyze(text, { cParser, guru: true });
    return { document, analysis };
  };
  const fixesAt = (text: string, at: string) => {
    const { document, analysis } = open(text);
    const offset = text.indexOf(at);
    const range = { start: document.positionAt(offset), end: document.positionAt(offset) };
    return codeActions(analysis, document, range, toDiagnostics(analysis, document)).map((a) => ({
      title: a.title,
      preferred: a.isPreferred,
      result: TextDocument.applyEdits(document, a.edit!.changes!['file:///t.stp']),
    }));
  };

  test('STAP_ARG_dve for the parameter dev: change to STAP_ARG_dev first, preferred', () => {
    const text = 'function name:string(dev:long) %{ snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%s", ((struct net_device *)(long)STAP_ARG_dve)->name); %}\n';
    const [change, add] = fixesAt(text, 'STAP_ARG_dve');
    assert.equal(change.title, 'Change to STAP_ARG_dev');
    assert.equal(change.preferred, true);
    assert.match(change.result, /\(long\)STAP_ARG_dev\)->name/);
    assert.equal(add.title, "Add parameter 'dve' to name()");
  });

  test('the message names the near parameter', () => {
    const text = 'function f:long(dev:long) %{ STAP_RETVALUE = STAP_ARG_dve; %}\n';
    const finding = open(text).analysis.findings.find((f) => f.code === 'stap-arg-unknown')!;
    assert.match(finding.message, /'dve' is not a parameter of function f \(parameters: dev\): did you mean STAP_ARG_dev\?/);
  });

  test('one parameter: offered however far the spelling, but not preferred', () => {
    const text = 'function f:long(skb:long) %{ STAP_RETVALUE = STAP_ARG_packet; %}\n';
    const [change, add] = fixesAt(text, 'STAP_ARG_packet');
    assert.equal(change.title, 'Change to STAP_ARG_skb');
    assert.equal(change.preferred, false);
    assert.match(change.result, /STAP_RETVALUE = STAP_ARG_skb;/);
    assert.equal(add.title, "Add parameter 'packet' to f()");
    const finding = open(text).analysis.findings.find((f) => f.code === 'stap-arg-unknown')!;
    assert.doesNotMatch(finding.message, /did you mean/);
  });

  test('several parameters, none near: no change offered', () => {
    const text = 'function f:long(skb:long, dev:long) %{ STAP_RETVALUE = STAP_ARG_packet; %}\n';
    assert.deepEqual(
      fixesAt(text, 'STAP_ARG_packet').map((f) => f.title),
      ["Add parameter 'packet' to f()"],
    );
  });

  test('no parameters: only the add fix', () => {
    const text = 'function f:long() %{ STAP_RETVALUE = STAP_ARG_x; %}\n';
    assert.deepEqual(
      fixesAt(text, 'STAP_ARG_x').map((f) => f.title),
      ["Add parameter 'x' to f()"],
    );
  });
});

describe('unknown functions with swapped letters', () => {
  const LIBRARY = new Set(['execname', 'pid', 'exit', 'printk']);
  const suggestions = (text: string) =>
    analyze(text, { libraryFunctions: LIBRARY })
      .findings.filter((f) => f.code === 'function-unknown')
      .map((f) => [text.slice(f.start, f.end), f.replacement]);
  test('a swap in a short name gets the library function; unrelated names get nothing', () => {
    assert.deepEqual(suggestions('probe begin { println(ipd()) }\n'), [['ipd', 'pid']]);
    assert.deepEqual(suggestions('probe begin { println(excename()) }\n'), [['excename', 'execname']]);
    assert.deepEqual(suggestions('probe begin { println(zzz()) }\n'), [['zzz', undefined]]);
  });
  test('the built-ins are candidates: prnitln -> println', () => {
    assert.deepEqual(suggestions('probe begin { prnitln(1) }\n'), [['prnitln', 'println']]);
  });
});
