import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { parseAnswer, preview } from '../shared/answers';
import { endpoint, readProviderCredentials } from '../shared/credentials';
import { ambiguousStatus, notAcceptedWords, ProviderError, type ProviderCredentials, type SendJob, type SmsProvider, type SmsStatus, type StatusReport } from '../shared/provider';
import type { HttpRequest, HttpResponse } from '../shared/transport';
import { formatAtOffset } from '../shared/time';
import {
	COST_PATTERN,
	REJECTED_NUMBERS_PATTERN,
	SUCCESS_BODY_STATUSES,
	UNKNOWN_STATUS_CODE,
} from './assumptions';

const NAME = 'MTN Congo';
/** Congo (Brazzaville) is UTC+1 all year; `date_envois` carries no zone. */
const CONGO_OFFSET_MINUTES = 60;

/** Delivery codes of the status answer. */
export const MTN_STATUS_CODES: Record<string, SmsStatus> = {
	'0': 'pending',
	'1': 'delivered',
	'2': 'undelivered',
	'4': 'queued',
	'8': 'sent',
	'16': 'rejected',
};

export function mapMtnStatusCode(code: string | number): SmsStatus {
	return MTN_STATUS_CODES[String(code).trim()] ?? UNKNOWN_STATUS_CODE;
}

const idValue = z.union([z.string(), z.number()]).transform(String);

const sendAnswer = z
	.object({
		resultat: z.union([z.string(), z.array(z.string())]).optional(),
		detail: z.union([z.string(), z.array(z.string())]).optional(),
		status: idValue.optional(),
		id: idValue.optional(),
	})
	.passthrough();

const statusAnswer = z
	.object({
		resultat: z.union([z.array(z.string()), z.string()]),
		status: idValue,
		externalId: z.union([z.string(), z.number(), z.null()]).optional(),
	})
	.passthrough();

const asText = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('; ') : (v ?? ''));

/** Cost in credits from "envoyé (coût: 46 crédits)"; null when absent. */
export function parseCredits(resultat: string): number | null {
	const match = COST_PATTERN.exec(resultat);
	return match ? Number(match[1].replace(',', '.')) : null;
}

export function parseRejectedNumbers(text: string): string[] {
	const match = REJECTED_NUMBERS_PATTERN.exec(text);
	if (!match) return [];
	return match[1].split(/[\s,;]+/).map((n) => n.replace(/^\+/, '')).filter((n) => n.length >= 6);
}

const HINTS: Record<string, string> = {
	'400': 'MTN Congo refused the data: check the sender (registered on the platform, at most 11 characters) and the message.',
	'401': 'Check the token in the MTN Congo credential (Profile → "info API" tab).',
	'403': 'Your MTN Congo account is not allowed to do this (sender not registered, or no credit).',
	'404': 'MTN Congo does not accept this number, or does not know this message id.',
	'415': 'The request was not sent as JSON.',
};

function refusal(httpStatus: number, body: z.infer<typeof sendAnswer> | undefined): ProviderError {
	const code = body?.status ?? String(httpStatus);
	const text = [asText(body?.resultat), asText(body?.detail)].filter(Boolean).join(': ');
	// At a 5xx MTN may have acted on the request: the message says what it answered, not that it refused.
	const head = ambiguousStatus(httpStatus) ? `${notAcceptedWords(NAME, 'the request', httpStatus)}${code !== String(httpStatus) ? ` (status ${code})` : ''}` : `${NAME} refused the request (${code})`;
	return new ProviderError(`${head}${text ? `: ${text}` : ''}`, {
		httpStatus,
		providerStatus: code,
		rejectedRecipients: parseRejectedNumbers(text),
		hint: HINTS[code],
	});
}

function isSuccess(httpStatus: number, bodyStatus: string | undefined): boolean {
	return httpStatus >= 200 && httpStatus < 300 && bodyStatus !== undefined && SUCCESS_BODY_STATUSES.includes(bodyStatus);
}

/** The `params` CSV of a personalised send: values `;`-separated, the e-mail then the phone last, rows `\r\n`. */
export function buildParamsCsv(job: SendJob): string {
	return job.recipients
		.map((r) => [...(r.values ?? []), ...(r.email !== undefined ? [r.email] : []), r.to].join(';'))
		.join('\r\n');
}

function validateJob(job: SendJob): void {
	const externalId = externalIdOf(job.options);
	// MTN takes an integer; NaN would go out as null and be refused after the item was judged valid.
	if (externalId !== undefined && !Number.isInteger(externalId)) {
		throw new Error(`The External ID (${preview(String(JSON.stringify(job.options.externalId)))}) is not a whole number: MTN Congo takes an integer`);
	}
	if (job.operation !== 'sendPersonalized') return;
	for (const r of job.recipients) {
		(r.values ?? []).forEach((value, i) => {
			if (/[;\r\n]/.test(value)) {
				throw new Error(`The value of P${i + 1} ("${value}") contains a semicolon or a line break, which MTN Congo's personalised format cannot carry`);
			}
		});
		if (r.email !== undefined && /[;\r\n]/.test(r.email)) throw new Error(`The e-mail address "${r.email}" contains a semicolon or a line break`);
	}
}

/** The External ID option as MTN's integer, when set. */
function externalIdOf(options: IDataObject): number | undefined {
	const value = options.externalId;
	return value === undefined || value === null || value === '' ? undefined : Number(value);
}

