/**
 * The Mon SMS PRO simulator itself, over HTTP: it must behave as Mon SMS PRO's guide
 * says (HTTP 200 and the {success, data, error} envelope for everything, the apiKey in
 * the body, credits per segment), since the node's tests will trust it.
 */
import {
	DEFAULT_MON_SMS_PRO_API_KEY,
	DEFAULT_MON_SMS_PRO_CREDIT,
	MON_SMS_PRO_ERRORS,
	MON_SMS_PRO_ISSUES,
	MON_SMS_PRO_USER_ID,
	MonSmsProSimulator,
} from '../sandbox/monSmsPro.simulator';
import { useSimulator } from '../helpers/useSimulator';

const sim = useSimulator(() => new MonSmsProSimulator());

interface Envelope {
	success: boolean;
	data: any;
	error: any;
	totalCount?: number;
	count?: number;
	page?: number;
	totalPage?: number;
}

interface Answer {
	status: number;
	json: Envelope;
	contentType: string | null;
}

async function raw(path: string, body: unknown, init: RequestInit = {}, base = sim().baseUrl): Promise<Answer> {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
		...init,
	});
	return { status: res.status, json: (await res.json()) as Envelope, contentType: res.headers.get('content-type') };
}

/** A call with the right key; every API answer must be HTTP 200 whatever happened. */
async function api(path: string, body: Record<string, unknown> = {}): Promise<Envelope> {
	const answer = await raw(path, { apiKey: DEFAULT_MON_SMS_PRO_API_KEY, ...body });
	expect(answer.status).toBe(200);
	return answer.json;
}

