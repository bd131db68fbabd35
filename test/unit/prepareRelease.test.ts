/**
 * scripts/prepare-release.mjs (`npm run release:prepare -- <version> [--dry-run]`), run as a
 * process against a throw-away git repository holding a package.json, a package-lock.json
 * and a CHANGELOG.md: the dry run changes nothing, the real run sets the versions, moves
 * the [Unreleased] entries, commits and tags (and pushes nothing), and the refusals leave
 * everything as it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '..', '..', 'scripts', 'prepare-release.mjs');
const REPO_URL = 'https://github.com/example/n8n-nodes-example';

const CHANGELOG = `# Changelog

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [Unreleased]

### Added

- Orange SMS node.

### Fixed

- Quiet hours in Gabon.

## [1.2.3] - 2026-01-15

### Added

- First release.

[Unreleased]: ${REPO_URL}/compare/v1.2.3...HEAD
[1.2.3]: ${REPO_URL}/releases/tag/v1.2.3
`;

const scratch: string[] = [];
afterAll(() => {
	for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** An environment of its own: no npm_* variables of the outer npm, no git config of the machine. */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_') && !name.startsWith('GIT_')));
	const emptyConfig = join(home, 'gitconfig');
	writeFileSync(emptyConfig, '');
	return {
		...env,
		HOME: home,
		GIT_CONFIG_GLOBAL: emptyConfig,
		GIT_CONFIG_NOSYSTEM: '1',
		npm_config_update_notifier: 'false',
		GIT_AUTHOR_NAME: 'Release Test',
		GIT_AUTHOR_EMAIL: 'release@test.invalid',
		GIT_COMMITTER_NAME: 'Release Test',
		GIT_COMMITTER_EMAIL: 'release@test.invalid',
	};
}

interface Fixture {
	dir: string;
	env: NodeJS.ProcessEnv;
	git(...args: string[]): string;
	read(file: string): string;
	release(...args: string[]): { status: number | null; stdout: string; stderr: string };
	/** HEAD, tags and the three files: what a refusal or a dry run must leave alone. */
	state(): string;
}

