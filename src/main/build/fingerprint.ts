// Deduplication keys for build errors: the same mistake gets the same fingerprint across runs, lines and names.
import crypto from 'node:crypto';

/** Numbers, quoted identifiers and paths are replaced, so "'foo' at 12" and "'bar' at 40" normalise alike. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/\s+/g, ' ')
    .replace(/(?:[A-Za-z]:)?(?:[\w.@-]+)?(?:[/\\][\w.@-]+)+\.\w+(?::\d+(?::\d+)?)?/g, '<path>')
    .replace(/(['"`‘’“”])(?:(?!\1).){1,200}?\1/g, '<q>')
    .replace(/0x[0-9a-f]+/gi, '<n>')
    .replace(/\b\d+(?:\.\d+)?\b/g, '<n>')
    .trim()
    .toLowerCase();
}

export function fingerprint(e: { tool: string; code: string | null; message: string; file: string | null }): string {
  return crypto
    .createHash('sha256')
    .update([e.tool, e.code ?? '', normalizeMessage(e.message), e.file ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/** Runs of the same command compare with each other; flags that only change output format do not split the scope. */
export function commandScope(command: string): string {
  return command
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s--?(color|colour)(=\S+)?/g, '')
    .replace(/\s--pretty(=\S+|\s+(true|false))?/g, '');
}
