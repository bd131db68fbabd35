import { z } from 'zod';
import { monSmsProProvider } from '../../nodes/MonSmsPro/monSmsPro.api';
import { analyzeText } from '../../nodes/shared/text';
import { fromSeam } from '../providers/fromSeam';
import type { TestProvider } from '../providers/types';
import { INVALID_JSON, isObject, parseJson, ProviderSimulator, type SimRequest, type SimResponse } from './simulator';

/**
 * Mon SMS PRO (Côte d'Ivoire), as ../shared/providers/mon-sms-pro.md and Mon SMS PRO's
 * getting-started guide describe it: `POST /v1/…` routes with a JSON body carrying the
 * `apiKey`, and HTTP 200 for every answer, errors included, so the envelope's `success`
 * is the only signal: `{success, data, error}` (+ `totalCount`, `count`, `page`,
 * `totalPage` for lists). Sending is creating a campaign; the account pays credits per
 * SMS segment. No delivery status per recipient and no webhook are documented.
 *
 * Public state for tests (Maps keyed by id, in creation order): `campaigns`, `contacts`,
 * `groups`, `senders`; `ledger` holds one entry per SMS accepted for sending.
 */

export const MON_SMS_PRO_CAMPAIGN_TYPES = ['SMS', 'SCHEDULED', 'RECURRING'] as const;
export type MonSmsProCampaignType = (typeof MON_SMS_PRO_CAMPAIGN_TYPES)[number];

/**
 * assumed: the docs name no campaign status. SMS campaigns are SENT once created,
 * SCHEDULED ones SCHEDULED, RECURRING ones ACTIVE; the others only come from the
 * `campaign-status` control route (to test a node's status mapping).
 */
export const MON_SMS_PRO_CAMPAIGN_STATUSES = ['PENDING', 'SCHEDULED', 'ACTIVE', 'SENDING', 'SENT', 'FAILED', 'CANCELLED'] as const;
export type MonSmsProCampaignStatus = (typeof MON_SMS_PRO_CAMPAIGN_STATUSES)[number];

export const MON_SMS_PRO_SENDER_STATUSES = ['PENDING', 'SUBMITTED', 'ACCEPTED', 'REFUSED'] as const;
export type MonSmsProSenderStatus = (typeof MON_SMS_PRO_SENDER_STATUSES)[number];

export const MON_SMS_PRO_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type MonSmsProRecurring = Partial<Record<(typeof MON_SMS_PRO_DAYS)[number], string>>;

export interface MonSmsProContact {
	id: string;
	phone: string;
	name: string | null;
	firstName: string | null;
	lastName: string | null;
	sex: 'M' | 'F' | null;
	createdAt: string;
}

export interface MonSmsProGroup {
	id: string;
	name: string;
	description: string | null;
	/** Member ids, in the order they joined. */
	contactIds: Set<string>;
	createdAt: string;
}

export interface MonSmsProSender {
	id: string;
	name: string;
	description: string;
	status: MonSmsProSenderStatus;
	createdAt: string;
}

export interface MonSmsProCampaign {
	id: string;
	name: string;
	text: string;
	type: MonSmsProCampaignType;
	status: MonSmsProCampaignStatus;
	scheduledDate: string | null;
	recurring: MonSmsProRecurring | null;
	createdAt: string;
	contactCount: number;
	creditUsed: number;
	/** The sender's id (the API's foreign-key name), null without senderId. */
	senderIdId: string | null;
	userId: string;
	groupsIds: string[];
	/** Recipients (not in the API's answers). */
	contactIds: string[];
}

/** One SMS accepted for sending: one per recipient of an SMS or SCHEDULED campaign. */
export interface MonSmsProSms {
	campaignId: string;
	to: string;
	/** The text with this contact's variables filled in. */
	text: string;
	/** Sender name, null for the platform's default sender. */
	senderId: string | null;
	type: MonSmsProCampaignType;
	scheduledDate?: string;
	segments: number;
	acceptedAt: number;
}

export interface MonSmsProSenderSeed {
	name: string;
	status: MonSmsProSenderStatus;
	description?: string;
}

export interface MonSmsProSimulatorOptions {
	apiKey?: string;
	/** Starting balance in credits (1 credit = 1 SMS segment to 1 recipient). */
	credit?: number;
	/** The account's senders at start (and after reset). */
	senders?: MonSmsProSenderSeed[];
}

export const DEFAULT_MON_SMS_PRO_API_KEY = 'sandbox-monsmspro-api-key-0123456789';
export const DEFAULT_MON_SMS_PRO_CREDIT = 10_000;
export const DEFAULT_MON_SMS_PRO_SENDERS: readonly MonSmsProSenderSeed[] = [
	{ name: 'MONSMSPRO', status: 'ACCEPTED' },
	{ name: 'PROMO', status: 'PENDING' },
];
/** assumed: the docs give no maximum text length. */
export const MON_SMS_PRO_MAX_TEXT_CHARS = 1600;
/** assumed: default and largest page size of the list routes. */
export const MON_SMS_PRO_DEFAULT_LIMIT = 10;
export const MON_SMS_PRO_MAX_LIMIT = 100;
/** assumed: the account's user id, as `userId` of campaigns. */
export const MON_SMS_PRO_USER_ID = 'usr_000001';

