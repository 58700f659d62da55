// The fixture project the panel scenarios run against: a small TypeScript codebase with calls across files, a history with co-changes, two authors and a fix, and a failing build command.
import { createRepo, type TestRepo } from '../test/helpers/git-repo';

/** The failing build: prints one tsc-style error for src/a.ts and exits 1, with no compiler needed. */
export const FAILING_BUILD = `sh -c "echo 'src/a.ts(3,7): error TS2304: Cannot find name missingThing.'; exit 1"`;

export const MATH_TS = [
  '// Arithmetic helpers for prices.',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export function multiply(a: number, b: number): number {',
  '  let total = 0;',
  '  for (let i = 0; i < b; i++) total = add(total, a);',
  '  return total;',
  '}',
  '',
].join('\n');

export const CART_TS = [
  '// The shopping cart: line items and their total price.',
  "import { add, multiply } from './math';",
  '',
  'export interface LineItem {',
  '  sku: string;',
  '  price: number;',
  '  quantity: number;',
  '}',
  '',
  'export function lineTotal(item: LineItem): number {',
  '  return multiply(item.price, item.quantity);',
  '}',
  '',
  'export function cartTotal(items: LineItem[]): number {',
  '  let sum = 0;',
  '  for (const item of items) sum = add(sum, lineTotal(item));',
  '  return sum;',
  '}',
  '',
].join('\n');

export const CHECKOUT_TS = [
  '// Checkout: validates the payment and charges the cart total.',
  "import { cartTotal, type LineItem } from './cart';",
  '',
  'export function validatePayment(card: string): boolean {',
  '  return /^[0-9]{16}$/.test(card);',
  '}',
  '',
  'export function checkout(items: LineItem[], card: string): number {',
  "  if (!validatePayment(card)) throw new Error('invalid card');",
  '  return cartTotal(items);',
  '}',
  '',
].join('\n');

export const A_TS = ['// A file with a deliberate type error for the build scenario.', 'export const answer = 42;', 'const y = missingThing;', 'export { y };', ''].join('\n');

/** Builds the repository: five commits by two authors; cart.ts and checkout.ts change together three times. */
export function createFixtureRepo(): TestRepo {
  const repo = createRepo();
  const alice = { author: 'Alice Example', email: 'alice@example.com' };
  const bob = { author: 'Bob Example', email: 'bob@example.com' };
  repo.write('README.md', '# Shop\n\nA tiny shop used by the Mira end-to-end tests.\n');
  repo.write('package.json', JSON.stringify({ name: 'shop', version: '1.0.0', private: true }, null, 2) + '\n');
  repo.write('src/math.ts', MATH_TS);
  repo.commit('add math helpers', { ...alice, date: '2024-01-01T10:00:00Z' });
  repo.write('src/cart.ts', CART_TS.replace('  let sum = 0;\n', '  let sum = 0; // first draft\n'));
  repo.write('src/checkout.ts', CHECKOUT_TS.replace("'invalid card'", "'bad card'"));
  repo.commit('add cart and checkout', { ...alice, date: '2024-01-02T10:00:00Z' });
  repo.write('src/cart.ts', CART_TS.replace('  let sum = 0;\n', '  let sum = 0; // draft\n'));
  repo.write('src/checkout.ts', CHECKOUT_TS.replace("'invalid card'", "'card refused'"));
  repo.commit('cart: compute totals with lineTotal', { ...bob, date: '2024-01-03T10:00:00Z' });
  repo.write('src/a.ts', A_TS.replace('missingThing', 'answer'));
  repo.write('src/cart.ts', CART_TS);
  repo.write('src/checkout.ts', CHECKOUT_TS);
  repo.commit('fix: Cannot find name missingThing in src/a.ts', { ...alice, date: '2024-01-04T10:00:00Z' });
  repo.write('src/a.ts', A_TS);
  repo.commit('a: use the shared constant', { ...bob, date: '2024-01-05T10:00:00Z' });
  return repo;
}
