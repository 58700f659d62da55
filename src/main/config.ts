// Loads $MIRA_HOME/config.json and overlays the environment variables named in CONTRACT.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigFileSchema, CONFIG_DEFAULTS, type ConfigFile, type MiraConfig } from '../shared/config';
import { MiraError } from '../shared/errors';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MIRA_HOME && env.MIRA_HOME.trim() ? path.resolve(env.MIRA_HOME) : path.join(os.homedir(), '.mira');
}

export function configPath(home: string): string {
  return path.join(home, 'config.json');
}

/** Reads the config file; a missing file is an empty config, a corrupt one is a clear error (never overwritten). */
export function readConfigFile(home: string): ConfigFile {
  const file = configPath(home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new MiraError('config_invalid', `cannot read ${file}: ${(e as Error).message}`);
  }
  if (!text.trim()) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MiraError('config_invalid', `${file} is not valid JSON: ${(e as Error).message}`, `fix or delete ${file}; Mira never overwrites it on its own`);
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MiraError('config_invalid', `${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, `fix that setting in ${file}`);
  }
  return parsed.data;
}

/** Writes settings atomically, keeping the fields it does not know. */
export function writeConfigFile(home: string, patch: Partial<ConfigFile>): ConfigFile {
  const current = readConfigFile(home);
  const next = { ...current, ...patch };
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete (next as Record<string, unknown>)[k];
  fs.mkdirSync(home, { recursive: true });
  const file = configPath(home);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return next;
}

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new MiraError('config_invalid', `${name}=${v} is not a non-negative number`);
  return n;
}

export function loadConfig(home: string, env: NodeJS.ProcessEnv = process.env): MiraConfig {
  const f = readConfigFile(home);
  const effort = (env.MIRA_REASONING_EFFORT || f.reasoningEffort || CONFIG_DEFAULTS.reasoningEffort) as MiraConfig['reasoningEffort'];
  if (!['none', 'minimal', 'low', 'medium', 'high'].includes(effort)) {
    throw new MiraError('config_invalid', `MIRA_REASONING_EFFORT=${effort} is not one of none, minimal, low, medium, high`);
  }
  return {
    home,
    openaiApiKey: env.OPENAI_API_KEY || f.openaiApiKey || undefined,
    openaiBaseUrl: env.OPENAI_BASE_URL || f.openaiBaseUrl || undefined,
    model: env.MIRA_MODEL || f.model || CONFIG_DEFAULTS.model,
    reasoningEffort: effort,
    embeddingModel: env.MIRA_EMBEDDING_MODEL || f.embeddingModel || CONFIG_DEFAULTS.embeddingModel,
    dailyLimitUsd: num(env.MIRA_DAILY_LIMIT_USD, 'MIRA_DAILY_LIMIT_USD') ?? f.dailyLimitUsd ?? CONFIG_DEFAULTS.dailyLimitUsd,
    monthlyLimitUsd: num(env.MIRA_MONTHLY_LIMIT_USD, 'MIRA_MONTHLY_LIMIT_USD') ?? f.monthlyLimitUsd ?? CONFIG_DEFAULTS.monthlyLimitUsd,
    qdrantUrl: env.QDRANT_URL || f.qdrantUrl || undefined,
    qdrantApiKey: env.QDRANT_API_KEY || f.qdrantApiKey || undefined,
    maxFileBytes: f.maxFileBytes ?? CONFIG_DEFAULTS.maxFileBytes,
    recentProjects: f.recentProjects ?? [],
    buildCommand: f.buildCommand,
    testCommand: f.testCommand,
  };
}
