import { z } from 'zod';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { parseAnswer, preview } from '../shared/answers';
import { endpoint, normalizeBaseUrl } from '../shared/credentials';
import { assertCountry } from '../shared/phone';
import { ambiguousStatus, notAcceptedWords, ProviderError, type ProviderCredentials, type RefusalExplanation, type SendJob, type SmsProvider } from '../shared/provider';
import type { HttpRequest, HttpResponse } from '../shared/transport';
import { DEFAULT_REQUESTS_PER_SECOND, EXPIRED_CONTRACT_PATTERN, MAX_ADDRESSES_PER_REQUEST, MAX_SENDER_NAME_LENGTH, TOKEN_PATH, UNITS_PER_SEGMENT } from './assumptions';
import { alpha2OfSender, countryOfSender } from './countries';
import { bundleHint, unitsLeft } from './orange.contracts';

export const ORANGE_NAME = 'Orange';

/** The account's SMS contracts (bundles), one per country: read-only. */
export const CONTRACTS_PATH = 'sms/admin/v1/contracts';

/** The credential's hidden field where n8n keeps the access token (preAuthentication). */
export const TOKEN_FIELD = 'accessToken';

/** `tel:+<digits>` from what a person may type: tel:+2250000, +2250000, 2250000. */
export function senderAddressOf(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const digits = /^(?:tel:)?\+?(\d{4,15})$/.exec(text.replace(/\s+/g, ''));
	if (!digits) throw new Error(`the Sender Address "${text}" is not a number such as tel:+2250000`);
	return `tel:+${digits[1]}`;
}

/** The Basic value of the token request: from the portal's ready-made header (with or without `Basic `), or client ID and secret. */
export function basicAuthorization(fields: Record<string, string>): string {
	const header = fields.authorizationHeader.replace(/^Basic\s+/i, '').trim();
	if (header) return header;
	return Buffer.from(`${fields.clientId}:${fields.clientSecret}`, 'utf8').toString('base64');
}

export function readOrangeCredentials(raw: IDataObject): ProviderCredentials {
	const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string).trim() : '');
	const fields: Record<string, string> = {
		clientId: text('clientId'),
		clientSecret: text('clientSecret'),
		authorizationHeader: text('authorizationHeader'),
		senderName: text('senderName'),
		senderAddress: senderAddressOf(raw.senderAddress),
	};
	if (!fields.authorizationHeader && (!fields.clientId || !fields.clientSecret)) {
		throw new Error('give the Client ID and Client Secret, or the Authorization Header of your Orange app');
	}
	const basic = basicAuthorization(fields);
	// Empty: the country of the sender number (Orange's account is per country).
	const country = text('defaultCountry') || alpha2OfSender(fields.senderAddress) || '';
	return {
		baseUrl: normalizeBaseUrl(raw.baseUrl),
		defaultCountry: assertCountry(country),
		secrets: Object.freeze([fields.clientSecret, fields.authorizationHeader, basic].filter(Boolean)) as string[],
		fields,
	};
}

/** The client-credentials token request (it sends nothing). */
export function tokenRequest(credentials: ProviderCredentials): HttpRequest {
	return {
		method: 'POST',
		url: endpoint(credentials.baseUrl, TOKEN_PATH),
		headers: { authorization: `Basic ${basicAuthorization(credentials.fields)}`, accept: 'application/json' },
		form: { grant_type: 'client_credentials' },
	};
}

const token = z.object({
	access_token: z.string().min(1),
	token_type: z.string().optional(),
	// v3 answers a number, the guide writes a string.
	expires_in: z.union([z.number(), z.string()]).optional(),
});
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() }).passthrough();

/** An admin answer Orange gave in a shape the node does not know (definite: it only reads). */
export function unexpectedShape(what: string): ProviderError {
	return new ProviderError(`${ORANGE_NAME} answered ${what} in an unexpected shape`, { ambiguous: false });
}

