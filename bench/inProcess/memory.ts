/**
 * Memory of a large bulk send (BENCH_MEMORY_N items, default 100 000): the heap
 * the items take by themselves, then the node run once in WorkflowExecute while
 * process.memoryUsage().heapUsed is sampled every 20 ms, plus the heap before and
 * after each GC (V8's GC profiler), since a synchronous stretch of work blocks the
 * timer. The simulator runs in a child process (simHost.ts) so that its ledger is
 * not in the heap measured.
 *
 * The input items are built before the measure as n8n items ({ json, pairedItem }), as
 * the previous node's output exists before a node runs; the unit of the ratios is the
 * json's own size, not counting those wrappers. Each row runs in a process of its own
 * (memoryRow.ts), so that no earlier run's garbage or fragmented heap is in its figures.
 *
 * Reading the figures: the peak includes everything n8n holds during the run (its own
 * copy of the input items for the node, the node's output items, the execution data),
 * as a real workflow would, and garbage not yet collected; the live peak (largest heap
 * right after a GC) leaves out what young-generation GCs free, not what only a full GC would.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { GCProfiler } from 'node:v8';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { forgetEndedExecutions, runOnItems, type WorkflowResult } from '../../test/helpers/n8n';
import type { Provider, ProviderKey, SimAccess } from './providers';

const MB = 1024 * 1024;
const SAMPLE_MS = 20;

export interface MemoryRow {
	provider: string;
	operation: string;
	n: number;
	requests: number;
	runMs: number;
	/** Heap the input items' json takes by itself (after gc, with the json minus before): the unit of peakOverItems. */
	itemsMb: number;
	/** Heap of the n8n items around the json ({ json, pairedItem }), built before the run as a previous node's output is. */
	wrappersMb: number;
	/**
	 * Highest heapUsed during the run (sampled every 20 ms, as the run returns, and
	 * before each GC) over the heap just before it, where the items already are.
	 * heapUsed counts garbage not yet collected.
	 */
	peakMb: number;
	/** peakMb / itemsMb. */
	peakOverItems: number;
	/** Highest heap right after a GC during the run, over the heap before it: live data, and what only a full GC would free. */
	livePeakMb: number;
	/** After the run and a gc, while the run's result (n8n's execution data) is still held. */
	heldAfterGcMb: number;
	/** After the run's result, the items and the test helper's record of the execution are dropped and a gc: what stays (pools, caches, JIT). */
	afterDropMb: number;
	samples: number;
	gcs: number;
	/** Longest time between two timer samples: synchronous work the timer could not see into. */
	longestGapMs: number;
	note?: string;
}

interface Reply {
	id: number;
	requests: number;
	ledger: number;
	access?: SimAccess;
}

/** A simulator in a child process. */
export class SimHost {
	private nextId = 1;
	private readonly waiting = new Map<number, (reply: Reply) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly access: SimAccess,
	) {
		child.on('message', (reply: Reply) => {
			this.waiting.get(reply.id)?.(reply);
			this.waiting.delete(reply.id);
		});
	}

	static async start(key: ProviderKey): Promise<SimHost> {
		const child = fork(path.join(__dirname, 'simHost.js'), [key], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const access = await new Promise<SimAccess>((resolve, reject) => {
			child.once('message', (reply: Reply) => (reply.access ? resolve(reply.access) : reject(new Error('simulator host sent no address'))));
			child.once('exit', (code) => reject(new Error(`simulator host for ${key} exited with ${code}`)));
		});
		return new SimHost(child, access);
	}

	async ask(cmd: 'reset' | 'summary' | 'stop'): Promise<Reply> {
		const id = this.nextId++;
		const answer = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
		this.child.send({ id, cmd });
		return await answer;
	}

	async stop(): Promise<void> {
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		await this.ask('stop');
		await exited;
	}
}

const heap = () => process.memoryUsage().heapUsed;
function gc(): void {
	if (!global.gc) throw new Error('the memory runs need node --expose-gc (npm run bench passes it)');
	global.gc();
}

interface Sampled<T> {
	result?: T;
	/** Highest heapUsed seen: every SAMPLE_MS, as the run returns, and just before each GC. */
	peak: number;
	/** Highest heapUsed right after a GC during the run: live data, garbage left out. */
	livePeak: number;
	samples: number;
	gcs: number;
	longestGapMs: number;
}

/**
 * Runs `fn` while sampling the heap every SAMPLE_MS. A timer cannot fire inside a
 * synchronous stretch of work, so V8's GC profiler adds the heap before and after
 * each GC (GCs happen inside such stretches, as the heap grows).
 */
async function sampled<T>(fn: () => Promise<T>): Promise<Sampled<T>> {
	const out: Sampled<T> = { peak: heap(), livePeak: 0, samples: 1, gcs: 0, longestGapMs: 0 };
	let last = Date.now();
	const timer = setInterval(() => {
		const now = Date.now();
		out.longestGapMs = Math.max(out.longestGapMs, now - last);
		last = now;
		out.peak = Math.max(out.peak, heap());
		out.samples++;
	}, SAMPLE_MS);
	const profiler = new GCProfiler();
	profiler.start();
	try {
		out.result = await fn();
		out.peak = Math.max(out.peak, heap());
		out.samples++;
		out.longestGapMs = Math.max(out.longestGapMs, Date.now() - last);
	} finally {
		clearInterval(timer);
		const { statistics } = profiler.stop();
		out.gcs = statistics.length;
		for (const { beforeGC, afterGC } of statistics) {
			out.peak = Math.max(out.peak, beforeGC.heapStatistics.usedHeapSize);
			out.livePeak = Math.max(out.livePeak, afterGC.heapStatistics.usedHeapSize);
		}
	}
	return out;
}

