/** Timing and the raw baseline's sender of the in-process benchmark. */
import diagnosticsChannel from 'node:diagnostics_channel';
import { Agent, request } from 'undici';
import type { RawRequest } from './providers';

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export interface Measure {
	ms: number;
	heapMb: number;
}

/** One warm-up run (JIT, pools, module loading), then ROUNDS runs: the median time and the largest heap growth. */
export async function measure(label: string, fn: () => Promise<void>): Promise<Measure> {
	await fn();
	const times: number[] = [];
	let heap = 0;
	for (let i = 0; i < ROUNDS; i++) {
		global.gc?.();
		const before = process.memoryUsage().heapUsed;
		const started = process.hrtime.bigint();
		await fn();
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
		heap = Math.max(heap, (process.memoryUsage().heapUsed - before) / 1024 / 1024);
	}
	times.sort((a, b) => a - b);
	const ms = times[Math.floor(times.length / 2)];
	process.stdout.write(`  ${label.padEnd(50)} median ${ms.toFixed(1).padStart(8)} ms   heap +${heap.toFixed(1)} MB\n`);
	return { ms, heapMb: heap };
}

/** `concurrency` workers taking the next item until none is left. */
export async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) await fn(items[next++]);
		}),
	);
}

/**
 * Requests under way at once in this process, seen through undici's diagnostics
 * channels (the node's transport and the raw baseline both use the package's undici):
 * a request counts from its creation (it may wait for a connection) to its last byte
 * or its error. The simulator cannot tell: in-process it answers one request at a time.
 */
const underWay = new Set<object>();
let highest = 0;
const requestOf = (message: unknown) => (message as { request: object }).request;
diagnosticsChannel.subscribe('undici:request:create', (message) => {
	underWay.add(requestOf(message));
	highest = Math.max(highest, underWay.size);
});
diagnosticsChannel.subscribe('undici:request:trailers', (message) => void underWay.delete(requestOf(message)));
diagnosticsChannel.subscribe('undici:request:error', (message) => void underWay.delete(requestOf(message)));

/** The most requests under way at once since the last call. */
export function takePeakInFlight(): number {
	const peak = highest;
	highest = underWay.size;
	return peak;
}

/** The raw baseline: undici's request() on a keep-alive agent, the answer read as JSON. */
export class RawSender {
	private readonly agent = new Agent({ keepAliveTimeout: 10_000 });

	async send(req: RawRequest): Promise<void> {
		const res = await request(req.url, { method: 'POST', dispatcher: this.agent, headers: req.headers, body: req.body });
		if (res.statusCode >= 300) throw new Error(`raw request answered HTTP ${res.statusCode}: ${await res.body.text()}`);
		await res.body.json();
	}

	async close(): Promise<void> {
		await this.agent.close();
	}
}