async function control(action: string, body: unknown): Promise<Response> {
	return fetch(`${sim().url}/__sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
}

const failed = (error: unknown) => ({ success: false, data: null, error });
const issuesOf = (envelope: Envelope) => {
	expect(envelope).toMatchObject({ success: false, data: null, error: { isZodError: true, message: MON_SMS_PRO_ERRORS.validation } });
	return envelope.error.issues as { path: (string | number)[]; message: string; code: string }[];
};

const PHONES = ['2250700000001', '2250500000002', '2250100000003'];
const contacts = (phones = PHONES) => phones.map((phone) => ({ phone }));
const campaign = (over: Record<string, unknown> = {}) => ({ contacts: contacts(), text: 'Bonjour !', ...over });

/** An instant `days` from now, on the quarter-hour grid (HH:15:00.000Z). */
function quarterHourIn(days: number): string {
	const date = new Date(Date.now() + days * 86_400_000);
	date.setUTCMinutes(15, 0, 0);
	return date.toISOString();
}

test('campaign/create: HTTP 200, the envelope, SENT, one ledger entry per contact, contacts created, credit debited', async () => {
	expect(sim().baseUrl).toBe(`${sim().url}/v1/`);
	const answer = await raw('campaign/create', { apiKey: DEFAULT_MON_SMS_PRO_API_KEY, ...campaign({ name: 'Promo' }) });
	expect(answer.status).toBe(200);
	expect(answer.contentType).toMatch(/^application\/json/);
	expect(answer.json).toEqual({ success: true, data: { id: 'cmp_000001', name: 'Promo', status: 'SENT', createdAt: expect.any(String) }, error: null });
	expect(new Date(answer.json.data.createdAt).toISOString()).toBe(answer.json.data.createdAt);
	expect(sim().ledger).toEqual(
		PHONES.map((to) => ({ campaignId: 'cmp_000001', to, text: 'Bonjour !', senderId: null, type: 'SMS', segments: 1, acceptedAt: expect.any(Number) })),
	);
	expect([...sim().contacts.values()].map((c) => [c.id, c.phone])).toEqual(PHONES.map((p, i) => [`ctc_00000${i + 1}`, p]));
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 3);

	// A known contact is not created twice; the default name carries the date.
	const second = await api('campaign/create', campaign({ contacts: [{ phone: PHONES[0], name: 'Awa' }] }));
	expect(second.data).toMatchObject({ id: 'cmp_000002', status: 'SENT' });
	expect(second.data.name).toMatch(/^Campagne \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
	expect(sim().contacts.size).toBe(3);
	expect(sim().contacts.get('ctc_000001')?.name).toBeNull();
});

test('unauthenticated: no key, a wrong key, a key in a header, a body that is not an object; nothing happens', async () => {
	const unauthenticated = failed('unauthenticated');
	expect(await raw('campaign/create', campaign())).toMatchObject({ status: 200, json: unauthenticated });
	expect(await raw('campaign/create', { ...campaign(), apiKey: 'wrong' })).toMatchObject({ status: 200, json: unauthenticated });
	expect(await raw('campaign/create', campaign(), { headers: { 'content-type': 'application/json', 'x-api-key': DEFAULT_MON_SMS_PRO_API_KEY } })).toMatchObject({
		status: 200,
		json: unauthenticated,
	});
	expect(await raw('user/credit', '')).toMatchObject({ status: 200, json: unauthenticated });
	expect(await raw('user/credit', [DEFAULT_MON_SMS_PRO_API_KEY])).toMatchObject({ status: 200, json: unauthenticated });
	// The key is checked before the request's fields.
	expect((await raw('campaign/create', { text: '' })).json).toEqual(unauthenticated);
	expect((await raw('contact/list', { apiKey: DEFAULT_MON_SMS_PRO_API_KEY.toUpperCase() })).json).toEqual(unauthenticated);
	expect(sim().ledger).toEqual([]);
	expect(sim().campaigns.size).toBe(0);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT);
});

test('the exported error words are the ones on the wire', async () => {
	expect(MON_SMS_PRO_ERRORS.validation).toBe('Validation error');
	expect((await api('campaign/cmp_000404')).error).toBe(MON_SMS_PRO_ERRORS.campaignNotFound);
	expect((await api('contact/ctc_000404')).error).toBe(MON_SMS_PRO_ERRORS.contactNotFound);
	expect((await api('group/grp_000404')).error).toBe(MON_SMS_PRO_ERRORS.groupNotFound);
	expect((await api('campaign/create', campaign({ senderId: 'NOBODY' }))).error).toBe(MON_SMS_PRO_ERRORS.senderNotFound);
	expect((await api('campaign/create', campaign({ senderId: 'PROMO' }))).error).toBe(MON_SMS_PRO_ERRORS.senderNotAccepted);
	expect((await api('sender/create', { name: 'PROMO', description: 'x' })).error).toBe(MON_SMS_PRO_ERRORS.senderAlreadyExists);
	expect((await api('nothing')).error).toBe(MON_SMS_PRO_ERRORS.notFound);
	expect((await raw('user/credit', {})).json.error).toBe(MON_SMS_PRO_ERRORS.unauthenticated);
	await api('contact/create', { phone: PHONES[0] });
	expect((await api('contact/create', { phone: PHONES[0] })).error).toBe(MON_SMS_PRO_ERRORS.contactAlreadyExists);
	sim().credit = 0;
	expect((await api('campaign/create', campaign())).error).toBe(MON_SMS_PRO_ERRORS.insufficientCredit);
	// The guide's word for an unknown sender, and the simulator's kebab-case for the rest.
	expect(MON_SMS_PRO_ERRORS.senderNotFound).toBe('sender-not-found');
	for (const word of Object.values(MON_SMS_PRO_ERRORS)) if (word !== MON_SMS_PRO_ERRORS.validation) expect(word).toMatch(/^[a-z]+(-[a-z]+)*$/);
});

test('not-found for unknown routes, other methods and paths outside /v1, still HTTP 200', async () => {
	expect((await api('sms/send', campaign())).error).toBe('not-found');
	expect((await api('campaign/create/now', campaign())).error).toBe('not-found');
	expect((await raw('v1/campaign/create', { apiKey: DEFAULT_MON_SMS_PRO_API_KEY, ...campaign() }, {}, `${sim().url}/api/`)).json).toEqual(failed('not-found'));
	const get = await fetch(`${sim().baseUrl}user/credit`);
	expect(get.status).toBe(200);
	expect(await get.json()).toEqual(failed('not-found'));
	const put = await raw('campaign/create', { apiKey: DEFAULT_MON_SMS_PRO_API_KEY, ...campaign() }, { method: 'PUT' });
	expect(put).toMatchObject({ status: 200, json: failed('not-found') });
	expect(sim().ledger).toEqual([]);
});

test('a body that is not JSON is a validation error', async () => {
	const answer = await raw('campaign/create', '{"apiKey": "sandbox-monsmspro-api-key-0123456789",');
	expect(answer.status).toBe(200);
	expect(issuesOf(answer.json)).toEqual([{ path: [], message: MON_SMS_PRO_ISSUES.invalidJson, code: 'custom' }]);
	const form = await raw('user/credit', `apiKey=${DEFAULT_MON_SMS_PRO_API_KEY}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	expect(form.json.error.isZodError).toBe(true);
});

test('validation issues name their path; nothing is charged', async () => {
	const badPhone = await api('campaign/create', campaign({ contacts: [{ phone: PHONES[0] }, { phone: '+2250700000002' }] }));
	expect(issuesOf(badPhone)).toEqual([{ path: ['contacts', 1, 'phone'], message: MON_SMS_PRO_ISSUES.phone, code: 'invalid_string' }]);
	for (const phone of ['0700000001', '225070000000', '22507000000011', '2240700000001', '225 0700000001']) {
		const issues = issuesOf(await api('contact/create', { phone }));
		expect(issues.map((i) => i.path)).toEqual([['phone']]);
	}
	const several = issuesOf(await api('campaign/create', { contacts: [{ phone: PHONES[0], sex: 'X' }], type: 'FLASH' }));
	expect(several.map((i) => i.path).sort()).toEqual([['contacts', 0, 'sex'], ['text'], ['type']]);
	expect(several.find((i) => i.path[0] === 'text')).toMatchObject({ code: 'invalid_type', message: 'Required' });

	expect(issuesOf(await api('campaign/create', campaign({ text: '' })))).toEqual([{ path: ['text'], message: expect.any(String), code: 'too_small' }]);
	expect(issuesOf(await api('campaign/create', campaign({ text: 'a'.repeat(1601) })))).toEqual([{ path: ['text'], message: MON_SMS_PRO_ISSUES.textTooLong, code: 'too_big' }]);
	expect(issuesOf(await api('campaign/create', campaign({ contacts: [] })))).toEqual([{ path: ['contacts'], message: MON_SMS_PRO_ISSUES.contactsRequired, code: 'custom' }]);
	expect(issuesOf(await api('campaign/create', { text: 'x' }))[0].path).toEqual(['contacts']);
	expect(sim().ledger).toEqual([]);
	expect(sim().contacts.size).toBe(0);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT);

	// 1600 characters (code points) is the limit: 11 GSM-7 segments for each of 3 contacts.
	expect((await api('campaign/create', campaign({ text: 'a'.repeat(1600) }))).success).toBe(true);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 3 * 11);
});

