import type { IExecuteFunctions } from 'n8n-workflow';
import { ItemFailure } from './failures';
import { RunLedger } from './runLedger';
import { sendInWindows, SendJournal, type WindowedSend } from './sendJournal';

export interface GuardSettings {
	/** Shown in messages: "may have reached MTN Congo". */
	providerName: string;
	/** The user accepts duplicates: sends an earlier attempt may have made go again. */
	retryAmbiguous: boolean;
	/** What to do after an ambiguous failure; the description of every held-back item. */
	ambiguousText: string;
	/** Off only when a benchmark measures what the journal costs (engineSwitches.ts). */
	journal: boolean;
}

/**
 * The guard against sending twice, for every call that changes something at a
 * provider (SMS sends, contact and group writes). Two records work together:
 * the run ledger (runLedger.ts), in the execution's memory, which n8n's Retry On
 * Fail keeps, and the send journal (sendJournal.ts), in n8n's database, which a
 * Retry of an execution whose process died finds.
 */
export class SendGuard {
	private constructor(
		/** This run of the node in the execution ($runIndex): what the run's own records are keyed by. */
		readonly runIndex: number,
		private readonly ledger: RunLedger,
		private readonly journal: SendJournal | undefined,
		private readonly settings: GuardSettings,
	) {}

	static open(ctx: IExecuteFunctions, settings: GuardSettings): SendGuard {
		const runIndex = Number(ctx.getWorkflowDataProxy(0).$runIndex ?? 0);
		const ledger = new RunLedger(ctx.getContext('node'), runIndex);
		const journal = settings.journal ? SendJournal.open(ctx, runIndex, ledger.fresh) : undefined;
		return new SendGuard(runIndex, ledger, journal, settings);
	}

	get retryAmbiguous(): boolean {
		return this.settings.retryAmbiguous;
	}

	/** What the provider answered when it accepted this send in an earlier attempt, if it did. */
	accepted<T>(key: string): T | undefined {
		return this.ledger.acceptedOutcome<T>(key);
	}

	/** Records one accepted request and the sends (items, or parts of an item) it carried. */
	markAccepted(keys: string[], outcome: object): void {
		this.ledger.markAccepted(keys, outcome);
	}

	/** Keeps an ambiguous failure in mind: the send is not repeated in this execution. */
	recordFailure(key: string, failure: ItemFailure): ItemFailure {
		if (failure.details.ambiguous) this.ledger.markUnsure(key, failure.message);
		return failure;
	}

	/** A request whose answer left it unknown whether the provider took it: not repeated in this execution. */
	markUnsure(key: string, reason: string): void {
		this.ledger.markUnsure(key, reason);
	}

	/**
	 * An earlier attempt in this execution may have reached the provider: unless the
	 * user accepts duplicates, the send is not repeated and fails again, saying why.
	 */
	heldBack(key: string, itemIndex: number, to?: string): ItemFailure | undefined {
		const unsure = this.ledger.unsureAttempt(key);
		if (!unsure || this.settings.retryAmbiguous) return undefined;
		return this.notSentAgain(itemIndex, to, `an earlier attempt in this execution may have reached ${this.settings.providerName} (${unsure})`);
	}

	/** A send that an interrupted attempt of this execution had started (its journal mark says so). */
	interrupted(itemIndex: number, to?: string): ItemFailure {
		return this.notSentAgain(
			itemIndex,
			to,
			`an earlier attempt of this execution was interrupted (its n8n process stopped) while sending it, so it may have reached ${this.settings.providerName}`,
		);
	}

	/** Runs the sends window by window, each window's journal mark written before its first request. */
	async inWindows<T, R>(units: readonly T[], plan: WindowedSend<T, R>): Promise<R[]> {
		return await sendInWindows(this.journal, units, plan);
	}

	private notSentAgain(itemIndex: number, to: string | undefined, why: string): ItemFailure {
		return new ItemFailure(itemIndex, 'provider', `Not sent again: ${why}`, {
			description: this.settings.ambiguousText || undefined,
			to: to || undefined,
			ambiguous: true,
		});
	}
}
