import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { CountryCode } from 'libphonenumber-js';
import type { PhoneFormat } from './phone';
import type { HttpRequest, HttpResponse } from './transport';

/**
 * What a provider folder supplies to the engine: how to read its credential,
 * build its requests and read its answers. Everything else (items, numbers,
 * text, batching, pacing, retries, errors, output) is the engine's.
 */

export const SMS_STATUSES = [
	'accepted',
	'scheduled',
	'pending',
	'queued',
	'sent',
	'delivered',
	'undelivered',
	'rejected',
	'failed',
] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/** Statuses of items the engine decided itself, before or instead of a request (campaign safety). */
export const ENGINE_STATUSES = ['preview', 'skipped', 'suppressed', 'deferred'] as const;
export type OutputStatus = SmsStatus | (typeof ENGINE_STATUSES)[number];

export type SmsOperation = 'send' | 'sendBulk' | 'sendPersonalized' | 'sendScheduled' | 'getStatus';

export interface ProviderCredentials {
	baseUrl: string;
	defaultCountry: CountryCode;
	/** Values to hide wherever text leaves the node (errors, output, logs). */
	secrets: string[];
	/** The credential's own fields, for the provider's request builders only. */
	fields: Record<string, string>;
	/** The short-lived token of a provider with a session (see ProviderSession), for the request builders. */
	token?: string;
}

/**
 * For providers whose requests carry a short-lived token got with the credential
 * (OAuth 2.0 client credentials). n8n gets the token and keeps it in the credential
 * (the credential type's preAuthentication fills a hidden, expirable field), so
 * executions and queue-mode workers share it; n8n gets it only for a request it sends
 * with the credential, hence the probe. See tokenSession.ts.
 */
export interface ProviderSession {
	/** The credential's hidden, expirable field where n8n keeps the token. */
	tokenField: string;
	/**
	 * A request that changes nothing, sent by n8n with the credential: n8n gets a token
	 * before it when it keeps none, and a new one when the provider refuses the one kept (401).
	 */
	probe(credentials: ProviderCredentials): IHttpRequestOptions;
	/** Whether an answer says the token is missing, wrong or expired (then a new one is got, and the request sent again once). */
	tokenRefused(response: HttpResponse): boolean;
}

export interface Recipient {
	/** The number as the provider wants it. */
	to: string;
	itemIndex: number;
	/** :P1 … :Pn values for personalised sends. */
	values?: string[];
	/** E-mail address for a mail copy, where the provider can send one. */
	email?: string;
	/** The person's name, for providers that keep a contact book. */
	name?: string;
}

export interface SendJob {
	operation: SmsOperation;
	sender: string;
	/** The text, or the template for personalised sends. */
	text: string;
	recipients: Recipient[];
	sendAt?: Date;
	/** The workflow's time zone, for messages that show times. */
	timeZone?: string;
	/** When an item's recipients need several requests: how many the item has in all (this request carries some). */
	itemRecipients?: number;
	/** When an item's recipients need several requests: this request's place among them (0 first). */
	requestIndex?: number;
	/** The node's `options` values of the (first) item of this request. */
	options: IDataObject;
}

export interface SendOutcome {
	status: OutputStatus;
	messageId: string | null;
	providerStatus: string;
	/** Provider-specific fields added to every output item of this request. */
	extra?: IDataObject;
	/**
	 * Per recipient, where one answer tells them apart; absent: every recipient of the
	 * request was accepted. A recipient the answer does not name counts as unknown.
	 */
	recipients?: RecipientResult[];
}

/** What one answer says of one of the request's recipients. */
export type RecipientResult =
	| { to: string; result: 'accepted'; status?: OutputStatus; messageId?: string | null; providerStatus?: string; extra?: IDataObject }
	/** Certainly not accepted: sending it again cannot duplicate it. */
	| { to: string; result: 'refused'; reason: string; providerStatus?: string }
	/** The answer does not say whether it was accepted: never sent again unless the user accepts duplicates. */
	| { to: string; result: 'unknown'; reason: string };

