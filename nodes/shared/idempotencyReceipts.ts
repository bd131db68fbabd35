import type { IDataObject } from 'n8n-workflow';

/**
 * What the first send of an idempotency key left, for the items that repeat it: the
 * execution, the message id and the time. n8n's deduplication store (idempotencyClaims.ts)
 * can only answer whether a key was taken, so this lives in the node's static data, which
 * n8n saves with the workflow after a production execution (not after a manual one).
 * Concurrent executions each save their whole copy, so a receipt may be lost: the key
 * still holds, only the skipped item cannot say which execution sent it.
 */

/** Receipts kept per node: the static data is saved with the workflow, so it stays small. */
export const MAX_RECEIPTS = 1000;
const FIELD = 'idempotencyReceipts';

/** [execution id, message id, sent at (ms), whether the answer was lost] */
type Stored = [string | null, string | null, number, 0 | 1];

export interface Receipt {
	executionId: string | null;
	messageId: string | null;
	sentAt: string;
	/** The send's answer was lost: the SMS may or may not have gone. */
	unsure: boolean;
}

export class IdempotencyReceipts {
	private readonly stored: Record<string, Stored>;
	private changed = false;

	constructor(
		private readonly staticData: IDataObject,
		private readonly periodMs: number,
		private readonly now: () => number = Date.now,
	) {
		this.stored = (staticData[FIELD] ?? {}) as Record<string, Stored>;
	}

	find(key: string): Receipt | undefined {
		const found = this.stored[key];
		if (!Array.isArray(found) || this.now() - found[2] > this.periodMs * 1.25) return undefined;
		return { executionId: found[0], messageId: found[1], sentAt: new Date(found[2]).toISOString(), unsure: found[3] === 1 };
	}

	add(key: string, executionId: string | null, messageId: string | null, unsure: boolean): void {
		this.stored[key] = [executionId, messageId, this.now(), unsure ? 1 : 0];
		this.changed = true;
	}

	/** Writes the receipts back, without the expired ones and past the cap without the oldest. */
	save(): void {
		if (!this.changed) return;
		const cutoff = this.now() - this.periodMs * 1.25;
		const kept = Object.entries(this.stored)
			.filter(([, r]) => Array.isArray(r) && r[2] >= cutoff)
			.sort((a, b) => b[1][2] - a[1][2])
			.slice(0, MAX_RECEIPTS);
		this.staticData[FIELD] = Object.fromEntries(kept);
	}
}
