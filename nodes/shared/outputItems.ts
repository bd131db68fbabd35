import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { ItemFailure, toNodeError } from './failures';
import type { OutputStatus, ProviderCredentials, SendOutcome, SmsOperation } from './provider';
import { redactDeep, redactOwn } from './redact';
import type { TextAnalysis } from './text';

/** An item decided before any request (suppressed, say): its output as it is. */
export class SettledItem {
	constructor(readonly json: IDataObject) {}
}

/**
 * Output items of a node run: every one redacted and paired with its input item;
 * failed items thrown (the first) or output, as Continue On Fail decides.
 */
export class OutputItems {
	private readonly continueOnFail: boolean;
	protected readonly errorOutput: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		/** Read at each use: a session's new token joins the secrets during the run. */
		private readonly credentials: Pick<ProviderCredentials, 'secrets'>,
		/** A dry run outputs its failed items whatever Continue On Fail says: it shows what would fail. */
		keepFailures = false,
	) {
		this.continueOnFail = keepFailures || ctx.continueOnFail();
		this.errorOutput = ctx.getNode().onError === 'continueErrorOutput';
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	/** Without Continue On Fail, the first failure stops the node (nothing more is sent). */
	stopOnFailure(results: ReadonlyArray<unknown>): void {
		if (this.continueOnFail) return;
		const firstFailure = results.find((r): r is ItemFailure => r instanceof ItemFailure);
		if (firstFailure) throw toNodeError(this.ctx.getNode(), [...this.credentials.secrets], firstFailure);
	}

	item(json: IDataObject, itemIndex: number): INodeExecutionData {
		return { json: redactDeep(json, this.credentials.secrets), pairedItem: { item: itemIndex } };
	}

	/** Like item(), for an object built for this item alone (sent(), notSent(), a duplicate's copy): redacted where it is, not copied. */
	protected ownItem(json: IDataObject, itemIndex: number): INodeExecutionData {
		return { json: redactOwn(json, this.credentials.secrets), pairedItem: { item: itemIndex } };
	}

	/** A failed item outside the SMS contract (records): the error, and its HTTP status on the regular output. */
	failure(failure: ItemFailure): INodeExecutionData {
		const error = failure.fullMessage();
		const httpStatus = failure.details.httpStatus;
		return this.item(this.errorOutput ? { error } : { error, ...(httpStatus ? { httpStatus } : {}) }, failure.itemIndex);
	}
}

/** The output items of the SMS operations: the contract's fields (docs/output-and-errors.md), success or failure. */
export class SmsOutputItems extends OutputItems {
	/** Fields added to an item's output, whatever becomes of it (the numbers Do Not Send To took out, say). */
	private readonly annotations = new Map<number, IDataObject>();

	constructor(
		ctx: IExecuteFunctions,
		private readonly providerId: string,
		credentials: Pick<ProviderCredentials, 'secrets'>,
		keepFailures = false,
	) {
		super(ctx, credentials, keepFailures);
	}

	annotate(itemIndex: number, fields: IDataObject): void {
		this.annotations.set(itemIndex, { ...this.annotations.get(itemIndex), ...fields });
	}

	/** An item held back by quiet hours, for a provider that cannot schedule it: it may go from `sendAfter` on. */
	deferred(operation: SmsOperation, to: string, analysis: TextAnalysis, sendAfter: Date, window: string): IDataObject {
		return this.notSent(operation, 'deferred', to, analysis, { sendAfter: sendAfter.toISOString(), quietHours: window });
	}

	/** An item whose Idempotency Key was sent already (within the period, or by an earlier item of this run). */
	skipped(operation: SmsOperation, to: string, analysis: TextAnalysis, more: IDataObject): IDataObject {
		return this.notSent(operation, 'skipped', to, analysis, more);
	}

	/** An item none of whose numbers may be sent to (Do Not Send To). */
	suppressed(operation: SmsOperation, to: string, analysis: TextAnalysis): IDataObject {
		return this.notSent(operation, 'suppressed', to, analysis, { suppressed: to.split(',') });
	}

	/** The contract's fields of an item the engine settled without a request. */
	private notSent(operation: SmsOperation, status: OutputStatus, to: string, analysis: TextAnalysis, more: IDataObject): IDataObject {
		return {
			provider: this.providerId,
			operation,
			status,
			messageId: null,
			to,
			encoding: analysis.encoding,
			segments: analysis.segments,
			characters: analysis.characters,
			providerStatus: null,
			...more,
		};
	}

	/** The contract's output item of a send: the shared fields first, then the provider's and the operation's. */
	sent(operation: SmsOperation, outcome: SendOutcome, to: string, analysis: TextAnalysis, more: IDataObject): IDataObject {
		return {
			provider: this.providerId,
			operation,
			status: outcome.status,
			messageId: outcome.messageId,
			to,
			encoding: analysis.encoding,
			segments: analysis.segments,
			characters: analysis.characters,
			providerStatus: outcome.providerStatus,
			...outcome.extra,
			...more,
		};
	}

	/**
	 * A failed item. On the regular output it keeps the full output shape with
	 * status "failed". For "continue using error output", n8n routes an item by its
	 * json: only `{ error }` is routed by both n8n 1.x and 2.x (2.x would also take
	 * `details`, 1.x would leave such an item on the success output); n8n then adds
	 * the input item's fields.
	 */
	failed(failure: ItemFailure, operation: SmsOperation): INodeExecutionData {
		const { httpStatus, providerStatus, to, recipients } = failure.details;
		const error = failure.fullMessage();
		if (this.errorOutput) return this.item({ error }, failure.itemIndex);
		return this.item(
			{
				provider: this.providerId,
				operation,
				status: 'failed',
				messageId: null,
				to: to ?? null,
				providerStatus: providerStatus ?? null,
				error,
				...(httpStatus ? { httpStatus } : {}),
				...(recipients ? { recipients } : {}),
			},
			failure.itemIndex,
		);
	}

	/** One output item per input item, in order. */
	finish(results: ReadonlyArray<IDataObject | ItemFailure | SettledItem>, operation: SmsOperation): INodeExecutionData[] {
		this.stopOnFailure(results);
		return results.map((r, itemIndex) => {
			const item = r instanceof ItemFailure ? this.failed(r, operation) : this.ownItem(r instanceof SettledItem ? r.json : r, itemIndex);
			const extra = this.annotations.get(itemIndex);
			if (extra && !(r instanceof ItemFailure && this.errorOutput)) Object.assign(item.json, extra);
			return item;
		});
	}
}
