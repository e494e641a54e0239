// `}%` inside embedded C is almost always a mistyped `%}`: stap warns about it
// while reading the script ("possible erroneous closing '}%', use '%}'?"),
// since the block then runs on to the next `%}`, swallowing the code between.

import { EmbeddedRegion } from '../embedded/regions';
import { EmbeddedCode } from '../syntax/ast';
import { BodyFacts, unmoved } from '../syntax/bodyFacts';
import { Finding } from './diagnostic';

export function checkEmbeddedClose(regions: EmbeddedRegion[]): Finding[] {
  const findings: Finding[] = [];
  for (const { code } of regions) {
    if (code.expanded) continue; // a tapset macro's C is not this file's text
    // stap looks at each pair of characters up to the closing '%}', its '%' included.
    const closed = code.end === code.codeEnd + 2;
    const warn = (at: number) => {
      const start = code.codeStart + at;
      findings.push({ start, end: start + 2, severity: 'warning', code: 'syntax', message: "possible erroneous closing '}%' in embedded C: did you mean '%}'?" });
    };
    for (const i of mistypedCloses(code)) warn(i);
    // The last '}' of the code and the '%' of the closing '%}'.
    if (closed && code.code.endsWith('}')) warn(code.code.length - 1);
  }
  return findings;
}

/** Where `}%` stands in a block's code, from its start: found once per block (bodyFacts.ts). */
const closesIn = new BodyFacts<readonly number[]>(unmoved);

function mistypedCloses(code: EmbeddedCode): readonly number[] {
  return closesIn.of(code, () => {
    const at: number[] = [];
    for (let i = code.code.indexOf('}%'); i >= 0; i = code.code.indexOf('}%', i + 1)) at.push(i);
    return at;
  });
}
