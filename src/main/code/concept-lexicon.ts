// The curated lexicon: identifier words and libraries that signal a concept, and the domain each concept belongs to.

export interface ConceptEntry {
  domain: string;
  /** Words as they appear in split identifiers, docs and paths (matched after light stemming). */
  terms: string[];
  /** Strong words: one of them in a symbol's own name is enough on its own. */
  strong?: string[];
  /**
   * Strong words with another common meaning (a URL's query, a server's rendered template, an event handler): strong
   * only in a file that shows the concept otherwise (another strong word, or an import of its libraries); weak elsewhere.
   */
  ambiguous?: string[];
  /** Import sources (package names or prefixes) whose use signals the concept. */
  libs: string[];
}

export const LEXICON: Record<string, ConceptEntry> = {
  database: {
    domain: 'data',
    strong: ['sql', 'query', 'orm', 'repository', 'database', 'db', 'dao', 'migration', 'transaction', 'sqlite', 'postgres', 'mysql', 'mongo', 'prisma', 'knex', 'sequelize', 'sqlalchemy', 'mongoose', 'typeorm', 'gorm', 'diesel', 'sqlx'],
    ambiguous: ['query'],
    terms: ['sql', 'query', 'queries', 'db', 'database', 'orm', 'repository', 'repo', 'table', 'row', 'rows', 'column', 'schema', 'migration', 'migrate', 'transaction', 'rollback', 'cursor', 'insert', 'upsert', 'select', 'pg', 'postgres', 'postgresql', 'mysql', 'sqlite', 'mongo', 'mongodb', 'entity', 'dao', 'datasource', 'prisma', 'sequelize', 'knex', 'typeorm', 'sqlalchemy', 'gorm', 'diesel', 'sqlx', 'persist', 'persistence', 'fetchall', 'fetchone', 'execute', 'statement', 'prepare', 'commit', 'model', 'models', 'collection', 'document', 'record', 'records', 'foreign', 'primary', 'join', 'where'],
    libs: ['pg', 'postgres', 'mysql', 'mysql2', 'sqlite3', 'better-sqlite3', 'sqlalchemy', 'flask_sqlalchemy', 'psycopg2', 'psycopg', 'pymongo', 'motor', 'mongoose', 'mongodb', 'prisma', '@prisma/client', 'typeorm', 'sequelize', 'knex', 'drizzle-orm', 'gorm.io', 'database/sql', 'github.com/jmoiron/sqlx', 'github.com/lib/pq', 'github.com/jackc/pgx', 'diesel', 'sqlx', 'rusqlite', 'sea_orm', 'java.sql', 'javax.persistence', 'jakarta.persistence', 'org.hibernate', 'django.db', 'peewee', 'tortoise', 'asyncpg', 'aiosqlite', 'sqlite', 'redis-om', 'kysely'],
  },
  auth: {
    domain: 'security',
    strong: ['auth', 'authenticate', 'authentication', 'authorize', 'authorization', 'login', 'logout', 'password', 'jwt', 'oauth', 'credential', 'signin', 'signup'],
    terms: ['auth', 'authenticate', 'authentication', 'authorize', 'authorization', 'login', 'logout', 'signin', 'signup', 'password', 'passwd', 'credential', 'credentials', 'token', 'jwt', 'session', 'oauth', 'sso', 'permission', 'permissions', 'acl', 'bearer', 'apikey', 'csrf', 'principal', 'identity', 'role', 'roles', 'user', 'users', 'account', 'otp', 'mfa', 'saml', 'ldap'],
    libs: ['jsonwebtoken', 'passport', 'bcrypt', 'bcryptjs', 'argon2', 'jose', 'next-auth', '@auth', 'flask_login', 'django.contrib.auth', 'golang.org/x/oauth2', 'github.com/golang-jwt/jwt', 'oauthlib', 'authlib', 'jwt', 'jsonwebtoken', 'keycloak', 'org.springframework.security'],
  },
  api: {
    domain: 'web',
    strong: ['route', 'router', 'endpoint', 'controller', 'handler', 'middleware', 'api'],
    ambiguous: ['handler', 'api'],
    terms: ['route', 'routes', 'router', 'routing', 'handler', 'handlers', 'endpoint', 'endpoints', 'controller', 'request', 'response', 'req', 'res', 'middleware', 'rest', 'graphql', 'api', 'status', 'view', 'views', 'serve', 'server', 'app', 'get', 'post', 'put', 'patch', 'delete', 'param', 'params', 'body', 'redirect', 'render', 'cors'],
    libs: ['express', 'koa', 'fastify', 'hapi', '@hapi/hapi', '@nestjs/common', 'flask', 'django', 'django.http', 'django.urls', 'fastapi', 'starlette', 'aiohttp', 'github.com/gin-gonic/gin', 'github.com/labstack/echo', 'github.com/gorilla/mux', 'github.com/go-chi/chi', 'actix-web', 'actix_web', 'axum', 'rocket', 'warp', 'org.springframework.web', 'javax.ws.rs', 'next/server', 'hono', 'router'],
  },
  'http client': {
    domain: 'web',
    strong: ['fetch', 'http', 'https', 'url'],
    terms: ['fetch', 'http', 'https', 'url', 'urls', 'uri', 'download', 'upload', 'retry', 'proxy', 'adapter', 'header', 'headers', 'cookie', 'cookies', 'redirect', 'client', 'agent', 'timeout', 'request', 'response'],
    libs: ['axios', 'node-fetch', 'got', 'undici', 'superagent', 'requests', 'httpx', 'urllib', 'urllib3', 'http.client', 'aiohttp', 'reqwest', 'hyper', 'ureq', 'net/http', 'okhttp3', 'java.net.http', 'ky', 'http', 'https'],
  },
  testing: {
    domain: 'quality',
    strong: ['test', 'tests', 'spec', 'mock', 'fixture', 'assert', 'stub'],
    terms: ['test', 'tests', 'testing', 'spec', 'mock', 'mocks', 'stub', 'fake', 'fixture', 'fixtures', 'assert', 'assertion', 'expect', 'describe', 'setup', 'teardown', 'bench', 'benchmark', 'snapshot', 'conftest'],
    libs: ['jest', 'vitest', 'mocha', 'chai', 'sinon', 'pytest', 'unittest', 'unittest.mock', 'mock', 'testing', 'github.com/stretchr/testify', '@testing-library', 'supertest', 'nock', 'hypothesis', 'org.junit', 'proptest', 'quickcheck', 'node:test', 'fast-check'],
  },
  logging: {
    domain: 'infrastructure',
    strong: ['log', 'logger', 'logging', 'tracing'],
    terms: ['log', 'logs', 'logger', 'logging', 'trace', 'tracing', 'debug', 'warn', 'warning', 'verbose', 'audit', 'telemetry', 'metric', 'metrics', 'span'],
    libs: ['winston', 'pino', 'bunyan', 'log4js', 'debug', 'logging', 'loguru', 'structlog', 'log', 'tracing', 'env_logger', 'log/slog', 'github.com/sirupsen/logrus', 'go.uber.org/zap', 'github.com/rs/zerolog', 'org.slf4j', 'org.apache.logging', 'opentelemetry', '@opentelemetry/api'],
  },
  config: {
    domain: 'infrastructure',
    strong: ['config', 'configuration', 'settings', 'env'],
    terms: ['config', 'configs', 'configuration', 'configure', 'settings', 'setting', 'option', 'options', 'opts', 'env', 'environment', 'dotenv', 'preference', 'preferences', 'default', 'defaults', 'profile'],
    libs: ['dotenv', 'config', 'convict', 'pydantic_settings', 'configparser', 'github.com/spf13/viper', 'figment', 'config-rs', 'rc', 'cosmiconfig', 'yargs-parser'],
  },
  caching: {
    domain: 'data',
    strong: ['cache', 'caching', 'memoize', 'lru', 'memo'],
    terms: ['cache', 'caches', 'caching', 'cached', 'memo', 'memoize', 'memoized', 'lru', 'ttl', 'expire', 'expiry', 'evict', 'eviction', 'redis', 'memcache', 'memcached', 'invalidate'],
    libs: ['redis', 'ioredis', 'lru-cache', 'node-cache', 'cachetools', 'functools', 'moka', 'lru', 'github.com/patrickmn/go-cache', 'github.com/golang/groupcache', 'github.com/go-redis/redis', 'github.com/redis/go-redis', 'memcache', 'keyv'],
  },
  cli: {
    domain: 'interface',
    strong: ['cli', 'command', 'cmd', 'argv', 'subcommand'],
    terms: ['cli', 'command', 'commands', 'cmd', 'argv', 'args', 'arg', 'flag', 'flags', 'subcommand', 'prompt', 'terminal', 'tty', 'stdin', 'stdout', 'stderr', 'usage', 'completion', 'shell', 'exit'],
    libs: ['commander', 'yargs', 'minimist', 'meow', 'clap', 'structopt', 'github.com/spf13/cobra', 'github.com/urfave/cli', 'flag', 'argparse', 'click', 'typer', 'docopt', 'picocli', 'inquirer', 'readline', 'node:readline', 'cac', 'oclif'],
  },
  ui: {
    domain: 'interface',
    strong: ['component', 'widget', 'button', 'modal', 'dialog', 'render', 'layout', 'panel'],
    ambiguous: ['render', 'layout', 'panel'],
    terms: ['component', 'components', 'render', 'view', 'widget', 'button', 'modal', 'dialog', 'layout', 'style', 'styles', 'css', 'theme', 'page', 'template', 'jsx', 'dom', 'element', 'props', 'hook', 'click', 'panel', 'menu', 'toolbar', 'tooltip', 'icon', 'screen', 'window', 'canvas', 'html', 'display', 'sidebar'],
    libs: ['react', 'react-dom', 'vue', 'svelte', '@angular/core', 'preact', 'solid-js', 'tkinter', 'PyQt5', 'PySide6', 'gtk', 'egui', 'jinja2', 'lit', 'zustand', 'redux', '@mui/material', 'tailwindcss', 'styled-components', 'javax.swing', 'fyne.io'],
  },
  'file io': {
    domain: 'core',
    strong: ['file', 'filesystem', 'fs', 'dir', 'directory', 'path'],
    terms: ['file', 'files', 'filename', 'filepath', 'path', 'paths', 'dir', 'dirs', 'directory', 'directories', 'folder', 'read', 'write', 'open', 'stream', 'fs', 'mkdir', 'glob', 'walk', 'stat', 'filesystem', 'tempfile', 'tmp', 'unlink', 'rename', 'exists', 'readfile', 'writefile', 'buffer', 'reader', 'writer', 'io'],
    libs: ['fs', 'fs/promises', 'node:fs', 'node:fs/promises', 'path', 'node:path', 'pathlib', 'shutil', 'glob', 'io', 'os', 'std::fs', 'std::io', 'std::path', 'walkdir', 'ignore', 'java.io', 'java.nio', 'os', 'io/ioutil', 'path/filepath', 'bufio', 'tempfile', 'fs-extra', 'chokidar'],
  },
  serialization: {
    domain: 'data',
    strong: ['serialize', 'deserialize', 'marshal', 'unmarshal', 'json', 'yaml', 'toml', 'encode', 'decode'],
    terms: ['serialize', 'serializer', 'serialization', 'deserialize', 'deserializer', 'marshal', 'unmarshal', 'encode', 'encoder', 'decode', 'decoder', 'json', 'yaml', 'yml', 'toml', 'xml', 'csv', 'protobuf', 'proto', 'msgpack', 'pickle', 'stringify', 'dump', 'dumps', 'loads', 'codec', 'format'],
    libs: ['serde', 'serde_json', 'serde_yaml', 'json', 'yaml', 'pyyaml', 'toml', 'tomli', 'encoding/json', 'encoding/xml', 'encoding/csv', 'encoding/gob', 'google.golang.org/protobuf', 'protobufjs', 'com.fasterxml.jackson', 'com.google.gson', 'msgpack', 'pickle', 'marshmallow', 'js-yaml', 'xml2js', 'csv-parse', 'bincode'],
  },
  concurrency: {
    domain: 'core',
    strong: ['thread', 'mutex', 'lock', 'semaphore', 'goroutine', 'worker', 'concurrent', 'parallel', 'async', 'channel'],
    terms: ['async', 'await', 'thread', 'threads', 'mutex', 'lock', 'locks', 'semaphore', 'channel', 'chan', 'goroutine', 'worker', 'workers', 'pool', 'queue', 'concurrent', 'concurrency', 'parallel', 'spawn', 'future', 'futures', 'promise', 'atomic', 'sync', 'scheduler', 'task', 'tasks', 'executor', 'rwlock', 'condvar', 'waitgroup', 'join', 'barrier'],
    libs: ['tokio', 'async-std', 'async_std', 'rayon', 'crossbeam', 'threading', 'asyncio', 'concurrent.futures', 'multiprocessing', 'worker_threads', 'node:worker_threads', 'sync', 'sync/atomic', 'golang.org/x/sync', 'java.util.concurrent', 'p-limit', 'p-queue', 'std::sync', 'std::thread', 'futures', 'trio', 'anyio', 'piscina'],
  },
  'error handling': {
    domain: 'infrastructure',
    strong: ['error', 'exception', 'panic', 'errors'],
    terms: ['error', 'errors', 'err', 'exception', 'exceptions', 'raise', 'throw', 'catch', 'panic', 'recover', 'fail', 'failure', 'failed', 'wrap', 'unwrap', 'fault', 'invalid', 'retry', 'fallback'],
    libs: ['anyhow', 'thiserror', 'errors', 'github.com/pkg/errors', 'eyre', 'color-eyre', 'snafu', 'verror', 'http-errors', 'boom', '@hapi/boom'],
  },
  crypto: {
    domain: 'security',
    strong: ['crypto', 'encrypt', 'decrypt', 'cipher', 'hmac', 'sha256', 'aes', 'rsa'],
    terms: ['crypto', 'cryptography', 'encrypt', 'encryption', 'decrypt', 'decryption', 'cipher', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'hmac', 'aes', 'rsa', 'ecdsa', 'nonce', 'salt', 'digest', 'certificate', 'cert', 'tls', 'ssl', 'x509', 'signature', 'sign', 'keypair', 'pbkdf2', 'scrypt'],
    libs: ['crypto', 'node:crypto', 'hashlib', 'cryptography', 'hmac', 'ring', 'rustls', 'openssl', 'sha2', 'crypto/sha256', 'crypto/tls', 'crypto/rand', 'crypto/hmac', 'crypto/aes', 'javax.crypto', 'java.security', 'bcrypt', 'nacl', 'tweetnacl', 'libsodium'],
  },
  parsing: {
    domain: 'core',
    strong: ['parse', 'parser', 'lexer', 'tokenizer', 'tokenize', 'ast', 'grammar'],
    terms: ['parse', 'parser', 'parsing', 'parsed', 'lexer', 'lex', 'token', 'tokens', 'tokenize', 'tokenizer', 'grammar', 'ast', 'syntax', 'scanner', 'scan', 'regex', 'regexp', 'pattern', 'expr', 'expression', 'node', 'literal', 'ident', 'identifier'],
    libs: ['acorn', '@babel/parser', 'esprima', 'tree-sitter', 'web-tree-sitter', 'nom', 'pest', 'regex', 're', 'ply', 'lark', 'antlr4', 'chevrotain', 'typescript', 'syn', 'go/ast', 'go/parser', 'regexp', 'ast'],
  },
  math: {
    domain: 'core',
    strong: ['math', 'matrix', 'vector', 'statistics', 'geometry'],
    terms: ['math', 'matrix', 'vector', 'vec', 'sum', 'mean', 'average', 'median', 'stddev', 'variance', 'sqrt', 'pow', 'exp', 'sin', 'cos', 'tan', 'angle', 'geometry', 'algebra', 'statistics', 'stats', 'random', 'rand', 'number', 'float', 'decimal', 'round', 'floor', 'ceil', 'abs', 'clamp', 'interpolate', 'lerp', 'distance', 'dot', 'cross', 'norm', 'modulo', 'gcd', 'prime', 'fraction', 'ratio'],
    libs: ['numpy', 'scipy', 'math', 'mathjs', 'num', 'num-traits', 'nalgebra', 'ndarray', 'gonum.org', 'math/big', 'math/rand', 'decimal', 'fractions', 'statistics', 'decimal.js', 'big.js', 'rand'],
  },
  networking: {
    domain: 'web',
    strong: ['socket', 'tcp', 'udp', 'websocket', 'grpc', 'dns'],
    terms: ['socket', 'sockets', 'tcp', 'udp', 'ip', 'ipv4', 'ipv6', 'dns', 'port', 'host', 'hostname', 'network', 'net', 'connect', 'connection', 'listen', 'listener', 'websocket', 'ws', 'grpc', 'rpc', 'protocol', 'packet', 'peer', 'bind', 'addr', 'address', 'transport', 'stream'],
    libs: ['net', 'node:net', 'dgram', 'ws', 'socket', 'socket.io', 'socketserver', 'grpc', '@grpc/grpc-js', 'grpcio', 'tokio::net', 'std::net', 'zmq', 'pyzmq', 'google.golang.org/grpc', 'github.com/gorilla/websocket', 'tonic', 'java.net', 'netty', 'dns'],
  },
  datetime: {
    domain: 'core',
    strong: ['date', 'datetime', 'timestamp', 'timezone', 'calendar', 'cron'],
    terms: ['time', 'date', 'dates', 'datetime', 'timestamp', 'duration', 'timezone', 'tz', 'clock', 'calendar', 'schedule', 'cron', 'interval', 'elapsed', 'utc', 'epoch', 'day', 'days', 'month', 'year', 'hour', 'minute'],
    libs: ['moment', 'dayjs', 'date-fns', 'luxon', 'datetime', 'time', 'chrono', 'pytz', 'arrow', 'dateutil', 'java.time', 'node-cron', 'croniter'],
  },
  validation: {
    domain: 'core',
    strong: ['validate', 'validator', 'validation', 'sanitize'],
    terms: ['validate', 'validates', 'validator', 'validation', 'valid', 'invalid', 'check', 'checks', 'constraint', 'constraints', 'sanitize', 'required', 'verify', 'ensure', 'schema', 'rule', 'rules'],
    libs: ['zod', 'joi', 'yup', 'ajv', 'pydantic', 'cerberus', 'validator', 'jsonschema', 'class-validator', 'github.com/go-playground/validator', 'validator', 'superstruct', 'valibot', 'javax.validation', 'jakarta.validation'],
  },
  events: {
    domain: 'core',
    strong: ['event', 'emit', 'emitter', 'listener', 'subscribe', 'observer', 'publish', 'dispatch'],
    terms: ['event', 'events', 'emit', 'emitter', 'listener', 'listeners', 'subscribe', 'subscriber', 'unsubscribe', 'publish', 'publisher', 'observer', 'observers', 'observable', 'dispatch', 'dispatcher', 'signal', 'notify', 'notification', 'callback', 'callbacks', 'hook', 'hooks', 'on', 'off', 'once', 'trigger', 'broadcast'],
    libs: ['events', 'node:events', 'eventemitter3', 'rxjs', 'blinker', 'pubsub-js', 'mitt', 'tokio::sync::broadcast', 'pydispatch'],
  },
};

