import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { parseAnswer, preview } from '../shared/answers';
import { endpoint, readProviderCredentials } from '../shared/credentials';
import { ProviderError, type ProviderCredentials, type SendJob, type SmsProvider, type SmsStatus } from '../shared/provider';
import { formatAtOffset } from '../shared/time';
import type { HttpRequest, HttpResponse } from '../shared/transport';
import { BALANCE_REFUSAL_PATTERN, MAX_NUMBERS_PER_REQUEST, MIN_INTERVAL_MINUTES, STATUT_MAP, UNKNOWN_STATUT } from './assumptions';

const NAME = 'ION SMS Gateway';
/** Gabon is UTC+1 all year; ION's campaign days carry no zone. */
const GABON_OFFSET_MINUTES = 60;

export function mapStatut(statut: string): SmsStatus {
	return STATUT_MAP[statut.trim().toUpperCase()] ?? UNKNOWN_STATUT;
}

const accepted = z
	.object({
		ref: z.union([z.string(), z.number()]).transform(String),
		type: z.string().optional(),
		statut: z.string(),
		dateDebut: z.string().optional(),
		dateFin: z.string().optional(),
		nbParJour: z.number().optional(),
		intervalleMinutes: z.number().optional(),
	})
	.passthrough();

const refused = z.object({ error: z.string() }).passthrough();

const HINTS: Record<number, string> = {
	400: 'ION refused the request as written: check the sender, the numbers (international form, +241…) and the text (1 to 160 characters).',
	401: 'Check the API key in the ION SMS Gateway credential (a key can expire, and a suspended account refuses every key).',
};

/** The campaign window of a scheduled send: first and last day in Gabon time, pacing. */
export interface IonWindow {
	dateDebut: string;
	dateFin: string;
	nbParJour: number;
	intervalleMinutes: number;
}

/** `YYYY-MM-DD` of the instant in Gabon. */
export function gabonDay(date: Date): string {
	return formatAtOffset(date, GABON_OFFSET_MINUTES).slice(0, 10);
}

/**
 * The MULDESP window from Send At and the node's ION options: the last day
 * defaults to the first, SMS per day to all recipients at once, and the spacing
 * to the smallest ION accepts.
 */
export function campaignWindow(job: SendJob): IonWindow {
	if (!job.sendAt) throw new Error('a scheduled send needs Send At');
	const o = job.options;
	const dateDebut = gabonDay(job.sendAt);
	const lastDay = typeof o.lastDay === 'string' && o.lastDay.trim() ? o.lastDay.trim().slice(0, 10) : dateDebut;
	const perDay = Number(o.smsPerDay ?? 0);
	const interval = Number(o.minutesBetweenSms ?? 0);
	return {
		dateDebut,
		dateFin: lastDay,
		nbParJour: Number.isInteger(perDay) && perDay > 0 ? perDay : job.recipients.length,
		intervalleMinutes: Number.isInteger(interval) && interval >= MIN_INTERVAL_MINUTES ? interval : MIN_INTERVAL_MINUTES,
	};
}

function validateJob(job: SendJob): void {
	if (!job.sendAt) return;
	const window = campaignWindow(job);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(window.dateFin) || Number.isNaN(Date.parse(window.dateFin))) {
		throw new Error(`'Last Day' (${window.dateFin}) is not a date (YYYY-MM-DD)`);
	}
	if (window.dateFin < window.dateDebut) throw new Error(`'Last Day' (${window.dateFin}) is before the first day (${window.dateDebut}, Gabon time)`);
}

/** Every ION call: JSON, `X-API-Key`. */
function ionRequest(credentials: ProviderCredentials, path: string, json: IDataObject): HttpRequest {
	return { method: 'POST', url: endpoint(credentials.baseUrl, path), headers: { 'x-api-key': credentials.fields.apiKey }, json };
}

/** ION's `error` text, or the start of the body when it is not ION's JSON. */
function ionWords(response: HttpResponse): { words: string; fromIon: boolean } {
	const parsed = refused.safeParse(safeJson(response.text));
	return parsed.success ? { words: parsed.data.error, fromIon: true } : { words: preview(response.text), fromIon: false };
}

/** ION's refusal with its own words; an empty prepaid balance is definite, other 5xx stay ambiguous. */
function refusal(response: HttpResponse): ProviderError {
	const { words, fromIon } = ionWords(response);
	const balance = fromIon && BALANCE_REFUSAL_PATTERN.test(words);
	return new ProviderError(`${NAME} refused the request (HTTP ${response.status}): ${words}`, {
		httpStatus: response.status,
		providerStatus: String(response.status),
		hint: balance ? 'Your prepaid ION balance is empty: top it up, then run the workflow again. Nothing was sent.' : HINTS[response.status],
		...(balance ? { ambiguous: false } : {}),
	});
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export const ionSmsGatewayProvider: SmsProvider = {
	id: 'ionSmsGateway',
	name: NAME,
	credentialType: 'ionSmsGatewayApi',
	phoneFormat: 'e164',
	maxRecipientsPerRequest: MAX_NUMBERS_PER_REQUEST,
	maxPlaceholders: 5,
	// No templates: the engine fills :P1 … :P5; recipients with the same text share a request.
	nativePersonalization: false,

	readCredentials: (raw) => readProviderCredentials(raw, ['apiKey']),

	validateJob,

	buildSend(job, credentials) {
		const base = { emetteur: job.sender, corps: job.text };
		const numbers = job.recipients.map((r) => r.to);
		if (job.sendAt) return ionRequest(credentials, 'muldesp', { ...base, numeros: numbers, ...campaignWindow(job) });
		if (numbers.length === 1) return ionRequest(credentials, 'unides', { ...base, destinataire: numbers[0] });
		return ionRequest(credentials, 'muldes', { ...base, numeros: numbers });
	},

	parseSend(response) {
		if (response.status < 200 || response.status >= 300) throw refusal(response);
		const body = parseAnswer(NAME, response, accepted, '{"ref", "type", "statut"}');
		const { dateDebut, dateFin, nbParJour, intervalleMinutes } = body;
		const window = dateDebut ? { window: { dateDebut, dateFin, nbParJour, intervalleMinutes } } : {};
		return { status: mapStatut(body.statut), messageId: body.ref, providerStatus: body.statut, extra: { requestType: body.type ?? null, ...window } };
	},

	credentialTest: {
		// An empty body: a valid key gets 400 "Missing required fields" and nothing is sent.
		build: (credentials) => ionRequest(credentials, 'unides', {}),
		judge(response) {
			if (response.status === 401 || response.status === 403) throw new ProviderError(`${NAME} refused the API key: ${ionWords(response).words}`);
			if (response.status !== 400 && (response.status < 200 || response.status >= 300)) {
				throw new ProviderError(`${NAME} answered HTTP ${response.status}: ${preview(response.text)}. Check the Base URL.`);
			}
		},
	},
};
