import { sleep } from 'n8n-workflow';

/**
 * Runs tasks with at most `concurrency` in flight and, when `perSecond` > 0,
 * starts spaced at least 1000/perSecond ms apart (smooth pacing, no bursts).
 */
export class RequestLimiter {
	private active = 0;
	private nextStartAt = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly concurrency: number,
		private readonly perSecond: number,
	) {
		if (!(concurrency >= 1)) throw new Error('Max Concurrent Requests must be at least 1');
		if (!(perSecond >= 0)) throw new Error('Max Requests Per Second must be 0 (no limit) or more');
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		// A free slot and no pace (a fan-out's usual case) costs no extra turn of the event loop.
		if (this.active < this.concurrency) this.active++;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		try {
			if (this.perSecond > 0) await this.pace();
			return await task();
		} finally {
			this.release();
		}
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}

	private async pace(): Promise<void> {
		const interval = 1000 / this.perSecond;
		const now = Date.now();
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + interval;
		if (startAt > now) await sleep(startAt - now);
	}
}

/**
 * Maps the items with at most `limit` calls of `fn` under way; results in input order. Each
 * call starts only when a slot frees, so 100 000 items do not hold 100 000 pending calls
 * (and their built requests) at once.
 */
export async function mapWithin<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await fn(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
	return results;
}
