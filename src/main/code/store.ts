// Prepared statements that write one file's code data (symbols, calls, imports, bases, concepts, chunks) and remove it.
import crypto from 'node:crypto';
import type { Db } from '../db/open';
import { FtsIndex, type FtsChunkInput } from '../search/fts';
import { chunkFile } from './chunks';
import { tagFile, type SemanticNode } from './concepts';
import { isTestPath } from './extract/context';
import { CONTAINER_KINDS, type ParsedFile } from './model';

const PRIMITIVE_TYPES = new Set(['String', 'Number', 'Boolean', 'Object', 'Array', 'Promise', 'Map', 'Set', 'Date', 'Error', 'Vec', 'Option', 'Result', 'Box', 'Rc', 'Arc', 'HashMap', 'HashSet', 'List', 'Dict', 'Optional', 'Any', 'Self', 'T', 'K', 'V', 'Integer', 'Long', 'Double', 'Float', 'Record', 'Partial', 'Readonly', 'Function']);

export interface WriteFileInput {
  projectId: number;
  fileId: number;
  path: string;
  language: string | null;
  text: string;
  parsed: ParsedFile | undefined;
}

export class CodeStore {
  readonly fts: FtsIndex;
  private readonly s;

  constructor(db: Db) {
    this.fts = new FtsIndex(db);
    this.s = {
      oldSymbols: db.prepare('SELECT id, name, kind, qualified_name FROM code_elements WHERE file_id = ? ORDER BY id'),
      markCallersOfSymbol: db.prepare('UPDATE code_calls SET pending = 1 WHERE pending = 0 AND id IN (SELECT call_id FROM call_graph WHERE callee_id = ?)'),
      deleteSymbol: db.prepare('DELETE FROM code_elements WHERE id = ?'),
      updateSymbol: db.prepare(
        `UPDATE code_elements SET path = ?, language = ?, name = ?, kind = ?, qualified_name = ?, parent_id = ?, owner = ?, signature = ?, doc = ?,
           start_line = ?, end_line = ?, visibility = ?, exported = ?, is_test = ?, is_async = ?, content_hash = ?, facts = ? WHERE id = ?`,
      ),
      markCallersOfFile: db.prepare(
        `UPDATE code_calls SET pending = 1 WHERE pending = 0 AND id IN (
           SELECT g.call_id FROM call_graph g JOIN code_elements e ON e.id = g.callee_id WHERE e.file_id = ?)`,
      ),
      markByName: db.prepare('UPDATE code_calls SET pending = 1 WHERE project_id = ? AND name = ? AND pending = 0 AND file_id != ?'),
      markImporters: db.prepare(
        `UPDATE code_calls SET pending = 1 WHERE pending = 0 AND id IN (
           SELECT c.id FROM code_imports i JOIN code_calls c ON c.file_id = i.file_id
           WHERE i.target_file_id = ? AND (i.alias = '' OR c.name = i.alias OR c.receiver = i.alias OR c.receiver LIKE i.alias || '.%' OR c.receiver LIKE i.alias || '::%'))`,
      ),
      deleteCalls: db.prepare('DELETE FROM code_calls WHERE file_id = ?'),
      deleteImports: db.prepare('DELETE FROM code_imports WHERE file_id = ?'),
      deleteBases: db.prepare('DELETE FROM code_bases WHERE file_id = ?'),
      deleteTypeUses: db.prepare('DELETE FROM code_type_uses WHERE file_id = ?'),
      insertTypeUse: db.prepare('INSERT INTO code_type_uses (project_id, file_id, symbol_id, type_name, role) VALUES (?, ?, ?, ?, ?)'),
      deleteConceptIndex: db.prepare('DELETE FROM concept_index WHERE file_id = ?'),
      deleteConcepts: db.prepare('DELETE FROM code_concepts WHERE file_id = ?'),
      deleteSymbols: db.prepare('DELETE FROM code_elements WHERE file_id = ?'),
      insertSymbol: db.prepare(
        `INSERT INTO code_elements (project_id, file_id, path, language, name, kind, qualified_name, parent_id, owner, signature, doc,
           start_line, end_line, visibility, exported, is_test, is_async, content_hash, facts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertCall: db.prepare(
        'INSERT INTO code_calls (project_id, file_id, caller_id, name, receiver, receiver_type, line, kind, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)',
      ),
      insertImport: db.prepare(
        'INSERT INTO code_imports (project_id, file_id, source, name, alias, line, kind, pending) VALUES (?, ?, ?, ?, ?, ?, ?, 1)',
      ),
      insertBase: db.prepare('INSERT INTO code_bases (project_id, file_id, symbol_id, type_name, base_name, line) VALUES (?, ?, ?, ?, ?, ?)'),
      insertConcept: db.prepare(
        `INSERT INTO code_concepts (symbol_id, project_id, file_id, purpose, concepts, domains, confidence, source, content_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertConceptIndex: db.prepare('INSERT OR REPLACE INTO concept_index (project_id, concept, symbol_id, file_id, score) VALUES (?, ?, ?, ?, ?)'),
      cached: db.prepare('SELECT result FROM concept_cache WHERE content_hash = ? AND enricher = ?').pluck(),
      hasSymbols: db.prepare('SELECT 1 FROM code_elements WHERE project_id = ? LIMIT 1').pluck(),
    };
  }

  /** True when the project has no symbols yet (a first index: nothing elsewhere can depend on a file). */
  isEmpty(projectId: number): boolean {
    return !this.s.hasSymbols.get(projectId);
  }

  /**
   * Replaces everything stored for one file. Symbols that are still there (same kind and qualified name) keep their
   * ids, so edges into them from other files stay valid; call sites elsewhere are marked for re-resolution only where
   * that may change: sites that pointed at a symbol now gone, and sites that may now bind a name the file newly defines.
   */
  writeFile(f: WriteFileInput, opts: { bulk: boolean; enricher?: string | null }): { symbolIds: number[] } {
    const old = opts.bulk ? [] : (this.s.oldSymbols.all(f.fileId) as { id: number; name: string; kind: string; qualified_name: string }[]);
    const reusable = new Map<string, number[]>();
    for (const o of old) {
      const key = `${o.kind}|${o.qualified_name}`;
      (reusable.get(key) ?? reusable.set(key, []).get(key)!).push(o.id);
    }
    const oldNames = new Set(old.map((o) => o.name));
    this.clearFileData(f.fileId);
    const parsed = f.parsed && !f.parsed.failed ? f.parsed : undefined;
    const symbolIds: number[] = [];
    const kept = new Set<number>();
    const testFile = isTestPath(f.path);
    if (parsed) {
      const nodes = tagFile(parsed, testFile);
      parsed.symbols.forEach((sym, i) => {
        const parentSym = sym.parent >= 0 ? parsed.symbols[sym.parent] : undefined;
        const owner = sym.owner ?? (parentSym && CONTAINER_KINDS.has(parentSym.kind) ? parentSym.name : null);
        const facts = Object.keys(sym.facts).length ? JSON.stringify(sym.facts) : null;
        const values = [
          f.path, parsed.language, sym.name, sym.kind, sym.qualified, sym.parent >= 0 ? (symbolIds[sym.parent] ?? null) : null, owner, sym.signature, sym.doc,
          sym.start_line, sym.end_line, sym.visibility, sym.exported ? 1 : 0, sym.is_test ? 1 : 0, sym.is_async ? 1 : 0, sym.hash, facts,
        ];
        const reuse = reusable.get(`${sym.kind}|${sym.qualified}`)?.shift();
        let id: number;
        if (reuse !== undefined) {
          this.s.updateSymbol.run(...values, reuse);
          id = reuse;
          kept.add(reuse);
        } else id = Number(this.s.insertSymbol.run(f.projectId, f.fileId, ...values).lastInsertRowid);
        symbolIds.push(id);
        for (const b of sym.facts.bases ?? []) if (b) this.s.insertBase.run(f.projectId, f.fileId, id, sym.name, b, sym.start_line);
        this.writeTypeUses(f, id, sym);
        this.writeConcept(f, id, sym.hash, nodes[i]!, opts.enricher ?? null);
      });
      for (const impl of parsed.impls) this.s.insertBase.run(f.projectId, f.fileId, null, impl.type, impl.base, impl.line);
      for (const c of parsed.calls) {
        this.s.insertCall.run(f.projectId, f.fileId, c.caller >= 0 ? (symbolIds[c.caller] ?? null) : null, c.name, c.receiver, c.receiver_type, c.line, c.kind);
      }
      for (const imp of parsed.imports) this.s.insertImport.run(f.projectId, f.fileId, imp.source, imp.name, imp.alias, imp.line, imp.kind);
    }
    if (!opts.bulk) {
      // Gone symbols: whoever called them must be resolved again (then the rows go, taking their edges along).
      for (const o of old) if (!kept.has(o.id)) this.s.markCallersOfSymbol.run(o.id);
      for (const o of old) if (!kept.has(o.id)) this.s.deleteSymbol.run(o.id);
      const newNames = [...new Set((parsed?.symbols ?? []).map((s) => s.name))].filter((n) => !oldNames.has(n));
      for (const name of newNames) this.s.markByName.run(f.projectId, name, f.fileId);
      // A new name may also be imported under an alias elsewhere (`import { x as y }`).
      if (newNames.length) this.s.markImporters.run(f.fileId);
    }
    this.writeChunks(f, parsed, symbolIds, opts.bulk);
    return { symbolIds };
  }

  removeFiles(ids: number[]): void {
    for (const id of ids) this.clearFile(id, false);
  }

  /** Everything of a file: its callers and importers are marked for re-resolution first. */
  private clearFile(fileId: number, bulk: boolean): void {
    if (!bulk) {
      this.s.markCallersOfFile.run(fileId);
      this.s.markImporters.run(fileId);
    }
    this.clearFileData(fileId);
    this.s.deleteSymbols.run(fileId);
  }

  /** A file's rows except its symbols (which writeFile updates in place where it can). */
  private clearFileData(fileId: number): void {
    this.fts.removeFile(fileId);
    this.s.deleteCalls.run(fileId);
    this.s.deleteImports.run(fileId);
    this.s.deleteBases.run(fileId);
    this.s.deleteTypeUses.run(fileId);
    this.s.deleteConceptIndex.run(fileId);
    this.s.deleteConcepts.run(fileId);
  }

  /** Field, parameter and return types worth finding by name later (user types, not primitives). */
  private writeTypeUses(f: WriteFileInput, id: number, sym: ParsedFile['symbols'][number]): void {
    const uses = new Set<string>();
    const put = (t: string | undefined, role: string) => {
      if (!t || !/^[A-Z]/.test(t) || PRIMITIVE_TYPES.has(t) || uses.has(`${t}|${role}`)) return;
      uses.add(`${t}|${role}`);
      this.s.insertTypeUse.run(f.projectId, f.fileId, id, t, role);
    };
    if (sym.kind === 'field' || sym.kind === 'constant' || sym.kind === 'variable') put(sym.facts.type, 'field');
    else if (sym.kind === 'function' || sym.kind === 'method') {
      put(sym.facts.type, 'return');
      for (const [, t] of sym.facts.params ?? []) put(t, 'param');
    } else for (const [, t] of sym.facts.fields ?? []) put(t, 'field');
  }

  private writeConcept(f: WriteFileInput, symbolId: number, hash: string, heuristic: SemanticNode, enricher: string | null): void {
    let node = heuristic;
    let source = 'heuristic';
    if (enricher) {
      const cached = this.s.cached.get(hash, enricher) as string | undefined;
      if (cached) {
        try {
          node = JSON.parse(cached) as SemanticNode;
          source = enricher;
        } catch {
          /* a damaged cache entry: keep the heuristic */
        }
      }
    }
    this.s.insertConcept.run(symbolId, f.projectId, f.fileId, node.purpose, JSON.stringify(node.concepts), JSON.stringify(node.domains), node.confidence, source, hash);
    for (const c of node.concepts) this.s.insertConceptIndex.run(f.projectId, c.concept, symbolId, f.fileId, c.score);
  }

  private writeChunks(f: WriteFileInput, parsed: ParsedFile | undefined, symbolIds: number[], deferred: boolean): void {
    const symbols = parsed?.symbols ?? [];
    const chunks = chunkFile(f.text, symbols);
    const input: FtsChunkInput[] = chunks.map((c) => {
      const sym = c.symbol >= 0 ? symbols[c.symbol] : undefined;
      const parent = sym && sym.parent >= 0 ? symbols[sym.parent] : undefined;
      return {
        start_line: c.start_line,
        end_line: c.end_line,
        symbol_id: sym ? (symbolIds[c.symbol] ?? null) : null,
        symbol: sym?.qualified ?? null,
        kind: sym?.kind ?? null,
        names: sym ? [sym.name, sym.qualified, parent?.name ?? sym.owner ?? null].filter((n): n is string => !!n) : [],
        text: c.text,
        hash: crypto.createHash('sha1').update(c.text).digest('hex').slice(0, 16),
      };
    });
    this.fts.replaceFile(f.projectId, f.fileId, f.path, f.language, input, { deferred });
  }
}
