// Registers the code capability's index stages on a project: symbols and calls, then the vectors of the same chunks.
import type { ProjectContext } from '../app';
import { CodeIndex } from './code-index';
import { searchServiceOf } from './services';
import { createVectorStages, openVectors, vectorSource, type VectorIndexer } from '../search/vectors';

/** The project's code index (parse pool, stores, enricher hook), made once per open project. */
export function codeIndexOf(p: ProjectContext): CodeIndex {
  return p.service('code-index', () => new CodeIndex(p.mira.db));
}

/** The vector index (embedder + store chosen by config), opened once on first use. */
export function vectorsOf(p: ProjectContext): () => Promise<VectorIndexer> {
  return () => p.service('vectors', () => openVectors(p.mira.db, p.mira.config));
}

export function registerCodeStages(p: ProjectContext): void {
  const code = codeIndexOf(p);
  p.indexer.addFileStage(code.fileStage());
  for (const stage of code.projectStages()) p.indexer.addProjectStage(stage);
  // Vectors embed the very chunks the full-text index stores, so both name the same path, lines and symbol.
  const vectors = vectorsOf(p);
  const stages = createVectorStages(vectors, (file) => code.chunksOf(file));
  p.indexer.addFileStage(stages.file);
  p.indexer.addProjectStage(stages.project);
  searchServiceOf(p).setVectorSource(vectorSource(vectors, p.id));
}
