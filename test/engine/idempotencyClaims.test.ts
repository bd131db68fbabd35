/**
 * Idempotency claims against a store that behaves as n8n's deduplication store does
 * under load: each call reads the row, waits, then writes the whole row back, so calls
 * at the same moment can all find a value new and the later write drops the earlier's.
 */
import fc from 'fast-check';
import type { DeduplicationItemTypes, IDeduplicationOutput } from 'n8n-workflow';
import { IdempotencyClaims, SENDER_RECORDS_PER_RUN, type ClaimSettings } from '../../nodes/shared/idempotencyClaims';

const sleep = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One row, read and written whole; `lag` is the time between the read and the write of a call. */
class RacyStore {
	row: string[] = [];
	calls = 0;
	constructor(private readonly lag: () => number) {}

	async checkProcessedAndRecord(items: DeduplicationItemTypes[]): Promise<IDeduplicationOutput> {
		this.calls++;
		const read = [...this.row];
		await sleep(this.lag());
		const seen = new Set(read);
		const processed = items.filter((i) => seen.has(String(i)));
		const added = items.map(String).filter((i) => !seen.has(i));
		this.row = [...read, ...new Set(added)];
		return { new: items.filter((i) => !seen.has(String(i))), processed };
	}

	async removeProcessed(items: DeduplicationItemTypes[]): Promise<void> {
		const read = [...this.row];
		await sleep(this.lag());
		const gone = new Set(items.map(String));
		this.row = read.filter((i) => !gone.has(i));
	}
}

const HOUR = 3_600_000;
const settings = (over: Partial<ClaimSettings> = {}): ClaimSettings => ({ prefix: 'node1', periodMs: 24 * HOUR, verifyDelayMs: 60, maxEntries: 100_000, attempts: 4, ...over });

test('one claimant: the key is ours, then taken by the next; released, it is free again', async () => {
	const store = new RacyStore(() => 1);
	const claims = new IdempotencyClaims(store as never, settings());
	expect(await claims.claim(['order-1', 'order-2'])).toEqual(new Map([['order-1', 'ours'], ['order-2', 'ours']]));
	expect(await claims.claim(['order-1'])).toEqual(new Map([['order-1', 'taken']]));
	await claims.release(['order-1']);
	expect(await claims.claim(['order-1', 'order-2'])).toEqual(new Map([['order-1', 'ours'], ['order-2', 'taken']]));
	// Only the keys' values stay (their quarter's and the four ahead): the claim's token is taken back.
	expect(store.row.every((v) => /^node1:k:order-[12]:\d+$/.test(v))).toBe(true);
});

test('the period: taken for at least one period, free after 1¼', async () => {
	let now = Date.UTC(2026, 11, 3, 9, 0);
	const claims = new IdempotencyClaims(new RacyStore(() => 0) as never, settings({ now: () => now }));
	expect((await claims.claim(['k'])).get('k')).toBe('ours');
	now += 24 * HOUR - 60_000;
	expect((await claims.claim(['k'])).get('k')).toBe('taken');
	now += 7 * HOUR;
	expect((await claims.claim(['k'])).get('k')).toBe('ours');
});

test('another node of the workflow has keys of its own', async () => {
	const store = new RacyStore(() => 0);
	await new IdempotencyClaims(store as never, settings({ prefix: 'a' })).claim(['k']);
	expect((await new IdempotencyClaims(store as never, settings({ prefix: 'b' })).claim(['k'])).get('k')).toBe('ours');
});

test('claimants at the same moment on a racy store: at most one gets each key, and some one does', async () => {
	await fc.assert(
		fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 6, maxLength: 6 }), async (n, starts) => {
			// Reads and writes take up to 20 ms apart; a claim checks its token 60 ms later.
			const store = new RacyStore(() => Math.floor(Math.random() * 20));
			const results = await Promise.all(
				Array.from({ length: n }, async (_, i) => {
					await sleep(starts[i]);
					return (await new IdempotencyClaims(store as never, settings()).claim(['order-42'])).get('order-42');
				}),
			);
			const winners = results.filter((r) => r === 'ours').length;
			expect(winners).toBeLessThanOrEqual(1);
			expect(winners).toBe(1);
		}),
		{ numRuns: 40, seed: 20_261_203 },
	);
}, 60_000);

