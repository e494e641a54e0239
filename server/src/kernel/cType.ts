// C declarations as text from BTF types: `struct sk_buff *`, `char name[16]`,
// `int (*fn)(struct sock *, int)`, `const char __user *`. What hover shows and
// what the diagnostics quote.

import { Btf, BtfType } from './btf';

/** Deeper than any real declarator; cycles in malformed data stop here. */
const MAX_DEPTH = 32;

/** The type as C text; `declarator` is the name being declared, if any (`skb` gives `struct sk_buff *skb`). */
export function typeText(btf: Btf, id: number, declarator = ''): string {
  return declare(btf, id, declarator, 0).trim();
}

function declare(btf: Btf, id: number, declarator: string, depth: number): string {
  if (depth > MAX_DEPTH) return `? ${declarator}`;
  const t = btf.type(id);
  if (!t) return `? ${declarator}`;
  const named = (base: string) => (declarator ? `${base} ${declarator}` : base);
  switch (t.kind) {
    case 'void':
      return named('void');
    case 'int':
    case 'float':
    case 'typedef':
      return named(t.name || '?');
    case 'struct':
    case 'union':
    case 'enum':
      return named(`${t.kind} ${t.name || '{...}'}`);
    case 'enum64':
      return named(`enum ${t.name || '{...}'}`);
    case 'fwd':
      return named(`${t.union ? 'union' : 'struct'} ${t.name}`);
    case 'ptr':
      return declare(btf, t.type, `*${declarator}`, depth + 1);
    case 'const':
    case 'volatile':
    case 'restrict':
      return qualify(btf, t, t.kind, declarator, depth);
    case 'typeTag':
      return qualify(btf, t, t.name, declarator, depth);
    case 'array':
      return declare(btf, t.type, `${wrap(declarator)}[${t.nelems}]`, depth + 1);
    case 'funcProto': {
      const params = t.params.map((p) => declare(btf, p.type, p.name, depth + 1).trim());
      if (t.variadic) params.push('...');
      return declare(btf, t.returnType, `${wrap(declarator)}(${params.length ? params.join(', ') : 'void'})`, depth + 1);
    }
    case 'func':
      return declare(btf, t.type, declarator || t.name, depth + 1);
    case 'var':
      return declare(btf, t.type, declarator || t.name, depth + 1);
    case 'datasec':
      return named(`section ${t.name}`);
    case 'declTag':
      return declare(btf, t.type, declarator, depth + 1);
  }
}

/** A pointer declarator inside an array or function declarator needs parentheses: `(*fn)(int)`, `(*p)[4]`. */
function wrap(declarator: string): string {
  return declarator.startsWith('*') ? `(${declarator})` : declarator;
}

/**
 * `const int`, `char *const p`, `char __user *p`: a qualifier (or a type tag
 * such as __user, __rcu) over a pointer goes after the `*`; over anything
 * else, const and volatile go before the base type, as the kernel writes
 * them, and tags after it.
 */
function qualify(btf: Btf, t: BtfType & { type: number }, word: string, declarator: string, depth: number): string {
  const inner = btf.type(t.type);
  if (inner?.kind === 'ptr') return declare(btf, t.type, declarator ? `${word} ${declarator}` : word, depth + 1);
  if (t.kind === 'typeTag') return declare(btf, t.type, declarator ? `${word} ${declarator}` : word, depth + 1);
  return `${word} ${declare(btf, t.type, declarator, depth + 1)}`;
}
