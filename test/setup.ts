// Runs in every unit/integration test file: removes the temporary homes and repositories the file made, after the
// file's own afterAll hooks (hooks run in stack order, and this one is registered first).
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/git-repo';

afterAll(() => {
  removeTempDirs();
});