/** Values of the envelope's `error` (a string, or an object for validation errors). */
export const MON_SMS_PRO_ERRORS = {
	unauthenticated: 'unauthenticated',
	/** assumed: unknown route or a method other than POST. */
	notFound: 'not-found',
	/** `error.message` of a validation error (`error.isZodError` is true). */
	validation: 'Validation error',
	senderNotFound: 'sender-not-found',
	/** assumed: the sender exists but is not ACCEPTED. */
	senderNotAccepted: 'sender-not-accepted',
	/** assumed: sender/create with a name the account already has. */
	senderAlreadyExists: 'sender-already-exists',
	/** assumed */
	insufficientCredit: 'insufficient-credit',
	/** assumed */
	campaignNotFound: 'campaign-not-found',
	/** assumed */
	contactNotFound: 'contact-not-found',
	/** assumed */
	contactAlreadyExists: 'contact-already-exists',
	/** assumed */
	groupNotFound: 'group-not-found',
} as const;

/** Messages of the validation issues the simulator writes itself (others are Zod's defaults). */
export const MON_SMS_PRO_ISSUES = {
	invalidJson: 'Invalid JSON body',
	phone: 'Phone must be 225 followed by 10 digits, without +',
	contactsRequired: 'contacts must not be empty unless groupsIds is given',
	noRecipients: 'The campaign has no recipient: the groups are empty',
	textTooLong: `text must contain at most ${MON_SMS_PRO_MAX_TEXT_CHARS} characters`,
	dateTime: 'Expected an ISO date-time with a time zone, e.g. 2025-01-01T10:15:00Z',
	scheduledDateRequired: 'scheduledDate is required for a SCHEDULED campaign',
	quarterHour: 'Minutes must be a multiple of 15 (10:00, 10:15, 10:30, 10:45) and seconds 0',
	future: 'scheduledDate must be in the future',
	recurringRequired: 'recurring is required for a RECURRING campaign',
	recurringDay: 'recurring needs at least one day',
	senderName: 'name must be 3 to 11 letters or digits',
	deleteIds: 'id or ids is required',
} as const;

export interface MonSmsProIssue {
	path: (string | number)[];
	message: string;
	code: string;
}

const BASE_PATH = '/v1/';
/** Côte d'Ivoire: 225 then the 10-digit national number. */
const PHONE = /^225\d{10}$/;
const SENDER_NAME = /^[A-Za-z0-9]{3,11}$/;
const TIME_OF_DAY = /T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/;

type RouteName =
	| 'campaignCreate'
	| 'campaignList'
	| 'campaignGet'
	| 'contactCreate'
	| 'contactList'
	| 'contactDelete'
	| 'contactGet'
	| 'contactUpdate'
	| 'groupCreate'
	| 'groupList'
	| 'groupGet'
	| 'groupUpdate'
	| 'groupDelete'
	| 'senderCreate'
	| 'senderList'
	| 'senderCampaigns'
	| 'credit';

// Fixed names first: "campaign/list" is not the campaign "list".
const ROUTES: [RegExp, RouteName][] = [
	[/^campaign\/create$/, 'campaignCreate'],
	[/^campaign\/list$/, 'campaignList'],
	[/^campaign\/([^/]+)$/, 'campaignGet'],
	[/^contact\/create$/, 'contactCreate'],
	[/^contact\/list$/, 'contactList'],
	[/^contact\/delete$/, 'contactDelete'],
	[/^contact\/([^/]+)$/, 'contactGet'],
	[/^contact\/([^/]+)\/update$/, 'contactUpdate'],
	[/^group\/create$/, 'groupCreate'],
	[/^group\/list$/, 'groupList'],
	[/^group\/([^/]+)$/, 'groupGet'],
	[/^group\/([^/]+)\/update$/, 'groupUpdate'],
	[/^group\/([^/]+)\/delete$/, 'groupDelete'],
	[/^sender\/create$/, 'senderCreate'],
	[/^sender\/list$/, 'senderList'],
	[/^sender\/([^/]+)\/campaign$/, 'senderCampaigns'],
	// The guide names the balance both ways; the example and the SDK use user/credit.
	[/^user\/credit$/, 'credit'],
	[/^credit\/balance$/, 'credit'],
];

// ---- request schemas (Zod, since the API reports Zod issues) ----

