// Fills in visibility the extractor left open, by each language's default rules (Go capitals, Python underscores...).
import type { Extraction } from './context';

export function finishVisibility(x: Extraction): void {
  for (const s of x.symbols) {
    if (s.visibility) {
      if (s.visibility === 'public' && s.parent < 0) s.exported = true;
      continue;
    }
    const member = s.parent >= 0;
    switch (x.language) {
      case 'typescript':
      case 'tsx':
      case 'javascript':
        s.visibility = member ? (['class', 'interface', 'enum'].includes(x.symbols[s.parent]!.kind) ? 'public' : 'internal') : s.exported ? 'public' : 'internal';
        if (member && s.name.startsWith('_')) s.visibility = 'private';
        break;
      case 'python':
        if (/^__\w*[^_]$|^__[^_]$/.test(s.name) && !s.name.endsWith('__')) s.visibility = 'private';
        else if (s.name.startsWith('_') && !s.name.endsWith('__')) s.visibility = member ? 'protected' : 'internal';
        else s.visibility = 'public';
        s.exported = !member && s.visibility === 'public';
        break;
      case 'go':
        s.visibility = /^[A-Z]/.test(s.name) ? 'public' : 'internal';
        s.exported = s.visibility === 'public';
        break;
      case 'rust':
        s.visibility = 'private';
        break;
      case 'java':
        s.visibility = 'internal';
        break;
      default:
        s.visibility = 'public';
        if (!member) s.exported = true;
    }
  }
}
