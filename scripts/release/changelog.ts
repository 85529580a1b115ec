/**
 * Releases from CHANGELOG.md: which versions it lists, and for each one without a tag, the commit that added its
 * heading. Used by .github/workflows/release.yml (`node scripts/release/changelog.ts plan`) and tested in
 * test/unit/site/release.test.ts. Node's own modules only, so the workflow needs no `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One released version of the changelog: `## [0.1.0] - 2026-11-29` and the notes under it. */
export interface ChangelogVersion {
  version: string;
  date: string;
  /** The exact heading line, which is what the commit search looks for. */
  heading: string;
  notes: string;
}

const HEADING = /^## \[(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\] - (\d{4}-\d{2}-\d{2})\s*$/;

/** The released versions of a Keep a Changelog file, newest first; `[Unreleased]` is not a version. */
export function parseChangelog(text: string): ChangelogVersion[] {
  const lines = text.split('\n');
  const out: ChangelogVersion[] = [];
  let current: ChangelogVersion | null = null;
  for (const line of lines) {
    if (line.startsWith('## ')) {
      if (current) out.push(current);
      const m = HEADING.exec(line);
      if (!m && !/^## \[Unreleased\]\s*$/.test(line)) throw new Error(`CHANGELOG.md: '${line}' is neither '## [Unreleased]' nor '## [x.y.z] - YYYY-MM-DD'`);
      current = m ? { version: m[1], date: m[2], heading: line.trimEnd(), notes: '' } : null;
    } else if (current && !/^\[[^\]]+\]: /.test(line)) current.notes += line + '\n';
  }
  if (current) out.push(current);
  for (const v of out) v.notes = v.notes.trim() + '\n';
  const seen = new Set<string>();
  for (const v of out) {
    if (seen.has(v.version)) throw new Error(`CHANGELOG.md lists ${v.version} twice`);
    seen.add(v.version);
  }
  return out;
}

export interface PlannedRelease {
  tag: string;
  commit: string;
  title: string;
  notes: string;
}

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/**
 * For every changelog version whose tag `v<version>` does not exist yet: the oldest commit whose CHANGELOG.md
 * gained that version's heading (git log -S), oldest version first. Needs the full history (fetch-depth: 0).
 */
export function releasePlan(cwd: string, file = 'CHANGELOG.md'): PlannedRelease[] {
  const versions = parseChangelog(readFileSync(join(cwd, file), 'utf8'));
  const tags = new Set(git(cwd, ['tag', '--list', 'v*']).split('\n').filter(Boolean));
  const plan: PlannedRelease[] = [];
  for (const v of [...versions].reverse()) {
    const tag = `v${v.version}`;
    if (tags.has(tag)) continue;
    const commits = git(cwd, ['log', '--format=%H', '--reverse', '-S', v.heading, '--', file]).split('\n').filter(Boolean);
    if (commits.length === 0) throw new Error(`no commit adds '${v.heading}' to ${file}`);
    plan.push({ tag, commit: commits[0], title: `${tag} — ${v.date}`, notes: v.notes });
  }
  return plan;
}

/** `plan [dir]`: writes each release's notes to <dir>/<tag>.md and prints `tag commit title` lines. */
if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === 'plan') {
  const dir = process.argv[3] ?? 'out/release';
  mkdirSync(dir, { recursive: true });
  for (const r of releasePlan(process.cwd())) {
    writeFileSync(join(dir, `${r.tag}.md`), r.notes);
    console.log(`${r.tag} ${r.commit} ${r.title}`);
  }
}