const phoneSchema = z.string().regex(PHONE, MON_SMS_PRO_ISSUES.phone);
const contactFields = {
	name: z.string().optional(),
	firstName: z.string().optional(),
	lastName: z.string().optional(),
	sex: z.enum(['M', 'F']).optional(),
};
// assumed: a contact's `id` is informational; the phone identifies the contact.
const contactInput = z.object({ phone: phoneSchema, id: z.string().optional(), ...contactFields });
type ContactInput = z.infer<typeof contactInput>;

// assumed: a time zone (Z or ±hh:mm) is required, so the instant is unambiguous.
const dateTime = z.string().datetime({ offset: true, message: MON_SMS_PRO_ISSUES.dateTime });

const recurringSchema = z
	.object(Object.fromEntries(MON_SMS_PRO_DAYS.map((day) => [day, dateTime.optional()])) as Record<(typeof MON_SMS_PRO_DAYS)[number], z.ZodOptional<typeof dateTime>>)
	// assumed: unknown day names are refused rather than ignored.
	.strict();

const textSchema = z
	.string()
	.min(1)
	.superRefine((text, ctx) => {
		if (Array.from(text).length > MON_SMS_PRO_MAX_TEXT_CHARS) {
			ctx.addIssue({ code: 'too_big', maximum: MON_SMS_PRO_MAX_TEXT_CHARS, type: 'string', inclusive: true, message: MON_SMS_PRO_ISSUES.textTooLong });
		}
	});

const campaignCreateSchema = z
	.object({
		contacts: z.array(contactInput).optional(),
		text: textSchema,
		senderId: z.string().min(1).optional(),
		name: z.string().min(1).optional(),
		groupsIds: z.array(z.string().min(1)).optional(),
		type: z.enum(MON_SMS_PRO_CAMPAIGN_TYPES).default('SMS'),
		// assumed: ignored unless type is SCHEDULED (recurring: unless RECURRING).
		scheduledDate: dateTime.optional(),
		recurring: recurringSchema.optional(),
	})
	.superRefine((body, ctx) => {
		if (!body.contacts?.length && !body.groupsIds?.length) {
			ctx.addIssue({ code: 'custom', path: ['contacts'], message: MON_SMS_PRO_ISSUES.contactsRequired });
		}
		if (body.type === 'SCHEDULED') {
			if (body.scheduledDate === undefined) {
				ctx.addIssue({ code: 'custom', path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.scheduledDateRequired });
			} else if (!isDateTime(body.scheduledDate)) {
				// Already reported by the field's own check.
			} else if (!onQuarterHour(body.scheduledDate)) {
				ctx.addIssue({ code: 'custom', path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.quarterHour });
			} else if (Date.parse(body.scheduledDate) <= Date.now()) {
				ctx.addIssue({ code: 'custom', path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.future });
			}
		}
		if (body.type === 'RECURRING') {
			if (body.recurring === undefined) {
				ctx.addIssue({ code: 'custom', path: ['recurring'], message: MON_SMS_PRO_ISSUES.recurringRequired });
				return;
			}
			const days = MON_SMS_PRO_DAYS.filter((day) => body.recurring?.[day] !== undefined);
			if (!days.length) ctx.addIssue({ code: 'custom', path: ['recurring'], message: MON_SMS_PRO_ISSUES.recurringDay });
			// Only the time of day counts: a past date is fine.
			for (const day of days) {
				const value = body.recurring[day] as string;
				if (isDateTime(value) && !onQuarterHour(value)) ctx.addIssue({ code: 'custom', path: ['recurring', day], message: MON_SMS_PRO_ISSUES.quarterHour });
			}
		}
	});

const direction = z.enum(['asc', 'desc']);
/**
 * assumed: `orderBy` is "asc"/"desc" on createdAt, or {createdAt|name: "asc"|"desc"}
 * (the `senderIdId` field suggests Prisma, whose orderBy takes that shape); default
 * newest first.
 */
const pagingSchema = z.object({
	page: z.number().int().min(1).default(1),
	limit: z.number().int().min(1).max(MON_SMS_PRO_MAX_LIMIT).default(MON_SMS_PRO_DEFAULT_LIMIT),
	orderBy: z.union([direction, z.record(z.enum(['createdAt', 'name']), direction)]).default('desc'),
});
type Paging = z.infer<typeof pagingSchema>;

const contactCreateSchema = z.object({ phone: phoneSchema, ...contactFields });
const contactUpdateSchema = z.object({ phone: phoneSchema.optional(), ...contactFields });
// assumed: contact/delete takes {id} or {ids: [...]}; all or nothing.
const contactDeleteSchema = z
	.object({ id: z.string().min(1).optional(), ids: z.array(z.string().min(1)).min(1).optional() })
	.superRefine((body, ctx) => {
		if (body.id === undefined && body.ids === undefined) ctx.addIssue({ code: 'custom', path: ['id'], message: MON_SMS_PRO_ISSUES.deleteIds });
	});

