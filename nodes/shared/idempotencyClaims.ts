import { randomUUID } from 'node:crypto';
import { sleep, type DeduplicationHelperFunctions, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Claims of idempotency keys in n8n's deduplication store, so that a key sent by one
 * execution is not sent by another within the period. The store only checks by
 * recording, and records by reading its row, comparing and writing the whole row
 * back, with no lock: two calls at the same moment can both find a value new, and the
 * later write drops what the earlier one added. A claim therefore writes a token of
 * its own with the key and, after longer than such a call takes, checks that its
 * token is still there; if not, another write won, and the claim is tried again.
 */

type Store = Pick<DeduplicationHelperFunctions, 'checkProcessedAndRecord' | 'removeProcessed'>;

/** The keys' row: workflow scope, apart from the send journal's node row (which keeps 10 000 entries). */
const SCOPE = 'workflow';
/** The period in sub-buckets: a key is remembered for between one period and 1¼. */
const BUCKETS_PER_PERIOD = 4;

export interface ClaimSettings {
	/** Keeps the keys of one node apart from the workflow's other nodes'. */
	prefix: string;
	periodMs: number;
	/** Longer than the store takes from reading its row to writing it. */
	verifyDelayMs: number;
	/** Entries the row keeps (the oldest go first). */
	maxEntries: number;
	/** Claims tried again after another write dropped ours. */
	attempts: number;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export type ClaimResult = 'ours' | 'taken';


export class IdempotencyClaims {
	private readonly options;

	constructor(
		private readonly store: Store,
		private readonly settings: ClaimSettings,
	) {
		this.options = { mode: 'entries', maxEntries: settings.maxEntries } as const;
	}

	private bucket(): number {
		const now = (this.settings.now ?? Date.now)();
		return Math.floor(now / (this.settings.periodMs / BUCKETS_PER_PERIOD));
	}

	private value(key: string, bucket: number): string {
		return `${this.settings.prefix}:k:${key}:${bucket}`;
	}

	/** Claims each key (distinct keys): ours to send, or taken by a send within the period (or one under way). */
	async claim(keys: readonly string[]): Promise<Map<string, ClaimResult>> {
		const results = new Map<string, ClaimResult>();
		let pending = [...new Set(keys)];
		for (let attempt = 0; attempt < this.settings.attempts && pending.length; attempt++) {
			const { ours, taken } = await this.tryClaim(pending);
			for (const key of taken) results.set(key, 'taken');
			const kept = await this.verify(ours);
			for (const key of kept) results.set(key, 'ours');
			pending = [...ours.keys()].filter((key) => !kept.includes(key));
		}
		// Still contested after every attempt: left to the other claimant.
		for (const key of pending) results.set(key, 'taken');
		return results;
	}

	/** Frees claims whose send certainly did not happen (a definite refusal), so a later execution may send. */
	async release(keys: readonly string[]): Promise<void> {
		if (keys.length === 0) return;
		const bucket = this.bucket();
		const values = keys.flatMap((key) => [this.value(key, bucket), this.value(key, bucket - 1)]);
		await this.store.removeProcessed(values, SCOPE, this.options);
	}

	/** One write for every key: its current value, the period's older ones (read, then taken back) and a token. */
	private async tryClaim(keys: string[]): Promise<{ ours: Map<string, string>; taken: string[] }> {
		const bucket = this.bucket();
		const olderOf = (key: string) => Array.from({ length: BUCKETS_PER_PERIOD }, (_, i) => this.value(key, bucket - 1 - i));
		const tokens = new Map(keys.map((key) => [key, `${this.settings.prefix}:t:${key}:${randomUUID()}`]));
		const values = keys.flatMap((key) => [this.value(key, bucket), ...olderOf(key), tokens.get(key)!]);
		const found = new Set((await this.store.checkProcessedAndRecord(values, SCOPE, this.options)).processed.map(String));
		const ours = new Map<string, string>();
		const taken: string[] = [];
		const undo: string[] = [];
		for (const key of keys) {
			const current = this.value(key, bucket);
			const older = olderOf(key);
			// The older values were only read: the ones this call added go again.
			undo.push(...older.filter((v) => !found.has(v)));
			if (found.has(current) || older.some((v) => found.has(v))) {
				taken.push(key);
				if (!found.has(current)) undo.push(current);
				undo.push(tokens.get(key)!);
			} else {
				ours.set(key, tokens.get(key)!);
			}
		}
		if (undo.length) await this.store.removeProcessed(undo, SCOPE, this.options);
		return { ours, taken };
	}

	/** The keys whose token is still in the row once any write under way has landed. */
	private async verify(ours: Map<string, string>): Promise<string[]> {
		if (ours.size === 0) return [];
		await (this.settings.sleep ?? sleep)(this.settings.verifyDelayMs);
		const tokens = [...ours.values()];
		const found = new Set((await this.store.checkProcessedAndRecord(tokens, SCOPE, this.options)).processed.map(String));
		// Tokens have served: the ones found, and the ones this check just added.
		await this.store.removeProcessed(tokens, SCOPE, this.options);
		return [...ours.entries()].filter(([, token]) => found.has(token)).map(([key]) => key);
	}
}

/**
 * A run's idempotency keys: the claims in n8n's store, the keys this run claimed (by
 * item), and the keys this same run holds from an earlier attempt. n8n's Retry On Fail
 * runs the node again in the same execution; the node context survives that (as for the
 * run ledger), so the retry knows its own keys from another execution's.
 */
export interface IdempotencyRun {
	claims?: IdempotencyClaims;
	claimed: Map<number, string>;
	/** Keys this run claimed in an earlier attempt (kept in the node context, by run index). */
	held: Set<string>;
	/** Writes the keys this run holds back to the node context. */
	keep(keys: Iterable<string>): void;
}

/** Where n8n offers its deduplication store (n8n 1.x and 2.x do); without it, keys are not checked. */
export function openIdempotency(ctx: IExecuteFunctions, periodMs: number, runIndex: number): IdempotencyRun {
	const store = ctx.helpers as Partial<Store>;
	const idempotency: IdempotencyRun = { claimed: new Map(), held: new Set(), keep: () => undefined };
	if (typeof store.checkProcessedAndRecord !== 'function' || typeof store.removeProcessed !== 'function') return idempotency;
	idempotency.claims = new IdempotencyClaims(store as Store, { prefix: ctx.getNode().id, periodMs, verifyDelayMs: 1000, maxEntries: 100_000, attempts: 4 });
	const context = ctx.getContext('node');
	const byRun = (context.idempotencyKeysByRun ??= {}) as Record<string, string[]>;
	idempotency.held = new Set(byRun[String(runIndex)] ?? []);
	idempotency.keep = (keys) => {
		byRun[String(runIndex)] = [...keys];
	};
	return idempotency;
}
