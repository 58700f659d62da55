// The Electron security scan's verdict logic: CSV report parsing and the accept file, through the script's --report mode
// (no scanner install needed; .ci/run runs the real scan).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../scripts/electron-security-scan.mjs');
const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
const wiki = (id: string) => `https://github.com/doyensec/electronegativity/wiki/${id}`;

// Rows as the scanner writes them: quoted fields, N/A unquoted, commas and doubled quotes inside samples.
const SANDBOX = `SANDBOX_JS_CHECK,"MEDIUM","FIRM","src/main/index.ts","187:14","const win = new BrowserWindow(windowOptions(preloadPath));","Use sandbox for untrusted origins",${wiki('SANDBOX_JS_CHECK')}`;
const OPEN_EXTERNAL = `OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","src/main/index.ts","181:34","if (ok(a, b)) void shell.openExternal(""https://x"");","Review the use of openExternal",${wiki('OPEN_EXTERNAL_JS_CHECK')}`;
const NO_CSP = `CSP_GLOBAL_CHECK,"MEDIUM","CERTAIN","N/A","0:0",N/A,"No CSP has been detected in the target application",${wiki('CSP_GLOBAL_CHECK')}`;
const WEAK_CSP = `CSP_GLOBAL_CHECK,"LOW","CERTAIN","gen/csp.js","3:13","script-src 'self' 'unsafe-eval'","One or more CSP directives detected are vulnerable",${wiki('CSP_GLOBAL_CHECK')}`;
const MAYBE_WEAK_CSP = `CSP_GLOBAL_CHECK,"LOW","FIRM","gen/csp.js","3:13","script-src 'self'","One or more CSP directives detected seems to be vulnerable",${wiki('CSP_GLOBAL_CHECK')}`;

const JUSTIFIED = 'False positive: the options come from webPreferences() in window-options.ts, pinned by its test.';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mira-eneg-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function run(rows: string[], accepted: unknown, eol = '\n') {
  const id = n++;
  const report = path.join(dir, `report-${id}.csv`);
  const accept = path.join(dir, `accept-${id}.json`);
  const json = path.join(dir, `result-${id}.json`);
  fs.writeFileSync(report, [HEADER, ...rows].join(eol) + eol);
  fs.writeFileSync(accept, typeof accepted === 'string' ? accepted : JSON.stringify({ accepted }));
  const r = spawnSync(process.execPath, [SCRIPT, '--report', report, '--accept', accept, '--json', json], { encoding: 'utf8' });
  const result = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : null;
  return { code: r.status, out: r.stdout, err: r.stderr, result };
}