// assumed: a group may be created empty (contacts optional) and filled by group/{id}/update.
const groupCreateSchema = z.object({ name: z.string().min(1), description: z.string().optional(), contacts: z.array(contactInput).optional() });
const groupUpdateSchema = z.object({ name: z.string().min(1).optional(), description: z.string().optional(), contacts: z.array(contactInput).optional() });
// assumed: description is required, as the guide's table shows it without "optional".
const senderCreateSchema = z.object({ name: z.string().regex(SENDER_NAME, MON_SMS_PRO_ISSUES.senderName), description: z.string().min(1) });

type IdKind = 'campaign' | 'contact' | 'group' | 'sender';
type Recipient = Pick<MonSmsProContact, 'phone' | 'name' | 'firstName' | 'lastName'>;

export class MonSmsProSimulator extends ProviderSimulator {
	readonly apiKey: string;
	/** Credits left; set it freely (or POST /__sandbox/credit). */
	credit: number;
	readonly ledger: MonSmsProSms[] = [];
	readonly campaigns = new Map<string, MonSmsProCampaign>();
	readonly contacts = new Map<string, MonSmsProContact>();
	readonly groups = new Map<string, MonSmsProGroup>();
	readonly senders = new Map<string, MonSmsProSender>();
	/** phone → contact id: campaigns of thousands of contacts stay fast. */
	private readonly contactIdByPhone = new Map<string, string>();
	private counters: Record<IdKind, number> = { campaign: 0, contact: 0, group: 0, sender: 0 };

	constructor(private readonly options: MonSmsProSimulatorOptions = {}) {
		super();
		this.apiKey = options.apiKey ?? DEFAULT_MON_SMS_PRO_API_KEY;
		this.credit = options.credit ?? DEFAULT_MON_SMS_PRO_CREDIT;
		this.seedSenders();
	}

	get baseUrl(): string {
		return `${this.url}${BASE_PATH}`;
	}

	reset(): void {
		this.resetRecords();
		this.credit = this.options.credit ?? DEFAULT_MON_SMS_PRO_CREDIT;
		this.ledger.length = 0;
		this.campaigns.clear();
		this.contacts.clear();
		this.contactIdByPhone.clear();
		this.groups.clear();
		this.senders.clear();
		this.counters = { campaign: 0, contact: 0, group: 0, sender: 0 };
		this.seedSenders();
	}

	private seedSenders(): void {
		for (const seed of this.options.senders ?? DEFAULT_MON_SMS_PRO_SENDERS) this.addSender(seed.name, seed.description ?? '', seed.status);
	}

	protected state(): unknown {
		return {
			credit: this.credit,
			senders: [...this.senders.values()],
			campaigns: this.campaigns.size,
			contacts: this.contacts.size,
			groups: this.groups.size,
			ledger: this.ledger,
		};
	}

	/** Sets a sender's status, creating the sender if the account has none of that name. */
	setSenderStatus(name: string, status: MonSmsProSenderStatus): MonSmsProSender {
		if (!MON_SMS_PRO_SENDER_STATUSES.includes(status)) throw new Error(`unknown sender status ${String(status)}`);
		const sender = this.senderByName(name) ?? this.addSender(name, '', status);
		sender.status = status;
		return sender;
	}

	/** Sets a campaign's status (the simulator never moves one by itself). */
	setCampaignStatus(id: string, status: MonSmsProCampaignStatus): MonSmsProCampaign {
		if (!MON_SMS_PRO_CAMPAIGN_STATUSES.includes(status)) throw new Error(`unknown campaign status ${String(status)}`);
		const campaign = this.campaigns.get(id);
		if (!campaign) throw new Error(`unknown campaign ${id}`);
		campaign.status = status;
		return campaign;
	}

	protected async controlExtra(action: string, req: SimRequest): Promise<SimResponse | undefined> {
		if (req.method !== 'POST') return undefined;
		const parsed = parseJson(req.rawBody || '{}');
		const body = isObject(parsed) ? parsed : {};
		if (action === 'credit') {
			const { credit } = body;
			if (typeof credit !== 'number' || !Number.isInteger(credit) || credit < 0) return { status: 400, body: { error: 'expected {"credit": n} (an integer ≥ 0)' } };
			this.credit = credit;
			return { status: 200, body: { ok: true, credit } };
		}
		if (action === 'sender-status') {
			const { name, status } = body;
			if (typeof name !== 'string' || !MON_SMS_PRO_SENDER_STATUSES.includes(status as MonSmsProSenderStatus)) {
				return { status: 400, body: { error: `expected {"name": "…", "status": ${MON_SMS_PRO_SENDER_STATUSES.join(' | ')}}` } };
			}
			return { status: 200, body: { ok: true, sender: this.setSenderStatus(name, status as MonSmsProSenderStatus) } };
		}
		if (action === 'campaign-status') {
			const { id, status } = body;
			if (typeof id !== 'string' || !MON_SMS_PRO_CAMPAIGN_STATUSES.includes(status as MonSmsProCampaignStatus)) {
				return { status: 400, body: { error: `expected {"id": "…", "status": ${MON_SMS_PRO_CAMPAIGN_STATUSES.join(' | ')}}` } };
			}
			if (!this.campaigns.has(id)) return { status: 404, body: { error: `unknown campaign ${id}` } };
			return { status: 200, body: { ok: true, campaign: campaignDetail(this.setCampaignStatus(id, status as MonSmsProCampaignStatus)) } };
		}
		return undefined;
	}

