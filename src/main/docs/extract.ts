// Turns a document's bytes into text: Markdown and plain text as UTF-8, PDF through unpdf (pdf.js, no native parts).
import path from 'node:path';
import { MiraError } from '../../shared/errors';

export type DocKind = 'markdown' | 'text' | 'pdf';

const MARKDOWN = new Set(['.md', '.markdown', '.mdx', '.mdown', '.mkd']);

export function kindOf(file: string, bytes?: Uint8Array): DocKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pdf' || (bytes && isPdf(bytes))) return 'pdf';
  if (MARKDOWN.has(ext)) return 'markdown';
  return 'text';
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

export async function extractText(file: string, bytes: Uint8Array, kind: DocKind): Promise<string> {
  if (kind === 'pdf') return extractPdf(file, bytes);
  // A NUL byte early on means a binary file that is not a PDF: indexing it as text would only add noise.
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new MiraError('binary_file', `${file} is a binary file`, 'add Markdown, plain text or PDF documents');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MiraError('binary_file', `${file} is not UTF-8 text`, 'convert it to UTF-8, or add it as PDF');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function extractPdf(file: string, bytes: Uint8Array): Promise<string> {
  // unpdf bundles pdf.js; loaded on first use so that Mira starts without it.
  const { extractText: pdfText, getDocumentProxy } = await import('unpdf');
  try {
    // pdf.js may detach the buffer it is given: hand it a copy.
    const doc = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await pdfText(doc, { mergePages: true });
    return text;
  } catch (e) {
    throw new MiraError('bad_request', `${file} could not be read as a PDF: ${(e as Error).message}`, 'check that the file is a valid, unencrypted PDF');
  }
}
