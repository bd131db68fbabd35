/**
 * PostgreSQL and Redis for n8n's queue mode, from Debian's packages: installed with
 * apt-get when missing (as root), started as child processes on free loopback ports with
 * their data in a temporary folder, and stopped (or killed with this process) at the end.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { claimPort, endProcess, stopWithThisProcess } from './instance';

const run = promisify(execFile);
const DEBIAN_PACKAGES = ['postgresql', 'redis-server'];

export interface QueueServices {
	postgres: { host: string; port: number; database: string; user: string };
	redis: { host: string; port: number };
	/** n8n's settings for both (DB_*, QUEUE_BULL_*). */
	env: NodeJS.ProcessEnv;
	stop(): Promise<void>;
}

function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function redisBin(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
}

/** Installs PostgreSQL and Redis from Debian's packages when either is missing. */
export async function ensureQueueServices(log: string, progress: (line: string) => void): Promise<{ postgres: string; redis: string }> {
	if (!postgresBin() || !redisBin()) {
		if (userInfo().uid !== 0) {
			throw new Error(`PostgreSQL and Redis are needed for queue mode: install them as root with\n  apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`);
		}
		progress(`installing ${DEBIAN_PACKAGES.join(' and ')} from Debian's packages (apt-get) ...`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES], { env, maxBuffer: 64 * 1024 * 1024 });
		try {
			await appendFile(log, (await install()).stdout);
		} catch {
			// A fresh machine may have no package lists yet.
			await appendFile(log, (await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 })).stdout);
			await appendFile(log, (await install()).stdout);
		}
	}
	const postgres = postgresBin();
	const redis = redisBin();
	if (!postgres || !redis) throw new Error(`apt-get ran but PostgreSQL or Redis is still missing; see ${log}`);
	return { postgres, redis };
}

/** PostgreSQL refuses to run as root: as root, its commands run as Debian's "postgres" user. */
function asServiceUser(command: string, args: string[]): [string, string[]] {
	if (userInfo().uid !== 0) return [command, args];
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]];
}

function startChild(command: string, args: string[], log: string, ready: RegExp, what: string, timeoutMs = 60_000): Promise<ChildProcess> {
	const [cmd, argv] = asServiceUser(command, args);
	const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
	stopWithThisProcess(child);
	let output = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s; see ${log}`)), timeoutMs);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			void appendFile(log, chunk.toString());
			if (ready.test(output)) {
				clearTimeout(timer);
				resolve(child);
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${what} exited (code ${code}) before it was ready:\n${output.slice(-2000)}`));
		});
	});
}

/** Starts a throw-away PostgreSQL (database "n8n", user "n8n", trust on loopback) and Redis. */
export async function startQueueServices(log: string, progress: (line: string) => void = () => {}): Promise<QueueServices> {
	await mkdir(dirname(log), { recursive: true });
	const bins = await ensureQueueServices(log, progress);
	// Its own folder under the system's temporary folder: the postgres user must reach it.
	const dataRoot = mkdtempSync(join(tmpdir(), 'africa-sms-pg-'));
	if (userInfo().uid === 0) {
		const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
		chownSync(dataRoot, await id('-u'), await id('-g'));
	}
	const dataDir = join(dataRoot, 'data');
	const children: ChildProcess[] = [];
	const stop = async () => {
		// SIGINT: PostgreSQL's fast shutdown (Redis stops on it too).
		for (const child of children.reverse()) await endProcess(child, 'SIGINT');
		await rm(dataRoot, { recursive: true, force: true });
	};
	try {
		const [initdb, initdbArgs] = asServiceUser(join(bins.postgres, 'initdb'), ['-D', dataDir, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		await appendFile(log, (await run(initdb, initdbArgs)).stdout);
		const pgPort = await claimPort();
		// A test database: durability settings off (nothing here outlives the run).
		const postgres = await startChild(
			join(bins.postgres, 'postgres'),
			['-D', dataDir, '-p', String(pgPort), '-k', dataRoot, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
			log,
			/database system is ready to accept connections/,
			'PostgreSQL',
		);
		children.push(postgres);
		await run(join(bins.postgres, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'n8n', 'n8n']);
		const redisPort = await claimPort();
		const redis = await startChild(bins.redis, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], log, /Ready to accept connections/, 'Redis');
		children.push(redis);
		return {
			postgres: { host: '127.0.0.1', port: pgPort, database: 'n8n', user: 'n8n' },
			redis: { host: '127.0.0.1', port: redisPort },
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(pgPort),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'n8n',
				DB_POSTGRESDB_PASSWORD: '',
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** One SQL statement through psql, its rows as tab-separated lines. */
export async function psql(services: QueueServices, sql: string): Promise<string[]> {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed');
	const { postgres } = services;
	const { stdout } = await run(join(bin, 'psql'), ['-h', postgres.host, '-p', String(postgres.port), '-U', postgres.user, '-d', postgres.database, '-At', '-F', '\t', '-c', sql], {
		maxBuffer: 256 * 1024 * 1024,
	});
	return stdout.split('\n').filter((line) => line !== '');
}