	protected handle(req: SimRequest): SimResponse {
		const route = req.path.startsWith(BASE_PATH) ? matchRoute(req.path.slice(BASE_PATH.length)) : undefined;
		if (!route || req.method !== 'POST') return failure(MON_SMS_PRO_ERRORS.notFound);

		// assumed: the body is read as JSON whatever the content type; an empty body is {}.
		const body = req.rawBody.trim() ? parseJson(req.rawBody) : {};
		if (body === INVALID_JSON) return invalid([{ path: [], message: MON_SMS_PRO_ISSUES.invalidJson, code: 'custom' }]);
		if (!isObject(body) || body.apiKey !== this.apiKey) return failure(MON_SMS_PRO_ERRORS.unauthenticated);
		return this.dispatch(route.name, route.id, body);
	}

	private dispatch(name: RouteName, id: string, body: Record<string, unknown>): SimResponse {
		switch (name) {
			case 'campaignCreate':
				return withParsed(campaignCreateSchema, body, (input) => this.createCampaign(input));
			case 'campaignList':
				return withParsed(pagingSchema, body, (paging) => page([...this.campaigns.values()].map(campaignListItem), paging));
			case 'campaignGet': {
				const campaign = this.campaigns.get(id);
				return campaign ? success(campaignDetail(campaign)) : failure(MON_SMS_PRO_ERRORS.campaignNotFound);
			}
			case 'contactCreate':
				return withParsed(contactCreateSchema, body, (input) => {
					if (this.contactIdByPhone.has(input.phone)) return failure(MON_SMS_PRO_ERRORS.contactAlreadyExists);
					return success({ ...this.addContact(input) });
				});
			case 'contactList':
				return withParsed(pagingSchema, body, (paging) => page([...this.contacts.values()].map((c) => ({ ...c })), paging));
			case 'contactGet': {
				const contact = this.contacts.get(id);
				return contact ? success({ ...contact }) : failure(MON_SMS_PRO_ERRORS.contactNotFound);
			}
			case 'contactUpdate':
				return withParsed(contactUpdateSchema, body, (input) => this.updateContact(id, input));
			case 'contactDelete':
				return withParsed(contactDeleteSchema, body, (input) => this.deleteContacts(input.ids ?? [input.id as string]));
			case 'groupCreate':
				return withParsed(groupCreateSchema, body, (input) => {
					const group: MonSmsProGroup = { id: this.nextId('group'), name: input.name, description: input.description ?? null, contactIds: new Set(), createdAt: now() };
					this.groups.set(group.id, group);
					for (const contact of input.contacts ?? []) group.contactIds.add(this.ensureContact(contact).id);
					return success(groupView(group));
				});
			case 'groupList':
				return withParsed(pagingSchema, body, (paging) => page([...this.groups.values()].map(groupView), paging));
			case 'groupGet': {
				const group = this.groups.get(id);
				if (!group) return failure(MON_SMS_PRO_ERRORS.groupNotFound);
				return success({ ...groupView(group), contacts: [...group.contactIds].map((cid) => ({ ...(this.contacts.get(cid) as MonSmsProContact) })) });
			}
			case 'groupUpdate':
				return withParsed(groupUpdateSchema, body, (input) => {
					const group = this.groups.get(id);
					if (!group) return failure(MON_SMS_PRO_ERRORS.groupNotFound);
					if (input.name !== undefined) group.name = input.name;
					if (input.description !== undefined) group.description = input.description;
					// assumed: contacts are added to the group, never replace its members.
					for (const contact of input.contacts ?? []) group.contactIds.add(this.ensureContact(contact).id);
					return success(groupView(group));
				});
			case 'groupDelete': {
				const group = this.groups.get(id);
				if (!group) return failure(MON_SMS_PRO_ERRORS.groupNotFound);
				// assumed: the members stay in the contact book; the answer is the deleted group.
				this.groups.delete(id);
				return success(groupView(group));
			}
			case 'senderCreate':
				return withParsed(senderCreateSchema, body, (input) => {
					if (this.senderByName(input.name)) return failure(MON_SMS_PRO_ERRORS.senderAlreadyExists);
					return success({ ...this.addSender(input.name, input.description, 'PENDING') });
				});
			case 'senderList':
				return withParsed(pagingSchema, body, (paging) => page([...this.senders.values()].map((s) => ({ ...s })), paging));
			case 'senderCampaigns':
				return withParsed(pagingSchema, body, (paging) => {
					if (!this.senders.has(id)) return failure(MON_SMS_PRO_ERRORS.senderNotFound);
					return page(
						[...this.campaigns.values()].filter((c) => c.senderIdId === id).map(campaignListItem),
						paging,
					);
				});
			case 'credit':
				return success(this.credit);
		}
	}

