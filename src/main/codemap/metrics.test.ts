// Complexity metrics on hand-made snippets whose cyclomatic and cognitive complexity were counted by hand.
import { describe, expect, it } from 'vitest';
import { analyzeFile } from './analyze';

async function unit(language: string, path: string, code: string, name: string) {
  const a = await analyzeFile(path, language, code);
  expect(a.approx).toBe(false);
  const u = a.units.find((x) => x.name === name);
  expect(u, `${name} in ${a.units.map((x) => x.name).join(', ')}`).toBeDefined();
  return u!;
}

describe('complexity metrics', () => {
  it('TypeScript: branches, loops, else-if, ternary and operator sequences', async () => {
    const code = `function f(a: number, b: string) {
  if (a > 0 && b) {
    for (const x of b) {
      if (x === 'a') continue;
    }
  } else if (a < 0) {
    return a ? 1 : 2;
  } else {
  }
  return 0;
}
`;
    const u = await unit('typescript', 'a.ts', code, 'f');
    expect(u).toMatchObject({ complexity: 7, cognitive: 11, nesting: 3, params: 2, lines: 11, start_line: 1, end_line: 11 });
  });

  it('TypeScript: methods and arrow functions take their names; nested lambdas add nesting to their parent', async () => {
    const code = `class Cart {
  total(items) {
    return items.filter((i) => (i.ok ? true : false)).length;
  }
}
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
`;
    const a = await analyzeFile('cart.ts', 'typescript', code);
    expect(a.units.map((u) => u.name)).toEqual(['Cart.total', 'sum']);
    // The ternary sits in a lambda inside total: 1 for the ternary + 1 for the lambda's nesting.
    expect(a.units[0]).toMatchObject({ kind: 'method', complexity: 2, cognitive: 2, params: 1 });
  });

  it('Python: elif, else, except, boolean operators and comprehension clauses; self is not a parameter', async () => {
    const code = `class K:
    def g(self, items, limit=3):
        total = 0
        for x in items:
            if x > limit and x < 10:
                total += x
            elif x == 0:
                pass
            else:
                total -= 1
        try:
            pass
        except ValueError:
            pass
        return [y for y in items if y]
`;
    const u = await unit('python', 'k.py', code, 'K.g');
    expect(u).toMatchObject({ complexity: 8, cognitive: 9, nesting: 2, params: 2 });
  });

  it('Rust: match arms (not the wildcard), loops and else', async () => {
    const code = `impl S {
    fn h(&self, v: Vec<i32>) -> i32 {
        let mut n = 0;
        for x in v.iter() {
            match x {
                1 => n += 1,
                2 | 3 => n += 2,
                _ => {}
            }
        }
        if n > 2 || n < 0 { n } else { 0 }
    }
}
`;
    const u = await unit('rust', 's.rs', code, 'S.h');
    expect(u).toMatchObject({ complexity: 6, cognitive: 6, nesting: 2, params: 1 });
  });

  it('Go: else-if chains, switch cases (not default), grouped parameters', async () => {
    const code = `package p

func k(a, b int, s string) int {
	if a > b {
		return 1
	} else if a == b && s != "" {
		return 2
	}
	for i := 0; i < a; i++ {
		switch i {
		case 1:
		case 2:
		default:
		}
	}
	return 0
}
`;
    const u = await unit('go', 'k.go', code, 'k');
    expect(u).toMatchObject({ complexity: 7, cognitive: 6, nesting: 2, params: 3 });
  });

  it('Java: try/catch and ternaries; the catch is beside the try, not inside it', async () => {
    const code = `class A {
  int m(int a, int b) {
    try {
      while (a > 0) { a--; }
    } catch (Exception e) {
      return a > b ? a : b;
    }
    return 0;
  }
}
`;
    const u = await unit('java', 'A.java', code, 'A.m');
    expect(u).toMatchObject({ complexity: 4, cognitive: 4, nesting: 2, params: 2 });
  });

  it('C: for, if/else and || ', async () => {
    const code = `int c(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    if (i % 2 == 0 || i == 7) s++;
    else s--;
  }
  return s;
}
int v(void) { return 0; }
`;
    const u = await unit('c', 'c.c', code, 'c');
    expect(u).toMatchObject({ complexity: 4, cognitive: 5, nesting: 2, params: 1 });
    expect((await unit('c', 'c.c', code, 'v')).params).toBe(0);
  });

  it('files without a grammar get keyword-based metrics', async () => {
    const a = await analyzeFile('x.rb', 'ruby', 'def f(a)\n  if a && b\n    1\n  end\nend\n');
    expect(a).toMatchObject({ approx: true, lines: 5, complexity: 3, units: [] });
  });

  it('a file total counts every decision point, also outside functions', async () => {
    const a = await analyzeFile('t.js', 'javascript', 'const x = y ? 1 : 2;\nfunction f() { if (a) {} }\n');
    expect(a.complexity).toBe(3);
    expect(a.lines).toBe(2);
  });
});
