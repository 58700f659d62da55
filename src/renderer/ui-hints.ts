// Hints in the window name the window's own actions. The services write hints for the command line ("raise it with
// `mira budget set --daily N`", "resume it with mira ops resume 4"); here those become the panel or button that does
// the same, so the CLI keeps its hints and the UI never sends the user to a terminal for something it has a button for.

const RULES: [RegExp, string][] = [
  [/raise it with `mira budget set --daily N` \(or MIRA_DAILY_LIMIT_USD\)/g, 'raise the daily limit in the Budget panel'],
  [/raise it with `mira budget set --monthly N` \(or MIRA_MONTHLY_LIMIT_USD\)/g, 'raise the monthly limit in the Budget panel'],
  [/`?mira budget set[^`;,]*`?/g, 'the limits in the Budget panel'],
  [/give it more with `?mira ops resume \d+ --max-steps (\d+)`?/g, 'press Resume to give it more model turns'],
  [/resume it with `?mira ops resume \d+`?/g, 'press Resume'],
  [/`?mira ops resume \d+[^`;,]*`?/g, 'Resume'],
  [/undo with force to overwrite those later changes \(`?mira undo \d+ --force`?\)/g, 'undo with force (this overwrites those later changes)'],
  [/undo them with `?mira undo \d+`?/g, 'undo them with Undo'],
  [/`?mira undo \d+[^`;,]*`?/g, 'Undo'],
  [/`?mira ops apply \d+[^`;,]*`?/g, 'Apply'],
  [/check the path, or pass --project PATH/g, 'check the path, or choose a recent project'],
  [/pass an existing folder with --project PATH/g, 'choose an existing folder'],
  [/open a folder first \(mira --project PATH, or File > Open Folder\)/g, 'open a folder first (Open another folder in the Files panel)'],
  [/open a project \(--project PATH\)/g, 'open a project'],
];

export function uiHint(hint: string | null | undefined): string | undefined {
  if (!hint) return undefined;
  let out = hint;
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}
