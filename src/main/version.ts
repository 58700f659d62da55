// The running Mira version, read once from package.json.
import fs from 'node:fs';
import { packagePath } from './db/open';

function readVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export const VERSION = readVersion();
