// Running the preprocessor alone on a text, for the preprocessor tests
// (test/unit/preprocessorLimits.test.ts, test/server/deepMacros.test.ts).
import { lex } from '../../server/src/syntax/lexer';
import { DEFAULT_TARGET, preprocess, PreprocessorTarget } from '../../server/src/syntax/preprocessor';

export const run = (text: string, target: Partial<PreprocessorTarget> = {}) => preprocess(lex(text).tokens, { ...DEFAULT_TARGET, ...target });
export const texts = (text: string, target: Partial<PreprocessorTarget> = {}) =>
  run(text, target)
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t) => t.text);
/** `@m(@m(...@m(inner)...))`, `depth` uses deep. */
export const nestedUses = (name: string, depth: number, inner: string) => `@${name}(`.repeat(depth) + inner + ')'.repeat(depth);
/** `@define m0 %( 1 %)`, then each macro uses the one before. */
export const chain = (links: number) => {
  let text = '@define m0 %( 1 %)\n';
  for (let i = 1; i < links; i++) text += `@define m${i} %( @m${i - 1} %)\n`;
  return `${text}probe begin { print(@m${links - 1}) }\n`;
};
export const messages = (text: string) => run(text).errors.map((e) => e.message);