test('credit: contacts × segments, GSM-7 160/153, UCS-2 70/67; creditUsed on campaign/{id}', async () => {
	const cost = async (text: string, phones = PHONES) => {
		const before = sim().credit;
		const created = await api('campaign/create', { contacts: contacts(phones), text });
		expect(created.success).toBe(true);
		const detail = await api(`campaign/${created.data.id as string}`);
		expect(detail.data.creditUsed).toBe(before - sim().credit);
		expect(detail.data.contactCount).toBe(phones.length);
		return before - sim().credit;
	};
	expect(await cost('a'.repeat(160))).toBe(3);
	expect(await cost('a'.repeat(161))).toBe(6);
	expect(await cost('a'.repeat(306))).toBe(6);
	expect(await cost('a'.repeat(307))).toBe(9);
	// € is an escaped GSM-7 character (two septets).
	expect(await cost('€'.repeat(80))).toBe(3);
	expect(await cost('€'.repeat(81))).toBe(6);
	// é is GSM-7, ê is not: UCS-2.
	expect(await cost('é'.repeat(160))).toBe(3);
	expect(await cost('ê'.repeat(70))).toBe(3);
	expect(await cost('ê'.repeat(71), PHONES.slice(0, 2))).toBe(4);
	expect(await cost(`Bonjour ${'ê'}${'a'.repeat(125)}`, PHONES.slice(0, 1))).toBe(2);
	expect(sim().ledger.at(-1)).toMatchObject({ segments: 2 });
});

test('variables such as @name are filled per contact, and billed on the filled text', async () => {
	const created = await api('campaign/create', {
		contacts: [
			{ phone: PHONES[0], name: 'Awa', firstName: 'Awa', lastName: 'Koné' },
			{ phone: PHONES[1], name: 'K'.repeat(160) },
			{ phone: PHONES[2] },
		],
		text: 'Bonjour @name (@firstName @lastName), écrivez à info@name.ci',
	});
	expect(created.success).toBe(true);
	expect(sim().ledger.map((s) => s.text)).toEqual([
		'Bonjour Awa (Awa Koné), écrivez à info@name.ci',
		`Bonjour ${'K'.repeat(160)} ( ), écrivez à info@name.ci`,
		'Bonjour  ( ), écrivez à info@name.ci',
	]);
	expect(sim().ledger.map((s) => s.segments)).toEqual([1, 2, 1]);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 4);
	// The campaign keeps the template; the new contacts keep their names.
	expect(sim().campaigns.get(created.data.id)?.text).toBe('Bonjour @name (@firstName @lastName), écrivez à info@name.ci');
	expect([...sim().contacts.values()][0]).toMatchObject({ name: 'Awa', firstName: 'Awa', lastName: 'Koné', sex: null });
});

test('senderId: unknown → sender-not-found, not ACCEPTED → sender-not-accepted, ACCEPTED is used', async () => {
	expect(await api('campaign/create', campaign({ senderId: 'NOBODY' }))).toEqual(failed('sender-not-found'));
	expect(await api('campaign/create', campaign({ senderId: 'monsmspro' }))).toEqual(failed('sender-not-found'));
	expect(await api('campaign/create', campaign({ senderId: 'PROMO' }))).toEqual(failed('sender-not-accepted'));
	for (const status of ['SUBMITTED', 'REFUSED']) {
		expect((await control('sender-status', { name: 'PROMO', status })).status).toBe(200);
		expect((await api('campaign/create', campaign({ senderId: 'PROMO' }))).error).toBe('sender-not-accepted');
	}
	expect(sim().ledger).toEqual([]);
	expect(sim().contacts.size).toBe(0);

	sim().setSenderStatus('PROMO', 'ACCEPTED');
	expect((await api('campaign/create', campaign({ senderId: 'PROMO' }))).success).toBe(true);
	expect((await api('campaign/create', campaign({ senderId: 'MONSMSPRO' }))).success).toBe(true);
	const promo = [...sim().senders.values()].find((s) => s.name === 'PROMO');
	expect(sim().campaigns.get('cmp_000001')?.senderIdId).toBe(promo?.id);
	expect(sim().ledger.map((s) => s.senderId)).toEqual(['PROMO', 'PROMO', 'PROMO', 'MONSMSPRO', 'MONSMSPRO', 'MONSMSPRO']);
});

