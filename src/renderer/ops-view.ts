// Pure helpers of the Operations panel: a diff's two sides with their file line numbers, and status labels.

/** The two sides of a unified diff, hunk by hunk (a "⋯" line marks skipped unchanged lines), for Monaco's diff editor,
 * with each shown line's number in the real file (null for a "⋯" line), so the gutter shows file line numbers. */
export function sidesOfDiff(diff: string): { original: string; modified: string; originalLineNumbers: (number | null)[]; modifiedLineNumbers: (number | null)[] } {
  const original: string[] = [];
  const modified: string[] = [];
  const originalLineNumbers: (number | null)[] = [];
  const modifiedLineNumbers: (number | null)[] = [];
  let inHunk = false;
  let a = 0;
  let b = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      // "-0,0" (a created file) starts before line 1
      a = m ? Math.max(1, Number(m[1])) : a + 1;
      b = m ? Math.max(1, Number(m[2])) : b + 1;
      if (inHunk || original.length) {
        original.push('⋯');
        modified.push('⋯');
        originalLineNumbers.push(null);
        modifiedLineNumbers.push(null);
      }
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (line.startsWith('+')) {
      modified.push(line.slice(1));
      modifiedLineNumbers.push(b++);
    } else if (line.startsWith('-')) {
      original.push(line.slice(1));
      originalLineNumbers.push(a++);
    } else if (line.startsWith(' ')) {
      original.push(line.slice(1));
      modified.push(line.slice(1));
      originalLineNumbers.push(a++);
      modifiedLineNumbers.push(b++);
    } else if (line === '') {
      // The trailing newline of the diff text.
    }
  }
  return { original: original.join('\n'), modified: modified.join('\n'), originalLineNumbers, modifiedLineNumbers };
}

/** An operation's status as a person reads it: a "done" that wrote nothing says "no changes"; one undone says so. */
export function statusLabel(o: { status: string; outcome?: string | null }): string {
  if (o.status === 'done' && o.outcome === 'no_changes') return 'no changes';
  if (o.status === 'done' && o.outcome === 'undone') return 'undone';
  return o.status.replace('_', ' ');
}
