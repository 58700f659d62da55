// The built-in lexicon of the offline embedder: stopwords, programmer abbreviations, and groups of related code terms.
//
// Words are written plainly here; the embedder passes them through the same canonical form (abbreviation, stemming)
// it applies to text, so a group entry like "queries" matches code that says `query`, `Queries` or `QUERY_ROWS`.

/** English function words and the keywords of common languages: they say nothing about what code does. */
export const STOPWORDS: readonly string[] = [
  // English
  'a', 'an', 'the', 'and', 'or', 'nor', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'as', 'into', 'onto', 'via', 'per',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'here',
  'if', 'else', 'then', 'than', 'so', 'not', 'no', 'do', 'does', 'did', 'done', 'can', 'could', 'should', 'would', 'will', 'shall', 'may', 'might', 'must',
  'we', 'i', 'you', 'he', 'she', 'they', 'them', 'us', 'me', 'my', 'our', 'your', 'their', 'his', 'her',
  'how', 'what', 'where', 'which', 'who', 'whom', 'when', 'why', 'whose',
  'all', 'any', 'some', 'each', 'every', 'also', 'just', 'only', 'very', 'too', 'more', 'most', 'such', 'own', 'same', 'other',
  'about', 'above', 'after', 'before', 'again', 'once', 'while', 'until', 'both', 'either', 'neither', 'whether',
  'has', 'have', 'had', 'having', 'get', 'gets', 'got', 'let', 'lets', 'make', 'makes', 'use', 'uses', 'used', 'using',
  'one', 'two', 'e', 'g', 'eg', 'ie', 'etc', 'like', 'need', 'needs', 'want', 'way', 'thing', 'things', 'something', 'code',
  // keywords
  'const', 'var', 'function', 'func', 'fn', 'def', 'return', 'returns', 'import', 'export', 'default', 'new', 'self', 'pub',
  'void', 'null', 'undefined', 'nil', 'none', 'true', 'false', 'await', 'public', 'private', 'protected', 'static', 'readonly',
  'extends', 'implements', 'elif', 'endif', 'fi', 'let', 'mut', 'impl', 'crate', 'mod', 'pass', 'lambda', 'typeof', 'instanceof',
  'require', 'exports', 'std', 'js', 'ts', 'tsx', 'jsx', 'mjs', 'cjs', 'py', 'rs', 'go', 'src', 'lib',
];

/**
 * Abbreviations programmers write, mapped to the word they stand for, so `db` and `database`, `cfg` and `config` meet.
 * Only unambiguous ones: `res` (response/result/resource) and `ms` (milliseconds/Microsoft) stay out.
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  db: 'database', dbs: 'database', repo: 'repository', repos: 'repository', cfg: 'config', conf: 'config', configuration: 'config', settings: 'setting',
  msg: 'message', msgs: 'message', err: 'error', errs: 'error', req: 'request', resp: 'response', ctx: 'context',
  str: 'string', num: 'number', idx: 'index', impl: 'implementation', env: 'environment', envs: 'environment', dir: 'directory', dirs: 'directory',
  args: 'argument', arg: 'argument', argv: 'argument', param: 'parameter', params: 'parameter', prop: 'property', props: 'property',
  attr: 'attribute', attrs: 'attribute', btn: 'button', img: 'image', imgs: 'image', pkg: 'package', util: 'utility', utils: 'utility',
  tmp: 'temporary', temp: 'temporary', val: 'value', vals: 'value', elem: 'element', el: 'element', doc: 'document', docs: 'document',
  dict: 'dictionary', obj: 'object', exec: 'execute', cmd: 'command', cmds: 'command', proc: 'process', pwd: 'password', passwd: 'password',
  usr: 'user', addr: 'address', dst: 'destination', dest: 'destination', len: 'length', cnt: 'count', calc: 'calculate',
  mgr: 'manager', svc: 'service', srv: 'server', auth: 'authentication', authn: 'authentication', authenticate: 'authentication',
  authenticated: 'authentication', authenticator: 'authentication', authz: 'authorization', authorize: 'authorization', authorized: 'authorization',
  perm: 'permission', perms: 'permission', info: 'information', init: 'initialize', initialise: 'initialize', initialization: 'initialize',
  sql: 'sql', sqlite: 'sqlite', fs: 'filesystem', ws: 'websocket', ui: 'interface', pos: 'position', prev: 'previous', cur: 'current', curr: 'current',
  buf: 'buffer', bufs: 'buffer', cb: 'callback', evt: 'event', ev: 'event', opts: 'option', opt: 'option', options: 'option',
  sig: 'signature', regex: 'regexp', ttl: 'expiry', expire: 'expiry', expired: 'expiry', expiration: 'expiry',
  deps: 'dependency', dep: 'dependency', dependencies: 'dependency', lang: 'language', fmt: 'format', ver: 'version', rev: 'revision',
  async: 'asynchronous', sync: 'synchronous', jwt: 'token', oauth: 'authentication', login: 'login', logon: 'login', signin: 'login',
  logout: 'logout', signout: 'logout', cli: 'command', http: 'http', https: 'http', url: 'url', uri: 'url', urls: 'url', html: 'html',
  del: 'delete', rm: 'remove', mkdir: 'directory', cwd: 'directory', stdin: 'input', stdout: 'output', stderr: 'output',
};

/**
 * Groups of words that name the same concern in code. A query that says one of them reaches code that says another
 * (at a lower weight than the word itself). Only queries are expanded: document vectors stay plain.
 */
