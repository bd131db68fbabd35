import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { parseAnswer, preview } from '../shared/answers';
import { endpoint, readProviderCredentials } from '../shared/credentials';
import { ambiguousStatus, notAcceptedWords, ProviderError, type ProviderCredentials, type SendJob, type SmsProvider, type SmsStatus } from '../shared/provider';
import { dayAtOffset, toInstant } from '../shared/time';
import { numberFrom } from '../shared/values';
import type { HttpRequest, HttpResponse } from '../shared/transport';
import {
	BALANCE_REFUSAL_PATTERN,
	MAX_NUMBERS_PER_REQUEST,
	MAX_TEXT_CHARACTERS,
	MIN_INTERVAL_MINUTES,
	REFUSED_NUMBER_PATTERN,
	STATUT_MAP,
	UNKNOWN_STATUT,
} from './assumptions';

const NAME = 'ION SMS Gateway';
/** Gabon is UTC+1 all year; ION's campaign days carry no zone. */
const GABON_OFFSET_MINUTES = 60;

export function mapStatut(statut: string, scheduled = false): SmsStatus {
	const status = STATUT_MAP[statut.trim().toUpperCase()] ?? UNKNOWN_STATUT;
	// A campaign recorded and waiting for its first day: what the other nodes call scheduled.
	return scheduled && status === 'pending' ? 'scheduled' : status;
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
	return dayAtOffset(date, GABON_OFFSET_MINUTES);
}

/** A date, or a date and time without zone: its date is the day meant. */
const WALL_CLOCK_DAY = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * The Last Day option as a Gabon day: the date as written for a date or a date and
 * time without zone (n8n's date picker gives `YYYY-MM-DDTHH:MM:SS`); the Gabon day of
 * the instant for a text with a zone (n8n writes a DateTime inside Options so, in the
 * workflow's zone), a Date or a Luxon DateTime. Empty: undefined.
 */
export function readLastDay(value: unknown, timeZone: string): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return undefined;
	const wallClock = typeof value === 'string' ? WALL_CLOCK_DAY.exec(value.trim()) : null;
	if (wallClock) {
		const day = wallClock[1];
		if (new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) throw new Error(`'Last Day' ("${String(value)}") is not a date (YYYY-MM-DD)`);
		return day;
	}
	if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) throw new Error(`'Last Day' (${JSON.stringify(value)}) is not a date`);
	let instant: Date;
	try {
		instant = toInstant(value, timeZone);
	} catch (error) {
		throw new Error(`'Last Day' is not a date: ${(error as Error).message}`);
	}
	return gabonDay(instant);
}

/** A whole number of at least `min` from an option, or undefined when not set (0 or empty). */
function wholeNumber(value: unknown, label: string, min: number): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0) return undefined;
	const n = numberFrom(value);
	if (!Number.isInteger(n) || n < min) throw new Error(`'${label}' (${preview(String(JSON.stringify(value)))}) must be a whole number of at least ${min}`);
	return n;
}

/**
 * The MULDESP window from Send At and the node's ION options: the last day
 * defaults to the first, SMS per day to all recipients at once, and the spacing
 * to the smallest ION accepts (an assumption).
 */
export function campaignWindow(job: SendJob): IonWindow {
	if (!job.sendAt) throw new Error('a scheduled send needs Send At');
	const o = job.options;
	const dateDebut = gabonDay(job.sendAt);
	const perDay = wholeNumber(o.smsPerDay, 'SMS Per Day', 1);
	const here = job.recipients.length;
	// An item sent in several requests: each campaign takes its share of the item's SMS per day, rounded up.
	const share = perDay === undefined ? here : job.itemRecipients ? Math.ceil((perDay * here) / job.itemRecipients) : perDay;
	return {
		dateDebut,
		dateFin: readLastDay(o.lastDay, job.timeZone ?? 'UTC') ?? dateDebut,
		nbParJour: share,
		intervalleMinutes: wholeNumber(o.minutesBetweenSms, 'Minutes Between SMS', MIN_INTERVAL_MINUTES) ?? MIN_INTERVAL_MINUTES,
	};
}

const DAY_MS = 86_400_000;

/**
 * The window must exist and be able to carry every recipient (ION's handling of
 * an overfull window is unknown). How ION spaces the SMS within a day is not
 * documented, so SMS Per Day × Minutes Between SMS is not checked against 24 h.
 */
function validateJob(job: SendJob): void {
	if (!job.sendAt) return;
	const window = campaignWindow(job);
	if (window.dateFin < window.dateDebut) throw new Error(`'Last Day' (${window.dateFin}) is before the first day (${window.dateDebut}, Gabon time)`);
	const days = (Date.parse(window.dateFin) - Date.parse(window.dateDebut)) / DAY_MS + 1;
	const capacity = days * window.nbParJour;
	if (capacity < job.recipients.length) {
		throw new Error(
			`The window ${window.dateDebut} to ${window.dateFin} (${days} day${days > 1 ? 's' : ''} × ${window.nbParJour} SMS per day = ${capacity}) cannot carry the ${job.recipients.length} recipients: raise 'SMS Per Day' or move 'Last Day' later`,
		);
	}
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
	const refusedNumber = fromIon && response.status === 400 ? REFUSED_NUMBER_PATTERN.exec(words)?.[1] : undefined;
	const head = ambiguousStatus(response.status) && !balance ? notAcceptedWords(NAME, 'the request', response.status) : `${NAME} refused the request (HTTP ${response.status})`;
	return new ProviderError(`${head}: ${words}`, {
		httpStatus: response.status,
		providerStatus: String(response.status),
		hint: balance ? 'Your prepaid ION balance is empty: top it up, then run the workflow again. Nothing was sent.' : HINTS[response.status],
		...(balance ? { ambiguous: false } : {}),
		...(refusedNumber ? { rejectedRecipients: [refusedNumber] } : {}),
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
	maxTextCharacters: MAX_TEXT_CHARACTERS,
	scheduleByDay: { utcOffsetMinutes: GABON_OFFSET_MINUTES, zoneName: 'Gabon time, UTC+1' },
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

	parseSend(response, job) {
		if (response.status < 200 || response.status >= 300) throw refusal(response);
		const body = parseAnswer(NAME, response, accepted, '{"ref", "type", "statut"}');
		const { dateDebut, dateFin, nbParJour, intervalleMinutes } = body;
		const window = dateDebut ? { window: { dateDebut, dateFin, nbParJour, intervalleMinutes } } : {};
		return { status: mapStatut(body.statut, job.sendAt !== undefined), messageId: body.ref, providerStatus: body.statut, extra: { requestType: body.type ?? null, ...window } };
	},

	credentialTest: {
		// An empty body: a valid key gets 400 "Missing required fields" and nothing is sent.
		build: (credentials) => ionRequest(credentials, 'unides', {}),
		judge(response) {
			if (response.status === 401 || response.status === 403) throw new ProviderError(`${NAME} refused the API key: ${ionWords(response).words}`);
			// Only ION's own 400 shows that ION read the key: any other answer may come from something else at that URL.
			if (response.status !== 400 || !ionWords(response).fromIon) {
				throw new ProviderError(`${NAME} did not answer as expected (HTTP ${response.status}: ${preview(response.text)}). Check the Base URL.`);
			}
		},
	},
};
