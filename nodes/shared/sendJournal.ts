import type { DeduplicationHelperFunctions, IExecuteFunctions } from 'n8n-workflow';

import { mapWithin } from './limiter';
import { fingerprint } from './runLedger';

/** What an earlier, interrupted attempt of this execution left for a window of sends. */
export type JournalMark = 'accepted' | 'started';

/** Marks kept per node (n8n's deduplication store keeps the newest ones): about 5 000 windows. */
const MAX_ENTRIES = 10_000;
const OPTIONS = { mode: 'entries', maxEntries: MAX_ENTRIES } as const;

type Store = Pick<DeduplicationHelperFunctions, 'checkProcessedAndRecord' | 'removeProcessed'>;

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
		return new SendJournal(store as Store, run, startsFresh && retry);
	}

	/** Writes the window's "started" mark; answers what an earlier attempt of this execution did with it. */
	async begin(window: string): Promise<JournalMark | undefined> {
		if (this.failed) return undefined;
		try {
			return await this.mark(window);
		} catch {
			this.failed = true;
			return undefined;
		}
	}

	async accepted(window: string): Promise<void> {
		if (this.failed) return;
		await this.store.checkProcessedAndRecord([`a:${this.run}:${window}`], 'node', OPTIONS).catch(() => (this.failed = true));
	}

	private async mark(window: string): Promise<JournalMark | undefined> {
		const started = await this.store.checkProcessedAndRecord([`s:${this.run}:${window}`], 'node', OPTIONS);
		if (started.processed.length === 0 || !this.recall) return undefined;
		// The store can only check by recording: an "accepted" mark found absent is taken back.
		const accepted = `a:${this.run}:${window}`;
		const found = await this.store.checkProcessedAndRecord([accepted], 'node', OPTIONS);
		if (found.processed.length > 0) return 'accepted';
		await this.store.removeProcessed([accepted], 'node', OPTIONS);
		return 'started';
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

/**
 * Runs `send` for every unit, at most `concurrency` at a time. With a journal, window
 * after window: the window's "started" mark is written before any of its requests goes.
 */
export async function sendInWindows<T, R>(journal: SendJournal | undefined, units: readonly T[], plan: WindowedSend<T, R>): Promise<R[]> {
	if (!journal) return await mapWithin(units, plan.concurrency, async (unit, index) => await plan.send(unit, index));
	const all = units.map((_, index) => index);
	const results: R[] = new Array<R>(units.length);
	const size = Math.max(1, plan.windowSize);
	for (let start = 0; start < units.length; start += size) {
		const indexes = all.slice(start, start + size);
		const keys = indexes.map((index) => plan.keyOf(units[index], index));
		const sendable = keys.filter((key): key is string => key !== undefined);
		const window = sendable.length ? fingerprint(sendable) : undefined;
		const mark = window ? await journal.begin(window) : undefined;
		const done = await mapWithin(indexes, plan.concurrency, async (index) => {
			const recovered = mark && keys[index - start] !== undefined ? plan.afterInterruption(units[index], index, mark) : undefined;
			return recovered ?? (await plan.send(units[index], index));
		});
		done.forEach((result, i) => (results[indexes[i]] = result));
		const sent = done.filter((_, i) => keys[i] !== undefined);
		if (window && mark !== 'accepted' && sent.every((result) => plan.accepted(result))) await journal.accepted(window);
	}
	return results;
}