	private createCampaign(input: z.infer<typeof campaignCreateSchema>): SimResponse {
		const groups: MonSmsProGroup[] = [];
		for (const groupId of input.groupsIds ?? []) {
			const group = this.groups.get(groupId);
			if (!group) return failure(MON_SMS_PRO_ERRORS.groupNotFound);
			groups.push(group);
		}
		let sender: MonSmsProSender | undefined;
		if (input.senderId !== undefined) {
			// The senderId is the sender's name (must exist on the account).
			sender = this.senderByName(input.senderId);
			if (!sender) return failure(MON_SMS_PRO_ERRORS.senderNotFound);
			if (sender.status !== 'ACCEPTED') return failure(MON_SMS_PRO_ERRORS.senderNotAccepted);
		}

		// Recipients: the request's contacts then the groups' members, one per phone (first wins).
		const recipients = new Map<string, { input?: ContactInput; known?: MonSmsProContact }>();
		for (const contact of input.contacts ?? []) {
			if (recipients.has(contact.phone)) continue;
			const knownId = this.contactIdByPhone.get(contact.phone);
			recipients.set(contact.phone, { input: contact, known: knownId ? this.contacts.get(knownId) : undefined });
		}
		for (const group of groups) {
			for (const contactId of group.contactIds) {
				const known = this.contacts.get(contactId) as MonSmsProContact;
				if (!recipients.has(known.phone)) recipients.set(known.phone, { known });
			}
		}
		if (!recipients.size) return invalid([{ path: ['groupsIds'], message: MON_SMS_PRO_ISSUES.noRecipients, code: 'custom' }]);

		const messages = [...recipients.values()].map(({ input: given, known }) => {
			const recipient = mergeRecipient(known, given);
			const text = personalize(input.text, recipient);
			return { recipient, text, segments: analyzeText(text).segments };
		});
		const cost = messages.reduce((sum, m) => sum + m.segments, 0);
		if (cost > this.credit) return failure(MON_SMS_PRO_ERRORS.insufficientCredit);

		// Accepted: from here on nothing can fail, so state changes only for a created campaign.
		this.credit -= cost;
		const contactIds = [...recipients.values()].map(({ input: given, known }) => known?.id ?? this.ensureContact(given as ContactInput).id);
		const createdAt = now();
		const type = input.type;
		const campaign: MonSmsProCampaign = {
			id: this.nextId('campaign'),
			// assumed: the default name is "Campagne YYYY-MM-DD HH:mm" (UTC).
			name: input.name ?? `Campagne ${createdAt.slice(0, 10)} ${createdAt.slice(11, 16)}`,
			text: input.text,
			type,
			status: type === 'SMS' ? 'SENT' : type === 'SCHEDULED' ? 'SCHEDULED' : 'ACTIVE',
			scheduledDate: type === 'SCHEDULED' ? (input.scheduledDate as string) : null,
			recurring: type === 'RECURRING' ? pickDays(input.recurring as MonSmsProRecurring) : null,
			createdAt,
			contactCount: contactIds.length,
			// assumed: a RECURRING campaign is charged for one occurrence at creation.
			creditUsed: cost,
			senderIdId: sender?.id ?? null,
			userId: MON_SMS_PRO_USER_ID,
			groupsIds: [...(input.groupsIds ?? [])],
			contactIds,
		};
		this.campaigns.set(campaign.id, campaign);
		// assumed: RECURRING occurrences are not simulated, so they reach no ledger.
		if (type !== 'RECURRING') {
			const acceptedAt = Date.now();
			for (const m of messages) {
				this.ledger.push({
					campaignId: campaign.id,
					to: m.recipient.phone,
					text: m.text,
					senderId: sender?.name ?? null,
					type,
					...(campaign.scheduledDate ? { scheduledDate: campaign.scheduledDate } : {}),
					segments: m.segments,
					acceptedAt,
				});
			}
		}
		return success({ id: campaign.id, name: campaign.name, status: campaign.status, createdAt: campaign.createdAt });
	}

	private updateContact(id: string, input: z.infer<typeof contactUpdateSchema>): SimResponse {
		const contact = this.contacts.get(id);
		if (!contact) return failure(MON_SMS_PRO_ERRORS.contactNotFound);
		if (input.phone !== undefined && input.phone !== contact.phone) {
			if (this.contactIdByPhone.has(input.phone)) return failure(MON_SMS_PRO_ERRORS.contactAlreadyExists);
			this.contactIdByPhone.delete(contact.phone);
			this.contactIdByPhone.set(input.phone, id);
			contact.phone = input.phone;
		}
		for (const field of ['name', 'firstName', 'lastName', 'sex'] as const) {
			if (input[field] !== undefined) (contact as unknown as Record<string, unknown>)[field] = input[field];
		}
		return success({ ...contact });
	}

