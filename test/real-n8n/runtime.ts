/**
 * Provisions the pinned n8n (and the Node.js it needs) once, in a cache outside the
 * repository, so `npm run dev` and `npm run test:e2e` run the package in a real n8n.
 * Why these pins and steps: ../shared/n8n-runtime.md.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import { waitUntil } from '../helpers/waitUntil';

/** n8n 2.41.x does not install from the npm registry (a dependency is missing there). */
export const N8N_VERSION = '2.40.7';
/** n8n 2.x declares engines.node >= 24. */
export const NODE_VERSION = '24.21.0';
/** linkedom 0.18.15 needs `cssomnom`, which the registry lacks. */
const N8N_OVERRIDES = { linkedom: '0.18.14' };

export interface N8nRuntime {
	/** The node binary that runs n8n. */
	node: string;
	nodeVersion: string;
	/** n8n's CLI entry (a JS file run with `node`). */
	n8nBin: string;
	n8nVersion: string;
	/** PATH with that node first, for n8n and whatever it spawns. */
	path: string;
}

export function cacheRoot(): string {
	return process.env.AFRICA_SMS_CACHE || join(homedir(), '.cache', 'africa-sms');
}

type Progress = (line: string) => void;

const stamp = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** A long step says every 30 s that it is still going, so a first run never looks stuck. */
async function heartbeat<T>(progress: Progress, label: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const timer = setInterval(() => progress(`${label}: still working (${stamp(started)})`), 30_000);
	try {
		return await work();
	} finally {
		clearInterval(timer);
	}
}

/**
 * Runs a command, its output going to a log file; rejects with the log's tail.
 */
export async function runLogged(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; log: string }): Promise<void> {
	await mkdir(dirname(options.log), { recursive: true });
	const log = createWriteStream(options.log, { flags: 'a' });
	log.write(`\n$ ${command} ${args.join(' ')}\n`);
	const code = await new Promise<number | null>((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.pipe(log, { end: false });
		child.stderr.pipe(log, { end: false });
		child.on('error', reject);
		child.on('close', resolve);
	});
	await new Promise<void>((resolve) => log.end(resolve));
	if (code !== 0) {
		const tail = (await readFile(options.log, 'utf8')).split('\n').slice(-25).join('\n');
		throw new Error(`"${command} ${args.join(' ')}" failed (exit ${code}); see ${options.log}:\n${tail}`);
	}
}

export function npmCommand(): string {
	return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

function nodePackageName(): string {
	const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform as string];
	if (!platform) throw new Error(`No Node.js ${NODE_VERSION} package on the npm registry for ${process.platform}`);
	return `node-${platform}-${process.arch}`;
}

/** Longer than a provisioning from nothing takes on a slow machine. */
const LOCK_WAIT_MS = 60 * 60_000;

/** One provisioning at a time per cache folder (dev and e2e may start together). */
async function withLock<T>(dir: string, work: () => Promise<T>, progress: Progress): Promise<T> {
	const lock = join(dir, '.provision.lock');
	await mkdir(dir, { recursive: true });
	let told = false;
	const take = async (): Promise<boolean> => {
		try {
			await mkdir(lock);
			await writeFile(join(lock, 'pid'), String(process.pid));
			return true;
		} catch {
			const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
			// A lock left by a process that is gone: removed, taken at the next ask.
			if (!holder || !isAlive(holder)) await rm(lock, { recursive: true, force: true });
			else if (!told) {
				progress(`waiting for another provisioning (pid ${holder}) to finish`);
				told = true;
			}
			return false;
		}
	};
	await waitUntil(take, { timeoutMs: LOCK_WAIT_MS, intervalMs: 2000, what: `another provisioning to finish (lock ${lock})` });
	try {
		return await work();
	} finally {
		await rm(lock, { recursive: true, force: true });
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function readMarker(file: string): Promise<Record<string, string> | undefined> {
	try {
		return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
	} catch {
		return undefined;
	}
}

/** The machine's Node when it is new enough, otherwise Node 24 from the npm registry. */
async function ensureNode(root: string, progress: Progress): Promise<{ node: string; version: string; headers?: string }> {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) {
		const prefix = dirname(dirname(process.execPath));
		return { node: process.execPath, version: process.versions.node, headers: existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined };
	}
	const pkg = nodePackageName();
	const dir = join(root, `node-${NODE_VERSION}`);
	const home = join(dir, 'node_modules', pkg);
	const node = join(home, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
	const marker = join(dir, '.ready.json');
	if ((await readMarker(marker))?.node === NODE_VERSION && existsSync(node)) return { node, version: NODE_VERSION, headers: home };
	const started = Date.now();
	progress(`installing Node.js ${NODE_VERSION} from the npm registry (${pkg}; this machine has ${process.version}) ...`);
	await mkdir(dir, { recursive: true });
	await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'africa-sms-node', private: true, dependencies: { [pkg]: NODE_VERSION } }, null, 2));
	await runLogged(npmCommand(), ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, log: join(dir, 'install.log') });
	if (!existsSync(node)) throw new Error(`${pkg}@${NODE_VERSION} installed, but ${node} is missing`);
	await writeFile(marker, JSON.stringify({ node: NODE_VERSION, at: new Date().toISOString() }));
	progress(`Node.js ${NODE_VERSION} ready (${stamp(started)})`);
	return { node, version: NODE_VERSION, headers: home };
}

