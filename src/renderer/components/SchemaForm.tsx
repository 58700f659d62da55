// A form generated from a JSON Schema object (a tool's parameters): text, number, yes/no, choice and list fields, with required fields checked.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { initialText, kindOf, valuesFrom, type JsonSchema } from '../tool-schema';

export function SchemaForm({ schema, submitLabel, busy, onSubmit }: { schema: JsonSchema; submitLabel: string; busy?: boolean; onSubmit(values: Record<string, unknown>): void }) {
  const id = useId();
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const [raw, setRaw] = useState<Record<string, string>>(() => Object.fromEntries(props.map(([n, s]) => [n, initialText(s)])));
  const [problems, setProblems] = useState<Record<string, string>>({});
  useEffect(() => {
    setRaw(Object.fromEntries(Object.entries(schema.properties ?? {}).map(([n, s]) => [n, initialText(s)])));
    setProblems({});
  }, [schema]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = valuesFrom(schema, raw);
    setProblems(r.problems);
    if (!Object.keys(r.problems).length) onSubmit(r.values);
  };
  return (
    <form className="schema-form" onSubmit={submit} aria-label="Tool parameters" noValidate>
      {!props.length && <p className="muted small">This tool takes no parameters.</p>}
      {props.map(([name, s]) => {
        const kind = kindOf(s);
        const fid = `${id}-${name}`;
        const problem = problems[name];
        const common = { id: fid, 'aria-invalid': problem ? true : undefined, 'aria-describedby': `${fid}-help` };
        return (
          <div key={name} className="schema-field">
            <label htmlFor={fid}>
              {name}
              {required.has(name) && <span aria-label="required"> *</span>}
            </label>
            {kind === 'boolean' ? (
              <input type="checkbox" {...common} checked={raw[name] === 'true'} onChange={(e) => setRaw({ ...raw, [name]: String(e.target.checked) })} />
            ) : kind === 'enum' ? (
              <select {...common} value={raw[name] ?? ''} onChange={(e) => setRaw({ ...raw, [name]: e.target.value })}>
                {!required.has(name) && <option value="">—</option>}
                {s.enum!.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            ) : kind === 'json' ? (
              <textarea {...common} className="mono" rows={3} value={raw[name] ?? ''} onChange={(e) => setRaw({ ...raw, [name]: e.target.value })} />
            ) : (
              <input
                {...common}
                type={kind === 'number' || kind === 'integer' ? 'number' : 'text'}
                value={raw[name] ?? ''}
                placeholder={kind === 'list' ? 'comma, separated, values' : undefined}
                onChange={(e) => setRaw({ ...raw, [name]: e.target.value })}
              />
            )}
            <div id={`${fid}-help`} className={problem ? 'error-box small' : 'muted small'}>
              {problem ?? s.description}
            </div>
          </div>
        );
      })}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Running…' : submitLabel}
      </button>
    </form>
  );
}
