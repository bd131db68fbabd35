import type { DeduplicationHelperFunctions, IExecuteFunctions } from 'n8n-workflow';

import { publishJournalTiming, timingJournal } from './diagnostics';
import { mapWithin } from './limiter';
import { fingerprint } from './runLedger';

/** What an earlier, interrupted attempt of this execution left for a window of sends. */
export type JournalMark = 'accepted' | 'started';

/** Marks kept per node (n8n's deduplication store keeps the newest ones): about 5 000 windows. */
const MAX_ENTRIES = 10_000;
const OPTIONS = { mode: 'entries', maxEntries: MAX_ENTRIES } as const;

type Store = Pick<DeduplicationHelperFunctions, 'checkProcessedAndRecord' | 'removeProcessed'>;

/**
 * The last write queued per store row (a node of a workflow) in this process. n8n's store
 * reads a node's row, changes it and writes it back: two writes at once could drop a mark.
 * Every run of the node, in every execution this process runs, writes in turn.
 */
const rowTurns = new Map<string, Promise<unknown>>();

function inTurn<T>(row: string, write: () => Promise<T>): Promise<T> {
	const result = (rowTurns.get(row) ?? Promise.resolve()).then(write);
	const turn = result.catch(() => undefined);
	rowTurns.set(row, turn);
	void turn.then(() => {
		if (rowTurns.get(row) === turn) rowTurns.delete(row);
	});
	return result;
}

/**
 * A durable note, in n8n's database, of the windows of sends a node started and had
 * accepted. The node's run ledger (runLedger.ts) lives in the execution's memory and is
 * lost when the process running it dies (a queue-mode worker killed, n8n restarted), and
 * n8n's Retry of such an execution runs the node again from scratch. Before a window's
 * requests go, its "started" mark is written; once all were accepted, its "accepted" mark.
 *
 * Marks are keyed by the execution's context (n8n 2.x establishes it once, stores it with
 * the execution, and a Retry inherits it), so only a retry of the same execution finds them.
 * Where n8n gives no such context, or no deduplication store, there is no journal.
 */
export class SendJournal {
	/** Set when the store failed (n8n could not initialise it, its database refused a write): the sends go on unjournaled. */
	private failed = false;

	private constructor(
		private readonly store: Store,
		/** The store row the marks go to: n8n keeps a node's marks in one row per workflow and node. */
		private readonly row: string,
		private readonly run: string,
		/** Marks are read only in a Retry whose run of the node starts from nothing (no ledger kept by n8n). */
		private readonly recall: boolean,
	) {}

	static open(ctx: IExecuteFunctions, runIndex: number, startsFresh: boolean): SendJournal | undefined {
		const context = typeof ctx.getExecutionContext === 'function' ? ctx.getExecutionContext() : undefined;
		const store = ctx.helpers as Partial<Store>;
		if (!context?.establishedAt || typeof store.checkProcessedAndRecord !== 'function' || typeof store.removeProcessed !== 'function') return undefined;
		const run = fingerprint([context.establishedAt, context.source, context.triggerNode?.name ?? null, runIndex]);
		// Only a Retry reads the marks: two executions established in the same millisecond with the
		// same items would otherwise take each other's marks.
		const retry = typeof ctx.getMode === 'function' && ctx.getMode() === 'retry';
		return new SendJournal(store as Store, `${ctx.getWorkflow().id ?? ''}|${ctx.getNode().id}`, run, startsFresh && retry);
	}

	/** How long the last write to the store took (ms): sendInWindows groups windows per write when writes are slow. */
	lastWriteMs = 0;

	/**
	 * One write: the "started" marks of `windows` and the "accepted" marks of earlier windows.
	 * Answers, per window, what an earlier attempt of this execution did with it.
	 */
	async begin(windows: readonly string[], accepted: readonly string[]): Promise<Array<JournalMark | undefined>> {
		const none = windows.map(() => undefined);
		await this.pending;
		if (this.failed || windows.length + accepted.length === 0) return none;
		try {
			return await this.mark(windows, accepted);
		} catch {
			this.failed = true;
			return none;
		}
	}

	/**
	 * Writes "accepted" marks while the node goes on: it builds its output and returns
	 * without waiting. The next write to the row in this process, of this run or of any
	 * other, waits for them (inTurn). A mark not yet written when the process dies only
	 * holds its windows back in a Retry, as when the process dies while it is written.
	 */
	acceptLater(windows: readonly string[]): void {
		if (this.failed || windows.length === 0) return;
		this.pending = this.pending.then(async () => {
			if (!this.failed) await this.record(windows.map((w) => this.acceptedKey(w))).catch(() => (this.failed = true));
		});
	}

	private pending: Promise<void> = Promise.resolve();

