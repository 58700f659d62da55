#!/usr/bin/env node
// Electron security scan: Doyensec's Electronegativity (pinned, installed in a cache outside the repo) over the app's
// sources; fails on every finding that .electronegativity-accept.json does not accept with a written justification.
//
//   node scripts/electron-security-scan.mjs [--accept FILE] [--report REPORT.csv] [--json OUT.json]
//
// --report evaluates a CSV written by `electronegativity -o` instead of scanning; --json writes the verdict as JSON.
// Exit status: 0 clean, 1 findings to fix (or stale acceptances, or files the scanner could not parse), 2 setup error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCANNER = '@doyensec/electronegativity';
export const SCANNER_VERSION = '1.10.3';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_ACCEPT = path.join(ROOT, '.electronegativity-accept.json');
/** What is scanned: the app's sources without their tests (which set hostile values on purpose), plus package.json. */
const SCAN_DIRS = ['src'];
/** The file types the scanner reads; anything else would be ignored by it anyway. */
const SCANNED_EXT = new Set(['.js', '.jsx', '.ts', '.tsx', '.html', '.htm']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
/** Where the generated CSP probe sits inside the scanned tree (see cspProbeSource). */
export const CSP_PROBE_FILE = '__generated__/csp-probe.js';
/** Checks switched off, each with its reason; the summary prints them so nobody mistakes them for passes. */
export const EXCLUDED_CHECKS = {
  AvailableSecurityFixesGlobalCheck:
    'downloads the list of Electron releases from GitHub at scan time, so its verdict would change with the network and the day; Electron updates are dependency updates',
  ElectronVersionJSONCheck: 'only reports the Electron version from package.json, for the check above; the script passes the pinned version itself',
};
const MIN_JUSTIFICATION = 20;
/** The script's own finding for an `eng-disable` comment (not an Electronegativity check). */
const INLINE_SUPPRESSION = 'INLINE_SUPPRESSION';
const ENTRY_KEYS = new Set(['check', 'file', 'sample', 'description', 'justification']);

// ---------------------------------------------------------------- verdict (tested through --report in test/electron-security-scan.test.ts)

/** Parses the scanner's CSV report (`issue, severity, confidence, filename, location, sample, description, url`). */
export function parseCsvReport(text) {
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase());
  const want = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description'];
  if (!header || want.some((w, i) => header[i] !== w)) throw new Error(`not an Electronegativity CSV report (header: ${header?.join(', ') ?? 'none'})`);
  return rows
    .filter((r) => r.length > 1 || (r[0] ?? '').trim() !== '')
    .map((r) => {
      const [line, column] = (r[4] ?? '').split(':').map((n) => Number.parseInt(n, 10));
      return {
        check: (r[0] ?? '').trim(),
        severity: r[1] ?? '',
        confidence: r[2] ?? '',
        file: r[3] ?? 'N/A',
        line: Number.isFinite(line) ? line : 0,
        column: Number.isFinite(column) ? column : 0,
        sample: r[5] === 'N/A' || r[5] === undefined ? null : r[5],
        description: r[6] ?? '',
      };
    });
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; the scanner writes N/A unquoted. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Validates the allowlist; returns its entries or throws with every problem listed. */
export function parseAcceptFile(text, name = 'accept file') {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not valid JSON (${e.message})`);
  }
  if (!data || typeof data !== 'object' || !Array.isArray(data.accepted)) throw new Error(`${name}: expected {"accepted": [...]}`);
  const problems = [];
  data.accepted.forEach((e, i) => {
    const at = `${name}: accepted[${i}]`;
    if (!e || typeof e !== 'object' || Array.isArray(e)) return problems.push(`${at} is not an object`);
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) problems.push(`${at} has an unknown key "${k}" (allowed: ${[...ENTRY_KEYS].join(', ')})`);
    if (typeof e.check !== 'string' || !/^[A-Z0-9_]+$/.test(e.check)) problems.push(`${at}.check must be a check id such as SANDBOX_JS_CHECK`);
    if (typeof e.file !== 'string' || !e.file.trim()) problems.push(`${at}.file must name the file as the report does (or "N/A")`);
    for (const k of ['sample', 'description']) if (k in e && (typeof e[k] !== 'string' || !e[k])) problems.push(`${at}.${k} must be a non-empty string`);
    if (typeof e.justification !== 'string' || e.justification.trim().length < MIN_JUSTIFICATION)
      problems.push(`${at}.justification must say why the finding is safe, and where the protection is (at least ${MIN_JUSTIFICATION} characters)`);
  });
  if (problems.length) throw new Error(problems.join('\n'));
  return data.accepted;
}

export function entryMatches(entry, finding) {
  return (
    entry.check === finding.check &&
    entry.file === finding.file &&
    (entry.sample === undefined || (finding.sample ?? '').includes(entry.sample)) &&
    (entry.description === undefined || finding.description.includes(entry.description))
  );
}

/**
 * Splits findings into accepted (with the entry that accepts each) and unaccepted, and lists the entries that
 * matched nothing: a stale acceptance is an error too, so the allowlist never outlives the code it describes.
 */
export function evaluate(findings, entries, parseErrors = []) {
  const used = new Set();
  const accepted = [];
  const unaccepted = [];
  for (const f of findings) {
    const i = entries.findIndex((e) => entryMatches(e, f));
    if (i < 0) unaccepted.push(f);
    else {
      used.add(i);
      accepted.push({ finding: f, entry: entries[i] });
    }
  }
  const stale = entries.filter((_, i) => !used.has(i));
  return { ok: unaccepted.length === 0 && stale.length === 0 && parseErrors.length === 0, accepted, unaccepted, stale, parseErrors };
}

const where = (f) => (f.file === 'N/A' ? 'N/A' : `${f.file}:${f.line}:${f.column}`);

export function summary(result, meta = {}) {
  const out = [];
  const head = meta.version ? `${SCANNER} ${meta.version}` : SCANNER;
  out.push(`Electron security scan (${head}${meta.electron ? `, Electron ${meta.electron}` : ''})`);
  if (meta.scanned) out.push(`  scanned: ${meta.scanned}`);
  if (meta.excluded) for (const [k, why] of Object.entries(meta.excluded)) out.push(`  check off: ${k}: ${why}`);
  for (const { finding: f, entry } of result.accepted) {
    out.push(`  accepted  ${f.severity.padEnd(6)} ${f.check} ${where(f)}`);
    const why = entry.justification.replace(/\s+/g, ' ');
    out.push(`            why: ${why.length > 150 ? why.slice(0, 147) + '...' : why}`);
  }
  for (const f of result.unaccepted) {
    out.push(`  FINDING   ${f.severity.padEnd(6)} ${f.check} ${where(f)} (${f.confidence.toLowerCase()})`);
    out.push(`            ${f.description}`);
    if (f.sample) out.push(`            > ${f.sample.length > 160 ? f.sample.slice(0, 157) + '...' : f.sample}`);
    if (f.check !== INLINE_SUPPRESSION) out.push(`            https://github.com/doyensec/electronegativity/wiki/${f.check}`);
  }
  for (const e of result.stale) {
    out.push(`  STALE     acceptance of ${e.check} in ${e.file}${e.sample ? ` ("${e.sample}")` : ''} matches no finding: delete it from the accept file`);
  }
  for (const p of result.parseErrors) out.push(`  UNPARSED  ${p.file}: ${p.message} (the scanner could not check this file)`);
  const verdict = result.ok ? 'PASS' : 'FAIL';
  out.push(
    `Electron security scan: ${verdict}: ${result.unaccepted.length} to fix, ${result.accepted.length} accepted, ` +
      `${result.stale.length} stale acceptances, ${result.parseErrors.length} unparsed files`,
  );
  if (!result.ok && result.unaccepted.length) {
    out.push('  Fix each finding in the Electron code; only a false positive belongs in the accept file, with where the protection is.');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- scanning

function electronVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const v = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  const m = typeof v === 'string' ? /\d+\.\d+\.\d+/.exec(v) : null;
  if (!m) throw new Error('package.json names no Electron version');
  return m[0];
}

function cacheDir() {
  if (process.env.MIRA_ENEG_CACHE) return path.resolve(process.env.MIRA_ENEG_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'mira-eneg');
}

/** Installs the pinned scanner in its own prefix (its old commander clashes with ours), once per version. */
function ensureScanner() {
  const dir = path.join(cacheDir(), SCANNER_VERSION);
  const pkgFile = path.join(dir, 'node_modules', SCANNER, 'package.json');
  const installed = () => {
    try {
      return JSON.parse(fs.readFileSync(pkgFile, 'utf8')).version === SCANNER_VERSION && fs.existsSync(path.join(dir, '.complete'));
    } catch {
      return false;
    }
  };
  if (!installed()) {
    fs.mkdirSync(cacheDir(), { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir(), `.install-${SCANNER_VERSION}-`));
    console.log(`== installing ${SCANNER}@${SCANNER_VERSION} into ${dir}`);
    // --ignore-scripts: the scanner needs no install step, and a security tool's install should run no foreign code.
    const r = spawnSync(
      'npm',
      ['install', '--prefix', tmp, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `${SCANNER}@${SCANNER_VERSION}`],
      { cwd: tmp, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`npm could not install ${SCANNER}@${SCANNER_VERSION} (exit ${r.status ?? r.signal})`);
    }
    fs.writeFileSync(path.join(tmp, '.complete'), `${SCANNER}@${SCANNER_VERSION}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      // Another run finished the same install first; keep theirs.
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!installed()) throw e;
    }
  }
  return path.join(dir, 'node_modules', SCANNER, 'dist', 'runner.js');
}

/** The production CSP from src/main/window-options.ts, computed by the code itself (through tsx, a project dependency). */
function productionCsp() {
  const src = `const m = await import(${JSON.stringify(path.join(ROOT, 'src/main/window-options.ts'))}); process.stdout.write(m.contentSecurityPolicy());`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', src], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.trim()) throw new Error(`could not compute the CSP from src/main/window-options.ts: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/**
 * index.ts sets the CSP from a variable, which the scanner cannot read (it reports "Failed to parse CSP"). This probe
 * hands it the real production policy as a literal in the shape it recognises, so the policy itself is judged.
 */
export function cspProbeSource(csp) {
  return [
    '// Generated by scripts/electron-security-scan.mjs for the scan only: contentSecurityPolicy() from src/main/window-options.ts.',
    'session.defaultSession.webRequest.onHeadersReceived((details, callback) => {',
    `  callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [${JSON.stringify(csp)}] } });`,
    '});',
    '',
  ].join('\n');
}

/** Copies what is scanned into a fresh folder, so tests and generated files never reach the scanner's global checks. */
function stage(csp) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-eneg-scan-'));
  let files = 0;
  const inlineSuppressions = [];
  const walk = (rel) => {
    for (const ent of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, ent.name);
      if (ent.isDirectory()) {
        if (ent.name !== 'node_modules' && ent.name !== 'fixtures') walk(r);
      } else if (ent.isFile() && SCANNED_EXT.has(path.extname(ent.name)) && !TEST_FILE.test(ent.name)) {
        const text = fs.readFileSync(path.join(ROOT, r), 'utf8');
        // The scanner honours `eng-disable` comments silently; suppressions belong in the accept file, with a reason.
        text.split('\n').forEach((line, i) => {
          if (/eng-disable/i.test(line)) inlineSuppressions.push({ file: r, line: i + 1, sample: line.trim() });
        });
        fs.mkdirSync(path.join(dir, path.dirname(r)), { recursive: true });
        fs.writeFileSync(path.join(dir, r), text);
        files++;
      }
    }
  };
  for (const d of SCAN_DIRS) walk(d);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.mkdirSync(path.join(dir, path.dirname(CSP_PROBE_FILE)), { recursive: true });
  fs.writeFileSync(path.join(dir, CSP_PROBE_FILE), cspProbeSource(csp));
  return { dir, files, inlineSuppressions };
}

// Runs inside a child Node: the scanner's programmatic API, which (unlike its CLI with -o) also returns parse errors.
const CHILD = `
const Module = require('module');
const load = Module._load;
// Offline and reproducible: the messages shipped in the pinned package, not whatever its translation bucket serves today.
Module._load = function (request, parent) {
  if (request === 'got' && parent && /[\\\\/]locales[\\\\/]i18n\\.js$/.test(parent.filename)) return () => Promise.reject(new Error('offline'));
  return load.apply(this, arguments);
};
const [runnerPath, optionsJson, outPath] = process.argv.slice(1);
require(runnerPath)(JSON.parse(optionsJson), false).then((r) => {
  const name = (x) => (x && x.name) || String(x);
  const issues = r.issues.map((i) => ({
    check: i.id, severity: name(i.severity), confidence: name(i.confidence), file: i.file,
    line: (i.location && i.location.line) || 0, column: (i.location && i.location.column) || 0,
    sample: i.sample == null ? null : String(i.sample), description: String(i.description),
  }));
  require('fs').writeFileSync(outPath, JSON.stringify({ checks: r.globalChecks + r.atomicChecks, errors: r.errors, issues }));
}, (e) => { console.error((e && e.stack) || e); process.exit(1); });
`;

function scan(runner, stageDir, electron) {
  const out = path.join(stageDir, '..', `${path.basename(stageDir)}.json`);
  const options = {
    input: stageDir,
    isRelative: true,
    isVerbose: true,
    customScan: [],
    excludeFromScan: Object.keys(EXCLUDED_CHECKS).map((c) => c.toLowerCase()),
    electronVersionOverride: electron,
    parserPlugins: [],
  };
  const r = spawnSync(process.execPath, ['-e', CHILD, runner, JSON.stringify(options), out], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en-US', FORCE_COLOR: '0' },
  });
  if (r.status !== 0) throw new Error(`the scanner failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  try {
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(out, { force: true });
  }
}

function parseArgs(argv) {
  const args = { accept: DEFAULT_ACCEPT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return path.resolve(v);
    };
    if (a === '--accept') args.accept = val();
    else if (a === '--report') args.report = val();
    else if (a === '--json') args.json = val();
    else if (a === '-h' || a === '--help') args.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function main(argv) {
  let args;
  let entries;
  try {
    args = parseArgs(argv);
    if (args.help) {
      console.log('usage: node scripts/electron-security-scan.mjs [--accept FILE] [--report REPORT.csv] [--json OUT.json]');
      return 0;
    }
    entries = parseAcceptFile(fs.readFileSync(args.accept, 'utf8'), path.relative(process.cwd(), args.accept) || args.accept);
  } catch (e) {
    console.error(`electron-security-scan: ${e.message}`);
    return 2;
  }

  let findings;
  let parseErrors = [];
  let meta;
  if (args.report) {
    try {
      findings = parseCsvReport(fs.readFileSync(args.report, 'utf8'));
    } catch (e) {
      console.error(`electron-security-scan: ${args.report}: ${e.message}`);
      return 2;
    }
    meta = { scanned: `report ${path.relative(process.cwd(), args.report)}` };
  } else {
    let staged;
    try {
      const electron = electronVersion();
      const runner = ensureScanner();
      const started = Date.now();
      staged = stage(productionCsp());
      const res = scan(runner, staged.dir, electron);
      findings = [
        ...res.issues,
        ...staged.inlineSuppressions.map((s) => ({
          check: INLINE_SUPPRESSION,
          severity: 'HIGH',
          confidence: 'CERTAIN',
          file: s.file,
          line: s.line,
          column: 0,
          sample: s.sample,
          description: 'An eng-disable comment hides findings from the scanner; accept them in the accept file with a reason instead',
        })),
      ];
      parseErrors = res.errors.filter((e) => !e.tolerable).map((e) => ({ file: path.relative(staged.dir, e.file), message: e.message }));
      const warnings = res.errors.length - parseErrors.length;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      meta = {
        version: SCANNER_VERSION,
        electron,
        scanned: `${staged.files} files under ${SCAN_DIRS.join(', ')}/ (tests excluded), package.json and the production CSP (${CSP_PROBE_FILE}); ${res.checks} checks in ${secs}s` +
          (warnings ? `; ${warnings} parser warnings` : ''),
        excluded: EXCLUDED_CHECKS,
      };
    } catch (e) {
      console.error(`electron-security-scan: ${e.message}`);
      return 2;
    } finally {
      if (staged) fs.rmSync(staged.dir, { recursive: true, force: true });
    }
  }

  const result = evaluate(findings, entries, parseErrors);
  console.log(summary(result, meta));
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ ...result, meta }, null, 2) + '\n');
  return result.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