test('insufficient-credit refuses the whole campaign: credit, ledger, contacts and campaigns untouched', async () => {
	expect((await control('credit', { credit: 5 })).status).toBe(200);
	expect(await api('campaign/create', campaign({ text: 'a'.repeat(161) }))).toEqual(failed('insufficient-credit'));
	expect(await api('campaign/create', campaign({ contacts: contacts([...PHONES, '2250700000009', '2250700000010', '2250700000011']) }))).toEqual(
		failed('insufficient-credit'),
	);
	expect(sim().credit).toBe(5);
	expect(sim().ledger).toEqual([]);
	expect(sim().contacts.size).toBe(0);
	expect(sim().campaigns.size).toBe(0);
	// Validation still comes first.
	expect((await api('campaign/create', campaign({ text: '' }))).error.isZodError).toBe(true);
	// Exactly enough: accepted, down to 0.
	expect((await api('campaign/create', campaign({ contacts: contacts([...PHONES, '2250700000009', '2250700000010']) }))).success).toBe(true);
	expect(sim().credit).toBe(0);
	expect(await api('campaign/create', campaign())).toEqual(failed('insufficient-credit'));
	expect(sim().ledger).toHaveLength(5);
});

test('SCHEDULED: on the 15-minute grid and in the future, else a validation error saying so', async () => {
	const when = quarterHourIn(1);
	const created = await api('campaign/create', campaign({ type: 'SCHEDULED', scheduledDate: when }));
	expect(created.data).toMatchObject({ id: 'cmp_000001', status: 'SCHEDULED' });
	expect(sim().ledger.map((s) => [s.type, s.scheduledDate])).toEqual(PHONES.map(() => ['SCHEDULED', when]));
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 3);
	expect((await api('campaign/cmp_000001')).data).toMatchObject({ type: 'SCHEDULED', status: 'SCHEDULED', scheduledDate: when });
	// Other time zones and minutes 00/30/45 are fine.
	const day = when.slice(0, 10);
	for (const time of ['T10:00:00+01:00', 'T10:30Z', 'T23:45:00.000Z']) {
		const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
		expect((await api('campaign/create', campaign({ type: 'SCHEDULED', scheduledDate: `${next}${time}` }))).success).toBe(true);
	}

	const refusal = async (scheduledDate: unknown) => issuesOf(await api('campaign/create', campaign({ type: 'SCHEDULED', scheduledDate })));
	const offGrid = [{ path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.quarterHour, code: 'custom' }];
	expect(await refusal(`${day}T10:10:00Z`)).toEqual(offGrid);
	expect(await refusal(`${day}T10:15:30Z`)).toEqual(offGrid);
	expect(await refusal(`${day}T10:15:00.500Z`)).toEqual(offGrid);
	expect(MON_SMS_PRO_ISSUES.quarterHour).toMatch(/15/);
	expect(await refusal(quarterHourIn(-1))).toEqual([{ path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.future, code: 'custom' }]);
	expect(await refusal(undefined)).toEqual([{ path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.scheduledDateRequired, code: 'custom' }]);
	expect(await refusal(`${day} 10:15`)).toEqual([{ path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.dateTime, code: 'invalid_string' }]);
	expect(await refusal(`${day}T10:15:00`)).toEqual([{ path: ['scheduledDate'], message: MON_SMS_PRO_ISSUES.dateTime, code: 'invalid_string' }]);
	expect(sim().campaigns.size).toBe(4);

	// An immediate campaign ignores a (well-formed) scheduledDate.
	const immediate = await api('campaign/create', campaign({ scheduledDate: `${day}T10:10:00Z` }));
	expect(immediate.data.status).toBe('SENT');
	expect(sim().campaigns.get(immediate.data.id)?.scheduledDate).toBeNull();
});

test('RECURRING: ACTIVE with its days; only the time of day counts; one occurrence charged, no ledger', async () => {
	const recurring = { monday: '2020-01-06T08:00:00Z', friday: '2020-01-10T17:45:00Z' };
	const created = await api('campaign/create', campaign({ type: 'RECURRING', recurring }));
	expect(created.data).toMatchObject({ id: 'cmp_000001', status: 'ACTIVE' });
	expect((await api('campaign/cmp_000001')).data).toMatchObject({ type: 'RECURRING', status: 'ACTIVE', recurring, scheduledDate: null, creditUsed: 3 });
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 3);
	expect(sim().ledger).toEqual([]);
	expect(sim().contacts.size).toBe(3);

	const refusal = async (value: unknown) => issuesOf(await api('campaign/create', campaign({ type: 'RECURRING', recurring: value })));
	expect(await refusal({ monday: '2020-01-06T08:00:00Z', tuesday: '2020-01-07T08:20:00Z' })).toEqual([
		{ path: ['recurring', 'tuesday'], message: MON_SMS_PRO_ISSUES.quarterHour, code: 'custom' },
	]);
	expect(await refusal({})).toEqual([{ path: ['recurring'], message: MON_SMS_PRO_ISSUES.recurringDay, code: 'custom' }]);
	expect(await refusal(undefined)).toEqual([{ path: ['recurring'], message: MON_SMS_PRO_ISSUES.recurringRequired, code: 'custom' }]);
	expect((await refusal({ Monday: '2020-01-06T08:00:00Z' }))[0]).toMatchObject({ path: ['recurring'], code: 'unrecognized_keys' });
	expect(await refusal({ sunday: 'tomorrow 8am' })).toEqual([{ path: ['recurring', 'sunday'], message: MON_SMS_PRO_ISSUES.dateTime, code: 'invalid_string' }]);
	expect(sim().campaigns.size).toBe(1);
});

