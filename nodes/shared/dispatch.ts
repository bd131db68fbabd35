import { describeFailure, type ItemFailure } from './failures';
import type { RequestLimiter } from './limiter';
import { ProviderError, type ProviderCredentials, type RefusalExplanation } from './provider';
import { redactDeep } from './redact';
import type { TokenSession } from './tokenSession';
import { sendRequest, type HttpRequest, type HttpResponse, type TransportSettings } from './transport';

/** What the engine's flows need of a dispatcher (tests give the flows one that answers without HTTP). */
export interface RequestDispatcher {
	readonly providerName: string;
	readonly credentials: ProviderCredentials;
	readonly limiter: Pick<RequestLimiter, 'concurrency'>;
	/** `build` makes the request from the credential (again, with a new token, when the provider refused the token). */
	call<T>(build: (credentials: ProviderCredentials) => HttpRequest, read: (response: HttpResponse) => T): Promise<T>;
	failure(error: unknown, itemIndex: number, ambiguousText: string, to?: string): ItemFailure;
}

/**
 * Sends one request to a provider and reads its answer: through the limiter
 * (concurrency and pace) and the transport (time-out, retries of what surely did
 * not arrive). What the provider says is redacted here, before anything keeps it
 * (output, the run ledger, errors).
 */
export class Dispatcher implements RequestDispatcher {
	constructor(
		/** Shown in messages: "Request to MTN Congo failed". */
		readonly providerName: string,
		readonly credentials: ProviderCredentials,
		readonly transport: TransportSettings,
		readonly limiter: RequestLimiter,
		/** For providers whose requests carry a token got with the credential. */
		private readonly session?: TokenSession,
	) {}

	get secrets(): string[] {
		return this.credentials.secrets;
	}

	async call<T>(build: (credentials: ProviderCredentials) => HttpRequest, read: (response: HttpResponse) => T): Promise<T> {
		const response = await this.limiter.run(async () => {
			if (this.session) await this.session.ready();
			const token = this.credentials.token;
			const first = await sendRequest(build(this.credentials), this.transport);
			if (!this.session?.session.tokenRefused(first)) return first;
			// Refused for its token only, so nothing was done: once more with a new one.
			await this.session.renew(token);
			return await sendRequest(build(this.credentials), this.transport);
		});
		try {
			return redactDeep(read(response), this.credentials.secrets);
		} catch (error) {
			if (error instanceof ProviderError && error.details.explain) {
				const hint = await this.explain(error.details.explain);
				if (hint) error.details.hint = hint;
			}
			throw error;
		}
	}

	private readonly explanations = new Map<string, Promise<string | undefined>>();

	/** One read per kind of refusal and run, however many items it refused. */
	private explain(explanation: RefusalExplanation): Promise<string | undefined> {
		let hint = this.explanations.get(explanation.key);
		if (!hint) {
			hint = this.limiter
				.run(async () => await sendRequest(explanation.request(this.credentials), this.transport))
				.then((response) => explanation.hint(response, this.credentials))
				.catch(() => undefined);
			this.explanations.set(explanation.key, hint);
		}
		return hint;
	}

	/** A failed call in words a person can act on; `ambiguousText` says what to do when the provider may have acted. */
	failure(error: unknown, itemIndex: number, ambiguousText: string, to?: string): ItemFailure {
		return describeFailure(error, itemIndex, this.providerName, ambiguousText, this.credentials.secrets, to || undefined);
	}
}
