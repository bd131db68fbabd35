import { randomUUID } from 'node:crypto';
import { sleep, type DeduplicationHelperFunctions, type IExecuteFunctions, type IRunExecutionData } from 'n8n-workflow';

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

/** Execution ids up to 2^50: n8n numbers executions from 1. */
const ID_BITS = 50;

/** The marker and the set bits of an execution id. */
function senderBits(id: bigint): string[] {
	const bits = ['n'];
	for (let i = 0; i < ID_BITS; i++) if ((id >> BigInt(i)) & 1n) bits.push(String(i));
	return bits;
}

export class IdempotencyClaims {
	private readonly options;
	/** The period's sub-bucket each taken key was found in (the newest), for its sender record. */
	readonly takenIn = new Map<string, number>();
	/** The sub-bucket of the keys this run claimed. */
	claimedIn?: number;

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

	/**
	 * Which execution sent each key: written by the claimant once its claim holds, as one
	 * value per set bit of its (numeric) execution id, since the store can only say whether
	 * a value is there. Read back by probing those values (and removing the probes).
	 */
	async recordSender(keys: readonly string[], executionId: string): Promise<void> {
		const values = this.senderValues(keys, executionId);
		if (values.length) await this.store.checkProcessedAndRecord(values, SCOPE, this.options);
	}

	/** The execution that sent each taken key, where its record is whole; at most `limit` keys are read. */
	async findSenders(keys: readonly string[], limit: number): Promise<Map<string, string>> {
		const wanted = keys.filter((key) => this.takenIn.has(key)).slice(0, limit);
		const senders = new Map<string, string>();
		if (wanted.length === 0) return senders;
		const probesOf = (key: string) => ['n', ...Array.from({ length: ID_BITS }, (_, i) => String(i))].map((bit) => this.senderValue(key, this.takenIn.get(key)!, bit));
		const probes = wanted.flatMap(probesOf);
		const answer = await this.store.checkProcessedAndRecord(probes, SCOPE, this.options);
		const found = new Set(answer.processed.map(String));
		if (answer.new.length) await this.store.removeProcessed(answer.new, SCOPE, this.options);
		for (const key of wanted) {
			const [marker, ...bits] = probesOf(key);
			if (!found.has(marker)) continue;
			const id = bits.reduce((sum, value, i) => (found.has(value) ? sum + (1n << BigInt(i)) : sum), 0n);
			senders.set(key, id.toString());
		}
		return senders;
	}

	/** The values of the sender record of this run's claims: none without a claim or a numeric execution id. */
	private senderValues(keys: readonly string[], executionId: string | null): string[] {
		const bucket = this.claimedIn;
		if (bucket === undefined || !executionId || !/^\d{1,15}$/.test(executionId)) return [];
		const bits = senderBits(BigInt(executionId));
		return keys.flatMap((key) => bits.map((bit) => this.senderValue(key, bucket, bit)));
	}

	private senderValue(key: string, bucket: number, bit: string): string {
		return `${this.settings.prefix}:x:${key}:${bucket}:${bit}`;
	}

	/** Claims each key (distinct keys): ours to send, or taken by a send within the period (or one under way). */
	async claim(keys: readonly string[]): Promise<Map<string, ClaimResult>> {
		const results = new Map<string, ClaimResult>();
		let pending = [...new Set(keys)];
		for (let attempt = 0; attempt < this.settings.attempts && pending.length; attempt++) {
			const { ours, taken } = await this.tryClaim(pending);
			for (const key of taken) results.set(key, 'taken');
			const kept = new Set(await this.verify(ours));
			for (const key of kept) results.set(key, 'ours');
			pending = [...ours.keys()].filter((key) => !kept.has(key));
		}
		// Still contested after every attempt: left to the other claimant.
		for (const key of pending) results.set(key, 'taken');
		return results;
	}

	/** Frees claims whose send certainly did not happen (a definite refusal), so a later execution may send. */
	async release(keys: readonly string[], executionId: string | null = null): Promise<void> {
		if (keys.length === 0) return;
		const bucket = this.bucket();
		const values = [...keys.flatMap((key) => [this.value(key, bucket), this.value(key, bucket - 1)]), ...this.senderValues(keys, executionId)];
		await this.store.removeProcessed(values, SCOPE, this.options);
	}