test('groupsIds: the members are added and deduplicated by phone; unknown group → group-not-found', async () => {
	const group = await api('group/create', { name: 'Clients', contacts: contacts(PHONES.slice(0, 2)) });
	expect(group.data).toMatchObject({ id: 'grp_000001', contactCount: 2 });
	const duplicated = [{ phone: PHONES[1] }, { phone: PHONES[2], name: 'Premier' }, { phone: PHONES[2], name: 'Second' }];
	const created = await api('campaign/create', { contacts: duplicated, groupsIds: ['grp_000001'], text: 'Salut @name' });
	expect(created.success).toBe(true);
	// The first mention of a phone wins.
	expect(sim().ledger.map((s) => [s.to, s.text])).toEqual([
		[PHONES[1], 'Salut '],
		[PHONES[2], 'Salut Premier'],
		[PHONES[0], 'Salut '],
	]);
	expect((await api(`campaign/${created.data.id as string}`)).data).toMatchObject({ contactCount: 3, creditUsed: 3, groupsIds: ['grp_000001'] });
	expect(sim().contacts.size).toBe(3);

	// Groups alone are enough.
	expect((await api('campaign/create', { groupsIds: ['grp_000001'], text: 'x' })).data.status).toBe('SENT');
	expect(sim().ledger).toHaveLength(5);
	expect(await api('campaign/create', campaign({ groupsIds: ['grp_000001', 'grp_999999'] }))).toEqual(failed('group-not-found'));
	// An empty group gives no recipient.
	await api('group/create', { name: 'Vide' });
	expect(issuesOf(await api('campaign/create', { groupsIds: ['grp_000002'], text: 'x' }))).toEqual([
		{ path: ['groupsIds'], message: MON_SMS_PRO_ISSUES.noRecipients, code: 'custom' },
	]);
	expect(sim().ledger).toHaveLength(5);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 5);
});

test('campaign/list: paging over 25 campaigns with limit 10, newest first by default, orderBy, page limits', async () => {
	for (let i = 1; i <= 25; i++) expect((await api('campaign/create', campaign({ name: `C${String(i).padStart(2, '0')}`, contacts: contacts(PHONES.slice(0, 1)) }))).success).toBe(true);
	const first = await api('campaign/list', { limit: 10 });
	expect(first).toMatchObject({ success: true, error: null, totalCount: 25, count: 10, page: 1, totalPage: 3 });
	expect(first.data[0].id).toBe('cmp_000025');
	expect(Object.keys(first.data[0]).sort()).toEqual(['contactCount', 'createdAt', 'id', 'name', 'scheduledDate', 'senderIdId', 'status', 'text', 'type', 'userId']);
	expect(first.data[0]).toMatchObject({ contactCount: 1, userId: MON_SMS_PRO_USER_ID, senderIdId: null, type: 'SMS', status: 'SENT', scheduledDate: null });
	const third = await api('campaign/list', { limit: 10, page: 3 });
	expect(third).toMatchObject({ totalCount: 25, count: 5, page: 3, totalPage: 3 });
	expect(third.data.map((c: { id: string }) => c.id)).toEqual(['cmp_000005', 'cmp_000004', 'cmp_000003', 'cmp_000002', 'cmp_000001']);
	expect(await api('campaign/list', { page: 4 })).toMatchObject({ success: true, data: [], count: 0, page: 4, totalPage: 3 });
	// Default limit 10; the maximum 100.
	expect(await api('campaign/list')).toMatchObject({ count: 10, page: 1, totalPage: 3 });
	expect(await api('campaign/list', { limit: 100 })).toMatchObject({ count: 25, totalPage: 1 });
	expect((await api('campaign/list', { orderBy: 'asc', limit: 2 })).data.map((c: { id: string }) => c.id)).toEqual(['cmp_000001', 'cmp_000002']);
	expect((await api('campaign/list', { orderBy: { name: 'desc' }, limit: 1 })).data[0].name).toBe('C25');
	// Every page together is the whole list, each campaign once.
	const ids = [];
	for (let p = 1; p <= 3; p++) ids.push(...(await api('campaign/list', { page: p })).data.map((c: { id: string }) => c.id));
	expect(new Set(ids).size).toBe(25);

	expect(issuesOf(await api('campaign/list', { limit: 101 })).map((i) => i.path)).toEqual([['limit']]);
	expect(issuesOf(await api('campaign/list', { page: 0 })).map((i) => i.path)).toEqual([['page']]);
	expect(issuesOf(await api('campaign/list', { page: '2' })).map((i) => i.path)).toEqual([['page']]);
	expect(issuesOf(await api('campaign/list', { orderBy: 'newest' })).map((i) => i.path)).toEqual([['orderBy']]);
});