/** The token from the token answer; a refusal in Orange's words. */
export function readToken(response: HttpResponse): string {
	if (response.status === 200) return parseAnswer(ORANGE_NAME, response, token, '{access_token, expires_in}').access_token;
	let reason = preview(response.text);
	try {
		const refused = oauthError.safeParse(JSON.parse(response.text));
		if (refused.success) reason = refused.data.error_description ? `${refused.data.error} (${refused.data.error_description})` : refused.data.error;
	} catch {
		// Not JSON: the preview says what came.
	}
	throw new ProviderError(`${notAcceptedWords(ORANGE_NAME, 'the client ID and secret', response.status)}: ${reason}`, {
		httpStatus: response.status,
		hint: 'Check the Client ID and Client Secret (or the Authorization Header) of the Orange credential: they are on your app\'s page at developer.orange.com.',
		ambiguous: false,
	});
}

/** Headers of every call but the token's. */
function bearer(credentials: ProviderCredentials): Record<string, string> {
	return { authorization: `Bearer ${credentials.token ?? ''}`, accept: 'application/json' };
}

/** A read-only call with the credential's token (account resource), `query` as the URL's query. */
export function adminRequest(credentials: ProviderCredentials, path: string, query: Record<string, string> = {}): HttpRequest {
	const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '')).toString();
	return { method: 'GET', url: `${endpoint(credentials.baseUrl, path)}${search ? `?${search}` : ''}`, headers: bearer(credentials) };
}

// Only what the node reads, and zod copies only that: the rest of the answer echoes the request (the address as a list or a string).
const sent = z.object({ outboundSMSMessageRequest: z.object({ resourceURL: z.string().min(1) }) });

const gatewayError = z.object({ code: z.union([z.number(), z.string()]), message: z.string(), description: z.string().optional() }).passthrough();
const exception = z.object({ messageId: z.string(), text: z.string(), variables: z.union([z.array(z.string()), z.string()]).optional() }).passthrough();
const requestError = z.object({ requestError: z.object({ serviceException: exception.optional(), policyException: exception.optional() }).passthrough() });

/** `text` with its %1, %2 … filled from `variables`. */
function fill(text: string, variables: string[]): string {
	return text.replace(/%(\d+)/g, (whole, n: string) => variables[Number(n) - 1] ?? whole);
}

/** Orange's refusal of a call, in words a person can act on. */
export function orangeRefusal(response: HttpResponse, what: string, credentials?: ProviderCredentials): ProviderError {
	const status = response.status;
	let body: unknown;
	try {
		body = JSON.parse(response.text);
	} catch {
		body = undefined;
	}
	const oneApi = requestError.safeParse(body);
	if (oneApi.success) {
		const ex = oneApi.data.requestError.policyException ?? oneApi.data.requestError.serviceException;
		if (ex) {
			const variables = typeof ex.variables === 'string' ? [ex.variables] : (ex.variables ?? []);
			const detail = `${ex.messageId}: ${fill(ex.text, variables)}`;
			return new ProviderError(`${notAcceptedWords(ORANGE_NAME, what, status)} (${detail})`, {
				httpStatus: status,
				providerStatus: ex.messageId,
				hint: hintFor(ex.messageId, variables, credentials),
				ambiguous: ambiguousStatus(status) ? undefined : false,
				explain: ex.messageId === 'POL0001' ? bundleExplanation : undefined,
			});
		}
	}
	const gateway = gatewayError.safeParse(body);
	if (gateway.success) {
		const { code, message, description } = gateway.data;
		return new ProviderError(`${notAcceptedWords(ORANGE_NAME, what, status)} (code ${code}: ${message}${description ? `. ${description}` : ''})`, {
			httpStatus: status,
			providerStatus: String(code),
			hint: status === 401 ? 'Test the Orange credential: its token was refused and n8n could not get a new one.' : undefined,
		});
	}
	return new ProviderError(`${notAcceptedWords(ORANGE_NAME, what, status)}: ${preview(response.text)}`, { httpStatus: status });
}

/** A policy refusal of a send: the contracts say which bundle, and since when. */
const bundleExplanation: RefusalExplanation = {
	key: 'contracts',
	request: (credentials) => adminRequest(credentials, CONTRACTS_PATH),
	hint(response, credentials) {
		const country = countryOfSender(credentials.fields.senderAddress);
		if (response.status !== 200 || !country) return undefined;
		try {
			return bundleHint(JSON.parse(response.text), country);
		} catch {
			return undefined;
		}
	},
};