	private deleteContacts(ids: string[]): SimResponse {
		const unique = [...new Set(ids)];
		if (unique.some((id) => !this.contacts.has(id))) return failure(MON_SMS_PRO_ERRORS.contactNotFound);
		for (const id of unique) {
			this.contactIdByPhone.delete((this.contacts.get(id) as MonSmsProContact).phone);
			this.contacts.delete(id);
			for (const group of this.groups.values()) group.contactIds.delete(id);
		}
		// assumed: the answer counts the deleted contacts.
		return success({ count: unique.length });
	}

	private nextId(kind: IdKind): string {
		const prefix = { campaign: 'cmp', contact: 'ctc', group: 'grp', sender: 'snd' }[kind];
		// assumed: ids are strings "<prefix>_<6 digits>".
		return `${prefix}_${String(++this.counters[kind]).padStart(6, '0')}`;
	}

	private addContact(input: Omit<ContactInput, 'id'>): MonSmsProContact {
		const contact: MonSmsProContact = {
			id: this.nextId('contact'),
			phone: input.phone,
			name: input.name ?? null,
			firstName: input.firstName ?? null,
			lastName: input.lastName ?? null,
			sex: input.sex ?? null,
			createdAt: now(),
		};
		this.contacts.set(contact.id, contact);
		this.contactIdByPhone.set(contact.phone, contact.id);
		return contact;
	}

	/** The book's contact with this phone, or a new one. assumed: a known contact is not updated. */
	private ensureContact(input: ContactInput): MonSmsProContact {
		const id = this.contactIdByPhone.get(input.phone);
		return id ? (this.contacts.get(id) as MonSmsProContact) : this.addContact(input);
	}

	private addSender(name: string, description: string, status: MonSmsProSenderStatus): MonSmsProSender {
		const sender: MonSmsProSender = { id: this.nextId('sender'), name, description, status, createdAt: now() };
		this.senders.set(sender.id, sender);
		return sender;
	}

	private senderByName(name: string): MonSmsProSender | undefined {
		for (const sender of this.senders.values()) if (sender.name === name) return sender;
		return undefined;
	}
}

function matchRoute(rest: string): { name: RouteName; id: string } | undefined {
	for (const [pattern, name] of ROUTES) {
		const match = pattern.exec(rest);
		if (match) return { name, id: match[1] ? decodeURIComponent(match[1]) : '' };
	}
	return undefined;
}

function isDateTime(value: string): boolean {
	return dateTime.safeParse(value).success;
}

/** The written time of day is on the quarter-hour grid: minutes 00/15/30/45, seconds 0. */
function onQuarterHour(value: string): boolean {
	const match = TIME_OF_DAY.exec(value);
	if (!match) return false;
	const [, , minutes, seconds = '0', fraction = '0'] = match;
	return Number(minutes) % 15 === 0 && Number(seconds) === 0 && /^0+$/.test(fraction);
}

function pickDays(recurring: MonSmsProRecurring): MonSmsProRecurring {
	return Object.fromEntries(MON_SMS_PRO_DAYS.filter((day) => recurring[day] !== undefined).map((day) => [day, recurring[day]]));
}

function mergeRecipient(known: MonSmsProContact | undefined, given: ContactInput | undefined): Recipient {
	return {
		phone: (given?.phone ?? known?.phone) as string,
		name: given?.name ?? known?.name ?? null,
		firstName: given?.firstName ?? known?.firstName ?? null,
		lastName: given?.lastName ?? known?.lastName ?? null,
	};
}

/**
 * The guide: variables such as `@name` are filled per contact. assumed: @name,
 * @firstName, @lastName and @phone; a missing value becomes ""; an @ inside a word
 * (an e-mail address) is left alone.
 */
function personalize(text: string, recipient: Recipient): string {
	return text.replace(/(?<![\w@])@(firstName|lastName|name|phone)\b/g, (_all, field: keyof Recipient) => recipient[field] ?? '');
}

function campaignListItem(c: MonSmsProCampaign) {
	return {
		id: c.id,
		name: c.name,
		text: c.text,
		type: c.type,
		status: c.status,
		scheduledDate: c.scheduledDate,
		createdAt: c.createdAt,
		contactCount: c.contactCount,
		senderIdId: c.senderIdId,
		userId: c.userId,
	};
}

function campaignDetail(c: MonSmsProCampaign) {
	return { ...campaignListItem(c), recurring: c.recurring, creditUsed: c.creditUsed, groupsIds: [...c.groupsIds] };
}

function groupView(g: MonSmsProGroup) {
	return { id: g.id, name: g.name, description: g.description, contactCount: g.contactIds.size, createdAt: g.createdAt };
}

type Sortable = { createdAt: string; name?: string | null };