test('campaign/{id}: one campaign with creditUsed; unknown → campaign-not-found; the status control route', async () => {
	await api('campaign/create', campaign({ text: 'ê'.repeat(71), senderId: 'MONSMSPRO' }));
	const detail = await api('campaign/cmp_000001');
	expect(detail).toEqual({
		success: true,
		error: null,
		data: {
			id: 'cmp_000001',
			name: expect.any(String),
			text: 'ê'.repeat(71),
			type: 'SMS',
			status: 'SENT',
			scheduledDate: null,
			recurring: null,
			createdAt: expect.any(String),
			contactCount: 3,
			creditUsed: 6,
			senderIdId: 'snd_000001',
			userId: MON_SMS_PRO_USER_ID,
			groupsIds: [],
		},
	});
	expect(await api('campaign/cmp_000002')).toEqual(failed('campaign-not-found'));

	for (const status of ['FAILED', 'SENDING', 'CANCELLED', 'PENDING']) {
		expect((await control('campaign-status', { id: 'cmp_000001', status })).status).toBe(200);
		expect((await api('campaign/cmp_000001')).data.status).toBe(status);
		expect((await api('campaign/list')).data[0].status).toBe(status);
	}
	expect((await control('campaign-status', { id: 'cmp_000001', status: 'DELIVERED' })).status).toBe(400);
	expect((await control('campaign-status', { id: 'cmp_000009', status: 'SENT' })).status).toBe(404);
	expect(sim().campaigns.get('cmp_000001')?.status).toBe('PENDING');
});

test('contacts: create, duplicate, get, partial update, list, delete by id and by ids', async () => {
	const created = await api('contact/create', { phone: PHONES[0], firstName: 'Awa', sex: 'F' });
	expect(created).toEqual({
		success: true,
		error: null,
		data: { id: 'ctc_000001', phone: PHONES[0], name: null, firstName: 'Awa', lastName: null, sex: 'F', createdAt: expect.any(String) },
	});
	expect(await api('contact/create', { phone: PHONES[0] })).toEqual(failed('contact-already-exists'));
	expect(issuesOf(await api('contact/create', {})).map((i) => i.path)).toEqual([['phone']]);
	expect((await api('contact/ctc_000001')).data).toEqual(created.data);
	expect(await api('contact/ctc_000404')).toEqual(failed('contact-not-found'));

	const updated = await api('contact/ctc_000001/update', { lastName: 'Koné' });
	expect(updated.data).toEqual({ ...created.data, lastName: 'Koné' });
	await api('contact/create', { phone: PHONES[1] });
	expect(await api('contact/ctc_000001/update', { phone: PHONES[1] })).toEqual(failed('contact-already-exists'));
	expect((await api('contact/ctc_000001/update', { phone: PHONES[2] })).data.phone).toBe(PHONES[2]);
	// The old number is free again, the new one taken.
	expect((await api('contact/create', { phone: PHONES[0] })).data.id).toBe('ctc_000003');
	expect((await api('contact/create', { phone: PHONES[2] })).error).toBe('contact-already-exists');
	expect(issuesOf(await api('contact/ctc_000001/update', { sex: 'X' })).map((i) => i.path)).toEqual([['sex']]);
	expect(await api('contact/ctc_000404/update', { name: 'x' })).toEqual(failed('contact-not-found'));

	expect(await api('contact/list', { limit: 2 })).toMatchObject({ totalCount: 3, count: 2, page: 1, totalPage: 2 });
	expect(await api('contact/delete', { ids: ['ctc_000001', 'ctc_000404'] })).toEqual(failed('contact-not-found'));
	expect(sim().contacts.size).toBe(3);
	expect(await api('contact/delete', { id: 'ctc_000001' })).toEqual({ success: true, error: null, data: { count: 1 } });
	expect(await api('contact/ctc_000001')).toEqual(failed('contact-not-found'));
	expect((await api('contact/delete', { ids: ['ctc_000002', 'ctc_000003'] })).data).toEqual({ count: 2 });
	expect(sim().contacts.size).toBe(0);
	expect(issuesOf(await api('contact/delete', {}))).toEqual([{ path: ['id'], message: MON_SMS_PRO_ISSUES.deleteIds, code: 'custom' }]);
	// A deleted number can be created again.
	expect((await api('contact/create', { phone: PHONES[2] })).success).toBe(true);
});