function commonFields(job: SendJob): IDataObject {
	const o = job.options;
	const body: IDataObject = { msg: job.text, sender: job.sender };
	if (job.sendAt) body.date_envois = formatAtOffset(job.sendAt, CONGO_OFFSET_MINUTES);
	const externalId = externalIdOf(o);
	if (externalId !== undefined) body.externalId = externalId;
	if (typeof o.callbackUrl === 'string' && o.callbackUrl.trim()) body.callback_url = o.callbackUrl.trim();
	if (typeof o.mailBody === 'string' && o.mailBody) body.msg_mail = o.mailBody;
	if (typeof o.mailSubject === 'string' && o.mailSubject) body.objet_mail = o.mailSubject;
	return body;
}

/** Every MTN call: one endpoint, JSON, `Authorization: Token …`. */
function mtnRequest(credentials: ProviderCredentials, json: IDataObject): HttpRequest {
	return { method: 'POST', url: endpoint(credentials.baseUrl), headers: { authorization: `Token ${credentials.fields.token}` }, json };
}

/**
 * MTN's answer read loosely, refusals thrown with MTN's own words: a non-2xx
 * HTTP status (JSON or not) or a body `status` other than success.
 */
function acceptedAnswer(response: HttpResponse): z.infer<typeof sendAnswer> {
	let body: z.infer<typeof sendAnswer>;
	try {
		body = parseAnswer(NAME, response, sendAnswer, '{"resultat", "status", "id"}');
	} catch (error) {
		// A non-2xx answer that is not MTN's JSON is still a refusal with a status.
		if (response.status >= 400) throw refusal(response.status, undefined);
		throw error;
	}
	if (!isSuccess(response.status, body.status)) throw refusal(response.status, body);
	return body;
}

export const mtnCongoProvider: SmsProvider = {
	id: 'mtnCongo',
	name: NAME,
	credentialType: 'mtnCongoSmsApi',
	phoneFormat: 'digits',
	maxRecipientsPerRequest: 1000,
	maxSenderLength: 11,
	maxPlaceholders: 5,
	// MTN flags e-mail copies per request (isemail), so recipients with and without one go apart.
	recipientOptions: [{ field: 'email', option: 'email', operations: ['sendPersonalized'], splitsRequests: true }],
	nativePersonalization: true,

	// date_envois works on every send (rounded up to the minute).
	scheduleAt: (at) => new Date(Math.ceil(at.getTime() / 60_000) * 60_000),
	readCredentials: (raw) => readProviderCredentials(raw, ['token']),

	validateJob,

	buildSend(job, credentials) {
		const body = commonFields(job);
		if (job.operation === 'sendPersonalized') {
			body.params = buildParamsCsv(job);
			body.isemail = job.recipients.some((r) => r.email !== undefined) ? '1' : '0';
		} else {
			body.receivers = job.recipients.map((r) => r.to).join(',');
			if (typeof job.options.email === 'string' && job.options.email.trim()) body.email = job.options.email.trim();
		}
		return mtnRequest(credentials, body);
	},

	parseSend(response, job) {
		const body = acceptedAnswer(response);
		if (body.id === undefined) {
			throw new ProviderError(`${NAME} accepted the request but gave no message id: ${response.text.slice(0, 200)}`, {
				httpStatus: response.status,
				ambiguous: true,
			});
		}
		const resultat = asText(body.resultat);
		return {
			status: job.sendAt ? 'scheduled' : 'accepted',
			messageId: body.id,
			providerStatus: resultat || String(body.status),
			extra: {
				credits: parseCredits(resultat),
				...(externalIdOf(job.options) !== undefined ? { externalId: externalIdOf(job.options) } : {}),
			},
		};
	},

	buildStatus(messageId, credentials) {
		return mtnRequest(credentials, { op: 'status', id: messageId });
	},

	parseStatus(response, messageId) {
		acceptedAnswer(response);
		const body = parseAnswer(NAME, response, statusAnswer, '{"resultat": ["number, code, label", …], "status": "200"}');
		const lines = Array.isArray(body.resultat) ? body.resultat : [body.resultat];
		const externalId = body.externalId ?? null;
		return lines.map((line) => parseStatusLine(line, messageId, externalId));
	},
};

/** A delivery code and label as the output carries them; `code` is null when MTN gave no number. */
export function describeMtnCode(code: string | null, label: string | null): { status: SmsStatus | null; providerCode: number | null; providerStatus: string | null } {
	const numeric = code !== null && /^\d+$/.test(code);
	return {
		status: numeric ? mapMtnStatusCode(code) : null,
		providerCode: numeric ? Number(code) : null,
		providerStatus: [code, label].filter(Boolean).join(' ') || null,
	};
}

/** "242056753822, 1, Livré au téléphone" → its three parts (the label may hold commas). */
export function splitStatusLine(line: string): { number: string; code: string; label: string } {
	const [number = '', code = '', ...label] = line.split(',');
	return { number: number.trim(), code: code.trim(), label: label.join(',').trim() };
}

/** One line of the status answer → one report. */
export function parseStatusLine(line: string, messageId: string, externalId: string | number | null): StatusReport {
	const { number, code, label } = splitStatusLine(line);
	const { status, providerCode, providerStatus } = describeMtnCode(code, label);
	if (status === null) throw new ProviderError(`${NAME} answered a status line that is not "number, code, label": "${line}"`);
	return { to: number, status, providerStatus: providerStatus ?? code, messageId, extra: { providerCode, externalId } };
}
