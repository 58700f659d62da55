// The tools dashboard reads answers of methods without a contract yet: well-formed parts are kept, nothing is filled in.
import { describe, expect, it } from 'vitest';
import { parseChanges, parseRun, parseTool } from './tools';

describe('tools answers', () => {
  it('keeps a tool as the server describes it, and marks what it did not say as unknown', () => {
    const t = parseTool({
      name: 'new-component',
      description: 'Adds a component with its test',
      examples: [{ sha: 'abc123', name: 'Button' }, 'def456', 42, 'abc123'],
      validation: { cases: 5, path_f1: 0.9, line_f1: 0.8 },
      runs: 4,
      accepted: 3,
      rejected: 1,
      successes: 3,
      commits: 25,
      learned_from: 20,
      parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
    expect(t).toEqual({
      name: 'new-component',
      description: 'Adds a component with its test',
      examples: [
        { sha: 'abc123', name: 'Button' },
        { sha: 'def456', name: '' },
      ],
      validation: { cases: 5, path_f1: 0.9, line_f1: 0.8 },
      runs: 4,
      accepted: 3,
      rejected: 1,
      successes: 3,
      commits: 25,
      learnedFrom: 20,
      parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      version: null,
    });
    expect(parseTool({ name: 'bare' })).toMatchObject({ validation: null, runs: null, accepted: null, rejected: null, commits: null, learnedFrom: null, successes: null, examples: [], parameters: {} });
    expect(parseTool({ description: 'no name' })).toBeNull();
    expect(parseTool('x')).toBeNull();
  });

  it('reads a dry run as a change set, dropping entries without a path or content', () => {
    expect(
      parseChanges({
        run_id: 7,
        changes: [{ path: 'src/a.ts', action: 'create', after: 'x' }, { path: 'src/b.ts', before: 'a', content: 'b' }, { after: 'no path' }, { path: 'no-content.ts' }],
      }),
    ).toEqual({
      runId: '7',
      changes: [
        { path: 'src/a.ts', action: 'create', before: '', after: 'x' },
        { path: 'src/b.ts', action: 'modify', before: 'a', after: 'b' },
      ],
    });
    expect(parseChanges(null)).toEqual({ runId: null, changes: [] });
  });

  it('reads past runs that have an id', () => {
    expect(parseRun({ id: 3, tool: 'new-component', at: '2024-01-01T00:00:00Z', status: 'applied', files: ['a', 1] })).toEqual({ id: '3', tool: 'new-component', at: '2024-01-01T00:00:00Z', status: 'applied', params: {}, files: ['a'] });
    expect(parseRun({ tool: 'x' })).toBeNull();
  });
});