export const RELATED_GROUPS: readonly (readonly string[])[] = [
  ['database', 'sql', 'sqlite', 'query', 'queries', 'table', 'row', 'column', 'schema', 'migration', 'repository', 'transaction', 'postgres', 'mysql', 'orm', 'record', 'statement', 'persist', 'storage'],
  ['authentication', 'login', 'logout', 'password', 'credential', 'token', 'session', 'sign', 'user', 'identity', 'cookie'],
  ['authorization', 'permission', 'role', 'access', 'policy', 'allow', 'deny', 'grant', 'privilege', 'acl'],
  ['http', 'request', 'response', 'route', 'router', 'endpoint', 'handler', 'middleware', 'server', 'api', 'url', 'header', 'status', 'rest'],
  ['error', 'exception', 'throw', 'fail', 'failure', 'catch', 'raise', 'panic', 'invalid', 'reject', 'fault'],
  ['config', 'setting', 'option', 'preference', 'environment', 'flag', 'default'],
  ['test', 'spec', 'assert', 'expect', 'mock', 'fixture', 'stub', 'fake'],
  ['file', 'path', 'directory', 'folder', 'filesystem', 'disk', 'read', 'write'],
  ['delete', 'remove', 'drop', 'destroy', 'erase', 'purge', 'unlink', 'clear'],
  ['create', 'add', 'insert', 'build', 'construct', 'generate', 'register'],
  ['update', 'modify', 'change', 'edit', 'patch', 'mutate', 'replace', 'set'],
  ['find', 'search', 'lookup', 'query', 'fetch', 'retrieve', 'locate', 'select', 'filter', 'match'],
  ['log', 'logger', 'logging', 'debug', 'trace', 'print', 'console', 'warn'],
  ['cache', 'memoize', 'memo', 'lru', 'expiry', 'evict', 'store'],
  ['parse', 'parser', 'tokenize', 'token', 'lexer', 'syntax', 'ast', 'grammar', 'decode'],
  ['serialize', 'json', 'encode', 'stringify', 'marshal', 'format', 'deserialize'],
  ['time', 'date', 'timestamp', 'clock', 'duration', 'timeout', 'schedule', 'timer', 'interval', 'delay'],
  ['network', 'socket', 'tcp', 'connection', 'connect', 'client', 'server', 'websocket', 'port'],
  ['user', 'account', 'profile', 'member', 'customer'],
  ['message', 'event', 'notification', 'email', 'send', 'queue', 'publish', 'subscribe', 'emit', 'listener'],
  ['concurrency', 'thread', 'worker', 'parallel', 'lock', 'mutex', 'pool', 'asynchronous', 'semaphore'],
  ['retry', 'backoff', 'attempt', 'retries', 'again', 'exponential', 'jitter'],
  ['hash', 'digest', 'sha', 'checksum', 'md5', 'crypto'],
  ['encrypt', 'decrypt', 'crypto', 'cipher', 'secret', 'key', 'sign', 'signature'],
  ['render', 'view', 'template', 'component', 'display', 'draw', 'layout', 'html', 'interface', 'widget'],
  ['validate', 'validation', 'check', 'verify', 'sanitize', 'schema', 'constraint'],
  ['sort', 'order', 'rank', 'compare', 'comparator'],
  ['compress', 'zip', 'gzip', 'deflate', 'archive'],
  ['stream', 'pipe', 'buffer', 'chunk', 'flush'],
  ['install', 'package', 'dependency', 'npm', 'version', 'upgrade'],
  ['start', 'begin', 'initialize', 'launch', 'boot', 'open', 'setup', 'run'],
  ['stop', 'end', 'close', 'shutdown', 'kill', 'terminate', 'exit', 'cancel', 'abort', 'dispose'],
  ['graph', 'node', 'edge', 'tree', 'traverse', 'visit', 'walk'],
  ['import', 'dependency', 'module', 'include'],
  ['document', 'markdown', 'text', 'page', 'pdf'],
  ['payment', 'invoice', 'billing', 'charge', 'price', 'cost', 'currency', 'budget', 'spend'],
  ['image', 'picture', 'photo', 'png', 'jpeg', 'icon', 'thumbnail'],
  ['command', 'argument', 'shell', 'terminal', 'prompt', 'flag'],
  ['upload', 'download', 'transfer', 'attachment'],
  ['count', 'total', 'sum', 'aggregate', 'statistic', 'metric'],
  ['copy', 'clone', 'duplicate'],
  ['convert', 'transform', 'map', 'translate'],
  ['list', 'array', 'collection', 'items', 'sequence'],
  ['random', 'shuffle', 'uuid', 'seed'],
  ['git', 'commit', 'branch', 'merge', 'diff', 'blame', 'history'],
  ['build', 'compile', 'compiler', 'bundle', 'transpile'],
  ['embedding', 'vector', 'similarity', 'semantic', 'nearest'],
  ['cookie', 'session', 'header'],
  ['escape', 'encode', 'sanitize', 'quote'],
];
