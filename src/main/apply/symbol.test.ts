import { describe, expect, it } from 'vitest';
import { applyEdit, type ApplyResult } from './apply';

// A file of more than 20 lines, so a short snippet is not taken for a whole-file rewrite.
const pad = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `var ${tag}${i} = ${i};`).join('\n');
const UTILS = [
  "'use strict';",
  pad(12, 'a'),
  '',
  '/** Normalize the given `type`. */',
  'exports.normalizeType = function(type){',
  "  return ~type.indexOf('/')",
  '    ? acceptParams(type)',
  "    : { value: (mime.lookup(type) || 'application/octet-stream'), params: {} };",
  '};',
  '',
  'exports.normalizeTypes = function(types){',
  '  return types.map(exports.normalizeType);',
  '};',
  '',
  pad(12, 'b'),
  '',
].join('\n');

// What the chat answer in the UX audit proposed for lib/utils.js: the whole function, reformatted, as a bare snippet.
const SNIPPET = [
  'exports.normalizeType = function (type) {',
  "  return type.includes('/')",
  '    ? acceptParams(type)',
  "    : { value: mime.lookup(type) || 'application/octet-stream', params: {} };",
  '};',
  '',
].join('\n');

const P = { path: 'lib/utils.js' };
const applied = (r: ApplyResult) => {
  if (!r.applied) throw new Error(`refused: ${r.error.code} ${r.error.message}`);
  return r;
};
const code = (r: ApplyResult): string => (r.applied ? `applied:${r.strategy}` : r.error.code);

describe('symbol placement of a bare snippet', () => {
  it('replaces the one declaration whose header (ignoring whitespace) the snippet repeats', () => {
    const r = applied(applyEdit(UTILS, SNIPPET, P));
    expect(r.strategy).toBe('symbol');
    const start = UTILS.indexOf('exports.normalizeType = function(type){');
    const end = UTILS.indexOf('\n};\n', start) + 4;
    expect(r.content).toBe(UTILS.slice(0, start) + SNIPPET + UTILS.slice(end));
    // everything else is untouched
    expect(r.content).toContain('exports.normalizeTypes = function(types){\n  return types.map(exports.normalizeType);\n};');
  });

  it('takes the file indentation of a nested declaration', () => {
    const file = ['class A {', pad(25, 'x'), '  function inner(a) {', '    return a;', '  }', '}', ''].join('\n');
    const r = applied(applyEdit(file, 'function inner(a) {\n  return a + 1;\n}\n', { path: 'a.js' }));
    expect(r.content).toBe(file.replace('    return a;', '    return a + 1;'));
  });

  it('refuses when the name is declared twice, the signature changed, or the snippet is not one whole declaration', () => {
    const twice = UTILS.replace("'use strict';", "'use strict';\nexports.normalizeType = function(type){\n  return type;\n};");
    expect(code(applyEdit(twice, SNIPPET, P))).toBe('suspect_truncated');
    expect(code(applyEdit(UTILS, SNIPPET.replace('function (type)', 'function (type, fallback)'), P))).toBe('suspect_truncated');
    // cut short (the block does not close), or two declarations, or trailing code after the block
    expect(code(applyEdit(UTILS, SNIPPET.split('\n').slice(0, 3).join('\n'), P))).toBe('suspect_truncated');
    expect(code(applyEdit(UTILS, SNIPPET + 'exports.normalizeTypes = function(types){\n  return [];\n};\n', P))).toBe('suspect_truncated');
    expect(code(applyEdit(UTILS, SNIPPET + 'module.exports = exports;\n', P))).toBe('suspect_truncated');
    // a name the file does not declare
    expect(code(applyEdit(UTILS, SNIPPET.replace(/normalizeType/g, 'other'), P))).toBe('suspect_truncated');
    // a call is not a declaration
    expect(code(applyEdit(UTILS, 'if (x) {\n  y();\n}\n', P))).toBe('suspect_truncated');
  });

  it('places a Python def by indentation', () => {
    const py = ['import os', pad(25, 'p').replace(/var |;/g, ''), '', 'def f(x):', '    return x', '', 'def g(y):', '    return y', ''].join('\n');
    const r = applied(applyEdit(py, 'def f(x):\n    return x * 2\n', { path: 'm.py' }));
    expect(r.strategy).toBe('symbol');
    expect(r.content).toBe(py.replace('    return x\n', '    return x * 2\n'));
  });

  it('an explicit whole format still replaces the file', () => {
    expect(applied(applyEdit(UTILS, SNIPPET, { ...P, format: 'whole' })).content).toBe(SNIPPET);
  });
});
