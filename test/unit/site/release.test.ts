import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChangelog, releasePlan } from '../../../scripts/release/changelog.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const workflow = readFileSync('.github/workflows/release.yml', 'utf8');

describe('releases from CHANGELOG.md', () => {
  it('the newest version of the changelog is package.json\'s, and the release workflow plans from the changelog', () => {
    const versions = parseChangelog(readFileSync('CHANGELOG.md', 'utf8'));
    expect(versions.length).toBeGreaterThan(0);
    expect(versions[0].version).toBe(pkg.version);
    expect(versions[0].notes).toMatch(/Calculus 1\d/);
    // The workflow runs on main, reads this changelog through the tested planner, and tags v<version>.
    expect(workflow).toMatch(/branches: \[main\]/);
    expect(workflow).toContain('CHANGELOG.md');
    expect(workflow).toContain('node scripts/release/changelog.ts plan');
    expect(workflow).toMatch(/git tag -a "\$tag" "\$commit"/);
    expect(workflow).toMatch(/gh release create "\$tag" --verify-tag/);
  });

  it('reads versions newest first with their notes, skips [Unreleased] and link references, rejects a malformed heading', () => {
    const text = '# Changelog\n\n## [Unreleased]\n- soon\n\n## [0.2.0] - 2026-12-01\n### Added\n- Chapter 17\n\n## [0.1.0] - 2026-11-29\n- Chapter 16\n\n[0.1.0]: ../../releases/tag/v0.1.0\n';
    const v = parseChangelog(text);
    expect(v.map((x) => [x.version, x.date])).toEqual([['0.2.0', '2026-12-01'], ['0.1.0', '2026-11-29']]);
    expect(v[0].notes).toBe('### Added\n- Chapter 17\n');
    expect(v[1].notes).toBe('- Chapter 16\n');
    expect(() => parseChangelog('## 0.3.0\n')).toThrow(/'## 0.3.0' is neither/);
    expect(() => parseChangelog('## [0.1.0] - 2026-11-29\n## [0.1.0] - 2026-11-30\n')).toThrow(/lists 0.1.0 twice/);
  });

  it('plans an annotated tag for each untagged version at the commit that added its heading, oldest first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'release-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('config', 'user.email', 't@example.org');
    git('config', 'user.name', 'T');
    const commit = (file: string, text: string) => {
      writeFileSync(join(dir, file), text);
      git('add', file);
      git('commit', '-qm', file);
      return git('rev-parse', 'HEAD');
    };
    const v1 = '## [0.1.0] - 2026-11-29\n- one\n';
    const first = commit('CHANGELOG.md', `# Changelog\n\n${v1}`);
    commit('other.txt', 'x');
    commit('CHANGELOG.md', `# Changelog\n\n${v1}- one, reworded\n`); // edits 0.1.0's notes, keeps its heading
    const second = commit('CHANGELOG.md', `# Changelog\n\n## [0.2.0] - 2026-12-01\n- two\n\n${v1}`);
    expect(releasePlan(dir).map((r) => [r.tag, r.commit])).toEqual([['v0.1.0', first], ['v0.2.0', second]]);
    git('tag', '-a', 'v0.1.0', first, '-m', 'v0.1.0');
    const plan = releasePlan(dir);
    expect(plan.map((r) => [r.tag, r.commit, r.title])).toEqual([['v0.2.0', second, 'v0.2.0 — 2026-12-01']]);
    expect(plan[0].notes).toBe('- two\n');
  });
});