	/** One write for every key: its current value, the period's older ones (read, then taken back) and a token. */
	private async tryClaim(keys: string[]): Promise<{ ours: Map<string, string>; taken: string[] }> {
		const bucket = this.bucket();
		const olderOf = (key: string) => Array.from({ length: BUCKETS_PER_PERIOD }, (_, i) => this.value(key, bucket - 1 - i));
		const tokens = new Map(keys.map((key) => [key, `${this.settings.prefix}:t:${key}:${randomUUID()}`]));
		const values = keys.flatMap((key) => [this.value(key, bucket), ...olderOf(key), tokens.get(key)!]);
		const found = new Set((await this.store.checkProcessedAndRecord(values, SCOPE, this.options)).processed.map(String));
		this.claimedIn = bucket;
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
				this.takenIn.set(key, found.has(current) ? bucket : bucket - 1 - older.findIndex((v) => found.has(v)));
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
	/** The key as the item gave it, by item: sent items carry it, for a later execution's lookup. */
	shown: Map<number, string>;
	/** Keys this run claimed in an earlier attempt (kept in the node context, by run index). */
	held: Set<string>;
	/** Writes the keys this run holds back to the node context. */
	keep(keys: Iterable<string>): void;
	executionId: string | null;
	/** What the execution that sent a key output for it: its message id and when the node ran. */
	firstSend(executionId: string, shownKey: string): Promise<FirstSend | undefined>;
}

export interface FirstSend {
	messageId: string | null;
	sentAt: string | null;
}

/** Where n8n offers its deduplication store (n8n 1.x and 2.x do); without it, keys are not checked. */
export function openIdempotency(ctx: IExecuteFunctions, periodMs: number, runIndex: number): IdempotencyRun {
	const store = ctx.helpers as Partial<Store>;
	const idempotency: IdempotencyRun = { claimed: new Map(), shown: new Map(), held: new Set(), keep: () => undefined, executionId: null, firstSend: async () => undefined };
	if (typeof store.checkProcessedAndRecord !== 'function' || typeof store.removeProcessed !== 'function') return idempotency;
	idempotency.claims = new IdempotencyClaims(store as Store, { prefix: ctx.getNode().id, periodMs, verifyDelayMs: 1000, maxEntries: 100_000, attempts: 4 });
	// The node context is saved with the execution: it gets the row only when a run claims keys.
	const context = ctx.getContext('node');
	const byRun = context.idempotencyKeysByRun as Record<string, string[]> | undefined;
	idempotency.held = new Set(byRun?.[String(runIndex)] ?? []);
	idempotency.keep = (keys) => {
		((context.idempotencyKeysByRun ??= {}) as Record<string, string[]>)[String(runIndex)] = [...keys];
	};
	const executionId: unknown = ctx.getExecutionId();
	idempotency.executionId = typeof executionId === 'string' && executionId ? executionId : null;
	idempotency.firstSend = async (id, shownKey) => await firstSendIn(ctx, id, shownKey);
	return idempotency;
}

/**
 * The item this node output for the key in execution `id`, as n8n saved it: found only once
 * that execution has ended and n8n kept its data (the workflow's "save successful
 * executions" setting). Its absence leaves the item without the first send's details.
 */
async function firstSendIn(ctx: IExecuteFunctions, id: string, shownKey: string): Promise<FirstSend | undefined> {
	if (typeof ctx.getExecutionDataById !== 'function') return undefined;
	let data: IRunExecutionData | undefined;
	try {
		data = await ctx.getExecutionDataById(id);
	} catch {
		return undefined;
	}
	const runs = data?.resultData?.runData?.[ctx.getNode().name] ?? [];
	for (const task of runs) {
		for (const item of task.data?.main?.[0] ?? []) {
			const json = item?.json;
			if (json?.idempotencyKey !== shownKey || json.status === 'skipped' || json.error !== undefined) continue;
			return { messageId: typeof json.messageId === 'string' ? json.messageId : null, sentAt: task.startTime ? new Date(task.startTime).toISOString() : null };
		}
	}
	return undefined;
}
