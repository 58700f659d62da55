// Tells automated authors (dependency bots, CI, release tooling) from people, by name and email.

const BOT_NAMES =
  /\[bot\]|(^|[^a-z])bot($|[^a-z])|dependabot|renovate|greenkeeper|github-actions|semantic-release|pre-commit-ci|allcontributors|all-contributors|imgbot|snyk|mergify|codecov|whitesource|deepsource|pyup|scala-steward|copilot-swe-agent|weblate|transifex|crowdin/i;

export function isBot(name: string, email: string): boolean {
  const local = email.split('@')[0] ?? '';
  // GitHub noreply addresses look like "12345+name[bot]@users.noreply.github.com".
  return BOT_NAMES.test(name) || BOT_NAMES.test(local) || /^(noreply|no-reply|actions|action)@github\.com$/i.test(email);
}
