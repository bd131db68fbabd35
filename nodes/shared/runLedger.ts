import { hash } from 'node:crypto';
import type { IContextObject, IDataObject } from 'n8n-workflow';
import { isPlainObject } from './values';

/** 132 bits of SHA-256: identifies a send (or a write) among the few thousand of one run; the ledger's keys. */
export function fingerprint(parts: unknown): string {
	const json = JSON.stringify(parts);
	// A bulk asks for its request group's fingerprint at every item, between two items' own.
	if (json === recent[0].json) return recent[0].print;
	if (json === recent[1].json) return recent[1].print;
	// The one-shot hash: a Hash object costs three times as much.
	const print = base64url22(hash('sha256', json, 'buffer'));
	recent[1] = recent[0];
	recent[0] = { json, print };
	return print;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const codes: number[] = new Array<number>(22).fill(0);

/**
 * The first 22 characters of the bytes' base64url text (the first 132 bits), as a string
 * of its own: a slice of the whole text would keep that text alive beside every key the
 * ledger holds.
 */
function base64url22(bytes: Uint8Array): string {
	for (let i = 0, c = 0; c < 22; i += 3) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
		codes[c++] = BASE64URL.charCodeAt(n >>> 18);
		codes[c++] = BASE64URL.charCodeAt((n >>> 12) & 63);
		if (c < 22) codes[c++] = BASE64URL.charCodeAt((n >>> 6) & 63);
		if (c < 22) codes[c++] = BASE64URL.charCodeAt(n & 63);
	}
	return String.fromCharCode(...codes);
}

const recent = [
	{ json: '', print: '' },
	{ json: '', print: '' },
];

/**
 * Whether two plain values serialise alike: same keys in the same order, equal leaves.
 * False when unsure (NaN): the worst is one entry more in the ledger.
 */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	// Anything but plain objects and arrays (a Date) may serialise otherwise than its keys say.
	const list = Array.isArray(a);
	if (list !== Array.isArray(b) || (!list && (!isPlainObject(a) || !isPlainObject(b)))) return false;
	const keys = Object.keys(a as object);
	const other = Object.keys(b as object);
	if (keys.length !== other.length) return false;
	for (let i = 0; i < keys.length; i++) {
		if (keys[i] !== other[i] || !sameJson((a as Record<string, unknown>)[keys[i]], (b as Record<string, unknown>)[keys[i]])) return false;
	}
	return true;
}

/**
 * What this run of the node already sent, kept in n8n's node context: n8n's
 * Retry On Fail re-runs the node in the same execution with the same items, and
 * the context survives that. Keyed by run index, so a loop that runs the node
 * again with new items still sends every round.
 *
 * The context is saved with the execution, so it stays small: one entry per
 * accepted answer unlike the one before, and per send only the index of its entry.
 */
export class RunLedger {
	private readonly outcomes: IDataObject[];
	/** A send's key → the index of its outcome: sends accepted one per request (items, parts, records). */
	private readonly acceptedBy: Record<string, number>;
	/**
	 * [outcome index, the request's keys joined by spaces]: the sends of a request that carried
	 * several. One string per request instead of an entry per send: a 100 000-item bulk's
	 * ledger is a fifth of the heap, and of the execution's saved size, a map of keys would be.
	 */
	private readonly acceptedTogether: Array<[number, string]>;
	/** The keys of acceptedTogether, read out when a lookup could find one (rare: a bulk looks a send up before it is sent). */
	private together?: Map<string, number>;
	private togetherRead = 0;
	private readonly unsure: Record<string, string>;
	/**
	 * The last outcome recorded, as JSON, and its index: a provider that answers alike for
	 * every request (no id) keeps one entry. Only the last: remembering every answer's JSON
	 * would hold a string per request of a fan-out, where answers differ by their id.
	 */
	private last: { outcome?: object; index: number } = { index: -1 };
	/** Whether unsure holds anything: a fan-out's accepted sends then skip a delete each. */
	private anyUnsure: boolean;

	/** n8n kept no record of an earlier attempt at this run: it is the first, or the process that ran the earlier one died. */
	readonly fresh: boolean;

	constructor(context: IContextObject, runIndex: number) {
		const run = String(runIndex);
		const byRun = (name: string) => ((context[name] ??= {}) as Record<string, unknown>);
		this.fresh = !(run in byRun('outcomesByRun'));
		this.outcomes = (byRun('outcomesByRun')[run] ??= []) as IDataObject[];
		this.acceptedBy = (byRun('acceptedByRun')[run] ??= {}) as Record<string, number>;
		this.acceptedTogether = (byRun('acceptedTogetherByRun')[run] ??= []) as Array<[number, string]>;
		this.unsure = (byRun('unsureByRun')[run] ??= {}) as Record<string, string>;
		this.anyUnsure = Object.keys(this.unsure).length > 0;
	}

	/** What the provider answered when it accepted this send, if it did. */
	acceptedOutcome<T>(key: string): T | undefined {
		const index = this.acceptedBy[key] ?? (this.acceptedTogether.length > 0 ? this.togetherKeys().get(key) : undefined);
		return index === undefined ? undefined : (this.outcomes[index] as T);
	}

	private togetherKeys(): Map<string, number> {
		const keys = (this.together ??= new Map());
		for (; this.togetherRead < this.acceptedTogether.length; this.togetherRead++) {
			const [index, joined] = this.acceptedTogether[this.togetherRead];
			for (const key of joined.split(' ')) keys.set(key, index);
		}
		return keys;
	}

	/** Records one accepted request and the sends (items, or parts of an item) it carried. */
	markAccepted(keys: string[], outcome: object): void {
		let index = this.last.index;
		if (!this.sameAsLast(outcome)) {
			index = this.outcomes.push(outcome as IDataObject) - 1;
			this.last = { outcome, index };
		}
		// Keys are fingerprints (no spaces); anything else is kept key by key.
		if (keys.length > 1 && !keys.some((key) => key.includes(' '))) this.acceptedTogether.push([index, keys.join(' ')]);
		else for (const key of keys) this.acceptedBy[key] = index;
		if (this.anyUnsure) for (const key of keys) delete this.unsure[key];
	}

	/** Whether the outcome serialises as the last one recorded (providers that answer alike keep one entry). */
	private sameAsLast(outcome: object): boolean {
		return this.last.outcome !== undefined && sameJson(outcome, this.last.outcome);
	}

	/** The reason an earlier attempt may have reached the provider (time-out after sending, 5xx, unreadable answer). */
	unsureAttempt(key: string): string | undefined {
		return this.unsure[key];
	}

	markUnsure(key: string, message: string): void {
		this.anyUnsure = true;
		this.unsure[key] = message;
	}
}