/**
 * The item with its strings flat, as a workflow gets them from JSON (an HTTP answer, a
 * sheet): a number built with a template is a string of two parts, a third larger, which
 * would make the items look larger and the ratios smaller. The object stays as built:
 * JSON.parse's own objects take more than twice the heap of an object literal.
 */
function flatValues(item: IDataObject): IDataObject {
	for (const [key, value] of Object.entries(item)) if (typeof value === 'string') item[key] = JSON.parse(JSON.stringify(value)) as string;
	return item;
}

/**
 * Builds the items' json and measures its own size, wraps it in n8n items as the node
 * before would have output them, then runs the node on them once.
 * `check` throws unless the run did what it should, and returns the requests the simulator got.
 */
export async function measureMemory(
	label: { provider: string; operation: string; note?: string },
	n: number,
	makeItem: (i: number) => IDataObject,
	run: (items: INodeExecutionData[]) => Promise<WorkflowResult>,
	check: (result: WorkflowResult) => Promise<number>,
): Promise<MemoryRow> {
	gc();
	const beforeItems = heap();
	const json = Array.from({ length: n }, (_, i) => flatValues(makeItem(i)));
	gc();
	const withJson = heap();
	let items: INodeExecutionData[] | undefined = json.map((j) => ({ json: j, pairedItem: { item: 0 } }));
	gc();
	const withItems = heap();
	const started = Date.now();
	const run1 = await sampled(async () => await run(items as INodeExecutionData[]));
	const runMs = Date.now() - started;
	const requests = await check(run1.result as WorkflowResult);
	gc();
	const heldAfterGc = heap();
	// Drop the run's result, the items and the helper's record of the run: what is left over the heap before the items.
	run1.result = undefined;
	items = undefined;
	json.length = 0;
	forgetEndedExecutions();
	gc();
	const afterDrop = heap() - beforeItems;
	const itemsBytes = withJson - beforeItems;
	const row: MemoryRow = {
		...label,
		n,
		requests,
		runMs,
		itemsMb: itemsBytes / MB,
		wrappersMb: (withItems - withJson) / MB,
		peakMb: (run1.peak - withItems) / MB,
		peakOverItems: (run1.peak - withItems) / itemsBytes,
		livePeakMb: Math.max(0, run1.livePeak - withItems) / MB,
		heldAfterGcMb: (heldAfterGc - withItems) / MB,
		afterDropMb: afterDrop / MB,
		samples: run1.samples,
		gcs: run1.gcs,
		longestGapMs: run1.longestGapMs,
	};
	process.stdout.write(
		`  ${`${label.provider} ${label.operation}`.padEnd(34)} N ${String(n).padStart(6)}  ${(runMs / 1000).toFixed(1).padStart(5)} s  items ${row.itemsMb.toFixed(1)} MB  ` +
			`peak +${row.peakMb.toFixed(1)} MB (${row.peakOverItems.toFixed(1)}× items), live +${row.livePeakMb.toFixed(1)} MB  held after gc +${row.heldAfterGcMb.toFixed(1)} MB  ` +
			`after drop ${row.afterDropMb >= 0 ? '+' : ''}${row.afterDropMb.toFixed(1)} MB  (${row.samples} samples, longest gap ${row.longestGapMs} ms, ${row.gcs} GCs)${label.note ? `  ${label.note}` : ''}\n`,
	);
	return row;
}

/** The bulk send of one provider at size n, its simulator in a child process. */
export async function providerMemory(provider: Provider, n: number, note?: string): Promise<MemoryRow> {
	const host = await SimHost.start(provider.key);
	try {
		await host.ask('reset');
		const expected = Math.ceil(n / provider.batchSize);
		return await measureMemory(
			{ provider: provider.name, operation: 'sendBulk', note },
			n,
			(i) => ({ phone: provider.phone(i) }),
			async (items) => await runOnItems(items, { type: provider.type, parameters: provider.bulkParameters, credentials: provider.credentials(host.access) }),
			async ({ outputs, error }) => {
				if (error || outputs[0]?.length !== n) throw new Error(`${provider.name} memory run failed: ${error?.message ?? `${outputs[0]?.length} outputs`}`);
				const got = await host.ask('summary');
				if (got.ledger !== n || got.requests !== expected) {
					throw new Error(`${provider.name} memory run: ${got.ledger} SMS in ${got.requests} requests, expected ${n} in ${expected}`);
				}
				return got.requests;
			},
		);
	} finally {
		await host.stop();
	}
}

/** n8n alone on the same items: the test node reading {{ $json.phone }} per item, no HTTP. */
export async function readMemory(n: number, phone: (i: number) => string): Promise<MemoryRow> {
	return await measureMemory(
		{ provider: 'n8n only', operation: 'read {{ $json.phone }}' },
		n,
		(i) => ({ phone: phone(i) }),
		async (items) => await runOnItems(items, { type: 'test.readPhone', parameters: { phone: '={{ $json.phone }}' } }),
		async ({ outputs }) => {
			if (outputs[0]?.length !== n) throw new Error('read run failed');
			return 0;
		},
	);
}
