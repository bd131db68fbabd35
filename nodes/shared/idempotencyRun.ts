import type { IExecuteFunctions, IRunExecutionData } from 'n8n-workflow';
import { IdempotencyClaims, type Store } from './idempotencyClaims';

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
	idempotency.claims = new IdempotencyClaims(store as Store, { prefix: ctx.getNode().id, periodMs, verifyDelayMs: 1000, maxEntries: 150_000, attempts: 4 });
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
