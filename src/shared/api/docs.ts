// The documents part of the contract: add Markdown, text and PDF files to a project's knowledge, list them, search them.
import { z } from 'zod';
import { method } from './define';

export const DocumentKind = z.enum(['markdown', 'text', 'pdf']);

export const DocumentInfo = z.object({
  id: z.number(),
  path: z.string(),
  title: z.string(),
  kind: DocumentKind,
  chunks: z.number(),
  bytes: z.number(),
  /** False when only full-text search covers it (the embedder or vector store failed when it was added). */
  vectors: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type DocumentInfo = z.infer<typeof DocumentInfo>;

export const DocumentInput = z.object({
  /** Project-relative (read from the project), or any name when the content is given. */
  path: z.string().min(1).max(4096),
  /** The text, for files from outside the project (read by the client). */
  content: z.string().max(20 * 1024 * 1024).optional(),
  /** The bytes, base64, for binary files (PDF) from outside the project. */
  content_base64: z.string().max(40 * 1024 * 1024).optional(),
});

export const docsMethods = {
  'docs/add': method(
    z.object({ files: z.array(DocumentInput).min(1).max(500) }),
    z.object({
      results: z.array(
        z.object({ id: z.number(), path: z.string(), chunks: z.number(), title: z.string(), kind: DocumentKind, status: z.enum(['added', 'updated', 'unchanged']), vectors: z.boolean() }),
      ),
      took_ms: z.number(),
    }),
    { sideEffect: true },
  ),
  'docs/list': method(z.object({}).optional(), z.object({ results: z.array(DocumentInfo) })),
  'docs/remove': method(z.object({ id: z.number().int().positive() }), z.object({ removed: z.boolean() }), { sideEffect: true }),
  'docs/search': method(
    z.object({ query: z.string().min(1).max(4000), k: z.number().int().min(1).max(100).optional() }),
    z.object({
      results: z.array(
        z.object({ id: z.number(), chunk_id: z.number(), path: z.string(), title: z.string(), heading: z.string(), snippet: z.string(), score: z.number(), reasons: z.array(z.string()) }),
      ),
      took_ms: z.number(),
    }),
  ),
};

export const docsEvents = {};