test('claimants of overlapping keys at the same moment: each key won once, and still held in the period\'s last quarter', async () => {
	const keyNames = ['k0', 'k1', 'k2', 'k3', 'k4'];
	await fc.assert(
		fc.asyncProperty(fc.array(fc.record({ start: fc.integer({ min: 0, max: 25 }), keys: fc.subarray(keyNames, { minLength: 1 }) }), { minLength: 2, maxLength: 4 }), async (claimants) => {
			let now = Date.UTC(2026, 11, 3, 9, 0);
			const clock = settings({ now: () => now });
			// Any write may land on a row read before another's (up to 10 ms apart, a sixth of the check's wait; in n8n a
			// write takes milliseconds against a 1 s wait): the values ahead of a claim can be dropped too.
			const store = new RacyStore(() => Math.floor(Math.random() * 10));
			const results = await Promise.all(
				claimants.map(async ({ start, keys }) => {
					await sleep(start);
					return await new IdempotencyClaims(store as never, clock).claim(keys);
				}),
			);
			const won = keyNames.filter((key) => claimants.some((c) => c.keys.includes(key)));
			for (const key of won) expect(results.filter((r) => r.get(key) === 'ours')).toHaveLength(1);
			// A minute before the period ends, in its last quarter: only the values written ahead of the claims are there to find.
			now += 24 * HOUR - 60_000;
			const later = await new IdempotencyClaims(store as never, clock).claim(won);
			expect([...later.values()].every((r) => r === 'taken')).toBe(true);
		}),
		{ numRuns: 30, seed: 20_261_204 },
	);
}, 60_000);

test('the test store races as n8n\'s does: two plain check-and-records at once both find the key new', async () => {
	// What the claims guard against: a single call to the store is no claim.
	const store = new RacyStore(() => 15);
	const both = await Promise.all([0, 1].map(async () => await store.checkProcessedAndRecord(['k'])));
	expect(both.map((r) => r.new)).toEqual([['k'], ['k']]);
});

test('the sender record: the claimant writes its execution id, the next claimant reads it back and leaves no probe; a release takes it back', async () => {
	let now = Date.UTC(2026, 11, 3, 9, 0);
	const store = new RacyStore(() => 0);
	const first = new IdempotencyClaims(store as never, settings({ now: () => now }));
	expect(await first.claim(['a', 'b'])).toEqual(new Map([['a', 'ours'], ['b', 'ours']]));
	await first.recordSender(['a', 'b'], '987654321');
	// Another execution, a quarter later, sends d.
	now += 7 * HOUR;
	const other = new IdempotencyClaims(store as never, settings({ now: () => now }));
	await other.claim(['d']);
	await other.recordSender(['d'], '42');
	const rowAfterRecord = [...store.row];
	// Later, in another quarter of the period: each found in the quarter it was claimed in, with its own sender.
	now += 7 * HOUR;
	const next = new IdempotencyClaims(store as never, settings({ now: () => now }));
	expect(await next.claim(['a', 'd', 'b', 'c'])).toEqual(new Map([['a', 'taken'], ['d', 'taken'], ['b', 'taken'], ['c', 'ours']]));
	expect(await next.findSenders(['a', 'd', 'b', 'c'], 10)).toEqual(new Map([['a', '987654321'], ['d', '42'], ['b', '987654321']]));
	expect(store.row.filter((v) => v.includes(':x:')).sort()).toEqual(rowAfterRecord.filter((v) => v.includes(':x:')).sort());
	// A record that lost a bit (to a concurrent write) is not shown, and does not hide the others'.
	const bit0 = store.row.findIndex((v) => /^node1:x:a:\d+:0$/.test(v));
	store.row.splice(bit0, 1);
	expect(await next.findSenders(['a', 'b'], 10)).toEqual(new Map([['b', '987654321']]));
	store.row.splice(bit0, 0, rowAfterRecord.find((v) => /^node1:x:a:\d+:0$/.test(v))!);
	// A claim released (its send certainly failed) frees the key and takes its record's marker and whole id.
	await first.release(['a'], '987654321');
	expect(store.row.filter((v) => /^node1:(k:a:|x:a:\d+:(n|=))/.test(v))).toEqual([]);
	expect(await next.findSenders(['a'], 10)).toEqual(new Map());
	// Claimed again in the quarter of the released record, by execution 42: its bits mix with the ones left behind, and no wrong id is shown.
	const laterStill = now;
	now = Date.UTC(2026, 11, 3, 9, 0);
	const again = new IdempotencyClaims(store as never, settings({ now: () => now }));
	expect((await again.claim(['a'])).get('a')).toBe('ours');
	await again.recordSender(['a'], '42');
	now = laterStill;
	const reader = new IdempotencyClaims(store as never, settings({ now: () => now }));
	expect((await reader.claim(['a'])).get('a')).toBe('taken');
	expect(await reader.findSenders(['a'], 10)).toEqual(new Map());
	// An id that is not a number leaves no record.
	await next.recordSender(['c'], 'not-a-number');
	expect(store.row.some((v) => v.startsWith('node1:x:c:'))).toBe(false);
});

