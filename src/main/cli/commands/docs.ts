// `mira docs add FILE...`, `mira docs list`, `mira docs search QUERY`, `mira docs remove ID`: documents as project knowledge.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { docsMethods } from '../../../shared/api/docs';
import { MiraError } from '../../../shared/errors';
import { printJson, printTable } from '../output';
import type { CliRuntime } from '../runtime';
import { typedApi } from './llm';

const api = typedApi<typeof docsMethods>();

export function registerDocsCommands(program: Command, cli: CliRuntime): void {
  const docs = program.command('docs').description("documents (Markdown, text, PDF) in the project's knowledge, retrieved with the code");

  docs
    .command('add <files...>')
    .description('add or refresh documents: chunked, indexed for full text and vectors')
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const mira = cli.open(cmd);
      const root = mira.project().root;
      const inputs = files.map((f) => {
        const abs = path.resolve(cli.cwd, f);
        let st: fs.Stats;
        try {
          st = fs.statSync(abs);
        } catch {
          throw new MiraError('not_found', `${f} does not exist`, 'check the path');
        }
        if (!st.isFile()) throw new MiraError('bad_usage', `${f} is not a file`);
        const rel = path.relative(fs.realpathSync(root), fs.realpathSync(abs));
        // Inside the project the server reads the file itself; from elsewhere the CLI sends the bytes.
        if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { path: rel.split(path.sep).join('/') };
        return { path: abs.split(path.sep).join('/'), content_base64: fs.readFileSync(abs).toString('base64') };
      });
      const r = await api.call(mira.client(), 'docs/add', { files: inputs });
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      printTable(cli.out, r.results.map((d) => ({ id: d.id, path: d.path, kind: d.kind, chunks: d.chunks, status: d.status, vectors: d.vectors ? 'yes' : 'no' })), [
        { key: 'id' },
        { key: 'path' },
        { key: 'kind' },
        { key: 'chunks' },
        { key: 'status' },
        { key: 'vectors' },
      ]);
    });

  docs
    .command('list')
    .description('the documents of the project')
    .action(async (_opts: unknown, cmd: Command) => {
      cli.open(cmd);
      await api.query(cli, cmd, 'docs/list', {}, (r) =>
        printTable(cli.out, r.results.map((d) => ({ id: d.id, path: d.path, title: d.title, kind: d.kind, chunks: d.chunks, kb: Math.ceil(d.bytes / 1024), updated: d.updated_at.slice(0, 16) })), [
          { key: 'id' },
          { key: 'path' },
          { key: 'title', max: 40 },
          { key: 'kind' },
          { key: 'chunks' },
          { key: 'kb' },
          { key: 'updated' },
        ]),
      );
    });

  docs
    .command('search [query...]')
    .description('search the documents (full text and vectors)')
    .option('--k <n>', 'results', '10')
    .action(async (words: string[], opts: { k: string }, cmd: Command) => {
      const k = Number(opts.k);
      if (!Number.isInteger(k) || k < 1 || k > 100) throw new MiraError('bad_usage', `--k ${opts.k} is not a number from 1 to 100`);
      const query = words.join(' ').trim();
      cli.open(cmd);
      await api.query(cli, cmd, 'docs/search', query ? { query, k } : null, (r) =>
        printTable(cli.out, r.results.map((h) => ({ path: h.path, section: h.heading, score: h.score, snippet: h.snippet })), [
          { key: 'path', max: 40 },
          { key: 'section', max: 30 },
          { key: 'score' },
          { key: 'snippet', max: 80 },
        ]),
      );
    });

  docs
    .command('remove <id>')
    .description('remove a document')
    .action(async (idArg: string, _opts: unknown, cmd: Command) => {
      const id = Number(idArg);
      if (!Number.isInteger(id) || id < 1) throw new MiraError('bad_usage', `${idArg} is not a document id`);
      const mira = cli.open(cmd);
      const r = await api.call(mira.client(), 'docs/remove', { id });
      if (cli.globals(cmd).json) return printJson(cli.out, r);
      if (!r.removed) throw new MiraError('not_found', `no document ${id} in this project`, 'see mira docs list');
      cli.out.stdout.write(`removed document ${id}\n`);
    });
}
