#!/usr/bin/env node
/**
 * `npm run release:prepare -- <version> [--dry-run]`: prepares a release without publishing.
 * Checks, then sets the version (package.json, package-lock.json), moves CHANGELOG.md's
 * [Unreleased] entries under the new version, commits "Release <version>" and makes the
 * annotated tag v<version>. It never pushes: pushing the tag is what publishes (see
 * docs/releasing.md). With --dry-run it prints what it would do and changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = 'usage: npm run release:prepare -- <version> [--dry-run]   (for example 0.2.0)';
const BRANCH = 'main';
const FILES = ['package.json', 'package-lock.json', 'CHANGELOG.md'];
// semver.org's pattern, without build metadata: npm drops it, so a tag with it would not match the version.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;

const root = process.cwd();

function fail(message) {
	process.stderr.write(`release:prepare: ${message}\n`);
	process.exit(1);
}

function run(command, args) {
	const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
	if (result.error) throw result.error;
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`);
	return result.stdout.trim();
}

const git = (...args) => run('git', args);

/** Semver precedence: -1, 0 or 1. */
function compareVersions(a, b) {
	const [, a1, a2, a3, aPre] = SEMVER.exec(a);
	const [, b1, b2, b3, bPre] = SEMVER.exec(b);
	for (const [x, y] of [[a1, b1], [a2, b2], [a3, b3]]) {
		if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
	}
	if (aPre === bPre) return 0;
	if (aPre === undefined) return 1; // 1.0.0 > 1.0.0-rc.1
	if (bPre === undefined) return -1;
	const as = aPre.split('.');
	const bs = bPre.split('.');
	for (let i = 0; i < Math.max(as.length, bs.length); i++) {
		if (as[i] === undefined) return -1;
		if (bs[i] === undefined) return 1;
		if (as[i] === bs[i]) continue;
		const an = /^\d+$/.test(as[i]);
		const bn = /^\d+$/.test(bs[i]);
		if (an && bn) return Number(as[i]) < Number(bs[i]) ? -1 : 1;
		if (an !== bn) return an ? -1 : 1;
		return as[i] < bs[i] ? -1 : 1;
	}
	return 0;
}

