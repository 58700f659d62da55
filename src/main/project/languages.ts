// Maps file names to languages; the language decides which parser (if any) a file gets.
import path from 'node:path';

const BY_EXT: Record<string, string> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'tsx',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.py': 'python', '.pyi': 'python', '.rs': 'rust', '.go': 'go',
  '.java': 'java', '.kt': 'kotlin', '.kts': 'kotlin', '.scala': 'scala', '.swift': 'swift',
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.hxx': 'cpp',
  '.cs': 'c_sharp', '.rb': 'ruby', '.php': 'php', '.lua': 'lua', '.sh': 'bash', '.bash': 'bash', '.zsh': 'bash',
  '.sql': 'sql', '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'toml', '.md': 'markdown', '.mdx': 'markdown',
  '.html': 'html', '.htm': 'html', '.css': 'css', '.scss': 'scss', '.less': 'less', '.vue': 'vue', '.svelte': 'svelte',
  '.xml': 'xml', '.proto': 'protobuf', '.graphql': 'graphql', '.gql': 'graphql', '.ex': 'elixir', '.exs': 'elixir',
  '.erl': 'erlang', '.hs': 'haskell', '.ml': 'ocaml', '.dart': 'dart', '.zig': 'zig', '.txt': 'text', '.rst': 'rst',
};

const BY_NAME: Record<string, string> = {
  Dockerfile: 'dockerfile', Makefile: 'make', 'CMakeLists.txt': 'cmake', 'Cargo.toml': 'toml', 'go.mod': 'gomod', Rakefile: 'ruby', Gemfile: 'ruby',
};

export function languageOf(file: string): string | null {
  const base = path.posix.basename(file);
  if (BY_NAME[base]) return BY_NAME[base]!;
  const ext = path.posix.extname(base).toLowerCase();
  return BY_EXT[ext] ?? null;
}