	private async mark(windows: readonly string[], accepted: readonly string[]): Promise<Array<JournalMark | undefined>> {
		const started = windows.map((w) => `s:${this.run}:${w}`);
		const found = new Set((await this.record([...accepted.map((w) => this.acceptedKey(w)), ...started])).processed);
		if (!this.recall) return windows.map(() => undefined);
		const startedBefore = windows.filter((_, i) => found.has(started[i]));
		if (startedBefore.length === 0) return windows.map(() => undefined);
		// The store can only check by recording: "accepted" marks found absent are taken back.
		const acceptedBefore = new Set((await this.record(startedBefore.map((w) => this.acceptedKey(w)))).processed);
		const absent = startedBefore.map((w) => this.acceptedKey(w)).filter((key) => !acceptedBefore.has(key));
		if (absent.length) await inTurn(this.row, () => this.store.removeProcessed(absent, 'node', OPTIONS));
		return windows.map((w, i) => (!found.has(started[i]) ? undefined : acceptedBefore.has(this.acceptedKey(w)) ? 'accepted' : 'started'));
	}

	private acceptedKey(window: string): string {
		return `a:${this.run}:${window}`;
	}

	private async record(keys: string[]): Promise<{ processed: Array<string | number> }> {
		return await inTurn(this.row, async () => {
			const started = performance.now();
			const result = await this.store.checkProcessedAndRecord(keys, 'node', OPTIONS);
			this.lastWriteMs = performance.now() - started;
			if (timingJournal()) publishJournalTiming({ kind: 'write', ms: this.lastWriteMs });
			return result;
		});
	}
}

/** Sends per window of this many items (a window's marks cost two writes to n8n's database). */
export const JOURNAL_WINDOW_ITEMS = 500;

export interface WindowedSend<T, R> {
	concurrency: number;
	/** Units (requests, or items) per window. */
	windowSize: number;
	/** What identifies the unit across attempts; undefined: nothing to send (an item that failed its checks). */
	keyOf(unit: T, index: number): string | undefined;
	send(unit: T, index: number): Promise<R>;
	/** The result for a unit an interrupted attempt handled (mark); undefined: send it. */
	afterInterruption(unit: T, index: number, mark: JournalMark): R | undefined;
	/** Whether the provider accepted everything the unit carried. */
	accepted(result: R): boolean;
}

/** At most this many windows share one write (and are held back together after a crash). */
export const MAX_WINDOWS_PER_WRITE = 8;
/** Windows share a write when one write would take more than this share of their sending time. */
const WRITE_SHARE = 0.1;

/**
 * Runs `send` for every unit, at most `concurrency` at a time. With a journal, window
 * after window: the window's "started" mark is written before any of its requests goes,
 * together with the "accepted" marks of the windows before it. Windows stay the same
 * (a Retry must find their marks); when the store's writes are slow next to the sending,
 * several windows go after one write, so that the journal costs about a tenth of the time.
 */
export async function sendInWindows<T, R>(journal: SendJournal | undefined, units: readonly T[], plan: WindowedSend<T, R>): Promise<R[]> {
	if (!journal) return await mapWithin(units, plan.concurrency, async (unit, index) => await plan.send(unit, index));
	const size = Math.max(1, plan.windowSize);
	const windows: Array<{ indexes: number[]; keys: Array<string | undefined>; id?: string }> = [];
	for (let start = 0; start < units.length; start += size) {
		const indexes: number[] = [];
		for (let index = start; index < Math.min(units.length, start + size); index++) indexes.push(index);
		const keys = indexes.map((index) => plan.keyOf(units[index], index));
		const sendable = keys.filter((key): key is string => key !== undefined);
		windows.push({ indexes, keys, id: sendable.length ? fingerprint(sendable) : undefined });
	}
	const results: R[] = new Array<R>(units.length);
	let acceptedBefore: string[] = [];
	let perWrite = 1;
	for (let first = 0; first < windows.length; ) {
		const group = windows.slice(first, first + perWrite);
		first += group.length;
		const ids = group.flatMap((w) => (w.id ? [w.id] : []));
		const found = await timedWait(journal.begin(ids, acceptedBefore));
		const markOf = new Map(ids.map((id, i) => [id, found[i]] as const));
		const sendingStarted = performance.now();
		const members = group.flatMap((w) => w.indexes.map((index, i) => ({ index, key: w.keys[i], mark: w.id ? markOf.get(w.id) : undefined })));
		const done = await mapWithin(members, plan.concurrency, async ({ index, key, mark }) => {
			const recovered = mark && key !== undefined ? plan.afterInterruption(units[index], index, mark) : undefined;
			return recovered ?? (await plan.send(units[index], index));
		});
		done.forEach((result, i) => (results[members[i].index] = result));
		acceptedBefore = group.flatMap((w) => {
			if (!w.id || markOf.get(w.id) === 'accepted') return [];
			const sent = w.indexes.filter((_, i) => w.keys[i] !== undefined);
			return sent.every((index) => plan.accepted(results[index])) ? [w.id] : [];
		});
		const sendingMs = (performance.now() - sendingStarted) / group.length;
		perWrite = Math.min(MAX_WINDOWS_PER_WRITE, Math.max(1, Math.ceil(journal.lastWriteMs / (WRITE_SHARE * Math.max(sendingMs, 0.001)))));
	}
	journal.acceptLater(acceptedBefore);
	return results;
}

/** Awaits the journal, publishing how long the sends waited for it when someone listens (diagnostics.ts). */
async function timedWait<T>(work: Promise<T>): Promise<T> {
	if (!timingJournal()) return await work;
	const started = performance.now();
	try {
		return await work;
	} finally {
		publishJournalTiming({ kind: 'wait', ms: performance.now() - started });
	}
}
