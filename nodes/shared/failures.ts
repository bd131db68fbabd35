import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';
import { ambiguousStatus, ProviderError } from './provider';
import { redact, redactDeep } from './redact';
import { TransportError } from './transport';

/**
 * Failures tied to one input item, shared by the SMS engine and the record
 * operations: kept until we know whether to throw them or output them.
 */
export class ItemFailure {
	constructor(
		readonly itemIndex: number,
		readonly kind: 'input' | 'provider',
		readonly message: string,
		readonly details: {
			description?: string;
			httpStatus?: number;
			providerStatus?: string;
			to?: string;
			/** The provider may have acted on the request: never resent unless the user allows it. */
			ambiguous?: boolean;
			/** Per-number results of an item sent in several requests, some of which were accepted. */
			recipients?: IDataObject[];
		} = {},
	) {}

	/** The message and what to do about it, as one text (an output item's `error`). */
	fullMessage(): string {
		return this.details.description ? `${this.message}. ${this.details.description}` : this.message;
	}
}

/**
 * A failure from a provider call, in words a person can act on, without the
 * secrets. `ambiguousText` says what to do when the provider may have acted on
 * the request.
 */
export function describeFailure(error: unknown, itemIndex: number, name: string, ambiguousText: string, secrets: string[], to?: string): ItemFailure {
	const failure = explain(error, itemIndex, name, ambiguousText, to);
	return new ItemFailure(failure.itemIndex, failure.kind, redact(failure.message, secrets), redactDeep(failure.details, secrets));
}

function explain(error: unknown, itemIndex: number, name: string, ambiguousText: string, to?: string): ItemFailure {
	if (error instanceof ProviderError) {
		const { httpStatus, providerStatus, hint } = error.details;
		// A 5xx (but 503, which says "not now") or an unreadable success leaves it unknown whether the provider acted,
		// unless the provider's parser knows better (a 5xx that says why nothing was done).
		const ambiguous = error.details.ambiguous ?? ambiguousStatus(httpStatus);
		const description = ambiguous ? [hint, ambiguousText].filter(Boolean).join(' ') : hint;
		return new ItemFailure(itemIndex, 'provider', error.message, { description, httpStatus, providerStatus, to, ambiguous });
	}
	if (error instanceof TransportError) {
		const descriptions: Record<string, string> = {
			notSent: `Nothing reached ${name}; check the Base URL in the credential and the network.`,
			ambiguous: ambiguousText,
			cancelled: 'The execution was cancelled.',
			tooLarge: `${name}'s answer was unexpectedly large.`,
		};
		return new ItemFailure(itemIndex, 'provider', `Request to ${name} failed: ${error.message}`, {
			description: descriptions[error.failure],
			to,
			ambiguous: error.failure === 'ambiguous',
		});
	}
	return new ItemFailure(itemIndex, 'provider', `Request to ${name} failed: ${(error as Error).message}`, { to });
}

/** n8n's error for a failure: NodeOperationError for bad input, NodeApiError for the provider; no secret in either. */
export function toNodeError(node: INode, secrets: string[], failure: ItemFailure): NodeOperationError | NodeApiError {
	const message = redact(failure.message, secrets);
	const description = failure.details.description ? redact(failure.details.description, secrets) : undefined;
	if (failure.kind === 'input') {
		return new NodeOperationError(node, message, { itemIndex: failure.itemIndex, description });
	}
	const httpCode = failure.details.httpStatus ? String(failure.details.httpStatus) : undefined;
	return new NodeApiError(node, { message, description: description ?? '' } as JsonObject, {
		itemIndex: failure.itemIndex,
		message,
		description,
		httpCode,
	});
}