function fixture(options: { version?: string; changelog?: string; tag?: string } = {}): Fixture {
	const base = mkdtempSync(join(tmpdir(), 'prepare-release-'));
	scratch.push(base);
	const dir = join(base, 'repo');
	const env = isolatedEnv(base);
	const exec = (command: string, args: string[]) => {
		const result = spawnSync(command, args, { cwd: dir, env, encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
		return result.stdout.trim();
	};
	const version = options.version ?? '1.2.3';
	spawnSync('git', ['init', '-q', '-b', 'main', dir], { env, encoding: 'utf8' });
	const pkg = { name: 'n8n-nodes-example', version, license: 'MIT', repository: { type: 'git', url: `git+${REPO_URL}.git` } };
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
	const lock = { name: pkg.name, version, lockfileVersion: 3, requires: true, packages: { '': { name: pkg.name, version, license: 'MIT' } } };
	writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
	writeFileSync(join(dir, 'CHANGELOG.md'), options.changelog ?? CHANGELOG);
	exec('git', ['add', '.']);
	exec('git', ['commit', '-q', '-m', 'Initial']);
	if (options.tag) exec('git', ['tag', '-a', options.tag, '-m', options.tag]);
	const read = (file: string) => readFileSync(join(dir, file), 'utf8');
	return {
		dir,
		env,
		git: (...args) => exec('git', args),
		read,
		release: (...args) => {
			const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
			return { status: result.status, stdout: result.stdout, stderr: result.stderr };
		},
		state: () =>
			[exec('git', ['rev-parse', 'HEAD']), exec('git', ['tag', '--list']), exec('git', ['status', '--porcelain']), read('package.json'), read('package-lock.json'), read('CHANGELOG.md')].join(
				'\n---\n',
			),
	};
}

const today = () => new Date().toISOString().slice(0, 10);

describe('--dry-run', () => {
	test('prints the version change, the changelog entries, the commit, the tag and the push, and changes nothing', () => {
		const repo = fixture();
		const before = repo.state();
		const result = repo.release('1.3.0', '--dry-run');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('1.2.3 -> 1.3.0');
		expect(result.stdout).toMatch(/## \[1\.3\.0\] - \d{4}-\d{2}-\d{2}/);
		expect(result.stdout).toContain('- Orange SMS node.');
		expect(result.stdout).toContain('- Quiet hours in Gabon.');
		expect(result.stdout).toContain('"Release 1.3.0"');
		expect(result.stdout).toContain('annotated tag v1.3.0');
		expect(result.stdout).toContain('git push --atomic origin main v1.3.0');
		expect(repo.state()).toBe(before);
	});
});

describe('a release', () => {
	test('sets both versions, moves the entries, commits "Release <version>", tags v<version> and pushes nothing', () => {
		const repo = fixture();
		const initial = repo.git('rev-parse', 'HEAD');
		const dayBefore = today();
		const result = repo.release('1.3.0');
		const dayAfter = today();
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('git push --atomic origin main v1.3.0');

		expect(JSON.parse(repo.read('package.json')).version).toBe('1.3.0');
		const lock = JSON.parse(repo.read('package-lock.json'));
		expect([lock.version, lock.packages[''].version]).toEqual(['1.3.0', '1.3.0']);

		const changelog = repo.read('CHANGELOG.md');
		const date = changelog.match(/^## \[1\.3\.0\] - (\S+)$/m)?.[1];
		expect([dayBefore, dayAfter]).toContain(date);
		const expected = [
			'## [Unreleased]',
			'',
			`## [1.3.0] - ${date}`,
			'',
			'### Added',
			'',
			'- Orange SMS node.',
			'',
			'### Fixed',
			'',
			'- Quiet hours in Gabon.',
			'',
			'## [1.2.3] - 2026-01-15',
		].join('\n');
		expect(changelog).toContain(expected);
		expect(changelog).toContain(`[Unreleased]: ${REPO_URL}/compare/v1.3.0...HEAD\n[1.3.0]: ${REPO_URL}/compare/v1.2.3...v1.3.0\n[1.2.3]: ${REPO_URL}/releases/tag/v1.2.3\n`);
		expect(changelog.startsWith('# Changelog\n')).toBe(true);

		expect(repo.git('log', '-1', '--format=%s')).toBe('Release 1.3.0');
		expect(repo.git('rev-parse', 'HEAD~1')).toBe(initial);
		expect(repo.git('diff', '--name-only', 'HEAD~1', 'HEAD').split('\n').sort()).toEqual(['CHANGELOG.md', 'package-lock.json', 'package.json']);
		expect(repo.git('cat-file', '-t', 'v1.3.0')).toBe('tag');
		expect(repo.git('rev-parse', 'v1.3.0^{commit}')).toBe(repo.git('rev-parse', 'HEAD'));
		expect(repo.git('tag', '--list')).toBe('v1.3.0');
		expect(repo.git('status', '--porcelain')).toBe('');
		expect(repo.git('remote')).toBe('');
	});

	test('a prerelease after a release is greater than it', () => {
		const repo = fixture();
		const result = repo.release('2.0.0-rc.1');
		expect(result.status).toBe(0);
		expect(JSON.parse(repo.read('package.json')).version).toBe('2.0.0-rc.1');
		expect(repo.git('tag', '--list')).toBe('v2.0.0-rc.1');
	});

	test('the first release may keep the version package.json already has while it has no tag', () => {
		const repo = fixture({ version: '0.1.0', changelog: '# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Everything.\n\n[Unreleased]: https://github.com/example/n8n-nodes-example/commits/main\n' });
		const result = repo.release('0.1.0');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(repo.git('log', '-1', '--format=%s')).toBe('Release 0.1.0');
		expect(repo.git('tag', '--list')).toBe('v0.1.0');
		const changelog = repo.read('CHANGELOG.md');
		expect(changelog).toMatch(/^## \[Unreleased\]\n\n## \[0\.1\.0\] - \S+\n\n### Added\n\n- Everything\.\n\n\[Unreleased\]: /m);
		expect(changelog).toContain(`[Unreleased]: ${REPO_URL}/compare/v0.1.0...HEAD\n[0.1.0]: ${REPO_URL}/releases/tag/v0.1.0\n`);
	});
});

describe('refusals change nothing', () => {
	test.each([
		['a dirty tree (a changed file)', (repo: Fixture) => writeFileSync(join(repo.dir, 'package.json'), `${repo.read('package.json')}\n`), /not clean/],
		['a dirty tree (a new file)', (repo: Fixture) => writeFileSync(join(repo.dir, 'notes.txt'), 'x'), /not clean[\s\S]*notes\.txt/],
		['another branch than main', (repo: Fixture) => repo.git('checkout', '-q', '-b', 'feature'), /from main; this is feature/],
	])('%s', (_name, spoil, message) => {
		const repo = fixture();
		spoil(repo);
		const before = repo.state();
		const result = repo.release('1.3.0');
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(message);
		expect(repo.state()).toBe(before);
	});

	test.each([
		['a lower version', '1.2.2', /1\.2\.2 is not greater than the current version 1\.2\.3/],
		['the same version, already tagged', '1.2.3', /not greater than the current version 1\.2\.3 \(already tagged v1\.2\.3\)/],
		['a prerelease of the current version', '1.2.3-rc.1', /not greater/],
		['an incomplete version', '1.3', /not a semver version/],
		['a word', 'latest', /not a semver version/],
		['a leading v', 'v1.3.0', /not a semver version/],
		['leading zeros', '1.03.0', /not a semver version/],
		['build metadata', '1.3.0+build.5', /not a semver version/],
	])('%s (%s)', (_name, version, message) => {
		const repo = fixture({ tag: 'v1.2.3' });
		const before = repo.state();
		const result = repo.release(version);
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(message);
		expect(repo.state()).toBe(before);
	});

	test('no version, or two', () => {
		const repo = fixture();
		const before = repo.state();
		for (const args of [[], ['--dry-run'], ['1.3.0', '1.4.0']]) {
			const result = repo.release(...args);
			expect(result.status).not.toBe(0);
			expect(result.stderr).toContain('usage: npm run release:prepare -- <version>');
		}
		expect(repo.state()).toBe(before);
	});

	test('an empty [Unreleased]', () => {
		const repo = fixture({ changelog: CHANGELOG.replace(/### Added\n\n- Orange SMS node\.\n\n### Fixed\n\n- Quiet hours in Gabon\.\n\n/, '') });
		const before = repo.state();
		const result = repo.release('1.3.0');
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(/nothing under \[Unreleased\]/);
		expect(repo.state()).toBe(before);
	});

	test('a tag that already exists', () => {
		const repo = fixture({ tag: 'v1.3.0' });
		const before = repo.state();
		const result = repo.release('1.3.0', '--dry-run');
		expect(result.status).not.toBe(0);
		expect(result.stderr).toMatch(/tag v1\.3\.0 already exists/);
		expect(repo.state()).toBe(before);
	});
});