test('groups: create (contacts into the book), get with contacts, update adds, list, delete', async () => {
	await api('contact/create', { phone: PHONES[0], name: 'Awa' });
	const created = await api('group/create', { name: 'Mes Contacts', description: 'Groupe principal', contacts: [{ phone: PHONES[0], name: 'Ignored' }, { phone: PHONES[1] }] });
	expect(created).toEqual({
		success: true,
		error: null,
		data: { id: 'grp_000001', name: 'Mes Contacts', description: 'Groupe principal', contactCount: 2, createdAt: expect.any(String) },
	});
	expect(sim().contacts.size).toBe(2);
	const got = await api('group/grp_000001');
	expect(got.data.contacts.map((c: { id: string; phone: string; name: string | null }) => [c.id, c.phone, c.name])).toEqual([
		['ctc_000001', PHONES[0], 'Awa'],
		['ctc_000002', PHONES[1], null],
	]);
	expect(issuesOf(await api('group/create', { contacts: contacts() })).map((i) => i.path)).toEqual([['name']]);
	expect(issuesOf(await api('group/create', { name: 'x', contacts: [{ phone: '123' }] })).map((i) => i.path)).toEqual([['contacts', 0, 'phone']]);

	const updated = await api('group/grp_000001/update', { name: 'VIP', contacts: contacts([PHONES[1], PHONES[2]]) });
	expect(updated.data).toMatchObject({ id: 'grp_000001', name: 'VIP', description: 'Groupe principal', contactCount: 3 });
	expect(await api('group/grp_000404/update', { name: 'x' })).toEqual(failed('group-not-found'));
	await api('group/create', { name: 'Autre' });
	expect(await api('group/list')).toMatchObject({ totalCount: 2, count: 2, totalPage: 1 });

	// Deleting a contact takes it out of its groups.
	await api('contact/delete', { id: 'ctc_000002' });
	expect((await api('group/grp_000001')).data.contactCount).toBe(2);

	expect((await api('group/grp_000001/delete')).data).toMatchObject({ id: 'grp_000001', name: 'VIP' });
	expect(await api('group/grp_000001')).toEqual(failed('group-not-found'));
	expect(await api('group/grp_000001/delete')).toEqual(failed('group-not-found'));
	expect(sim().contacts.size).toBe(2);
	expect(sim().groups.size).toBe(1);
});

test('senders: create (3–11 letters or digits, PENDING), duplicates, list, the campaigns of a sender', async () => {
	const created = await api('sender/create', { name: 'Shop225', description: 'Notre boutique' });
	expect(created).toEqual({
		success: true,
		error: null,
		data: { id: 'snd_000003', name: 'Shop225', description: 'Notre boutique', status: 'PENDING', createdAt: expect.any(String) },
	});
	for (const name of ['AB', 'ABCDEFGHIJKL', 'MY-SHOP', 'Shop 1', 'Boutiqué']) {
		expect(issuesOf(await api('sender/create', { name, description: 'x' }))).toEqual([{ path: ['name'], message: MON_SMS_PRO_ISSUES.senderName, code: 'invalid_string' }]);
	}
	expect((await api('sender/create', { name: 'ABC', description: 'x' })).success).toBe(true);
	expect((await api('sender/create', { name: 'ABCDEFGHIJK', description: 'x' })).success).toBe(true);
	expect(issuesOf(await api('sender/create', { name: 'Other' })).map((i) => i.path)).toEqual([['description']]);
	expect(await api('sender/create', { name: 'PROMO', description: 'x' })).toEqual(failed('sender-already-exists'));
	// A new sender waits for approval.
	expect((await api('campaign/create', campaign({ senderId: 'Shop225' }))).error).toBe('sender-not-accepted');

	const list = await api('sender/list', { orderBy: 'asc', limit: 3 });
	expect(list).toMatchObject({ totalCount: 5, count: 3, page: 1, totalPage: 2 });
	expect(list.data.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
		['MONSMSPRO', 'ACCEPTED'],
		['PROMO', 'PENDING'],
		['Shop225', 'PENDING'],
	]);

	sim().setSenderStatus('Shop225', 'ACCEPTED');
	await api('campaign/create', campaign({ senderId: 'Shop225' }));
	await api('campaign/create', campaign({ senderId: 'MONSMSPRO' }));
	await api('campaign/create', campaign({ senderId: 'Shop225', name: 'Deuxième' }));
	await api('campaign/create', campaign());
	const ofShop = await api('sender/snd_000003/campaign');
	expect(ofShop).toMatchObject({ success: true, totalCount: 2, count: 2, page: 1, totalPage: 1 });
	expect(ofShop.data.map((c: { id: string; senderIdId: string }) => [c.id, c.senderIdId])).toEqual([
		['cmp_000003', 'snd_000003'],
		['cmp_000001', 'snd_000003'],
	]);
	expect((await api('sender/snd_000001/campaign')).totalCount).toBe(1);
	expect((await api('sender/snd_000002/campaign')).data).toEqual([]);
	expect(await api('sender/snd_000404/campaign')).toEqual(failed('sender-not-found'));
});

test('user/credit and its alias credit/balance answer the balance as a number', async () => {
	expect(await api('user/credit')).toEqual({ success: true, data: DEFAULT_MON_SMS_PRO_CREDIT, error: null });
	await api('campaign/create', campaign({ text: 'a'.repeat(200) }));
	expect((await api('user/credit')).data).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 6);
	expect((await api('credit/balance')).data).toBe(DEFAULT_MON_SMS_PRO_CREDIT - 6);
	sim().credit = 42;
	expect((await api('user/credit')).data).toBe(42);
	expect((await raw('credit/balance', {})).json).toEqual(failed('unauthenticated'));
});

