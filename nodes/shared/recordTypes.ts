import type { IDataObject } from 'n8n-workflow';
import type { CountryCode } from 'libphonenumber-js';
import type { ProviderCredentials, ProviderSession } from './provider';
import type { HttpRequest, HttpResponse } from './transport';

/**
 * Record operations (contacts, groups, senders, lists, balances): one call per
 * input item, or a paged list, over the same transport, pacing, answer checks,
 * redaction and errors as the SMS engine. A provider with a contact book
 * supplies a RecordApi and one RecordOperation per operation.
 */

/** One call: its path under the Base URL and its fields. */
export interface RecordCall {
	path: string;
	body?: IDataObject;
}

export interface PagedAnswer {
	records: unknown[];
	/** The last page there is (1-based), when the provider says. */
	totalPages?: number;
}

export interface RecordApi {
	name: string;
	credentialType: string;
	readCredentials(raw: IDataObject): ProviderCredentials;
	/** The pace when the node's Options give none (as SmsProvider.requestsPerSecond). */
	requestsPerSecond?: number;
	/** Requests carry a token got with the credential (as SmsProvider.session). */
	session?: ProviderSession;
	request(credentials: ProviderCredentials, call: RecordCall): HttpRequest;
	/** The answer's data; throws a ProviderError when the provider refused. */
	read(response: HttpResponse): unknown;
	/** A page of a list: its records and how many pages there are. */
	readPage(response: HttpResponse): PagedAnswer;
	/** The fields that ask for page `page` of `size` records. */
	pageFields(page: number, size: number): IDataObject;
	/** Largest page the provider serves. */
	maxPageSize: number;
}

/** Reads one item's parameters; throws an Error whose message names the field. */
export type ParameterReader = <T = unknown>(name: string, fallback?: T) => T;

export interface RecordOperation {
	/** The call for one item (the credential's default country, for phone numbers). */
	build(read: ParameterReader, defaultCountry: CountryCode): RecordCall;
	/** A list: paged with Return All / Limit, one output item per record. */
	list?: boolean;
	/** Output items from the answer's data (default: the data itself, or each element of an array). */
	output?(data: unknown, read: ParameterReader): IDataObject[];
	/** What to do after an ambiguous failure, for the error text ("Check whether the contact was created"). */
	ambiguousHint?: string;
	/**
	 * Reads change nothing and run again on Retry On Fail. Writes (the default) are
	 * remembered: a rerun outputs what was done instead of doing it twice.
	 */
	read?: boolean;
	/**
	 * One call for all input items (one group of every item's phones), when the
	 * first item's parameters ask for it; each item still gets its own output item.
	 */
	together?: {
		wanted(read: ParameterReader): boolean;
		merge(calls: RecordCall[]): RecordCall;
		/** One item's output from the shared answer and that item's own call. */
		output(data: unknown, call: RecordCall): IDataObject;
	};
}

export function asItems(data: unknown): IDataObject[] {
	if (Array.isArray(data)) return data.map((d) => (d !== null && typeof d === 'object' ? (d as IDataObject) : { value: d }));
	if (data !== null && typeof data === 'object') return [data as IDataObject];
	return [{ value: data ?? null }];
}