function hintFor(messageId: string, variables: string[], credentials?: ProviderCredentials): string | undefined {
	const field = variables[0] ?? '';
	if (messageId === 'POL0001') {
		const country = credentials ? countryOfSender(credentials.fields.senderAddress) : undefined;
		const where = country ? ` for ${country}` : '';
		return EXPIRED_CONTRACT_PATTERN.test(field)
			? `The Orange SMS bundle${where} has expired: buy one in the Orange Developer portal (Orange Money or airtime), then run again.`
			: `The Orange SMS bundle${where} cannot be used (no units left?): check it with the Account → Get Balance operation and buy one in the Orange Developer portal.`;
	}
	if (messageId === 'SVC0004' && field === 'senderAddress') return "The credential's Sender Address is not your account's sender number: Orange gives one per country (tel:+2250000 for Côte d'Ivoire).";
	if (messageId === 'SVC0004') return 'Check the number: Orange sends to numbers in international form (tel:+225…).';
	if (messageId === 'SVC0002' && field === 'senderName') return `The sender name must be at most ${MAX_SENDER_NAME_LENGTH} letters, digits or spaces.`;
	if (messageId === 'SVC0002' && field === 'message') return 'Check the message: not empty, at most 10 SMS parts.';
	return undefined;
}

/** The message id: the last part of `resourceURL` (delivery reports carry it as callbackData). */
export function messageIdOf(resourceUrl: string): string {
	let end = resourceUrl.length;
	while (end > 0 && resourceUrl.charCodeAt(end - 1) === SLASH) end--;
	return decodeURIComponent(resourceUrl.slice(resourceUrl.lastIndexOf('/', end - 1) + 1, end));
}

const SLASH = 0x2f;

export const orangeProvider: SmsProvider = {
	id: 'orange',
	name: ORANGE_NAME,
	credentialType: 'orangeSmsApi',
	phoneFormat: 'e164',
	maxRecipientsPerRequest: MAX_ADDRESSES_PER_REQUEST,
	requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND,
	maxSenderLength: MAX_SENDER_NAME_LENGTH,
	optionalSender: true,
	maxPlaceholders: 5,
	nativePersonalization: false,
	readCredentials: readOrangeCredentials,
	session: {
		tokenField: TOKEN_FIELD,
		probe: (credentials): IHttpRequestOptions => ({ method: 'GET', url: endpoint(credentials.baseUrl, CONTRACTS_PATH), json: true, headers: { accept: 'application/json' } }),
		tokenRefused: (response) => response.status === 401,
	},

	balance: {
		request: (credentials) => adminRequest(credentials, CONTRACTS_PATH),
		segmentsLeft(response, credentials) {
			if (response.status !== 200) throw orangeRefusal(response, 'the request');
			const units = unitsLeft(parseAnswer(ORANGE_NAME, response, z.unknown(), 'JSON'), countryOfSender(credentials.fields.senderAddress) ?? '');
			if (units === undefined) throw unexpectedShape('the contracts');
			return Math.floor(units / UNITS_PER_SEGMENT);
		},
		unit: (credentials) => `SMS units for ${countryOfSender(credentials.fields.senderAddress) ?? 'the sender number\'s country'}`,
	},

	buildSend(job: SendJob, credentials: ProviderCredentials): HttpRequest {
		const { senderAddress } = credentials.fields;
		const senderName = job.sender || credentials.fields.senderName;
		return {
			method: 'POST',
			url: endpoint(credentials.baseUrl, `smsmessaging/v1/outbound/${encodeURIComponent(senderAddress)}/requests`),
			headers: bearer(credentials),
			json: {
				outboundSMSMessageRequest: {
					address: `tel:${job.recipients[0].to}`,
					senderAddress,
					...(senderName ? { senderName } : {}),
					outboundSMSTextMessage: { message: job.text },
				},
			},
		};
	},

	parseSend(response: HttpResponse): ReturnType<SmsProvider['parseSend']> {
		if (response.status !== 201) throw orangeRefusal(response, 'the SMS');
		const answer = parseAnswer(ORANGE_NAME, response, sent, '{outboundSMSMessageRequest: {resourceURL}}').outboundSMSMessageRequest;
		// Orange's answer only echoes the request: the message id is all it adds.
		return { status: 'accepted', messageId: messageIdOf(answer.resourceURL), providerStatus: 'Created' };
	},
};
