// The documents capability's public face: the service (add, list, search), the context provider for the assistant, and the chunker.
export { DocsService, docsFor, type AddedDoc, type DocHit, type DocInput, type DocsDeps, type DocVectors } from './service';
export { DocsContextProvider, type DocsSearcher } from './context';
export { chunkMarkdown, chunkText, markdownTitle, TARGET_TOKENS, type DocChunk } from './chunk';
export { extractText, kindOf, type DocKind } from './extract';
export type { DocumentRow } from './store';
