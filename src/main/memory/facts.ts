// The user's profile (user_profile) and facts (memory_facts): one value per key, where a contradicting statement updates the old value instead of adding another.
import { MiraError } from '../../shared/errors';
import type { Db } from '../db/open';
import { scrub } from '../log';

export const PROFILE_CATEGORIES = ['preferences', 'coding_style', 'tech_stack', 'communication_style', 'identity'] as const;
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number];

export function isProfileCategory(s: string): s is ProfileCategory {
  return (PROFILE_CATEGORIES as readonly string[]).includes(s);
}

export interface FactRow {
  id: number;
  project_id: number | null;
  key: string;
  value: string;
  category: string;
  confidence: number;
  source: string;
  evidence: string | null;
  previous_value: string | null;
  revisions: number;
  times_referenced: number;
  times_confirmed: number;
  created_at: string;
  updated_at: string;
  last_confirmed_at: string;
  last_referenced_at: string | null;
}

export interface ProfileRow {
  category: ProfileCategory;
  key: string;
  value: string;
  confidence: number;
  source: string;
  evidence: string | null;
  previous_value: string | null;
  times_referenced: number;
  created_at: string;
  updated_at: string;
}

export type SetAction = 'added' | 'updated' | 'confirmed';

export interface SetResult {
  kind: 'profile' | 'fact';
  /** The full key: `category.key` for profile entries. */
  key: string;
  value: string;
  action: SetAction;
  previous_value: string | null;
  confidence: number;
  scope: 'global' | 'project';
}

export interface SetInput {
  value: string;
  projectId?: number | null;
  category?: string;
  confidence?: number;
  source?: string;
  evidence?: string;
}

/** Keys are lower-case dotted snake_case, so "Coding Style.Indent" and "coding_style.indent" are one key. */
export function normalizeKey(key: string): string {
  const k = key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[^a-z0-9_.:/]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '');
  if (!k) throw new MiraError('bad_request', `memory key ${JSON.stringify(key)} is empty once normalised`, 'use letters, digits, _ and dots, e.g. coding_style.indentation');
  if (k.length > 200) throw new MiraError('bad_request', 'memory keys are at most 200 characters');
  return k;
}

function sameValue(a: string, b: string): boolean {
  const n = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]+$/, '');
  return n(a) === n(b);
}

/** Confirming something already known raises its confidence, with diminishing returns. */
export function reinforce(c: number, weight = 0.3): number {
  return Math.min(0.99, c + (1 - c) * weight);
}

