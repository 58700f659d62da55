// Which paths are tests, which are product source (what hotspots rank), and folder helpers.

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|testing|testdata)\/|(^|\/)test_[^/]*\.py$|_test\.(go|py)$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)conftest\.py$|Tests?\.(java|cs|kt|swift)$/;

export function isTestPath(p: string): boolean {
  return TEST_PATH.test(p);
}

const SOURCE_EXT = /\.(py|rs|js|mjs|cjs|ts|mts|cts|tsx|jsx|svelte|vue|go|java|kt|kts|scala|swift|c|h|cc|cpp|cxx|hh|hpp|hxx|rb|php|cs|lua|dart|zig|ex|exs|erl|hs|ml)$/;
/** Tests, docs, examples, fixtures and benchmarks: code, but not the product whose defects hotspots predict. */
const AUXILIARY = /(^|\/)(tests?|__tests__|spec|specs|fixtures?|examples?|benches|benchmarks?|docs?|samples?|testdata|vendor|third_party|node_modules)(\/|$)|[._-](test|spec)\.[a-z]+$|\.d\.ts$|\.min\.js$/;

/** Product source: a code file outside tests, docs, examples and fixtures. */
export function isSourcePath(p: string): boolean {
  return SOURCE_EXT.test(p) && !AUXILIARY.test(p) && !isTestPath(p);
}

export function folderOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}
