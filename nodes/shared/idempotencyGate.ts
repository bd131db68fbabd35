import type { IDataObject } from 'n8n-workflow';
import { ItemFailure, toNodeError } from './failures';
import { SettledItem } from './outputItems';
import type { SmsOperation } from './provider';
import { fingerprint } from './runLedger';
import type { IdempotencyClaims } from './idempotencyClaims';
import type { FirstSend } from './idempotencyRun';
import type { SendContext } from './sendContext';
import type { TextAnalysis } from './text';

/**
 * The option Idempotency Key: an item whose key this node sent within the period (in
 * any execution) is not sent again; an item repeating a key of this run neither. Keys
 * are claimed before the first request and freed again when the send certainly did
 * not happen (see idempotencyClaims.ts).
 */
export async function settleSentKeys<T>(
	run: SendContext,
	operation: SmsOperation,
	gated: Array<T | ItemFailure | SettledItem>,
	describe: (p: T) => { to: string; analysis: TextAnalysis },
): Promise<Array<T | ItemFailure | SettledItem>> {
	const { claims } = run.idempotency;
	// A dry run leaves the keys alone: n8n's store reads a value only by writing it, which a concurrent real run could take for a claim.
	if (!claims || run.campaign.dryRun) return gated;
	const keys = new Map<number, { key: string; shown: string }>();
	const checked = gated.map((g, itemIndex) => {
		if (g instanceof ItemFailure || g instanceof SettledItem) return g;
		try {
			const shown = run.input.idempotencyKey(itemIndex);
			if (shown) keys.set(itemIndex, { key: fingerprint(['idempotencyKey', shown]), shown });
			return g;
		} catch (error) {
			// As for any input error: without Continue On Fail the node stops before its first request.
			if (error instanceof ItemFailure) {
				if (!run.continueOnFail) throw toNodeError(run.output.node, run.dispatcher.credentials.secrets, error);
				return error;
			}
			throw error;
		}
	});
	if (keys.size === 0) return checked;
	const claimed = await claims.claim([...new Set([...keys.values()].map((k) => k.key))]);
	// A key this same run claimed in an earlier attempt (Retry On Fail) is still its own: the run ledger keeps what was accepted.
	const takenElsewhere = (key: string) => claimed.get(key) === 'taken' && !run.idempotency.held.has(key);
	const { executionId } = run.idempotency;
	if (executionId) await claims.recordSender([...claimed.keys()].filter((key) => !takenElsewhere(key)), executionId);
	const earlier = await earlierSends(run, claims, [...claimed.keys()].filter(takenElsewhere), keys);
	const firstItem = new Map<string, number>();
	const settled = checked.map((g, itemIndex) => {
		const entry = keys.get(itemIndex);
		if (!entry || g instanceof ItemFailure || g instanceof SettledItem) return g;
		const { to, analysis } = describe(g);
		const firstOfRun = firstItem.get(entry.key);
		const skipped = (more: IDataObject) => new SettledItem(run.output.skipped(operation, to, analysis, { idempotencyKey: entry.shown, ...more }));
		if (firstOfRun !== undefined) return skipped({ duplicateOfItem: firstOfRun, reason: `Item ${firstOfRun} of this run has the same Idempotency Key.` });
		firstItem.set(entry.key, itemIndex);
		if (takenElsewhere(entry.key)) {
			const first = earlier.get(entry.key);
			if (first) return skipped({ duplicateOfExecution: first.executionId, messageId: first.messageId, firstSentAt: first.sentAt, reason: `Sent by execution ${first.executionId}${first.sentAt ? ` at ${first.sentAt}` : ''}.` });
			return skipped({
				duplicateOfExecution: null,
				reason: 'Another execution holds this Idempotency Key: it sent it within the period (or lost the answer to its send, so it may have gone), or is sending it now. To send it anyway, use another key.',
			});
		}
		run.idempotency.claimed.set(itemIndex, entry.key);
		run.idempotency.shown.set(itemIndex, entry.shown);
		return g;
	});
	run.idempotency.keep(run.idempotency.claimed.values());
	return settled;
}

/** Sender records read per run, and executions looked into: enough for a repeated order or two, not a whole campaign. */
const SENDERS_READ = 100;
const EXECUTIONS_READ = 5;

/** The first send of taken keys, where its execution left a whole record and n8n kept that execution's data. */
async function earlierSends(
	run: SendContext,
	claims: IdempotencyClaims,
	taken: string[],
	keys: Map<number, { key: string; shown: string }>,
): Promise<Map<string, { executionId: string } & FirstSend>> {
	const found = new Map<string, { executionId: string } & FirstSend>();
	if (taken.length === 0) return found;
	const senders = await claims.findSenders(taken, SENDERS_READ);
	const shownOf = new Map([...keys.values()].map((k) => [k.key, k.shown]));
	const looked = new Set<string>();
	for (const [key, executionId] of senders) {
		if (!looked.has(executionId) && looked.size >= EXECUTIONS_READ) continue;
		looked.add(executionId);
		const first = await run.idempotency.firstSend(executionId, shownOf.get(key)!);
		if (first) found.set(key, { executionId, ...first });
	}
	return found;
}

/**
 * After the sends: frees the keys of items that certainly were not sent (an ambiguous
 * failure keeps its key: it may have been sent), and gives the items that repeated a
 * key of this run the message id of its first item.
 */
export async function settleClaims(run: SendContext, results: ReadonlyArray<unknown>): Promise<void> {
	const { claims, claimed } = run.idempotency;
	if (!claims || claimed.size === 0) return;
	const free = new Set<string>();
	for (const [itemIndex, key] of claimed) {
		const result = results[itemIndex];
		if (result instanceof ItemFailure) {
			if (result.details.ambiguous !== true) free.add(key);
		} else {
			const sent = sentResult(result);
			if (sent) sent.idempotencyKey = run.idempotency.shown.get(itemIndex) ?? null;
		}
	}
	for (const result of results) {
		const json = result instanceof SettledItem ? result.json : (result as IDataObject | undefined);
		const first = json?.duplicateOfItem;
		if (!json || typeof first !== 'number' || json.status !== 'skipped') continue;
		const sent = sentResult(results[first]);
		if (sent) json.messageId = typeof sent.messageId === 'string' ? sent.messageId : null;
	}
	if (free.size === 0) return;
	run.idempotency.keep([...claimed.values()].filter((key) => !free.has(key)));
	await claims.release([...free], run.idempotency.executionId);
}

/** Nothing was sent (over the cap, short of balance): every key this run claimed is freed. */
export async function releaseAllClaims(run: SendContext): Promise<void> {
	const { claims, claimed } = run.idempotency;
	if (!claims || claimed.size === 0) return;
	run.idempotency.keep([]);
	await claims.release([...claimed.values()], run.idempotency.executionId);
}

/** The output of an item that went to the provider: not a failure, not an item settled without a request. */
function sentResult(result: unknown): IDataObject | undefined {
	return result && typeof result === 'object' && !(result instanceof ItemFailure) && !(result instanceof SettledItem) ? (result as IDataObject) : undefined;
}