test('what a claim costs in n8n\'s store: nothing taken back but its token, fresh keys or taken; a run records the sender of its first 1 000 keys only', async () => {
	// n8n's removal looks each value up in the whole row: taking back many values from a long row takes seconds.
	class CountingStore extends RacyStore {
		removed: string[][] = [];
		override async removeProcessed(items: DeduplicationItemTypes[]): Promise<void> {
			this.removed.push(items.map(String));
			await super.removeProcessed(items);
		}
	}
	const store = new CountingStore(() => 0);
	const keys = Array.from({ length: 2500 }, (_, i) => `order-${i}`);
	const first = new IdempotencyClaims(store as never, settings());
	expect([...(await first.claim(keys)).values()].every((r) => r === 'ours')).toBe(true);
	await first.recordSender(keys, '5');
	// The id 5 is bits 0 and 2, with the marker and the id whole: four values per recorded key.
	expect(store.row.filter((v) => v.includes(':x:'))).toHaveLength(4 * SENDER_RECORDS_PER_RUN);
	expect(store.row.filter((v) => v.includes(':k:'))).toHaveLength(5 * keys.length);
	const again = new IdempotencyClaims(store as never, settings());
	expect([...(await again.claim(keys)).values()].every((r) => r === 'taken')).toBe(true);
	expect(store.removed.map((values) => values.length)).toEqual([1, 1]);
	// The lookups find the senders of recorded keys only.
	expect(await again.findSenders([keys[0], keys[SENDER_RECORDS_PER_RUN]], 10)).toEqual(new Map([[keys[0], '5']]));
});

test('a big run with a long execution id keeps its claims: its sender records do not push them out of the row', async () => {
	// Execution 1048575 has 20 bits set: recording it for every key of a 10 000-key run would take 220 000 values.
	const store = new RacyStore(() => 0);
	const keys = Array.from({ length: 10_000 }, (_, i) => `order-${i}`);
	const limited = settings({ maxEntries: 150_000 });
	const first = new IdempotencyClaims(store as never, limited);
	await first.claim(keys);
	await first.recordSender(keys, '1048575');
	// The store trims its row to the newest values as n8n's does.
	store.row.splice(0, Math.max(0, store.row.length - limited.maxEntries));
	const again = await new IdempotencyClaims(store as never, limited).claim(keys);
	expect([...again.values()].filter((r) => r !== 'taken')).toEqual([]);
});