function repositoryUrl(pkg) {
	const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (!url || !/^(git\+)?https:\/\//.test(url)) return undefined;
	return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/**
 * CHANGELOG.md with the [Unreleased] entries under "## [version] - date", an empty
 * [Unreleased] above, and the compare links at the bottom updated when there are some.
 */
function releaseChangelog(text, version, date, repoUrl) {
	const heading = /^## \[Unreleased\][ \t]*$/im.exec(text);
	if (!heading) throw new Error('CHANGELOG.md has no "## [Unreleased]" heading');
	if (new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm').test(text)) throw new Error(`CHANGELOG.md already has a [${version}] section`);
	const bodyStart = heading.index + heading[0].length;
	const rest = text.slice(bodyStart);
	// The section ends at the next version heading, or at the link definitions that close the file.
	const end = /^## |^\[[^\]]+\]:\s/m.exec(rest);
	const body = end ? rest.slice(0, end.index) : rest;
	const after = end ? rest.slice(end.index) : '';
	const entries = body.trim();
	if (!/^\s*[-*] /m.test(entries)) throw new Error('CHANGELOG.md has nothing under [Unreleased]: write what this release changes first');
	const previous = /^## \[([^\]]+)\]/m.exec(after)?.[1];

	let result = `${text.slice(0, bodyStart)}\n\n## [${version}] - ${date}\n\n${entries}\n${after ? `\n${after}` : ''}`;
	const unreleasedLink = /^\[unreleased\]:[^\n]*$/im.exec(result);
	if (unreleasedLink && repoUrl) {
		const label = unreleasedLink[0].slice(1, unreleasedLink[0].indexOf(']'));
		const versionLink = previous ? `${repoUrl}/compare/v${previous}...v${version}` : `${repoUrl}/releases/tag/v${version}`;
		const links = `[${label}]: ${repoUrl}/compare/v${version}...HEAD\n[${version}]: ${versionLink}`;
		result = result.slice(0, unreleasedLink.index) + links + result.slice(unreleasedLink.index + unreleasedLink[0].length);
	}
	return { text: result, entries };
}

function main(argv) {
	const dryRun = argv.includes('--dry-run');
	const positional = argv.filter((arg) => arg !== '--dry-run');
	if (positional.length !== 1 || positional[0].startsWith('-')) fail(USAGE);
	const version = positional[0];
	if (!SEMVER.test(version)) {
		fail(`"${version}" is not a semver version (MAJOR.MINOR.PATCH, optionally -prerelease, without a leading v): ${USAGE}`);
	}

	for (const file of FILES) if (!existsSync(join(root, file))) fail(`${file} is missing in ${root}`);
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const current = pkg.version;
	if (typeof current !== 'string' || !SEMVER.test(current)) fail(`package.json's version "${current}" is not semver`);
	const tag = `v${version}`;
	const tagExists = (name) => spawnSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${name}`], { cwd: root }).status === 0;

	if (spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root }).status !== 0) fail(`${root} is not a git work tree`);
	const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
	if (branch !== BRANCH) fail(`releases are made from ${BRANCH}; this is ${branch}`);
	const dirty = git('status', '--porcelain');
	if (dirty) fail(`the work tree is not clean; commit or stash first:\n${dirty}`);

	const order = compareVersions(version, current);
	// The version package.json already has may be released once, as the first release of it.
	const firstOfCurrent = order === 0 && !tagExists(`v${current}`);
	if (order < 0 || (order === 0 && !firstOfCurrent)) {
		fail(`${version} is not greater than the current version ${current}${order === 0 ? ` (already tagged v${current})` : ''}`);
	}
	if (tagExists(tag)) fail(`the tag ${tag} already exists`);

	const date = new Date().toISOString().slice(0, 10);
	const changelogPath = join(root, 'CHANGELOG.md');
	let changelog;
	try {
		changelog = releaseChangelog(readFileSync(changelogPath, 'utf8'), version, date, repositoryUrl(pkg));
	} catch (error) {
		fail(error.message);
	}
	const npmArgs = ['version', version, '--no-git-tag-version', ...(firstOfCurrent ? ['--allow-same-version'] : [])];
	const message = `Release ${version}`;
	const push = `git push --atomic origin ${BRANCH} ${tag}`;

	if (dryRun) {
		const indented = changelog.entries.replace(/^/gm, '    ');
		process.stdout.write(
			[
				`release:prepare --dry-run: nothing is changed. It would:`,
				firstOfCurrent
					? `  keep the version ${current} of package.json and package-lock.json, never tagged yet (npm ${npmArgs.join(' ')})`
					: `  set the version in package.json and package-lock.json: ${current} -> ${version} (npm ${npmArgs.join(' ')})`,
				`  move the [Unreleased] entries of CHANGELOG.md under "## [${version}] - ${date}", leaving [Unreleased] empty:`,
				indented,
				`  commit ${FILES.join(', ')}: "${message}"`,
				`  create the annotated tag ${tag}`,
				`Then, to publish: ${push}`,
				'',
			].join('\n'),
		);
		return;
	}

	try {
		run('npm', npmArgs);
		for (const file of ['package.json', 'package-lock.json']) {
			const json = JSON.parse(readFileSync(join(root, file), 'utf8'));
			const versions = file === 'package.json' ? [json.version] : [json.version, json.packages?.['']?.version];
			if (versions.some((v) => v !== version)) throw new Error(`npm version left ${file} at ${versions.join(', ')}`);
		}
		writeFileSync(changelogPath, changelog.text);
		git('add', '--', ...FILES);
		git('commit', '-q', '-m', message, '--', ...FILES);
	} catch (error) {
		// Nothing committed: put the three files back as they were.
		spawnSync('git', ['checkout', 'HEAD', '--', ...FILES], { cwd: root });
		fail(`${error.message}\nNothing was committed; ${FILES.join(', ')} are back as they were.`);
	}
	git('tag', '-a', tag, '-m', message);
	const sha = git('rev-parse', '--short', 'HEAD');
	process.stdout.write(
		[
			`Release ${version} prepared: commit ${sha} "${message}" and the annotated tag ${tag}. Nothing was pushed.`,
			`To publish it (the publish workflow runs on the tag and publishes with provenance):`,
			`  ${push}`,
			`To undo it instead: git tag -d ${tag} && git reset --keep HEAD~1`,
			'',
		].join('\n'),
	);
}

main(process.argv.slice(2));
