import type { ProviderCredentials } from './provider';
import type { HttpRequest, HttpResponse } from './transport';

/** How a provider refuses a request, and how the engine words it (see provider.ts for the seam). */

/** A 5xx but 503 ("not now") leaves it unknown whether the provider acted on the request. */
export function ambiguousStatus(httpStatus: number | undefined): boolean {
	return httpStatus !== undefined && httpStatus >= 500 && httpStatus !== 503;
}

/**
 * How a message names an answer that did not accept a request: "refused" only where
 * that is certain, else what is known (the status it answered with).
 */
export function notAcceptedWords(name: string, what: string, httpStatus: number, ambiguous = ambiguousStatus(httpStatus)): string {
	return ambiguous ? `${name} answered HTTP ${httpStatus}` : `${name} refused ${what}`;
}

/**
 * For a refusal whose reason the answer names but whose details need another read
 * (an account's bundle: which one, since when). Read-only; its failure keeps the first hint.
 */
export interface RefusalExplanation {
	/** Refusals with the same key share one read. */
	key: string;
	request(credentials: ProviderCredentials): HttpRequest;
	/** The better hint, or undefined to keep the first one. */
	hint(response: HttpResponse, credentials: ProviderCredentials): string | undefined;
}

/** A refusal the provider expressed in its answer (as opposed to a transport failure). */
export class ProviderError extends Error {
	constructor(
		message: string,
		readonly details: {
			httpStatus?: number;
			providerStatus?: string;
			/** Recipients the provider named as the reason it refused the whole request; the engine resends the rest. */
			rejectedRecipients?: string[];
			/** What the user can do about it. */
			hint?: string;
			/**
			 * Whether the provider may have acted on the request (an unreadable success, say).
			 * Unset: decided by the HTTP status (5xx but 503 is ambiguous); false: a definite refusal.
			 */
			ambiguous?: boolean;
			/** A read that makes the hint precise (the date a bundle expired, say); the dispatcher sends it once per run. */
			explain?: RefusalExplanation;
		} = {},
	) {
		super(message);
		this.name = 'ProviderError';
	}
}