/** Light stemming so `queries`, `parsed` and `validates` meet their lexicon entries. */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

export interface LexiconIndex {
  /** stem → [concept, strong?, ambiguous (strong only where the file corroborates it)?] */
  terms: Map<string, { concept: string; strong: boolean; ambiguous: boolean }[]>;
  /** Library names (exact or prefix) → concepts. */
  libs: Map<string, string[]>;
}

let built: LexiconIndex | null = null;

export function lexiconIndex(): LexiconIndex {
  if (built) return built;
  const terms = new Map<string, { concept: string; strong: boolean; ambiguous: boolean }[]>();
  const libs = new Map<string, string[]>();
  for (const [concept, e] of Object.entries(LEXICON)) {
    const strong = new Set((e.strong ?? []).map(stem));
    const ambiguous = new Set((e.ambiguous ?? []).map(stem));
    for (const t of new Set(e.terms.map(stem))) {
      const list = terms.get(t) ?? [];
      list.push({ concept, strong: strong.has(t), ambiguous: ambiguous.has(t) });
      terms.set(t, list);
    }
    for (const s of strong) if (!terms.get(s)?.some((x) => x.concept === concept)) terms.set(s, [...(terms.get(s) ?? []), { concept, strong: true, ambiguous: ambiguous.has(s) }]);
    for (const l of e.libs) libs.set(l.toLowerCase(), [...new Set([...(libs.get(l.toLowerCase()) ?? []), concept])]);
  }
  built = { terms, libs };
  return built;
}

/** Concepts signalled by an import source: exact package, its root (`@scope/pkg`, `a.b`), or a Go/Java path prefix. */
export function libConcepts(source: string): string[] {
  const idx = lexiconIndex();
  const s = source.toLowerCase().replace(/^node:/, (m) => m);
  const hit = idx.libs.get(s);
  if (hit) return hit;
  const candidates = new Set<string>();
  const slash = s.split('/');
  if (s.startsWith('@') && slash.length > 1) candidates.add(`${slash[0]}/${slash[1]}`);
  candidates.add(slash[0]!);
  for (let i = slash.length - 1; i > 1; i--) candidates.add(slash.slice(0, i).join('/'));
  const dots = s.split('.');
  for (let i = dots.length - 1; i >= 1; i--) candidates.add(dots.slice(0, i).join('.'));
  const colons = s.split('::');
  if (colons.length > 1) for (let i = colons.length - 1; i >= 1; i--) candidates.add(colons.slice(0, i).join('::'));
  for (const c of candidates) {
    const h = idx.libs.get(c);
    if (h) return h;
  }
  return [];
}