export interface StatusReport {
	/** Null when the provider reports a status for the whole request only. */
	to: string | null;
	status: SmsStatus;
	providerStatus: string;
	messageId: string;
	extra?: IDataObject;
}

// Refusals are in their own module; the seam's users import them from here too.
export { ambiguousStatus, notAcceptedWords, ProviderError, type RefusalExplanation } from './providerError';

/** What the account can still send, in SMS segments, as the provider reports it. */
export interface ProviderBalance {
	/** A read that sends nothing. */
	request(credentials: ProviderCredentials): HttpRequest;
	/** The SMS segments left; throws a ProviderError for an answer that does not say. */
	segmentsLeft(response: HttpResponse, credentials: ProviderCredentials): number;
	/** What the provider calls them, for messages: "credits", "SMS units for CIV". */
	unit(credentials: ProviderCredentials): string;
}

/** A value of each recipient's own, read from a node option (a contact's name, an e-mail copy's address). */
export interface RecipientOption {
	field: 'name' | 'email';
	/** The node option (in Options) that holds it. */
	option: string;
	/** The batch operations in which it belongs to the recipient, not to the request. */
	operations: SmsOperation[];
	/** Recipients with and without it cannot share a request (the provider flags the whole request). */
	splitsRequests?: boolean;
}

export interface SmsProvider {
	/** The output's `provider` value; a key of the provider list (nodes/providers.ts). */
	id: string;
	/** Shown in messages: "MTN Congo refused …". */
	name: string;
	credentialType: string;
	phoneFormat: PhoneFormat;
	/** Most recipients one request may carry. */
	maxRecipientsPerRequest: number;
	/** The pace when the node's Options give none, for providers that allow less than the engine's default. */
	requestsPerSecond?: number;
	/** Longest sender id the provider accepts. */
	maxSenderLength?: number;
	/** The Sender may be left empty: the provider then uses the one of the credential or the account. */
	optionalSender?: boolean;
	/** Highest :Pn placeholder a personalised template may use (the node shows P1 … Pn). */
	maxPlaceholders: number;
	/** Whether one request can carry a different text per recipient. */
	nativePersonalization: boolean;
	/** Values of each recipient's own that the provider takes (see RecipientOption). */
	recipientOptions?: RecipientOption[];
	/**
	 * Longest text (in characters) the provider takes in one SMS, for providers that
	 * refuse longer text instead of sending it in parts. See longText.ts.
	 */
	maxTextCharacters?: number;
	/**
	 * For providers that schedule by calendar day, not by instant: the zone of those
	 * days. The engine then checks Send At by day there (today is not in the past).
	 */
	scheduleByDay?: { utcOffsetMinutes: number; zoneName: string };

	/**
	 * For providers that schedule any send at the instant in SendJob.sendAt: the instant
	 * they would take for `at` (on their grid). Quiet hours then schedule a send for the
	 * window's end instead of holding it back.
	 */
	scheduleAt?(at: Date): Date;

	readCredentials(raw: IDataObject): ProviderCredentials;
	/** Requests carry a token got with the credential. */
	session?: ProviderSession;
	/** Throws a plain Error with a message for the user when the job cannot be sent. */
	validateJob?(job: SendJob): void;
	buildSend(job: SendJob, credentials: ProviderCredentials): HttpRequest;
	parseSend(response: HttpResponse, job: SendJob): SendOutcome;
	/** What the node calls Get Status's message id field, when not "Message ID" (for errors). */
	messageIdLabel?: string;
	buildStatus?(messageId: string, credentials: ProviderCredentials): HttpRequest;
	parseStatus?(response: HttpResponse, messageId: string): StatusReport[];
	/** For providers that report what the account can still send: read by the option Check Balance First. */
	balance?: ProviderBalance;
	/**
	 * For providers whose credential n8n's declarative test cannot judge: a request
	 * that sends no SMS, and a reader that throws a ProviderError when the answer
	 * refuses the credential. See credentialTest.ts.
	 */
	credentialTest?: {
		build(credentials: ProviderCredentials): HttpRequest;
		judge(response: HttpResponse): void;
	};
}
