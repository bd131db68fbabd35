import type { IDataObject } from 'n8n-workflow';
import { ItemFailure } from './failures';
import type { Receipt } from './idempotencyReceipts';
import { SettledItem } from './outputItems';
import type { SmsOperation } from './provider';
import { fingerprint } from './runLedger';
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
			if (error instanceof ItemFailure) return error;
			throw error;
		}
	});
	if (keys.size === 0) return checked;
	const claimed = await claims.claim([...new Set([...keys.values()].map((k) => k.key))]);
	const firstItem = new Map<string, number>();
	return checked.map((g, itemIndex) => {
		const entry = keys.get(itemIndex);
		if (!entry || g instanceof ItemFailure || g instanceof SettledItem) return g;
		const { to, analysis } = describe(g);
		const first = firstItem.get(entry.key);
		const skipped = (more: IDataObject) => new SettledItem(run.output.skipped(operation, to, analysis, { idempotencyKey: entry.shown, ...more }));
		if (first !== undefined) return skipped({ duplicateOfItem: first, reason: `Item ${first} of this run has the same Idempotency Key.` });
		firstItem.set(entry.key, itemIndex);
		if (claimed.get(entry.key) === 'taken') return skipped(earlierSend(run.idempotency.receipts()?.find(entry.key)));
		run.idempotency.claimed.set(itemIndex, entry.key);
		return g;
	});
}

/** What a skipped item says of the send that took its key first. */
function earlierSend(receipt: Receipt | undefined): IDataObject {
	if (!receipt) {
		return { duplicateOfExecution: null, reason: 'Another execution holds this Idempotency Key: it sent it within the period, or is sending it now.' };
	}
	const by = receipt.executionId ? `execution ${receipt.executionId}` : 'another execution';
	const reason = receipt.unsure
		? `The answer to ${by}'s send of this Idempotency Key at ${receipt.sentAt} was lost: it may have gone. To send it anyway, use another key.`
		: `Sent by ${by} at ${receipt.sentAt}.`;
	return { duplicateOfExecution: receipt.executionId, messageId: receipt.messageId, firstSentAt: receipt.sentAt, reason };
}

/**
 * After the sends: frees the keys of items that certainly were not sent, keeps a receipt
 * of the others (an ambiguous failure keeps its key: it may have been sent), and gives
 * the items that repeated a key of this run its first item's message id.
 */
export async function settleClaims(run: SendContext, results: ReadonlyArray<unknown>): Promise<void> {
	const { claims, claimed, executionId } = run.idempotency;
	if (!claims || claimed.size === 0) return;
	const receipts = run.idempotency.receipts();
	const free: string[] = [];
	for (const [itemIndex, key] of claimed) {
		const result = results[itemIndex];
		if (result instanceof ItemFailure) {
			if (result.details.ambiguous === true) receipts?.add(key, executionId, null, true);
			else free.push(key);
		} else if (result && typeof result === 'object') {
			receipts?.add(key, executionId, messageIdOf(result as IDataObject), false);
		}
	}
	for (const result of results) {
		const json = result instanceof SettledItem ? result.json : (result as IDataObject | undefined);
		const first = json?.duplicateOfItem;
		if (!json || typeof first !== 'number' || json.status !== 'skipped') continue;
		const sent = results[first];
		if (sent && typeof sent === 'object' && !(sent instanceof ItemFailure) && !(sent instanceof SettledItem)) json.messageId = messageIdOf(sent as IDataObject);
	}
	receipts?.save();
	if (free.length) await claims.release(free);
}

/** Nothing was sent (over the cap, short of balance): every key this run claimed is freed. */
export async function releaseAllClaims(run: SendContext): Promise<void> {
	const { claims, claimed } = run.idempotency;
	if (claims && claimed.size) await claims.release([...claimed.values()]);
}

const messageIdOf = (result: IDataObject) => (typeof result.messageId === 'string' ? result.messageId : null);
