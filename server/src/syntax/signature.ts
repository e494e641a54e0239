// A function's signature as stap writes it: `task_pid:long(task:long)`.

import { FunctionDecl, Param } from './ast';

export const paramList = (params: Param[]): string => params.map((p) => (p.type ? `${p.text}:${p.type.text}` : p.text)).join(', ');

export const functionSignature = (fn: FunctionDecl): string => `${fn.name.text}${fn.returnType ? `:${fn.returnType.text}` : ''}(${paramList(fn.params)})`;
