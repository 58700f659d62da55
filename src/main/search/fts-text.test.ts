// Identifier splitting and safe FTS5 query building.
import { describe, expect, it } from 'vitest';
import { expandText, matchExpression, nameText, pathText, splitIdentifier } from './fts-text';

describe('fts text', () => {
  it('splits camelCase, PascalCase, acronyms and snake_case', () => {
    expect(splitIdentifier('getUserById')).toEqual(['get', 'user', 'by', 'id']);
    expect(splitIdentifier('HTTPServerError')).toEqual(['http', 'server', 'error']);
    expect(splitIdentifier('parse_config_file')).toEqual(['parse', 'config', 'file']);
    expect(splitIdentifier('utf8Decode')).toEqual(['utf8', 'decode']);
    expect(splitIdentifier('XMLHttpRequest2')).toEqual(['xml', 'http', 'request2']);
  });

  it('indexes the words of compound identifiers, names and paths', () => {
    expect(expandText('const x = parseConfig(a);')).toContain('parse config');
    expect(nameText(['createETagGenerator'])).toContain('etag');
    expect(pathText('src/main/parsePool.ts')).toBe('src main parsePool ts parse pool');
  });

  it('quotes every term so user text is never query syntax', () => {
    expect(matchExpression('parseConfig')).toBe('"parse" OR "config" OR "parse config"');
    expect(matchExpression('a AND b OR "c" NEAR(d)')).not.toMatch(/(^|\s)(AND|NEAR)\(/);
    expect(matchExpression('"; DROP TABLE x; --')).toBe('"drop" OR "table" OR "drop"* OR "table"*');
    expect(matchExpression('$zod', undefined, (w) => w === 'zod')).toBe('"zod"');
    expect(matchExpression('the of a')).toBeNull();
    expect(matchExpression('user', 'names')).toBe('{names} : ("user" OR "user"*)');
    expect(matchExpression('id')).toBe('"id"');
  });
});
