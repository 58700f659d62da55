// The git capability's part of the contract: co-change, experts, fixes, blame, history, truck factor, sync and status.
import { z } from 'zod';
import { method } from './define';

const Path = z.string().min(1).max(4096);
const K = z.number().int().min(1).max(1000).optional();
const Took = { took_ms: z.number() };

export const CochangeItem = z.object({
  path: z.string(),
  support: z.number(),
  confidence: z.number(),
  score: z.number(),
  last_cochange: z.string().nullable(),
  evidence: z.array(z.string()),
  /** history: changed together before; folder / sibling / popular: suggested by the prior when history is thin. */
  source: z.enum(['history', 'name', 'folder', 'sibling', 'popular']),
});
export type CochangeItem = z.infer<typeof CochangeItem>;

export const ExpertItem = z.object({
  author: z.string(),
  email: z.string(),
  score: z.number(),
  commits: z.number(),
  lines_added: z.number(),
  last_commit: z.string().nullable(),
  bot: z.boolean(),
  /** Changed the project lately. */
  active: z.boolean(),
  /** Why they rank here, in words. */
  why: z.string(),
});
export type ExpertItem = z.infer<typeof ExpertItem>;

/** Who wrote the files asked about (degree of authorship), active or not. */
export const AuthorshipItem = z.object({
  author: z.string(),
  email: z.string(),
  commits: z.number(),
  lines_added: z.number(),
  share: z.number(),
  first_commit: z.string().nullable(),
  last_commit: z.string().nullable(),
  active: z.boolean(),
  bot: z.boolean(),
});
export type AuthorshipItem = z.infer<typeof AuthorshipItem>;

export const FixItem = z.object({
  commit: z.string().nullable(),
  message: z.string(),
  files: z.array(z.string()),
  score: z.number(),
  kind: z.string(),
  date: z.string().nullable(),
  error_text: z.string(),
  reasons: z.array(z.string()),
});
export type FixItem = z.infer<typeof FixItem>;

export const BlameItem = z.object({ line: z.number(), commit: z.string(), author: z.string(), email: z.string(), date: z.string().nullable(), summary: z.string() });
export type BlameItem = z.infer<typeof BlameItem>;

export const CommitItem = z.object({
  sha: z.string(),
  author: z.string(),
  email: z.string(),
  date: z.string(),
  subject: z.string(),
  files: z.number(),
  lines_added: z.number().nullable(),
  lines_deleted: z.number().nullable(),
});

export const TruckFactorItem = z.object({
  folder: z.string(),
  truck_factor: z.number(),
  files: z.number(),
  authors: z.array(z.object({ author: z.string(), email: z.string(), files: z.number() })),
});

const Reason = z.object({ kind: z.string(), detail: z.string(), sha: z.string().optional() });

export const GitSyncResult = z.object({
  status: z.string(),
  head: z.string().nullable(),
  commits_added: z.number(),
  commits_removed: z.number(),
  commits_total: z.number(),
  fixes_added: z.number(),
  rebuilt: z.boolean(),
  mode: z.string().nullable(),
  shallow: z.boolean(),
  detached: z.boolean(),
  reasons: z.array(Reason),
  took_ms: z.number(),
});

export const gitMethods = {
  /** `mira cochange FILE...`; batch lines `{"file": ...}` or `{"files": [...]}` (several files: TARMAQ-style). */
  'git/cochange': method(
    z
      .object({ file: Path.optional(), files: z.array(Path).min(1).max(200).optional(), k: K })
      .refine((p) => p.file !== undefined || (p.files?.length ?? 0) > 0, { message: 'give `file` or `files`' }),
    z.object({ results: z.array(CochangeItem), query: z.array(z.string()), unknown: z.array(z.string()), ...Took }),
  ),
  /** `mira experts PATH...`: files or folders; batch lines `{"paths": [...]}` (or `files`, `file`, `path`). */
  'git/experts': method(
    z
      .object({
        paths: z.array(Path).max(500).optional(),
        files: z.array(Path).max(500).optional(),
        path: Path.optional(),
        file: Path.optional(),
        /** A concept of the code index ("database", "auth"): people who know the files tagged with it. */
        concept: z.string().min(1).max(100).optional(),
        k: K,
        bots: z.boolean().optional(),
      })
      .refine((p) => !!(p.paths?.length || p.files?.length || p.path || p.file || p.concept), { message: 'give `paths` (or `files`, `file`, `path`), or `concept`' }),
    z.object({ results: z.array(ExpertItem), authors: z.array(AuthorshipItem), query: z.array(z.string()), unknown: z.array(z.string()), ...Took }),
  ),
  /** `mira fixes TEXT [--file F]`; batch lines `{"query": TEXT, "file": F}` (`text` is accepted for `query`). */
  'git/fixes': method(
    z
      .object({ query: z.string().max(20_000).optional(), text: z.string().max(20_000).optional(), file: Path.optional(), files: z.array(Path).max(200).optional(), k: K })
      .refine((p) => !!(p.query?.trim() || p.text?.trim() || p.file || p.files?.length), { message: 'give `query` (the error text) and/or `file`' }),
    z.object({ results: z.array(FixItem), ...Took }),
  ),
  'git/blame': method(z.object({ file: Path, line: z.number().int().min(1).optional() }), z.object({ path: z.string(), results: z.array(BlameItem), cached: z.boolean(), ...Took })),
  'git/commits': method(
    z
      .object({
        file: Path.optional(),
        author: z.string().max(500).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        /** These commits (full or abbreviated shas), in this order; unknown ones are left out. */
        shas: z.array(z.string().regex(/^[0-9a-fA-F]{4,64}$/)).max(500).optional(),
      })
      .optional(),
    z.object({ results: z.array(CommitItem), ...Took }),
  ),
  'git/truck-factor': method(z.object({ path: z.string().max(4096).optional() }).optional(), z.object({ results: z.array(TruckFactorItem), ...Took })),
  'git/status': method(
    z.object({}).optional(),
    z.object({
      status: z.string(),
      head: z.string().nullable(),
      head_ref: z.string().nullable(),
      mode: z.string().nullable(),
      shallow: z.boolean(),
      commits: z.number(),
      authors: z.number(),
      fixes: z.number(),
      synced_at: z.string().nullable(),
      reasons: z.array(Reason),
    }),
  ),
  /** Reads new commits now (what `mira index` does as its git stage). */
  'git/sync': method(z.object({}).optional(), GitSyncResult),
};

export const gitEvents = {
  'git/synced': z.object({ status: z.string(), commits_added: z.number(), commits_removed: z.number() }),
};
