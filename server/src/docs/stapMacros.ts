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
  MAXSTRINGLEN: '**MAXSTRINGLEN**: the size of stap string buffers, terminating NUL included: the most a string function may write to `STAP_RETVALUE`. Set it with `stap -DMAXSTRINGLEN=N`.',
  ...memoryAccessDocs(),
  THIS: '**THIS**: the pre-1.8 way to reach parameters and the return value (`THIS->name`, `THIS->__retvalue`), available only in functions marked `/* unmangled */`. Use `STAP_ARG_name` and `STAP_RETVALUE` instead.',
};

// The runtime's checked memory accessors (runtime/linux/loc2c-runtime.h). On a
// bad address none of them oopses: the runtime records the fault and jumps to
// the `deref_fault` label the translator puts in every embedded-C function
// (see `man error::fault`).
function memoryAccessDocs(): Record<string, string> {
  const fault = (what: 'read' | 'write') =>
    `A bad address does not crash the kernel: the runtime catches it and the script stops with \`${what} fault [man error::fault] at 0x...\` (unless a \`try\`/\`catch\` in the script or \`--suppress-handler-errors\` absorbs it).`;
  const read = (space: string, deref: string) =>
    `reads \`*ptr\` from ${space} memory with a fault check; the result has the type of \`*ptr\` (1, 2, 4 or 8 bytes, read with \`${deref}\`). ${fault('read')}`;
  const write = (space: string) => `${fault('write')} Writing ${space} memory is what guru mode is for: the script needs \`stap -g\`.`;
  return {
    kread: `**kread(ptr)**: ${read('kernel', 'kderef')}\n\nExample: \`pid = kread(&(task->pid));\``,
    uread: `**uread(ptr)**: ${read('user-space', 'uderef')}`,
    kderef: `**kderef(size, addr)**: reads \`size\` bytes (1, 2, 4 or 8) at kernel address \`addr\` and returns them as a 64-bit integer. ${fault('read')} Prefer \`kread(ptr)\`, which takes the size from the pointer.`,
    uderef: `**uderef(size, addr)**: reads \`size\` bytes (1, 2, 4 or 8) at user-space address \`addr\` of the current task and returns them as a 64-bit integer. ${fault('read')} Prefer \`uread(ptr)\`.`,
    kwrite: `**kwrite(ptr, value)**: stores \`value\`, converted to the type of \`*ptr\`, at kernel address \`ptr\` with a fault check. ${write('kernel')}`,
    uwrite: `**uwrite(ptr, value)**: stores \`value\`, converted to the type of \`*ptr\`, at user-space address \`ptr\` of the current task with a fault check. ${write('user-space')}`,
    store_kderef: `**store_kderef(size, addr, value)**: writes the low \`size\` bytes (1, 2, 4 or 8) of \`value\` at kernel address \`addr\`. ${write('kernel')} Prefer \`kwrite(ptr, value)\`.`,
    store_uderef: `**store_uderef(size, addr, value)**: writes the low \`size\` bytes (1, 2, 4 or 8) of \`value\` at user-space address \`addr\`. ${write('user-space')} Prefer \`uwrite(ptr, value)\`.`,
    CATCH_DEREF_FAULT:
      '**CATCH_DEREF_FAULT()**: does nothing in current runtimes; kept so old embedded C still compiles. The `deref_fault` label it once provided is now emitted for every embedded-C function.',
  };
}