/**
 * Returns a ready n8n, installing it first when the cache lacks it: npm install
 * without install scripts (an optional Kafka addon would try to download a binary),
 * then the one native module n8n needs to start, SQLite, built for the Node that runs n8n.
 */
export async function ensureN8n(progress: Progress = (line) => process.stdout.write(`[n8n] ${line}\n`)): Promise<N8nRuntime> {
	const root = cacheRoot();
	return withLock(root, async () => {
		const node = await ensureNode(root, progress);
		const dir = join(root, `n8n-${N8N_VERSION}`);
		const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
		const marker = join(dir, '.ready.json');
		const path = [dirname(node.node), process.env.PATH ?? ''].join(delimiter);
		const env = { ...process.env, PATH: path };
		const runtime: N8nRuntime = { node: node.node, nodeVersion: node.version, n8nBin, n8nVersion: N8N_VERSION, path };
		const ready = await readMarker(marker);
		if (ready?.n8n === N8N_VERSION && ready.node === node.version && existsSync(n8nBin)) return runtime;
		const started = Date.now();
		progress(`provisioning n8n ${N8N_VERSION} once in ${dir} (about 5 minutes and 3 GB; later runs reuse it)`);
		await mkdir(dir, { recursive: true });
		if (ready?.n8n !== N8N_VERSION || !existsSync(n8nBin)) {
			progress(`step 1/2: npm install n8n@${N8N_VERSION} (log: ${join(dir, 'install.log')}) ...`);
			await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'africa-sms-n8n', private: true, dependencies: { n8n: N8N_VERSION }, overrides: N8N_OVERRIDES }, null, 2));
			await heartbeat(progress, 'step 1/2', () => runLogged(npmCommand(), ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env, log: join(dir, 'install.log') }));
			progress(`step 1/2 done (${stamp(started)})`);
		}
		progress(`step 2/2: building SQLite for Node.js ${node.version} (log: ${join(dir, 'rebuild.log')}) ...`);
		const nodedir = node.headers ? [`--nodedir=${node.headers}`] : [];
		// Explicit: under `npm run`, npm_config_ignore_scripts from this project's .npmrc reaches the child npm.
		await heartbeat(progress, 'step 2/2', () => runLogged(npmCommand(), ['rebuild', 'sqlite3', '--ignore-scripts=false', ...nodedir], { cwd: dir, env, log: join(dir, 'rebuild.log') }));
		await runLogged(node.node, ['-e', "require('sqlite3'); console.log('sqlite3 loads')"], { cwd: dir, env, log: join(dir, 'rebuild.log') }).catch((error: Error) => {
			throw new Error(`SQLite was not built for Node.js ${node.version}, n8n could not start: ${error.message}`);
		});
		await writeFile(marker, JSON.stringify({ n8n: N8N_VERSION, node: node.version, at: new Date().toISOString() }));
		progress(`n8n ${N8N_VERSION} ready (${stamp(started)})`);
		return runtime;
	}, progress);
}
