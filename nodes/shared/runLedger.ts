import type { IContextObject, IDataObject } from 'n8n-workflow';

export interface UnsureSend {
	message: string;
}

/**
 * What this run of the node already sent, kept in n8n's node context: n8n's
 * Retry On Fail re-runs the node in the same execution with the same items, and
 * the context survives that. Keyed by run index, so a loop that runs the node
 * again with new items still sends every round.
 */
export class RunLedger {
	private readonly accepted: Record<string, IDataObject>;
	private readonly unsure: Record<string, UnsureSend>;

	constructor(context: IContextObject, runIndex: number) {
		const run = String(runIndex);
		const acceptedByRun = (context.acceptedByRun ??= {}) as Record<string, Record<string, IDataObject>>;
		const unsureByRun = (context.unsureByRun ??= {}) as Record<string, Record<string, UnsureSend>>;
		this.accepted = acceptedByRun[run] ??= {};
		this.unsure = unsureByRun[run] ??= {};
	}

	/** The result the provider gave when it accepted this send, if it did. */
	acceptedResult<T>(key: string): T | undefined {
		return this.accepted[key] as T | undefined;
	}

	markAccepted(key: string, result: object): void {
		this.accepted[key] = result as IDataObject;
		delete this.unsure[key];
	}

	/** An earlier attempt that may have reached the provider (time-out after sending, 5xx, unreadable answer). */
	unsureAttempt(key: string): UnsureSend | undefined {
		return this.unsure[key];
	}

	markUnsure(key: string, message: string): void {
		this.unsure[key] = { message };
	}
}
