import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { parseAnswer, preview } from '../shared/answers';
import { endpoint, readProviderCredentials } from '../shared/credentials';
import { ProviderError, type ProviderCredentials, type SendJob, type SmsProvider, type SmsStatus } from '../shared/provider';
import type { HttpRequest, HttpResponse } from '../shared/transport';
import {
	AMBIGUOUS_ERROR_PATTERN,
	CAMPAIGN_STATUS_MAP,
	ERROR_HINTS,
	MAX_CONTACTS_PER_CAMPAIGN,
	SCHEDULE_GRID_MINUTES,
	UNKNOWN_CAMPAIGN_STATUS,
} from './assumptions';

export const NAME = 'Mon SMS PRO';

/** Every answer, errors included, at HTTP 200: `success` is the truth. */
const envelope = z
	.object({
		success: z.boolean(),
		data: z.unknown().optional(),
		error: z.unknown().optional(),
	})
	.passthrough();
const ENVELOPE = '{"success", "data", "error"}';

const zodIssue = z.object({ path: z.array(z.union([z.string(), z.number()])).optional(), message: z.string() }).passthrough();
const zodError = z.object({ isZodError: z.literal(true), issues: z.array(zodIssue).optional(), message: z.string().optional() }).passthrough();

/** Mon SMS PRO's `error` in words: the error word, or each validation issue with its field. */
export function errorWords(error: unknown): { words: string; word?: string } {
	if (typeof error === 'string') return { words: error, word: error };
	const validation = zodError.safeParse(error);
	if (validation.success) {
		const issues = validation.data.issues ?? [];
		const listed = issues.slice(0, 5).map((i) => `${(i.path ?? []).join('.') || '(request)'}: ${i.message}`);
		return { words: `invalid request: ${listed.join('; ') || validation.data.message || 'validation error'}` };
	}
	return { words: error === undefined || error === null ? 'no reason given' : preview(JSON.stringify(error)) };
}

/**
 * Reads Mon SMS PRO's envelope and its `data`. `success: false` is the
 * provider's refusal, in its words, with what to do; a 5xx, or an error that
 * speaks of the server, may have been acted on.
 */
export function readEnvelope<S extends z.ZodTypeAny>(response: HttpResponse, data: S, expected: string): z.infer<S> {
	if (response.status < 200 || response.status >= 300) {
		throw new ProviderError(`${NAME} answered HTTP ${response.status}: ${preview(response.text)}`, {
			httpStatus: response.status,
			providerStatus: String(response.status),
		});
	}
	const body = parseAnswer(NAME, response, envelope, ENVELOPE);
	if (!body.success) {
		const { words, word } = errorWords(body.error);
		// At HTTP 200 a refusal is definite, unless Mon SMS PRO says its server failed: then it may have acted.
		const ambiguous = AMBIGUOUS_ERROR_PATTERN.test(words);
		throw new ProviderError(`${NAME} ${ambiguous ? 'answered with a server error' : 'refused the request'}: ${words}`, {
			httpStatus: response.status,
			providerStatus: word ?? 'validation-error',
			hint: word ? ERROR_HINTS[word] : 'Check the fields named above.',
			ambiguous,
		});
	}
	const parsed = data.safeParse(body.data);
	if (!parsed.success) {
		const problems = parsed.error.issues
			.slice(0, 3)
			.map((issue) => `${['data', ...issue.path].join('.')}: ${issue.message}`)
			.join('; ');
		throw new ProviderError(`${NAME} answered with an unexpected shape (expected ${expected}; ${problems}): ${preview(response.text)}`, {
			httpStatus: response.status,
			ambiguous: true,
		});
	}
	return parsed.data;
}

/** Every Mon SMS PRO call: `POST <baseUrl><path>`, JSON, the key inside the body. */
export function monSmsProCall(credentials: ProviderCredentials, path: string, body: IDataObject = {}): HttpRequest {
	return { method: 'POST', url: endpoint(credentials.baseUrl, path), json: { apiKey: credentials.fields.apiKey, ...body } };
}

