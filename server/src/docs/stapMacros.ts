// Reference text for the names stap gives embedded C, worded after `man stap`,
// section EMBEDDED C (argument and return types are inferred from the call
// sites when a function does not declare them). Markdown, for hovers and
// completion items.

import { FunctionDecl } from '../syntax/ast';

const C_TYPE = { long: 'int64_t', string: 'const char *' } as const;

export function stapArgDoc(name: string, fn: FunctionDecl | undefined): string {
  const param = fn?.params.find((p) => p.text === name);
  if (!fn || !param) return `**STAP_ARG_${name}**: no parameter \`${name}\` here: \`STAP_ARG_\` names only exist for the parameters of the enclosing function.`;
  const type = param.type?.text as keyof typeof C_TYPE | undefined;
  const cType = type ? `\`${C_TYPE[type]}\`` : 'the C type of its inferred stap type (`int64_t` for long, `const char *` for string)';
  return [
    `**STAP_ARG_${name}**: parameter \`${name}\` of \`${fn.name.text}\`${type ? ` (stap type \`${type}\`)` : ''}.`,
    '',
    `In C it is ${cType}.${type === 'string' ? ' The string is NUL-terminated, at most `MAXSTRINGLEN` bytes.' : ''}`,
  ].join('\n');
}

export function retvalueDoc(fn: FunctionDecl | undefined): string {
  const type = fn?.returnType?.text;
  const intro = '**STAP_RETVALUE**: the return value of the embedded-C function.';
  if (type === 'long') return `${intro}\n\nIn \`${fn!.name.text}\` (\`:long\`) it is an \`int64_t\` lvalue: \`STAP_RETVALUE = 42;\``;
  if (type === 'string') {
    return `${intro}\n\nIn \`${fn!.name.text}\` (\`:string\`) it is a \`char\` buffer of \`MAXSTRINGLEN\` bytes: fill it with \`strlcpy(STAP_RETVALUE, s, MAXSTRINGLEN)\` or \`snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%s", s)\`.`;
  }
  return `${intro}\n\nOnly functions declared with a return type have one (\`function f:long(...)\` or \`function f:string(...)\`): an \`int64_t\` for \`:long\`, a \`char\` buffer of \`MAXSTRINGLEN\` bytes for \`:string\`.`;
}

export const RUNTIME_DOCS: Record<string, string> = {
  STAP_RETURN: '**STAP_RETURN(value)**: sets the return value (`STAP_RETVALUE`) and returns from the embedded-C function.',
  STAP_ERROR:
    '**STAP_ERROR(fmt, ...)**: raises a script error with a printf-style message and returns from the function, like the script-level `error()`: the probe handler is aborted (a `try`/`catch` in the script can catch it).',
  STAP_PRINTF: "**STAP_PRINTF(fmt, ...)**: prints printf-style to the script's output, like the script-level `printf`.",
  CONTEXT: '**CONTEXT**: pointer to the current probe context (`struct context *`), e.g. `CONTEXT->kregs` for the registers of a kernel probe.',
  MAXSTRINGLEN:
    '**MAXSTRINGLEN**: the size of stap string buffers, terminating NUL included: the most a string function may write to `STAP_RETVALUE`. Set it with `stap -DMAXSTRINGLEN=N`.',
  THIS: '**THIS**: the pre-1.8 way to reach parameters and the return value (`THIS->name`, `THIS->__retvalue`), available only in functions marked `/* unmangled */`. Use `STAP_ARG_name` and `STAP_RETVALUE` instead.',
};
