// CLI commands of the code capability: search, symbols, callers, callees, impact, concepts, patterns.
import type { Command } from 'commander';
import { MiraError } from '../../../shared/errors';
import { color, printTable } from '../output';
import type { CliRuntime } from '../runtime';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new MiraError('bad_usage', `${name} must be a positive whole number (got ${v})`);
  return n;
}

function confidence(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new MiraError('bad_usage', `--min-confidence must be between 0 and 1 (got ${v})`);
  return n;
}

export function registerCodeCommands(program: Command, cli: CliRuntime): void {
  program
    .command('search [query...]')
    .description('hybrid code search: full text, symbol names (and vectors when available)')
    .option('--k <n>', 'how many results', '10')
    .option('--language <lang>', 'only this language')
    .option('--concept <concept>', 'only symbols tagged with this concept')
    .action(async (words: string[], opts: { k: string; language?: string; concept?: string }, cmd: Command) => {
      const query = words.join(' ').trim();
      await cli.query(cmd, 'code/search', query ? { query, k: int('--k', opts.k), language: opts.language, concept: opts.concept } : null, (r) => {
        printTable(
          cli.out,
          r.results.map((x) => ({ score: x.score, where: `${x.path}:${x.line}`, symbol: x.symbol ?? '', kind: x.kind ?? '', snippet: x.snippet.split('\n').find((l) => l.trim()) ?? '' })),
          [{ key: 'score' }, { key: 'where', max: 60 }, { key: 'symbol', max: 40 }, { key: 'kind' }, { key: 'snippet', max: 70 }],
        );
        cli.out.stdout.write(color(cli.out, 2, `${r.took_ms} ms`) + '\n');
      });
    });

  program
    .command('symbols')
    .description('symbols of the project, or of --file F')
    .option('--file <path>', 'only this file')
    .option('--kind <kind>', 'only this kind (function, class, method...)')
    .option('--query <text>', 'names containing TEXT')
    .option('--limit <n>', 'at most N (project-wide default 10000)')
    .action(async (opts: { file?: string; kind?: string; query?: string; limit?: string }, cmd: Command) => {
      await cli.query(cmd, 'code/symbols', { file: opts.file, kind: opts.kind, query: opts.query, limit: int('--limit', opts.limit) }, (r) =>
        printTable(
          cli.out,
          r.results.map((s) => ({ kind: s.kind, name: s.qualified_name, where: `${s.path}:${s.start_line}-${s.end_line}`, signature: s.signature ?? '' })),
          [{ key: 'kind' }, { key: 'name', max: 50 }, { key: 'where', max: 60 }, { key: 'signature', max: 70 }],
        ),
      );
    });

  for (const which of ['callers', 'callees'] as const) {
    program
      .command(`${which} [symbol]`)
      .description(which === 'callers' ? 'direct callers of SYMBOL (a name or path:name)' : 'what SYMBOL (a name or path:name) calls directly')
      .option('--min-confidence <c>', 'hide edges below this confidence (0-1)', '0.3')
      .option('--all', which === 'callees' ? 'also list unresolved calls (library and unknown functions)' : 'include low-confidence guesses')
      .action(async (symbol: string | undefined, opts: { minConfidence: string; all?: boolean }, cmd: Command) => {
        const min = opts.all && which === 'callers' ? 0 : confidence(opts.minConfidence);
        const print = (r: { results: { name: string; path: string | null; line: number; confidence: number; resolution: string }[]; symbols: { name: string; path: string }[] }) => {
          if (r.symbols.length > 1) cli.out.stdout.write(color(cli.out, 2, `${r.symbols.length} symbols match: ${r.symbols.map((s) => `${s.path}:${s.name}`).join(', ')}`) + '\n');
          printTable(
            cli.out,
            r.results.map((e) => ({ name: e.name, where: e.path ? `${e.path}:${e.line}` : '(unresolved)', confidence: e.confidence, how: e.resolution })),
            [{ key: 'name', max: 50 }, { key: 'where', max: 70 }, { key: 'confidence' }, { key: 'how' }],
          );
        };
        if (which === 'callers') await cli.query(cmd, 'code/callers', symbol ? { symbol, min_confidence: min } : null, print);
        else await cli.query(cmd, 'code/callees', symbol ? { symbol, min_confidence: min, include_unresolved: !!opts.all } : null, print);
      });
  }

  program
    .command('impact [symbol]')
    .description('everything that transitively calls SYMBOL')
    .option('--depth <n>', 'how many call levels up', '3')
    .option('--min-confidence <c>', 'follow only edges at least this confident (0-1)', '0.3')
    .action(async (symbol: string | undefined, opts: { depth: string; minConfidence: string }, cmd: Command) => {
      await cli.query(cmd, 'code/impact', symbol ? { symbol, depth: int('--depth', opts.depth), min_confidence: confidence(opts.minConfidence) } : null, (r) =>
        printTable(
          cli.out,
          r.results.map((e) => ({ depth: e.depth, name: e.name, where: `${e.path}:${e.line}`, via: e.via })),
          [{ key: 'depth' }, { key: 'name', max: 50 }, { key: 'where', max: 60 }, { key: 'via', max: 40 }],
        ),
      );
    });

  program
    .command('concepts [concept]')
    .description('concepts and their sizes; with CONCEPT, the symbols tagged with it, best first')
    .option('--k <n>', 'how many symbols for a concept', '50')
    .action(async (concept: string | undefined, opts: { k: string }, cmd: Command) => {
      await cli.query(cmd, 'code/concepts', { concept, k: int('--k', opts.k) }, (r) => {
        if (!r.concept) {
          printTable(cli.out, r.results as Record<string, unknown>[], [{ key: 'concept' }, { key: 'domain' }, { key: 'symbols' }, { key: 'files' }, { key: 'avg_score', label: 'avg score' }]);
          return;
        }
        printTable(
          cli.out,
          (r.results as { name: string; kind: string; path: string; line: number; score: number; purpose: string | null }[]).map((m) => ({ score: m.score, kind: m.kind, name: m.name, where: `${m.path}:${m.line}`, purpose: m.purpose ?? '' })),
          [{ key: 'score' }, { key: 'kind' }, { key: 'name', max: 40 }, { key: 'where', max: 50 }, { key: 'purpose', max: 60 }],
        );
      });
    });

  program
    .command('patterns [pattern]')
    .description('detected design patterns (optionally one kind: Singleton, Factory, Builder, Repository, Strategy, Observer, Adapter, Decorator, Middleware)')
    .action(async (pattern: string | undefined, _opts: unknown, cmd: Command) => {
      await cli.query(cmd, 'code/patterns', { pattern }, (r) =>
        printTable(
          cli.out,
          r.results.map((p) => ({ pattern: p.pattern, confidence: p.confidence, symbols: p.symbols.map((s) => s.name).slice(0, 4).join(', '), where: p.symbols[0] ? `${p.symbols[0].path}:${p.symbols[0].line}` : '', evidence: p.evidence.join('; ') })),
          [{ key: 'pattern' }, { key: 'confidence' }, { key: 'symbols', max: 50 }, { key: 'where', max: 50 }, { key: 'evidence', max: 80 }],
        ),
      );
    });
}
