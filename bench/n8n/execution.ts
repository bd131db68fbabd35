/**
 * One `n8n execute --id=… --rawOutput` run, timed and measured from the outside: the peak
 * resident memory of n8n's whole process tree (the CLI and the task runner its Code nodes
 * use) sampled from /proc, and each node's execution time from n8n's own run data.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';

import type { N8nInstance } from '../../test/real-n8n/instance';

export interface NodeRun {
	executionTime: number;
	items: number;
	/** Items with a failed status or an error message (Continue On Fail); a provider's `error: null` is no failure. */
	failedItems: number;
	error?: string;
}

export interface ExecuteResult {
	exitCode: number | null;
	wallMs: number;
	/** Highest sum of VmRSS over the process tree, sampled every SAMPLE_MS. */
	peakRssMb: number;
	nodes: Record<string, NodeRun>;
	/** The run's error, or the CLI's last words when it printed no run data. */
	error?: string;
}

const SAMPLE_MS = 50;

function readProc(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined; // the process ended between listing and reading
	}
}

/** The pid and every descendant (children of every thread: worker threads spawn processes too). */
function processTree(root: number): number[] {
	const found = [root];
	for (let i = 0; i < found.length; i++) {
		let tasks: string[] = [];
		try {
			tasks = readdirSync(`/proc/${found[i]}/task`);
		} catch {
			continue;
		}
		for (const task of tasks) {
			for (const child of (readProc(`/proc/${found[i]}/task/${task}/children`) ?? '').split(' ').filter(Boolean)) found.push(Number(child));
		}
	}
	return found;
}

function treeRssKb(root: number): number {
	let sum = 0;
	for (const pid of processTree(root)) {
		const match = /VmRSS:\s+(\d+) kB/.exec(readProc(`/proc/${pid}/status`) ?? '');
		if (match) sum += Number(match[1]);
	}
	return sum;
}

interface RawRunData {
	data?: { resultData?: {
		error?: { message?: string };
		runData?: Record<string, Array<{ executionTime?: number; error?: { message?: string }; data?: { main?: Array<Array<{ json?: Record<string, unknown> }> | null> } }>>;
	} };
}

/**
 * `outputFile`: where n8n's stdout goes. A file, not a pipe: n8n exits right after printing
 * the run data, and what a pipe had not yet taken of a large output would be lost.
 */
export async function executeMeasured(n8n: N8nInstance, workflowId: string, outputFile: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<ExecuteResult> {
	const started = Date.now();
	const outFd = openSync(outputFile, 'w');
	// BENCH_N8N_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": Node.js flags for n8n (NODE_OPTIONS refuses --cpu-prof).
	const nodeArgs = (process.env.BENCH_N8N_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(n8n.runtime.node, [...nodeArgs, n8n.runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		env: { ...n8n.env(), ...env },
		stdio: ['ignore', outFd, 'pipe'],
	});
	closeSync(outFd);
	const err: Buffer[] = [];
	child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
	let peakKb = 0;
	const sampler = setInterval(() => {
		if (child.pid) peakKb = Math.max(peakKb, treeRssKb(child.pid));
	}, SAMPLE_MS);
	const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const exitCode = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	clearInterval(sampler);
	clearTimeout(killer);
	const wallMs = Date.now() - started;
	const stdout = readFileSync(outputFile, 'utf8');
	const result: ExecuteResult = { exitCode, wallMs, peakRssMb: peakKb / 1024, nodes: {} };
	const start = stdout.search(/^\{/m);
	if (start < 0) {
		const tail = (stdout + Buffer.concat(err).toString('utf8')).trim().split('\n').slice(-5).join(' | ');
		// The output stays behind for a look.
		return { ...result, error: exitCode === null ? `killed after ${timeoutMs / 1000} s` : `exit ${exitCode}: ${tail}` };
	}
	rmSync(outputFile, { force: true });
	// Printed with two-space indents: the only "}" at the start of a line closes it; log lines may follow.
	const end = stdout.indexOf('\n}', start);
	const run = JSON.parse(stdout.slice(start, end < 0 ? undefined : end + 2)) as RawRunData;
	for (const [name, runs] of Object.entries(run.data?.resultData?.runData ?? {})) {
		const last = runs[runs.length - 1];
		const items = last?.data?.main?.[0] ?? [];
		const failedItems = items.filter((item) => item.json?.status === 'failed' || (typeof item.json?.error === 'string' && item.json.error !== '')).length;
		result.nodes[name] = { executionTime: last?.executionTime ?? 0, items: items.length, failedItems, ...(last?.error ? { error: last.error.message } : {}) };
	}
	if (run.data?.resultData?.error) result.error = run.data.resultData.error.message ?? 'the run failed';
	return result;
}
