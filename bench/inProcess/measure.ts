/** Timing and the raw baseline's sender of the in-process benchmark. */
import diagnosticsChannel from 'node:diagnostics_channel';
import { Agent, request } from 'undici';
import type { RawRequest } from './providers';

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export interface Measure {
	ms: number;
	heapMb: number;
}

/** The middle value (the upper one of an even count). */
export const median = (list: number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

export interface Contender {
	label: string;
	run: () => Promise<void>;
	/** Called after each timed run, outside the time (checks what the run did). */
	after?: () => Promise<void>;
}

export interface TurnMeasure extends Measure {
	/** The most requests under way at once in any of its runs. */
	peakInFlight: number;
}

/**
 * One warm-up run each, then `rounds` rounds in which every contender runs once, the
 * order turning by one each round: a ratio between two of them is not skewed by the
 * machine drifting between two blocks of runs (2 shared cores drift by tens of percent).
 */
export async function measureInTurns(contenders: Contender[], rounds = ROUNDS): Promise<TurnMeasure[]> {
	for (const c of contenders) {
		await c.run();
		await c.after?.();
	}
	const times = contenders.map((): number[] => []);
	const heaps = contenders.map(() => 0);
	const peaks = contenders.map(() => 0);
	for (let round = 0; round < rounds; round++) {
		for (let k = 0; k < contenders.length; k++) {
			const i = (k + round) % contenders.length;
			global.gc?.();
			takePeakInFlight();
			const before = process.memoryUsage().heapUsed;
			const started = process.hrtime.bigint();
			await contenders[i].run();
			times[i].push(Number(process.hrtime.bigint() - started) / 1e6);
			heaps[i] = Math.max(heaps[i], (process.memoryUsage().heapUsed - before) / 1024 / 1024);
			peaks[i] = Math.max(peaks[i], takePeakInFlight());
			await contenders[i].after?.();
		}
	}
	return contenders.map((c, i) => {
		const ms = median(times[i]);
		process.stdout.write(`  ${c.label.padEnd(50)} median ${ms.toFixed(1).padStart(8)} ms   heap +${heaps[i].toFixed(1)} MB\n`);
		return { ms, heapMb: heaps[i], peakInFlight: peaks[i] };
	});
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
