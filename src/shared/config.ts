// Configuration shape shared by every face: what `$MIRA_HOME/config.json` may hold, with defaults.
import { z } from 'zod';

export const ConfigFileSchema = z
  .object({
    openaiApiKey: z.string().optional(),
    openaiBaseUrl: z.string().optional(),
    model: z.string().optional(),
    reasoningEffort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).optional(),
    embeddingModel: z.string().optional(),
    dailyLimitUsd: z.number().nonnegative().optional(),
    monthlyLimitUsd: z.number().nonnegative().optional(),
    qdrantUrl: z.string().optional(),
    qdrantApiKey: z.string().optional(),
    maxFileBytes: z.number().int().positive().optional(),
    recentProjects: z.array(z.string()).optional(),
    buildCommand: z.string().optional(),
    testCommand: z.string().optional(),
  })
  .passthrough();

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface MiraConfig {
  home: string;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  model: string;
  reasoningEffort: 'none' | 'minimal' | 'low' | 'medium' | 'high';
  embeddingModel: string;
  dailyLimitUsd: number;
  monthlyLimitUsd: number;
  qdrantUrl?: string;
  qdrantApiKey?: string;
  maxFileBytes: number;
  recentProjects: string[];
  buildCommand?: string;
  testCommand?: string;
}

export const CONFIG_DEFAULTS = {
  model: 'gpt-5.1',
  reasoningEffort: 'medium',
  embeddingModel: 'local',
  dailyLimitUsd: 5,
  monthlyLimitUsd: 150,
  maxFileBytes: 1024 * 1024,
} as const;
