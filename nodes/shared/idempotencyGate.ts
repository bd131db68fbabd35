import type { IDataObject } from 'n8n-workflow';
import { ItemFailure } from './failures';
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
	const claims = run.claims;
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
		const skipped = (more: IDataObject) => new SettledItem(run.output.skipped(operation, to, analysis, entry.shown, more));
		if (first !== undefined) return skipped({ duplicateOfItem: first });
		firstItem.set(entry.key, itemIndex);
		if (claimed.get(entry.key) === 'taken') return skipped({ duplicateOfExecution: null });
		run.claimedKeys.set(itemIndex, entry.key);
		return g;
	});
}

/** Frees the keys of items whose send certainly did not happen; an ambiguous failure keeps its key (it may have been sent). */
export async function releaseUnsent(run: SendContext, results: ReadonlyArray<unknown>, all = false): Promise<void> {
	if (!run.claims || run.claimedKeys.size === 0) return;
	const free: string[] = [];
	for (const [itemIndex, key] of run.claimedKeys) {
		const result = results[itemIndex];
		if (all || (result instanceof ItemFailure && result.details.ambiguous !== true)) free.push(key);
	}
	if (free.length) await run.claims.release(free);
}
