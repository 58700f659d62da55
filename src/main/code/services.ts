// Per-project read services of the code capability (query helpers and hybrid search), made once per open project.
import type { ProjectContext } from '../app';
import { SearchService } from '../search/search';
import { CodeQueries } from './queries';

export function searchServiceOf(p: ProjectContext): SearchService {
  return p.service('code-search', () => new SearchService(p.mira.db, p.id, p.root));
}

export function codeQueriesOf(p: ProjectContext): CodeQueries {
  return p.service('code-queries', () => new CodeQueries(p.mira.db));
}
