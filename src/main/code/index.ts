// The code capability's public surface for other capabilities (oracle, codemap...): queries, search, the index hooks.
export { CodeQueries, splitSymbolArg, type SymbolRow, type EdgeResult, type ImpactResult } from './queries';
export { codeIndexOf } from './stages';
export type { CodeIndex, CodeChunkOut } from './code-index';
export type { ConceptEnricher, EnrichInput, SemanticNode } from './concepts';
export type { ParsedFile, ParsedSymbol, ParsedCall, ParsedImport, SymbolKind } from './model';
export { SearchService, type VectorSource, type VectorHit, type SearchResult, type SearchOptions } from '../search/search';
export { searchServiceOf } from './services';
