// Tool parameter forms: the field kind of each schema property, and typed values (or problems) from what was typed.
import { describe, expect, it } from 'vitest';
import { initialText, kindOf, valuesFrom, type JsonSchema } from './tool-schema';

const schema: JsonSchema = {
  type: 'object',
  required: ['name', 'count'],
  properties: {
    name: { type: 'string', pattern: '^[a-z-]+$' },
    count: { type: 'integer', minimum: 1 },
    ratio: { type: 'number' },
    dry: { type: 'boolean', default: true },
    kind: { enum: ['page', 'component'] },
    tags: { type: 'array', items: { type: 'string' }, default: ['a', 'b'] },
    extra: { type: 'object' },
  },
};

describe('tool-schema', () => {
  it('maps each property to a field kind, with defaults as text', () => {
    const p = schema.properties!;
    expect(Object.fromEntries(Object.entries(p).map(([k, s]) => [k, kindOf(s)]))).toEqual({ name: 'string', count: 'integer', ratio: 'number', dry: 'boolean', kind: 'enum', tags: 'list', extra: 'json' });
    expect(initialText(p.dry!)).toBe('true');
    expect(initialText(p.tags!)).toBe('a, b');
    expect(initialText(p.name!)).toBe('');
  });

  it('types the values and leaves out empty optional fields', () => {
    const r = valuesFrom(schema, { name: 'user-card', count: '3', ratio: '', dry: 'false', kind: 'component', tags: 'x, y ,', extra: '{"a":1}' });
    expect(r.problems).toEqual({});
    expect(r.values).toEqual({ name: 'user-card', count: 3, dry: false, kind: 'component', tags: ['x', 'y'], extra: { a: 1 } });
  });

  it('reports what does not parse instead of sending it', () => {
    const r = valuesFrom(schema, { name: 'Bad Name', count: '1.5', extra: '{' });
    expect(r.problems).toEqual({ name: 'Must match ^[a-z-]+$.', count: 'Must be a whole number.', extra: 'Must be valid JSON.' });
    expect(valuesFrom(schema, {}).problems).toMatchObject({ name: 'Required.', count: 'Required.' });
  });
});