test('control routes, state and reset (initial credit and senders back, everything else cleared, ids restart)', async () => {
	expect((await control('credit', { credit: 7 })).status).toBe(200);
	expect(sim().credit).toBe(7);
	for (const credit of [-1, 1.5, '7', null]) expect((await control('credit', { credit })).status).toBe(400);
	expect((await control('sender-status', { name: 'PROMO', status: 'APPROVED' })).status).toBe(400);
	expect((await control('sender-status', { status: 'ACCEPTED' })).status).toBe(400);
	// An unknown name creates the sender with that status.
	const added = await control('sender-status', { name: 'NEWSHOP', status: 'ACCEPTED' });
	expect(await added.json()).toMatchObject({ ok: true, sender: { id: 'snd_000003', name: 'NEWSHOP', status: 'ACCEPTED' } });
	expect(() => sim().setSenderStatus('PROMO', 'WAITING' as never)).toThrow();

	await api('campaign/create', campaign({ senderId: 'NEWSHOP' }));
	await api('group/create', { name: 'G', contacts: contacts(PHONES.slice(0, 1)) });
	const state = (await (await fetch(`${sim().url}/__sandbox/state`)).json()) as Record<string, unknown>;
	expect(state).toMatchObject({ credit: 4, campaigns: 1, contacts: 3, groups: 1, requests: 2 });
	expect((state.senders as { name: string }[]).map((s) => s.name)).toEqual(['MONSMSPRO', 'PROMO', 'NEWSHOP']);
	expect(state.ledger).toHaveLength(3);

	expect((await fetch(`${sim().url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT);
	expect([...sim().senders.values()].map((s) => [s.id, s.name, s.status])).toEqual([
		['snd_000001', 'MONSMSPRO', 'ACCEPTED'],
		['snd_000002', 'PROMO', 'PENDING'],
	]);
	expect([sim().ledger.length, sim().campaigns.size, sim().contacts.size, sim().groups.size, sim().requests.length]).toEqual([0, 0, 0, 0, 0]);
	expect((await api('campaign/create', campaign())).data.id).toBe('cmp_000001');
	expect((await api('group/create', { name: 'G' })).data.id).toBe('grp_000001');
	expect([...sim().contacts.keys()][0]).toBe('ctc_000001');
	expect(await api('campaign/create', campaign({ senderId: 'NEWSHOP' }))).toEqual(failed('sender-not-found'));
});

test('options: another key, credit and senders, restored by reset', async () => {
	const other = await new MonSmsProSimulator({ apiKey: 'k', credit: 2, senders: [{ name: 'BANK', status: 'ACCEPTED', description: 'Banque' }] }).start(0);
	try {
		const post = async (path: string, body: Record<string, unknown>) => (await raw(path, body, {}, other.baseUrl)).json;
		expect(await post('user/credit', { apiKey: DEFAULT_MON_SMS_PRO_API_KEY })).toEqual(failed('unauthenticated'));
		expect(await post('user/credit', { apiKey: 'k' })).toEqual({ success: true, data: 2, error: null });
		expect((await post('sender/list', { apiKey: 'k' })).data).toEqual([{ id: 'snd_000001', name: 'BANK', description: 'Banque', status: 'ACCEPTED', createdAt: expect.any(String) }]);
		expect(await post('campaign/create', { apiKey: 'k', ...campaign({ senderId: 'BANK' }) })).toEqual(failed('insufficient-credit'));
		expect((await post('campaign/create', { apiKey: 'k', ...campaign({ senderId: 'BANK', contacts: contacts(PHONES.slice(0, 2)) }) })).success).toBe(true);
		expect(other.credit).toBe(0);
		other.setSenderStatus('BANK', 'REFUSED');
		other.reset();
		expect(other.credit).toBe(2);
		expect([...other.senders.values()].map((s) => [s.name, s.status, s.description])).toEqual([['BANK', 'ACCEPTED', 'Banque']]);
	} finally {
		await other.stop();
	}
});

test('injected faults still work: a 500 and a malformed body, then normal answers; nothing created meanwhile', async () => {
	sim().injectFault({ kind: 'status', status: 500 });
	const failedCall = await fetch(`${sim().baseUrl}campaign/create`, { method: 'POST', body: JSON.stringify({ apiKey: DEFAULT_MON_SMS_PRO_API_KEY, ...campaign() }) });
	expect(failedCall.status).toBe(500);
	expect(await failedCall.json()).toEqual({ error: 'injected 500' });
	sim().injectFault({ kind: 'malformed' });
	const malformed = await fetch(`${sim().baseUrl}user/credit`, { method: 'POST', body: JSON.stringify({ apiKey: DEFAULT_MON_SMS_PRO_API_KEY }) });
	expect(malformed.status).toBe(200);
	expect(malformed.headers.get('content-type')).toMatch(/text\/html/);
	await expect(malformed.clone().json()).rejects.toThrow();
	expect(await malformed.text()).toMatch(/502 Bad Gateway/);
	expect(sim().campaigns.size).toBe(0);
	expect(sim().credit).toBe(DEFAULT_MON_SMS_PRO_CREDIT);
	// A fault can target one route only.
	sim().injectFault({ kind: 'status', status: 503 }, 1, (req) => req.path.endsWith('/campaign/create'));
	expect((await api('user/credit')).data).toBe(DEFAULT_MON_SMS_PRO_CREDIT);
	expect((await raw('campaign/create', { apiKey: DEFAULT_MON_SMS_PRO_API_KEY, ...campaign() })).status).toBe(503);
	expect((await api('campaign/create', campaign())).success).toBe(true);
	expect(sim().requests).toHaveLength(5);
});