export class FactStore {
  private readonly q;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.q = {
      fact: db.prepare(`SELECT * FROM memory_facts WHERE ifnull(project_id, 0) = ifnull(?, 0) AND key = ?`),
      insertFact: db.prepare(`INSERT INTO memory_facts (project_id, key, value, category, confidence, source, evidence, created_at, updated_at, last_confirmed_at)
        VALUES (@project_id, @key, @value, @category, @confidence, @source, @evidence, @now, @now, @now)`),
      confirmFact: db.prepare(`UPDATE memory_facts SET confidence = @confidence, times_confirmed = times_confirmed + 1, last_confirmed_at = @now,
        evidence = ifnull(@evidence, evidence) WHERE id = @id`),
      replaceFact: db.prepare(`UPDATE memory_facts SET previous_value = value, value = @value, category = @category, confidence = @confidence, source = @source,
        evidence = @evidence, revisions = revisions + 1, times_confirmed = 1, updated_at = @now, last_confirmed_at = @now WHERE id = @id`),
      profile: db.prepare(`SELECT * FROM user_profile WHERE category = ? AND key = ?`),
      insertProfile: db.prepare(`INSERT INTO user_profile (category, key, value, confidence, source, evidence, created_at, updated_at)
        VALUES (@category, @key, @value, @confidence, @source, @evidence, @now, @now)`),
      confirmProfile: db.prepare(`UPDATE user_profile SET confidence = @confidence, updated_at = @now, evidence = ifnull(@evidence, evidence) WHERE category = @category AND key = @key`),
      replaceProfile: db.prepare(`UPDATE user_profile SET previous_value = value, value = @value, confidence = @confidence, source = @source, evidence = @evidence,
        updated_at = @now WHERE category = @category AND key = @key`),
      listFacts: db.prepare(`SELECT * FROM memory_facts WHERE project_id IS NULL OR project_id = ? ORDER BY key, project_id`),
      listAllFacts: db.prepare(`SELECT * FROM memory_facts ORDER BY key, project_id`),
      listProfile: db.prepare(`SELECT * FROM user_profile ORDER BY category, key`),
      forgetFact: db.prepare(`DELETE FROM memory_facts WHERE key = ? AND (project_id IS NULL OR project_id = ?)`),
      forgetFactPrefix: db.prepare(`DELETE FROM memory_facts WHERE (key = ? OR key LIKE ? ESCAPE '\\') AND (project_id IS NULL OR project_id = ?)`),
      forgetProfile: db.prepare(`DELETE FROM user_profile WHERE category = ? AND key = ?`),
      forgetProfileCategory: db.prepare(`DELETE FROM user_profile WHERE category = ?`),
      touchFact: db.prepare(`UPDATE memory_facts SET times_referenced = times_referenced + 1, last_referenced_at = ? WHERE id = ?`),
      touchProfile: db.prepare(`UPDATE user_profile SET times_referenced = times_referenced + 1 WHERE category = ? AND key = ?`),
    };
  }

  /** Sets a key: `category.key` with a profile category goes to the profile, anything else is a fact. */
  set(fullKey: string, input: SetInput): SetResult {
    const key = normalizeKey(fullKey);
    const dot = key.indexOf('.');
    const head = dot > 0 ? key.slice(0, dot) : '';
    if (isProfileCategory(head) && dot < key.length - 1) return this.setProfile(head, key.slice(dot + 1), input);
    return this.setFact(key, input);
  }

  setFact(keyIn: string, input: SetInput): SetResult {
    const key = normalizeKey(keyIn);
    const value = checkValue(input.value);
    const now = this.now().toISOString();
    const projectId = input.projectId ?? null;
    const scope = projectId === null ? 'global' : 'project';
    return this.db.transaction((): SetResult => {
      const old = this.q.fact.get(projectId, key) as FactRow | undefined;
      const confidence = clamp(input.confidence ?? 0.8);
      if (!old) {
        this.q.insertFact.run({ project_id: projectId, key, value, category: input.category ?? categoryOf(key), confidence, source: input.source ?? 'user', evidence: input.evidence ?? null, now });
        return { kind: 'fact', key, value, action: 'added', previous_value: null, confidence, scope };
      }
      if (sameValue(old.value, value)) {
        const c = Math.max(reinforce(old.confidence), confidence);
        this.q.confirmFact.run({ id: old.id, confidence: c, now, evidence: input.evidence ?? null });
        return { kind: 'fact', key, value: old.value, action: 'confirmed', previous_value: null, confidence: c, scope };
      }
      // The newest statement wins: people change their minds, and an old value is kept as previous_value.
      this.q.replaceFact.run({ id: old.id, value, category: input.category ?? old.category, confidence, source: input.source ?? 'user', evidence: input.evidence ?? null, now });
      return { kind: 'fact', key, value, action: 'updated', previous_value: old.value, confidence, scope };
    }).immediate();
  }

  setProfile(category: ProfileCategory, keyIn: string, input: SetInput): SetResult {
    const key = normalizeKey(keyIn);
    const value = checkValue(input.value);
    const now = this.now().toISOString();
    const full = `${category}.${key}`;
    return this.db.transaction((): SetResult => {
      const old = this.q.profile.get(category, key) as ProfileRow | undefined;
      const confidence = clamp(input.confidence ?? 0.8);
      if (!old) {
        this.q.insertProfile.run({ category, key, value, confidence, source: input.source ?? 'user', evidence: input.evidence ?? null, now });
        return { kind: 'profile', key: full, value, action: 'added', previous_value: null, confidence, scope: 'global' };
      }
      if (sameValue(old.value, value)) {
        const c = Math.max(reinforce(old.confidence), confidence);
        this.q.confirmProfile.run({ category, key, confidence: c, now, evidence: input.evidence ?? null });
        return { kind: 'profile', key: full, value: old.value, action: 'confirmed', previous_value: null, confidence: c, scope: 'global' };
      }
      this.q.replaceProfile.run({ category, key, value, confidence, source: input.source ?? 'user', evidence: input.evidence ?? null, now });
      return { kind: 'profile', key: full, value, action: 'updated', previous_value: old.value, confidence, scope: 'global' };
    }).immediate();
  }

  getFact(key: string, projectId: number | null = null): FactRow | undefined {
    const k = normalizeKey(key);
    return ((projectId !== null ? this.q.fact.get(projectId, k) : undefined) ?? this.q.fact.get(null, k)) as FactRow | undefined;
  }

  getProfile(category: ProfileCategory, key: string): ProfileRow | undefined {
    return this.q.profile.get(category, normalizeKey(key)) as ProfileRow | undefined;
  }

  /** Facts that apply here: global ones and this project's (all projects' when projectId is undefined). */
  facts(projectId?: number | null): FactRow[] {
    return (projectId === undefined ? this.q.listAllFacts.all() : this.q.listFacts.all(projectId ?? -1)) as FactRow[];
  }

  profileRows(): ProfileRow[] {
    return this.q.listProfile.all() as ProfileRow[];
  }

  profile(): Record<ProfileCategory, Record<string, string>> {
    const out = Object.fromEntries(PROFILE_CATEGORIES.map((c) => [c, {} as Record<string, string>])) as Record<ProfileCategory, Record<string, string>>;
    for (const r of this.profileRows()) if (isProfileCategory(r.category)) out[r.category][r.key] = r.value;
    return out;
  }

  /**
   * Forgets a key here (global and this project's). A profile category alone ("tech_stack") forgets the whole category;
   * a fact prefix ending in ".*" forgets everything under it.
   */
  forget(fullKey: string, projectId: number | null = null): number {
    const wildcard = fullKey.trim().endsWith('.*');
    const key = normalizeKey(wildcard ? fullKey.trim().slice(0, -2) : fullKey);
    return this.db.transaction(() => {
      let n = 0;
      const dot = key.indexOf('.');
      const head = dot > 0 ? key.slice(0, dot) : key;
      if (isProfileCategory(head)) {
        n += dot > 0 ? this.q.forgetProfile.run(head, key.slice(dot + 1)).changes : this.q.forgetProfileCategory.run(head).changes;
      }
      const pid = projectId ?? -1;
      n += wildcard ? this.q.forgetFactPrefix.run(key, `${key.replace(/[\\%_]/g, (c) => '\\' + c)}.%`, pid).changes : this.q.forgetFact.run(key, pid).changes;
      return n;
    }).immediate();
  }

  touchFacts(ids: number[]): void {
    const now = this.now().toISOString();
    for (const id of ids) this.q.touchFact.run(now, id);
  }

  touchProfile(entries: { category: string; key: string }[]): void {
    for (const e of entries) this.q.touchProfile.run(e.category, e.key);
  }
}

function checkValue(v: string): string {
  // A secret said in passing ("my key is sk-...") is never remembered.
  const value = scrub(String(v ?? '')).trim();
  if (!value) throw new MiraError('bad_request', 'a memory value cannot be empty', 'to remove a key use `mira memory forget KEY`');
  if (value.length > 4000) throw new MiraError('bad_request', 'a memory value is at most 4000 characters');
  return value;
}

function clamp(c: number): number {
  return Math.max(0, Math.min(1, c));
}

/** A fact's category from its key's first segment (rule.*, project.*, stack.*), or plain 'fact'. */
export function categoryOf(key: string): string {
  const head = key.split('.')[0] ?? '';
  return ['rule', 'project', 'stack', 'person', 'habit'].includes(head) ? head : 'fact';
}
