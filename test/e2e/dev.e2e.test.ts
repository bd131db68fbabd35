/**
 * `npm run dev` stops everything it started (n8n, n8n's task runner, the sandbox) when
 * its top process, npm, gets SIGTERM or SIGINT alone: what a process manager, an IDE's
 * stop button or CI sends (Ctrl-C in a terminal signals the whole group instead).
 * Under `npm run test:e2e -- --queue`, the same for `npm run dev -- --queue` (PostgreSQL,
 * Redis, main, webhook processor and two workers, each with its task runner).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { waitUntil } from '../helpers/waitUntil';
import { projectRoot } from '../real-n8n/communityPackage';
import { claimPort } from '../real-n8n/instance';
import { stackModeFromEnv } from '../real-n8n/packageStack';
import { ensureN8n } from '../real-n8n/runtime';

const work = mkdtempSync(join(tmpdir(), 'africa-sms-dev-e2e-'));
const queue = stackModeFromEnv() === 'queue';

beforeAll(async () => {
	await ensureN8n();
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A free port whose `count - 1` next ports are free too (n8n's task broker takes port + 1; the simulators sit in a row). */
async function claimRun(count: number): Promise<number> {
	for (;;) {
		const port = await claimPort();
		let free = true;
		for (let next = port + 1; free && next < port + count; next++) free = await claimPort(next).then(() => true, () => false);
		if (free) return port;
	}
}

/** Every process below `root`, from `ps`. */
function descendants(root: number): number[] {
	const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s+/).map(Number));
	const found: number[] = [];
	const queue = [root];
	while (queue.length) {
		const parent = queue.shift()!;
		for (const [pid, ppid] of rows) {
			if (ppid === parent) {
				found.push(pid);
				queue.push(pid);
			}
		}
	}
	return found;
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

const portFree = async (port: number) => await claimPort(port).then(() => true, () => false);

describe.each(['SIGTERM', 'SIGINT'] as const)(`npm run dev${queue ? ' -- --queue' : ''}, %s to npm alone`, (signal) => {
	let npm: ChildProcess | undefined;
	let started: number[] = [];
	afterEach(() => {
		// Whatever the test left running (it should be nothing).
		for (const pid of [npm?.pid ?? 0, ...started]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
	});

	test('stops n8n, its task runner and the simulators, and frees their ports', async () => {
		const port = await claimRun(2);
		// MTN, LMT, ION and Mon SMS PRO on four ports in a row.
		const sandboxPort = await claimRun(4);
		// n8n's task broker on port + 1 (in queue mode each instance's broker takes a free port).
		const ports = [port, ...(queue ? [] : [port + 1]), sandboxPort, sandboxPort + 1, sandboxPort + 2, sandboxPort + 3];
		let output = '';
		// Its own process group, so the signal reaches npm only, as a process manager sends it.
		const args = ['--port', String(port), '--sandbox-port', String(sandboxPort), '--dir', join(work, signal), ...(queue ? ['--queue'] : [])];
		npm = spawn('npm', ['run', 'dev', '--', ...args], {
			cwd: projectRoot,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => npm!.once('exit', (code) => resolve(code)));
		const banner = queue ? 'Editor (main):' : 'Editor:';
		await waitUntil(() => output.includes(banner) || npm!.exitCode !== null, { timeoutMs: 300_000, what: () => `the banner of npm run dev\n${output.slice(-3000)}` });
		expect(output).toContain(banner);
		expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true);
		started = descendants(npm.pid!);
		// Below npm: dev.js (exec'd in its shell's place), n8n and n8n's task runner; in queue mode
		// also PostgreSQL (and its backends), Redis, and the webhook processor and workers with their runners.
		expect(started.length).toBeGreaterThanOrEqual(queue ? 10 : 3);
		for (const p of ports) expect(await portFree(p)).toBe(false);

		process.kill(npm.pid!, signal);
		await exited;
		await waitUntil(() => started.every((pid) => !alive(pid)), {
			timeoutMs: 30_000,
			what: () => {
				const left = started.filter(alive).map((pid) => {
					try {
						return execFileSync('ps', ['-o', 'pid=,args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
					} catch {
						return String(pid);
					}
				});
				return `every process npm run dev started to end; still running:\n${left.join('\n')}`;
			},
		});
		for (const p of ports) expect(await portFree(p)).toBe(true);
		expect(output).toMatch(/stopping n8n and the sandbox/);
	}, 600_000);
});
