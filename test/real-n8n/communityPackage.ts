/**
 * Packs this package and installs the tarball into an n8n user folder the way n8n 2.40's
 * community-packages service does when a user installs it from Settings > Community nodes:
 * unpack into `.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies,
 * `npm install` the rest inside it (shallow, no scripts), record it in `.n8n/nodes/package.json`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { npmCommand, runLogged } from './runtime';

const run = promisify(execFile);
/** The repository root, from this file compiled (dist/test/real-n8n) or run by ts-jest (test/real-n8n). */
export const projectRoot = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
		if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir;
	}
	throw new Error(`no project root above ${from}`);
}

export interface PackedPackage {
	name: string;
	version: string;
	tarball: string;
}

/** `npm pack` of the built project (dist must be built). */
export async function packProject(destination: string): Promise<PackedPackage> {
	await mkdir(destination, { recursive: true });
	const { stdout } = await run(npmCommand(), ['pack', '--json', '--pack-destination', destination], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 });
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ name: string; version: string; filename: string }>;
	return { name: packed.name, version: packed.version, tarball: join(destination, packed.filename) };
}

export async function installCommunityPackage(userFolder: string, pkg: PackedPackage, log: string): Promise<string> {
	const nodesFolder = join(userFolder, '.n8n', 'nodes');
	const packageDirectory = join(nodesFolder, 'node_modules', pkg.name);
	await rm(packageDirectory, { recursive: true, force: true });
	await mkdir(packageDirectory, { recursive: true });
	await run('tar', ['-xzf', pkg.tarball, '-C', packageDirectory, '--strip-components=1']);
	const manifestPath = join(packageDirectory, 'package.json');
	const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
	await runLogged(npmCommand(), ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], { cwd: packageDirectory, log });
	const listPath = join(nodesFolder, 'package.json');
	const list = (await readFile(listPath, 'utf8').then((t) => JSON.parse(t) as { dependencies?: Record<string, string> }).catch(() => undefined)) ?? { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies = { ...list.dependencies, [pkg.name]: pkg.version };
	await writeFile(listPath, JSON.stringify(list, null, 2));
	return packageDirectory;
}