export function mapCampaignStatus(status: string): SmsStatus {
	return CAMPAIGN_STATUS_MAP[status.trim().toUpperCase()] ?? UNKNOWN_CAMPAIGN_STATUS;
}

const created = z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string().optional(), status: z.string() }).passthrough();

const campaign = z
	.object({
		id: z.union([z.string(), z.number()]).transform(String),
		name: z.string().nullish(),
		status: z.string(),
		type: z.string().nullish(),
		scheduledDate: z.string().nullish(),
		contactCount: z.number().nullish(),
		creditUsed: z.number().nullish(),
	})
	.passthrough();

const GRID_MS = SCHEDULE_GRID_MINUTES * 60_000;

/** The quarter hours around an instant: the one at or before it and the next. */
export function nearestQuarters(date: Date): [Date, Date] {
	const before = Math.floor(date.getTime() / GRID_MS) * GRID_MS;
	return [new Date(before), new Date(before + GRID_MS)];
}

export function onGrid(date: Date): boolean {
	return date.getTime() % GRID_MS === 0;
}

/** `YYYY-MM-DD HH:MM` in the workflow's zone, with the seconds when there are any. */
function wallClock(date: Date, timeZone = 'UTC'): string {
	const seconds = date.getUTCSeconds() !== 0 || date.getUTCMilliseconds() !== 0;
	return new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		...(seconds ? { second: '2-digit' } : {}),
		hourCycle: 'h23',
	})
		.format(date)
		.replace(',', '');
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** A multi-value option: a list from the dropdown, or a text separated by commas, semicolons or spaces from an expression. */
function listOption(raw: unknown): string[] {
	const list: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,;]+/) : [];
	return list.map((value) => String(value).trim()).filter(Boolean);
}

/** The weekdays of a recurring campaign from the node's option, as Mon SMS PRO names them. */
function repeatDays(options: IDataObject): string[] {
	const days = listOption(options.repeatOn).map((d) => d.toLowerCase());
	const unknown = days.find((d) => !(WEEKDAYS as readonly string[]).includes(d));
	if (unknown) throw new Error(`'Repeat On' holds "${unknown}", which is not a weekday (monday … sunday)`);
	return [...new Set(days)];
}

/** The instant Mon SMS PRO gets: Send At, or with the rounding option the next quarter hour. */
export function scheduledInstant(job: SendJob): Date {
	if (!job.sendAt) throw new Error('a scheduled send needs Send At');
	if (onGrid(job.sendAt) || job.options.roundToQuarterHour !== true) return job.sendAt;
	return nearestQuarters(job.sendAt)[1];
}

function validateJob(job: SendJob): void {
	if (job.sendAt) {
		repeatDays(job.options);
		if (!onGrid(job.sendAt) && job.options.roundToQuarterHour !== true) {
			const [before, after] = nearestQuarters(job.sendAt);
			const zone = job.timeZone ?? 'UTC';
			throw new Error(
				`'Send At' (${wallClock(job.sendAt, zone)}, ${zone}) is not on a quarter hour: Mon SMS PRO schedules at :00, :15, :30 and :45 only. The nearest allowed times are ${wallClock(before, zone)} and ${wallClock(after, zone)}; or turn on the option 'Round Up to the Next Quarter Hour'`,
			);
		}
	}
}