describe('electron security scan (scripts/electron-security-scan.mjs)', () => {
  it('fails on a finding nobody accepted, and says what and where', () => {
    const r = run([SANDBOX], []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FINDING   MEDIUM SANDBOX_JS_CHECK src/main/index.ts:187:14');
    expect(r.out).toContain('> const win = new BrowserWindow(windowOptions(preloadPath));');
    expect(r.out).toMatch(/FAIL: 1 to fix, 0 accepted/);
  });

  it('passes when every finding is accepted with a justification', () => {
    const r = run([SANDBOX], [{ check: 'SANDBOX_JS_CHECK', file: 'src/main/index.ts', sample: 'new BrowserWindow(windowOptions(', justification: JUSTIFIED }]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('accepted  MEDIUM SANDBOX_JS_CHECK src/main/index.ts:187:14');
    expect(r.out).toMatch(/PASS: 0 to fix, 1 accepted, 0 stale/);
  });

  it('parses quoted fields with commas and doubled quotes, CRLF lines and unquoted N/A', () => {
    const r = run([OPEN_EXTERNAL, NO_CSP], [], '\r\n');
    expect(r.code).toBe(1);
    expect(r.result.unaccepted).toEqual([
      {
        check: 'OPEN_EXTERNAL_JS_CHECK',
        severity: 'MEDIUM',
        confidence: 'TENTATIVE',
        file: 'src/main/index.ts',
        line: 181,
        column: 34,
        sample: 'if (ok(a, b)) void shell.openExternal("https://x");',
        description: 'Review the use of openExternal',
      },
      {
        check: 'CSP_GLOBAL_CHECK',
        severity: 'MEDIUM',
        confidence: 'CERTAIN',
        file: 'N/A',
        line: 0,
        column: 0,
        sample: null,
        description: 'No CSP has been detected in the target application',
      },
    ]);
  });

  it('matches an entry on check, file, and the sample and description it names', () => {
    const sandbox = { check: 'SANDBOX_JS_CHECK', file: 'src/main/index.ts', justification: JUSTIFIED };
    expect(run([SANDBOX], [{ ...sandbox, file: 'src/main/other.ts' }]).code).toBe(1);
    expect(run([SANDBOX], [{ ...sandbox, check: 'CONTEXT_ISOLATION_JS_CHECK' }]).code).toBe(1);
    expect(run([SANDBOX], [{ ...sandbox, sample: 'new BrowserWindow({' }]).code).toBe(1);
    expect(run([SANDBOX], [sandbox]).code).toBe(0);
    // A policy that gets worse changes the description: the old acceptance no longer covers it.
    const csp = { check: 'CSP_GLOBAL_CHECK', file: 'gen/csp.js', sample: "script-src 'self'", description: 'seems to be vulnerable', justification: JUSTIFIED };
    expect(run([MAYBE_WEAK_CSP], [csp]).code).toBe(0);
    const worse = run([WEAK_CSP], [csp]);
    expect(worse.code).toBe(1);
    expect(worse.result.unaccepted.map((f: { description: string }) => f.description)).toEqual(['One or more CSP directives detected are vulnerable']);
  });

  it('fails on an acceptance that matches nothing any more', () => {
    const r = run([], [{ check: 'SANDBOX_JS_CHECK', file: 'src/main/index.ts', justification: JUSTIFIED }]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('STALE     acceptance of SANDBOX_JS_CHECK in src/main/index.ts matches no finding');
    expect(r.out).toMatch(/FAIL: 0 to fix, 0 accepted, 1 stale/);
  });

  it('refuses an accept file without real justifications, or with unknown keys', () => {
    for (const bad of [
      [{ check: 'SANDBOX_JS_CHECK', file: 'src/main/index.ts' }],
      [{ check: 'SANDBOX_JS_CHECK', file: 'src/main/index.ts', justification: 'ok' }],
      [{ check: 'SANDBOX_JS_CHECK', file: 'src/main/index.ts', justifcation: JUSTIFIED }],
      [{ check: 'sandbox', file: 'src/main/index.ts', justification: JUSTIFIED }],
    ]) {
      const r = run([SANDBOX], bad);
      expect(r.code, JSON.stringify(bad)).toBe(2);
      expect(r.err).toMatch(/accepted\[0\]/);
    }
    expect(run([SANDBOX], '{"accepted": [').code).toBe(2);
    expect(run([SANDBOX], '[]').err).toContain('expected {"accepted": [...]}');
  });

  it('refuses a file that is not an Electronegativity report', () => {
    const report = path.join(dir, 'not-a-report.csv');
    fs.writeFileSync(report, 'a,b,c\n1,2,3\n');
    const r = spawnSync(process.execPath, [SCRIPT, '--report', report, '--accept', path.join(dir, 'accept-0.json')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not an Electronegativity CSV report');
  });

  it("keeps the repository's own accept file valid", () => {
    const accept = path.resolve(import.meta.dirname, '../.electronegativity-accept.json');
    const r = run([], fs.readFileSync(accept, 'utf8'));
    // Against an empty report every entry is stale (exit 1); a malformed file would exit 2.
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.result.stale.length).toBeGreaterThan(0);
    for (const e of r.result.stale as { justification: string }[]) expect(e.justification).toMatch(/src\/main\/[\w-]+\.ts/);
  });
});
