// Reading a tool's parameter schema (JSON Schema) as form fields: which kind of field each property is, and the typed values of what was typed.
/** The part of JSON Schema a tool's parameters use. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'list' | 'json';

export function kindOf(s: JsonSchema): FieldKind {
  if (Array.isArray(s.enum) && s.enum.length) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'number' || t === 'integer' || t === 'boolean' || t === 'string') return t;
  if (t === 'array' && (!s.items || s.items.type === 'string')) return 'list';
  return t === undefined ? 'string' : 'json';
}

export function initialText(s: JsonSchema): string {
  if (s.default === undefined) return kindOf(s) === 'boolean' ? 'false' : '';
  if (kindOf(s) === 'list' && Array.isArray(s.default)) return s.default.join(', ');
  return typeof s.default === 'string' ? s.default : JSON.stringify(s.default);
}

/** Turns the text of the fields into typed values; returns the problems instead when a field does not parse. */
export function valuesFrom(schema: JsonSchema, raw: Record<string, string>): { values: Record<string, unknown>; problems: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const text = (raw[name] ?? '').trim();
    const kind = kindOf(s);
    if (kind === 'boolean') {
      values[name] = raw[name] === 'true';
      continue;
    }
    if (!text) {
      if (required.has(name)) problems[name] = 'Required.';
      continue;
    }
    if (kind === 'number' || kind === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) problems[name] = kind === 'integer' ? 'Must be a whole number.' : 'Must be a number.';
      else if (s.minimum !== undefined && n < s.minimum) problems[name] = `Must be at least ${s.minimum}.`;
      else if (s.maximum !== undefined && n > s.maximum) problems[name] = `Must be at most ${s.maximum}.`;
      else values[name] = n;
    } else if (kind === 'list') values[name] = text.split(',').map((x) => x.trim()).filter(Boolean);
    else if (kind === 'json') {
      try {
        values[name] = JSON.parse(text);
      } catch {
        problems[name] = 'Must be valid JSON.';
      }
    } else if (kind === 'enum') values[name] = s.enum!.find((v) => String(v) === text) ?? text;
    else {
      if (s.pattern) {
        try {
          if (!new RegExp(s.pattern).test(text)) problems[name] = `Must match ${s.pattern}.`;
        } catch {
          // A pattern this browser cannot compile is the server's to check.
        }
      }
      values[name] = text;
    }
  }
  return { values, problems };
}
