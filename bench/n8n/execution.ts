/**
 * One bench execution, timed and measured from the outside: the peak resident memory of
 * n8n's whole process tree (the CLI or worker and the task runner its Code nodes use)
 * sampled from /proc, and each node's execution time from n8n's own run data.
 * - One process: `n8n execute --id=… --rawOutput` (`executeMeasured`).
 * - Queue mode: the editor's "Execute workflow" through the REST API, run by a worker
 *   (`executeOnWorker`); the memory is that worker's.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { N8nInstance } from '../../test/real-n8n/instance';
import type { QueueCluster, StoredExecution } from '../../test/real-n8n/queueStack';
import type { JournalSums } from './journalProbe';

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
	/** Queue mode: the worker that ran it (its user folder's name). */
	ranOn?: string;
	/** One process: what our nodes' send journal cost, as they published it (journalProbe.ts); none without a journal. */
	journal?: JournalSums;
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

/** Samples, every SAMPLE_MS, the RSS of each root's process tree; `stop()` gives each root's peak in kB. */
function sampleTreeRss(roots: () => Array<number | undefined>): { stop(): Map<number, number> } {
	const peaks = new Map<number, number>();
	const timer = setInterval(() => {
		for (const pid of roots()) if (pid) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, treeRssKb(pid)));
	}, SAMPLE_MS);
	return {
		stop() {
			clearInterval(timer);
			return peaks;
		},
	};
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
export async function executeMeasured(n8n: N8nInstance, workflowId: string, outputFile: string, timeoutMs: number): Promise<ExecuteResult> {
	const started = Date.now();
	const outFd = openSync(outputFile, 'w');
	// BENCH_N8N_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": Node.js flags for n8n (NODE_OPTIONS refuses --cpu-prof).
	const nodeArgs = (process.env.BENCH_N8N_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const journalFile = `${outputFile}.journal.json`;
	rmSync(journalFile, { force: true });
	// The probe as the bench's build compiled it; run from TypeScript (the e2e smoke check) there is none.
	const probe = join(__dirname, 'journalProbe.js');
	const probeArgs = existsSync(probe) ? ['--require', probe] : [];
	const child = spawn(n8n.runtime.node, [...nodeArgs, ...probeArgs, n8n.runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		env: { ...n8n.env(), AFRICA_SMS_JOURNAL_PROBE: journalFile },
		stdio: ['ignore', outFd, 'pipe'],
	});
	closeSync(outFd);
	const err: Buffer[] = [];
	child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
	const sampler = sampleTreeRss(() => [child.pid]);
	const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const exitCode = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	const peakKb = Math.max(0, ...sampler.stop().values());
	clearTimeout(killer);
	const wallMs = Date.now() - started;
	const stdout = readFileSync(outputFile, 'utf8');
	const journal = readProc(journalFile);
	rmSync(journalFile, { force: true });
	const sums = journal ? (JSON.parse(journal) as JournalSums) : undefined;
	const result: ExecuteResult = { exitCode, wallMs, peakRssMb: peakKb / 1024, nodes: {}, ...(sums?.writes ? { journal: sums } : {}) };
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
	return { ...result, ...nodeRunsOf(run) };
}

function nodeRunsOf(run: RawRunData): Pick<ExecuteResult, 'nodes' | 'error'> {
	const nodes: Record<string, NodeRun> = {};
	for (const [name, runs] of Object.entries(run.data?.resultData?.runData ?? {})) {
		const last = runs[runs.length - 1];
		const items = last?.data?.main?.[0] ?? [];
		const failedItems = items.filter((item) => item.json?.status === 'failed' || (typeof item.json?.error === 'string' && item.json.error !== '')).length;
		nodes[name] = { executionTime: last?.executionTime ?? 0, items: items.length, failedItems, ...(last?.error ? { error: last.error.message } : {}) };
	}
	const error = run.data?.resultData?.error;
	return { nodes, ...(error ? { error: error.message ?? 'the run failed' } : {}) };
}

/**
 * Queue mode: starts the workflow as the editor's "Execute workflow" does and waits for its
 * end (n8n hands it to a worker). `wallMs` is from the REST call to the end seen by polling
 * (200 ms); `peakRssMb` is the peak of the worker that ran it.
 */
export async function executeOnWorker(queue: QueueCluster, cookie: string, workflowId: string, timeoutMs: number): Promise<ExecuteResult> {
	const started = Date.now();
	const sampler = sampleTreeRss(() => queue.workers.map((w) => w.serverPid));
	let peaks: Map<number, number>;
	let execution: StoredExecution;
	try {
		execution = await queue.waitForExecution(await queue.startManually(workflowId, cookie), cookie, timeoutMs);
	} finally {
		peaks = sampler.stop();
	}
	const wallMs = Date.now() - started;
	const worker = queue.workerOf(execution.id);
	const peakKb = (worker?.serverPid && peaks.get(worker.serverPid)) || 0;
	const ranOn = worker ? basename(worker.options.userFolder) : 'no worker';
	return { exitCode: null, wallMs, peakRssMb: peakKb / 1024, ranOn, ...nodeRunsOf({ data: execution.data as RawRunData['data'] }) };
}