function page<T extends Sortable>(items: T[], paging: Paging): SimResponse {
	const sorted = order(items, paging.orderBy);
	const { page: current, limit } = paging;
	const data = sorted.slice((current - 1) * limit, current * limit);
	// assumed: totalPage is 0 for an empty list; a page past the end is an empty list.
	return { status: 200, body: { success: true, data, error: null, totalCount: sorted.length, count: data.length, page: current, totalPage: Math.ceil(sorted.length / limit) } };
}

function order<T extends Sortable>(items: T[], orderBy: Paging['orderBy']): T[] {
	const keys: [keyof Sortable, 'asc' | 'desc'][] = typeof orderBy === 'string' ? [['createdAt', orderBy]] : (Object.entries(orderBy) as [keyof Sortable, 'asc' | 'desc'][]);
	if (!keys.length) keys.push(['createdAt', 'desc']);
	// Items come in creation order; equal createdAt (same millisecond) keep it, or its reverse.
	const base = keys[0][1] === 'desc' ? [...items].reverse() : [...items];
	return base.sort((a, b) => {
		for (const [key, dir] of keys) {
			const x = a[key] ?? '';
			const y = b[key] ?? '';
			if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
		}
		return 0;
	});
}

function withParsed<S extends z.ZodTypeAny>(schema: S, body: Record<string, unknown>, then: (input: z.output<S>) => SimResponse): SimResponse {
	const parsed = schema.safeParse(body);
	if (!parsed.success) return invalid(parsed.error.issues.map((i: z.ZodIssue) => ({ path: i.path, message: i.message, code: i.code })));
	return then(parsed.data);
}

function now(): string {
	return new Date().toISOString();
}

function success(data: unknown): SimResponse {
	return { status: 200, body: { success: true, data, error: null } };
}

function failure(error: string): SimResponse {
	return { status: 200, body: { success: false, data: null, error } };
}

/** assumed shape: the guide only says validation errors carry an `isZodError` flag. */
function invalid(issues: MonSmsProIssue[]): SimResponse {
	return { status: 200, body: { success: false, data: null, error: { isZodError: true, message: MON_SMS_PRO_ERRORS.validation, issues } } };
}

/** Mon SMS PRO as the tests drive it (test/providers/registry.ts): its campaign resource. */
export const testProvider: TestProvider<MonSmsProSimulator> = {
	...fromSeam(monSmsProProvider),
	// The campaign resource's SMS operations (the node also lists campaigns, and manages contacts, groups and senders).
	nodeType: 'monSmsPro', operations: ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled', 'getStatus'], parameters: { resource: 'campaign' },
	sender: 'MONSMSPRO', sentStatus: 'sent', ledgerIdField: 'campaignId', errorBody200: { success: false, data: null, error: 'sender-not-found' },
	createSimulator: () => new MonSmsProSimulator({ apiKey: 'msp-k3y+CI/2026=ok', credit: 10_000_000 }),
	credentials: (sim) => ({ monSmsProApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, defaultCountry: 'CI' } }),
	secrets: (sim) => [sim.apiKey],
	phone: (i) => `+22507${String(i).padStart(8, '0')}`,
	isSend: (req) => req.path.endsWith('/campaign/create'),
	sandbox: { key: 'msp', port: 4013, portVariable: 'SANDBOX_MSP_PORT', credentialId: 'AfSmsSandboxMsp1', credentialName: 'Mon SMS PRO API',
		createSimulator: () => new MonSmsProSimulator(),
		describe: (sim) => [['Base URL', sim.baseUrl], ['API Key', sim.apiKey], ['Default Country', 'CI'], `Credit ${sim.credit}; senders MONSMSPRO (accepted) and PROMO (pending); POST /__sandbox/credit {"credit": n} changes it.`],
	},
	fuzz: {
		model: {
			home: 'CI', format: 'digits', acceptsNumber: (n) => /^225\d{10}$/.test(n), acceptsSender: (s) => s === 'MONSMSPRO', maxSenderLength: 11, senders: ['MONSMSPRO'], otherSenders: ['PROMO', 'UNKNOWN1'],
			providerMaxTextCharacters: 1600, quarterHours: true, batchCoupled: true, resource: 'campaign', messageIdField: 'Campaign ID',
		},
		runs: [['send', 52], ['sendBulk', 52], ['sendPersonalized', 52], ['sendScheduled', 67], ['getStatus', 30]],
		// A campaign to query; its SMS leave the ledger, its request the record of requests.
		async seedMessage(sim) {
			const body = { apiKey: sim.apiKey, contacts: [{ phone: '2250123450001' }], text: 'Seed', senderId: 'MONSMSPRO', type: 'SMS' };
			const response = await fetch(`${sim.baseUrl}campaign/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			const { data } = (await response.json()) as { data: { id: string } };
			sim.ledger.length = 0;
			sim.requests.length = 0;
			return String(data.id);
		},
	},
};