/** A readable campaign name: "n8n Send Bulk 2026-11-23 14:05" (UTC), unless the user gave one. */
function campaignName(job: SendJob): string {
	const given = typeof job.options.campaignName === 'string' ? job.options.campaignName.trim() : '';
	if (given) return given;
	const label = { send: 'Send', sendBulk: 'Send Bulk', sendPersonalized: 'Send Personalized', sendScheduled: 'Send Scheduled', getStatus: 'Status' }[job.operation];
	return `n8n ${label} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
}

function groupIds(options: IDataObject): string[] {
	return listOption(options.groupsIds);
}

export const monSmsProProvider: SmsProvider = {
	id: 'monSmsPro',
	name: NAME,
	credentialType: 'monSmsProApi',
	phoneFormat: 'digits',
	messageIdLabel: 'Campaign ID',
	maxRecipientsPerRequest: MAX_CONTACTS_PER_CAMPAIGN,
	// Sender names are created with 3 to 11 letters or digits (sender/create), so no longer one exists.
	maxSenderLength: 11,
	maxPlaceholders: 5,
	// Mon SMS PRO's own variables (@name) would write the values into the contact book: the engine fills :P1 … :P5.
	nativePersonalization: false,
	// The Contact Name option names the contacts Mon SMS PRO creates for new numbers.
	recipientOptions: [{ field: 'name', option: 'contactName', operations: ['sendBulk', 'sendPersonalized'] }],

	// A campaign of any send can be SCHEDULED, on the quarter hours only.
	scheduleAt: (at) => (onGrid(at) ? at : nearestQuarters(at)[1]),
	readCredentials: (raw) => readProviderCredentials(raw, ['apiKey']),

	validateJob,

	buildSend(job, credentials) {
		const body: IDataObject = {
			contacts: job.recipients.map((r) => ({ phone: r.to, ...(r.name ? { name: r.name } : {}) })),
			text: job.text,
			senderId: job.sender,
			name: campaignName(job),
			type: 'SMS',
		};
		// An item's groups go with its first campaign only, or their members would get the SMS once per campaign.
		const groups = groupIds(job.options);
		if (groups.length && !job.requestIndex) body.groupsIds = groups;
		if (job.sendAt) {
			const at = scheduledInstant(job).toISOString();
			const days = repeatDays(job.options);
			if (days.length) {
				body.type = 'RECURRING';
				// Only the time of day counts; Mon SMS PRO takes a date-time per weekday.
				body.recurring = Object.fromEntries(days.map((d) => [d, at]));
			} else {
				body.type = 'SCHEDULED';
				body.scheduledDate = at;
			}
		}
		return monSmsProCall(credentials, 'campaign/create', body);
	},

	parseSend(response, job) {
		const data = readEnvelope(response, created, '{"id", "name", "status"}');
		const scheduled = job.sendAt ? { scheduledDate: scheduledInstant(job).toISOString() } : {};
		return {
			status: mapCampaignStatus(data.status),
			messageId: data.id,
			providerStatus: data.status,
			extra: { campaignName: data.name ?? null, ...scheduled },
		};
	},

	buildStatus: (messageId, credentials) => monSmsProCall(credentials, `campaign/${encodeURIComponent(messageId)}`),

	parseStatus(response, messageId) {
		const data = readEnvelope(response, campaign, '{"id", "status", …}');
		return [
			{
				// Mon SMS PRO reports a campaign as a whole, not per recipient.
				to: null,
				status: mapCampaignStatus(data.status),
				providerStatus: data.status,
				messageId: data.id || messageId,
				extra: {
					campaignName: data.name ?? null,
					type: data.type ?? null,
					scheduledDate: data.scheduledDate ?? null,
					contactCount: data.contactCount ?? null,
					creditUsed: data.creditUsed ?? null,
				},
			},
		];
	},

	balance: {
		// One credit per SMS segment (each segment is billed).
		request: (credentials) => monSmsProCall(credentials, 'user/credit'),
		segmentsLeft: (response) => readEnvelope(response, z.number(), 'a number of credits'),
		unit: () => 'credits',
	},

	credentialTest: {
		// The credit balance: sends nothing, costs nothing.
		build: (credentials) => monSmsProCall(credentials, 'user/credit'),
		judge(response) {
			try {
				readEnvelope(response, z.number(), 'a number of credits');
			} catch (error) {
				if (error instanceof ProviderError && error.details.providerStatus === 'unauthenticated') {
					throw new ProviderError(`${NAME} refused the API key: unauthenticated`);
				}
				throw new ProviderError(`${(error as Error).message}. Check the Base URL.`);
			}
		},
	},
};
