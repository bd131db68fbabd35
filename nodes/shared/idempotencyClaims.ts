import { randomUUID } from 'node:crypto';
import { sleep, type DeduplicationHelperFunctions } from 'n8n-workflow';

/**
 * Claims of idempotency keys in n8n's deduplication store, so that a key sent by one
 * execution is not sent by another within the period. The store only checks by
 * recording, and records by reading its row, comparing and writing the whole row
 * back, with no lock: two calls at the same moment can both find a value new, and the
 * later write drops everything the earlier one added. So each write of a claim carries
 * a token of its own and, after longer than such a call takes, the claim checks that its
 * tokens are still there; if not, another write won, and the claim is tried again.
 *
 * The store's removal looks each value up in the whole row (n8n 2.40: a linear search per
 * value), so a claim never writes values it must take back: a key's claim is its value for
 * the claim's quarter of the period, checked, then its values for the next four quarters,
 * so that a later check of a single value, its own quarter's, finds every claim of the period.
 */

export type Store = Pick<DeduplicationHelperFunctions, 'checkProcessedAndRecord' | 'removeProcessed'>;

/** The keys' row: workflow scope, apart from the send journal's node row (which keeps 10 000 entries). */
const SCOPE = 'workflow';
/** The period in sub-buckets: a key is remembered for between one period and 1¼. */
const BUCKETS_PER_PERIOD = 4;
/** Keys of a run whose sending execution is recorded (up to 51 values each): enough for the lookups, which read 100 keys, and the row keeps room for the claims. */
export const SENDER_RECORDS_PER_RUN = 1000;

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

/**
 * A sender record's values: a marker, one per set bit of the execution id, and the id whole
 * (which a lookup that already knows an execution checks with one value instead of 50).
 */
function senderRecord(executionId: string): string[] {
	const id = BigInt(executionId);
	const values = ['n', `=${executionId}`];
	for (let i = 0; i < ID_BITS; i++) if ((id >> BigInt(i)) & 1n) values.push(String(i));
	return values;
}

/** Execution ids a record can hold. */
const NUMERIC_ID = /^\d{1,15}$/;

export class IdempotencyClaims {
	private readonly options;
	/** Keys another claim holds. */
	private readonly taken = new Set<string>();
	/** The sub-bucket of this run's last claim. */
	private claimedIn?: number;
	/** Keys whose sending execution this run recorded. */
	private readonly recorded = new Set<string>();
	/** Keys this run's last claim found free and made its own (not held from an earlier attempt). */
	private readonly claimedHere = new Set<string>();

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

	/** The key's values for the quarters after its claim's, up to the end of the period. */
	private ahead(key: string, bucket: number): string[] {
		return Array.from({ length: BUCKETS_PER_PERIOD }, (_, i) => this.value(key, bucket + 1 + i));
	}

	private token(): string {
		return `${this.settings.prefix}:t:${randomUUID()}`;
	}

	private async record(values: string[]): Promise<Set<string>> {
		return new Set((await this.store.checkProcessedAndRecord(values, SCOPE, this.options)).processed.map(String));
	}

	/**
	 * Which execution sent each key: written by the claimant once its claim holds, as one
	 * value per set bit of its (numeric) execution id, since the store can only say whether
	 * a value is there. Read back by probing those values (and removing the probes). Only
	 * the first SENDER_RECORDS_PER_RUN keys get one: the row's room is for the claims.
	 */
	async recordSender(keys: readonly string[], executionId: string): Promise<void> {
		const bucket = this.claimedIn;
		if (bucket === undefined || !NUMERIC_ID.test(executionId)) return;
		const bits = senderRecord(executionId);
		const kept = keys.slice(0, Math.max(0, SENDER_RECORDS_PER_RUN - this.recorded.size));
		if (kept.length === 0) return;
		await this.store.checkProcessedAndRecord(
			kept.flatMap((key) => bits.map((bit) => this.senderValue(key, bucket, bit))),
			SCOPE,
			this.options,
		);
		for (const key of kept) this.recorded.add(key);
	}

	/** The execution that sent each taken key, where its record is whole; at most `limit` keys are read. */
	async findSenders(keys: readonly string[], limit: number): Promise<Map<string, string>> {
		const wanted = keys.filter((key) => this.taken.has(key)).slice(0, limit);
		const senders = new Map<string, string>();
		const bucket = this.claimedIn;
		if (wanted.length === 0 || bucket === undefined) return senders;
		// The claim holding a key was made in one of the period's quarters up to this one: its record's marker says which.
		const quarters = Array.from({ length: BUCKETS_PER_PERIOD + 1 }, (_, i) => bucket - i);
		const markers = await this.probe(wanted.flatMap((key) => quarters.map((q) => this.senderValue(key, q, 'n'))));
		const recordedIn = new Map<string, number>();
		for (const key of wanted) {
			const quarter = quarters.find((q) => markers.has(this.senderValue(key, q, 'n')));
			if (quarter !== undefined) recordedIn.set(key, quarter);
		}
		const bitsOf = (key: string) => Array.from({ length: ID_BITS }, (_, i) => this.senderValue(key, recordedIn.get(key)!, String(i)));
		const whole = (key: string, id: string) => this.senderValue(key, recordedIn.get(key)!, `=${id}`);
		const readBits = async (keysToRead: string[]): Promise<void> => {
			const found = await this.probe(keysToRead.flatMap(bitsOf));
			const ids = new Map(keysToRead.map((key) => [key, bitsOf(key).reduce((sum, value, i) => (found.has(value) ? sum + (1n << BigInt(i)) : sum), 0n).toString()]));
			// Bits lost to a concurrent write, or left by a released record, would give another id: only an id the record holds whole is kept.
			const held = await this.probe(keysToRead.map((key) => whole(key, ids.get(key)!)));
			for (const key of keysToRead) if (held.has(whole(key, ids.get(key)!))) senders.set(key, ids.get(key)!);
		};
		// A run's keys mostly share one sender: read the first record bit by bit, then check the others against it whole.
		const [first, ...rest] = recordedIn.keys();
		if (first === undefined) return senders;
		await readBits([first]);
		const known = senders.get(first);
		if (known !== undefined) {
			const same = await this.probe(rest.map((key) => whole(key, known)));
			for (const key of rest) if (same.has(whole(key, known))) senders.set(key, known);
		}
		await readBits(rest.filter((key) => !senders.has(key)));
		return senders;
	}

	/** Which of `values` the row has, taking back the ones this check added. */
	private async probe(values: string[]): Promise<Set<string>> {
		if (values.length === 0) return new Set();
		const answer = await this.store.checkProcessedAndRecord(values, SCOPE, this.options);
		if (answer.new.length) await this.store.removeProcessed(answer.new, SCOPE, this.options);
		return new Set(answer.processed.map(String));
	}

	private senderValue(key: string, bucket: number, bit: string): string {
		return `${this.settings.prefix}:x:${key}:${bucket}:${bit}`;
	}

	/** Claims each key (distinct keys): ours to send, or taken by a send within the period (or one under way). */
	async claim(keys: readonly string[]): Promise<Map<string, ClaimResult>> {
		// One quarter for the whole claim: a claim tried again across a quarter's end would find its own values ahead.
		const bucket = this.bucket();
		this.claimedIn = bucket;
		this.claimedHere.clear();
		const results = new Map<string, ClaimResult>();
		// Keys whose claim (their quarter's value) is still to be made, and keys whose claim held but whose values ahead are not yet sure.
		let unclaimed = [...new Set(keys)];
		let ahead: string[] = [];
		for (let attempt = 0; attempt < this.settings.attempts && unclaimed.length + ahead.length > 0; attempt++) {
			const claimToken = unclaimed.length ? this.token() : undefined;
			const fresh: string[] = [];
			if (claimToken) {
				const found = await this.record([...unclaimed.map((key) => this.value(key, bucket)), claimToken]);
				for (const key of unclaimed) {
					if (!found.has(this.value(key, bucket))) {
						fresh.push(key);
						this.claimedHere.add(key);
					} else {
						results.set(key, 'taken');
						this.taken.add(key);
					}
				}
			}
			// The keys whose claim held before come first: their values ahead lead the list.
			const extending = [...ahead, ...fresh];
			const aheadValues = extending.flatMap((key) => this.ahead(key, bucket));
			let held = new Set<string>();
			if (extending.length) {
				await this.record(aheadValues);
				await (this.settings.sleep ?? sleep)(this.settings.verifyDelayMs);
				// Once any write under way has landed: the claim's token and the values ahead still there say what held.
				held = await this.record(claimToken ? [claimToken, ...aheadValues] : aheadValues);
			}
			if (claimToken) await this.store.removeProcessed([claimToken], SCOPE, this.options);
			const claimHeld = claimToken === undefined || held.has(claimToken);
			// A claim lost to another write is made again; the keys it held wait only for their values ahead.
			const claimedKeys = claimHeld ? extending : ahead;
			unclaimed = claimHeld ? [] : fresh;
			ahead = [];
			claimedKeys.forEach((key, i) => {
				if (aheadValues.slice(i * BUCKETS_PER_PERIOD, (i + 1) * BUCKETS_PER_PERIOD).every((value) => held.has(value))) results.set(key, 'ours');
				else ahead.push(key);
			});
		}
		// Still contested after every attempt: left to the other claimant.
		for (const key of [...unclaimed, ...ahead]) {
			results.set(key, 'taken');
			this.taken.add(key);
		}
		return results;
	}

	/**
	 * Frees claims whose send certainly did not happen (a definite refusal), so a later
	 * execution may send. n8n removes value by value through the whole row, so only what
	 * must go goes: the claim's five values (six for a key an earlier attempt of the run
	 * claimed, maybe a quarter before), and of a sender record its marker and whole id;
	 * the bits left behind are read only under a marker, and checked against a whole id.
	 */
	async release(keys: readonly string[], executionId: string | null = null): Promise<void> {
		if (keys.length === 0) return;
		const bucket = this.claimedIn ?? this.bucket();
		const values: string[] = [];
		for (const key of keys) {
			if (!this.claimedHere.has(key)) values.push(this.value(key, bucket - 1));
			values.push(this.value(key, bucket), ...this.ahead(key, bucket));
			if (this.recorded.delete(key) && executionId) values.push(this.senderValue(key, bucket, 'n'), this.senderValue(key, bucket, `=${executionId}`));
		}
		await this.store.removeProcessed(values, SCOPE, this.options);
	}
}
