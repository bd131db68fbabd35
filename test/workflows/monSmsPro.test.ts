/**
 * The Mon SMS PRO node inside n8n's WorkflowExecute, against the Mon SMS PRO
 * simulator over HTTP on 127.0.0.1. Mon SMS PRO sends by creating a campaign,
 * wants the API key inside every JSON body, and answers HTTP 200 for its errors:
 * only the envelope's `success` tells. Besides the campaigns the node manages
 * contacts, groups and sender names through the shared record runner.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ICredentialsHelper, type IDataObject, type INode, type INodePropertyOptions, type INodeType } from 'n8n-workflow';
import { MAX_CONTACTS_PER_CAMPAIGN } from '../../nodes/MonSmsPro/assumptions';
import { loadPackage, PACKAGE_NAME, serverData } from '../helpers/n8n';
import { expectNoSecretIn } from '../helpers/secrets';
import { useProviderNode } from '../providers/useSimulators';
import type { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import type { SimRequest } from '../sandbox/simulator';

// The key (and any key tried) must never be in what n8n records of a run: output, errors, context.
const WRONG_KEY = 'not-the-msp-key+42';
const { sim, credentials, run: msp, checkCredential } = useProviderNode<MonSmsProSimulator>('monSmsPro');

/** Every form of the keys that could leak: as typed, URL-encoded, form-encoded. */
const expectNoSecret = (text: string) => expectNoSecretIn(text, [sim.apiKey, WRONG_KEY]);

/** Côte d'Ivoire mobile numbers 07 00 00 00 00 + i (10 digits, national form). */
const civ = (i: number) => `07${String(i).padStart(8, '0')}`;
const intl = (i: number) => `225${civ(i)}`;
const bodies = () => sim.requests.map((r) => JSON.parse(r.rawBody) as IDataObject);
const requestsTo = (path: string) => sim.requests.filter((r) => r.path === `/v1/${path}`);
const creates = () => requestsTo('campaign/create').map((r) => JSON.parse(r.rawBody) as IDataObject);
const phonesOf = (body: IDataObject) => (body.contacts as IDataObject[]).map((c) => c.phone);
const sentTo = (to: string) => sim.ledger.filter((s) => s.to === to);
const campaigns = () => [...sim.campaigns.values()];

/** Calls the simulator's API directly, to set up the account before a workflow runs; the call is not kept in sim.requests. */
async function api(path: string, body: IDataObject = {}): Promise<IDataObject> {
	const response = await fetch(`${sim.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: sim.apiKey, ...body }) });
	const answer = (await response.json()) as { success: boolean; data: IDataObject; error: unknown };
	if (!answer.success) throw new Error(`setup ${path} refused: ${JSON.stringify(answer.error)}`);
	sim.requests.pop();
	return answer.data;
}

// Days computed from now, so that they stay in the future.
const DAY_MS = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);

/** A record operation's parameters: resource, operation, and the operation's own. */
const recordOf = (resource: string) => (operation: string, more: IDataObject = {}) => ({ resource, operation, ...more });

const send = { resource: 'campaign', operation: 'send', sender: 'MONSMSPRO', to: civ(1), message: 'Bonjour' };

describe('campaign send', () => {
	test('several numbers in one item: one campaign/create with the documented JSON, the key in the body, contract output', async () => {
		const credit = sim.credit;
		const { outputs } = await msp([{ name: 'Kouadio' }], {
			...send,
			to: '07 00 00 00 01, 0500000002\n+225 01 00 00 00 03; 0700000001',
			message: '=Bonjour {{ $json.name }}, votre colis est arrivé.',
		});
		expect(sim.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/v1/campaign/create']]);
		const request = sim.requests[0];
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		// The key is in the body only: not in a header, not in the URL.
		expect(JSON.stringify(request.headers)).not.toContain(sim.apiKey);
		expect([...request.query.keys()]).toEqual([]);
		const body = bodies()[0];
		expect(body).toEqual({
			apiKey: sim.apiKey,
			contacts: [{ phone: '2250700000001' }, { phone: '2250500000002' }, { phone: '2250100000003' }],
			text: 'Bonjour Kouadio, votre colis est arrivé.',
			senderId: 'MONSMSPRO',
			name: expect.stringMatching(/^n8n Send \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
			type: 'SMS',
		});
		const [campaign] = campaigns();
		expect(campaigns()).toHaveLength(1);
		expect(campaign.name).toBe(body.name);
		// Provider, operation, status, pairing: the behaviour suite (smsNode.behaviour.test.ts).
		const { json } = outputs[0][0];
		expect(json).toMatchObject({
			messageId: campaign.id,
			providerStatus: 'SENT',
			campaignName: body.name,
			to: '2250700000001,2250500000002,2250100000003',
			recipientCount: 3,
			encoding: 'GSM-7',
			segments: 1,
		});
		expect(json.messageIds).toBeUndefined();
		expect(sim.ledger.map((s) => [s.campaignId, s.to, s.senderId, s.type, s.text])).toEqual([
			[campaign.id, '2250700000001', 'MONSMSPRO', 'SMS', 'Bonjour Kouadio, votre colis est arrivé.'],
			[campaign.id, '2250500000002', 'MONSMSPRO', 'SMS', 'Bonjour Kouadio, votre colis est arrivé.'],
			[campaign.id, '2250100000003', 'MONSMSPRO', 'SMS', 'Bonjour Kouadio, votre colis est arrivé.'],
		]);
		expect(sim.credit).toBe(credit - 3);
	});

	test('Campaign Name is used as given; each item is its own campaign', async () => {
		const { outputs } = await msp([{ n: 'Rentrée A' }, { n: 'Rentrée B' }], { ...send, options: { campaignName: '={{ $json.n }}' } });
		expect(creates().map((b) => b.name).sort()).toEqual(['Rentrée A', 'Rentrée B']);
		expect(outputs[0].map((i) => i.json.campaignName)).toEqual(['Rentrée A', 'Rentrée B']);
		expect(new Set(outputs[0].map((i) => i.json.messageId)).size).toBe(2);
	});

	test(`more than ${MAX_CONTACTS_PER_CAMPAIGN} numbers in one item: two campaigns, every id in messageIds; the groups go with the first only`, async () => {
		const group = await api('group/create', { name: 'VIP', contacts: [{ phone: intl(0) }, { phone: intl(9000) }] });
		const numbers = Array.from({ length: MAX_CONTACTS_PER_CAMPAIGN + 1 }, (_, i) => civ(i));
		const { outputs, error } = await msp([{ numbers }], { ...send, to: '={{ $json.numbers }}', options: { groupsIds: [String(group.id)] } });
		expect(error).toBeUndefined();
		const sizes = creates().map((b) => [phonesOf(b).length, b.groupsIds]);
		expect(sizes.sort((a, b) => Number(b[0]) - Number(a[0]))).toEqual([
			[MAX_CONTACTS_PER_CAMPAIGN, [group.id]],
			[1, undefined],
		]);
		// Everyone once: the group's members are not sent the SMS again with the second campaign.
		expect(sim.ledger).toHaveLength(MAX_CONTACTS_PER_CAMPAIGN + 2);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(MAX_CONTACTS_PER_CAMPAIGN + 2);
		const { json } = outputs[0][0];
		expect(json).toMatchObject({ status: 'sent', recipientCount: MAX_CONTACTS_PER_CAMPAIGN + 1 });
		// In input order: the first thousand numbers' campaign first.
		expect(json.messageIds).toEqual([sentTo(intl(0))[0].campaignId, sentTo(intl(MAX_CONTACTS_PER_CAMPAIGN))[0].campaignId]);
		expect(json.messageId).toBe(sentTo(intl(0))[0].campaignId);
	});

	test('Add Groups: a saved group\'s members get the SMS once, also when one of them is in To', async () => {
		const group = await api('group/create', { name: 'Clients VIP', contacts: [{ phone: intl(1) }, { phone: intl(2) }] });
		const { outputs } = await msp([{}], { ...send, to: `${civ(2)}, ${civ(3)}`, options: { groupsIds: [String(group.id)] } });
		expect(creates()).toEqual([expect.objectContaining({ contacts: [{ phone: intl(2) }, { phone: intl(3) }], groupsIds: [group.id] })]);
		expect(sim.ledger.map((s) => s.to).sort()).toEqual([intl(1), intl(2), intl(3)]);
		expect(campaigns()[0]).toMatchObject({ contactCount: 3, groupsIds: [group.id] });
		expect(outputs[0][0].json).toMatchObject({ status: 'sent', messageId: campaigns()[0].id });
	});

	test('Add Groups given as an expression (a comma-separated string of IDs)', async () => {
		const a = await api('group/create', { name: 'A', contacts: [{ phone: intl(1) }] });
		const b = await api('group/create', { name: 'B', contacts: [{ phone: intl(2) }] });
		await msp([{ ids: `${a.id}, ${b.id}` }], { ...send, to: civ(3), options: { groupsIds: '={{ $json.ids }}' } });
		expect(creates()[0].groupsIds).toEqual([a.id, b.id]);
		expect(sim.ledger.map((s) => s.to).sort()).toEqual([intl(1), intl(2), intl(3)]);
	});
});

describe('campaign sendBulk', () => {
	test(`2500 items with Contact Name: 3 campaigns (1000/1000/500), 2500 paired outputs with their campaign's id, everyone once, contacts named`, async () => {
		const items = Array.from({ length: 2500 }, (_, i) => ({ phone: civ(i), name: `Client ${i}` }));
		const { outputs, error, run } = await msp(items, {
			resource: 'campaign',
			operation: 'sendBulk',
			sender: 'MONSMSPRO',
			phone: '={{ $json.phone }}',
			message: 'Promo -20% ce week-end',
			options: { contactName: '={{ $json.name }}' },
		});
		expect(error).toBeUndefined();
		// Names differ per item, yet they do not split the batch: 3 campaigns, not 2500.
		expect(sim.campaigns.size).toBe(3);
		const sent = creates();
		expect(sent.map((b) => phonesOf(b).length).sort((a, b) => a - b)).toEqual([500, 1000, 1000]);
		for (const body of sent) {
			expect(body).toMatchObject({ apiKey: sim.apiKey, text: 'Promo -20% ce week-end', senderId: 'MONSMSPRO', type: 'SMS', name: expect.stringMatching(/^n8n Send Bulk /) });
			for (const contact of body.contacts as IDataObject[]) expect(contact).toEqual({ phone: contact.phone, name: `Client ${Number(String(contact.phone).slice(5))}` });
		}
		expect(sim.ledger).toHaveLength(2500);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(2500);
		const campaignOf = new Map(sim.ledger.map((s) => [s.to, s.campaignId]));
		expect(outputs[0]).toHaveLength(2500);
		outputs[0].forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ provider: 'monSmsPro', operation: 'sendBulk', to: intl(i), status: 'sent', providerStatus: 'SENT' });
			expect(item.json.messageId).toBe(campaignOf.get(intl(i)));
		});
		expect(outputs[0][0].json.batchSize).toBe(1000);
		expect(outputs[0][2499].json.batchSize).toBe(500);
		// The contacts Mon SMS PRO created carry the items' names.
		const contacts = [...sim.contacts.values()];
		expect(contacts).toHaveLength(2500);
		expect(contacts.find((c) => c.phone === intl(1234))?.name).toBe('Client 1234');
		expect(JSON.stringify(run.data.executionData?.contextData).length).toBeLessThan(2500 * 40);
	});

	test('Check Balance First: 3 credits for 4 SMS segments stops the node before any campaign, naming both; 4 credits send all four', async () => {
		const bulk = { resource: 'campaign', operation: 'sendBulk', sender: 'MONSMSPRO', phone: '={{ $json.phone }}', message: 'Hi', options: { checkBalance: true } };
		const items = [0, 1, 2, 3].map((i) => ({ phone: civ(i) }));
		sim.credit = 3;
		const short = await msp(items, bulk);
		expect(short.error?.message).toBe('Mon SMS PRO reports 3 credits left; this run needs 4 SMS segments: nothing was sent');
		expect(short.error?.description).toBe('Top up the Mon SMS PRO account, or send fewer items.');
		expect(sim.requests.map((r) => r.path)).toEqual(['/v1/user/credit']);
		const failing = await msp(items, bulk, { continueOnFail: true });
		expect(failing.outputs[0].map((o) => o.json.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
		expect(creates()).toEqual([]);
		sim.credit = 4;
		const enough = await msp(items, bulk);
		expect(enough.outputs[0].map((o) => o.json.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
		expect(sim.credit).toBe(0);
	});

	test('without Contact Name the contacts carry the phone only', async () => {
		await msp([{ phone: civ(1) }, { phone: civ(2) }], { resource: 'campaign', operation: 'sendBulk', sender: 'MONSMSPRO', phone: '={{ $json.phone }}', message: 'Hi' });
		expect(creates()).toEqual([expect.objectContaining({ contacts: [{ phone: intl(1) }, { phone: intl(2) }] })]);
	});
});

describe('campaign sendPersonalized', () => {
	const params = { resource: 'campaign', operation: 'sendPersonalized', sender: 'MONSMSPRO', phone: '={{ $json.phone }}', message: 'Bonjour :P1, RDV le :P2.' };

	test('the node fills :P1 … :P5 itself; recipients with the same filled text share one campaign', async () => {
		const items = [
			{ phone: civ(1), p1: 'Mme Koné', p2: '25/11' },
			{ phone: civ(2), p1: 'M. Yao', p2: '26/11' },
			{ phone: civ(3), p1: 'Mme Koné', p2: '25/11' },
		];
		const { outputs, error } = await msp(items, params);
		expect(error).toBeUndefined();
		expect(sim.campaigns.size).toBe(2);
		const byText = Object.fromEntries(creates().map((b) => [b.text as string, b]));
		expect(Object.keys(byText).sort()).toEqual(['Bonjour M. Yao, RDV le 26/11.', 'Bonjour Mme Koné, RDV le 25/11.']);
		expect(phonesOf(byText['Bonjour Mme Koné, RDV le 25/11.'])).toEqual([intl(1), intl(3)]);
		expect(phonesOf(byText['Bonjour M. Yao, RDV le 26/11.'])).toEqual([intl(2)]);
		expect(byText['Bonjour M. Yao, RDV le 26/11.'].name).toMatch(/^n8n Send Personalized /);
		expect(sim.ledger.map((s) => [s.to, s.text]).sort()).toEqual([
			[intl(1), 'Bonjour Mme Koné, RDV le 25/11.'],
			[intl(2), 'Bonjour M. Yao, RDV le 26/11.'],
			[intl(3), 'Bonjour Mme Koné, RDV le 25/11.'],
		]);
		const campaignOf = new Map(sim.ledger.map((s) => [s.to, s.campaignId]));
		expect(outputs[0].map((i) => [i.json.status, i.json.to, i.json.messageId, i.pairedItem])).toEqual([
			['sent', intl(1), campaignOf.get(intl(1)), { item: 0 }],
			['sent', intl(2), campaignOf.get(intl(2)), { item: 1 }],
			['sent', intl(3), campaignOf.get(intl(1)), { item: 2 }],
		]);
		expect(campaignOf.get(intl(1))).not.toBe(campaignOf.get(intl(2)));
	});
});

describe('campaign sendScheduled', () => {
	// Tokyo has no daylight saving time: 10:15 there is 01:15 UTC the same day, all year.
	const zone = { timezone: 'Asia/Tokyo' };
	const scheduled = { resource: 'campaign', operation: 'sendScheduled', sender: 'MONSMSPRO', to: `${civ(1)}, ${civ(2)}`, message: 'Rappel' };

	test('on a quarter hour: type SCHEDULED with the ISO instant; status scheduled', async () => {
		const day = inDays(3);
		const { outputs, error } = await msp([{}], { ...scheduled, sendAt: `${day}T10:15:00` }, {}, zone);
		expect(error).toBeUndefined();
		const body = creates()[0];
		expect(body).toEqual({
			apiKey: sim.apiKey,
			contacts: [{ phone: intl(1) }, { phone: intl(2) }],
			text: 'Rappel',
			senderId: 'MONSMSPRO',
			name: expect.stringMatching(/^n8n Send Scheduled /),
			type: 'SCHEDULED',
			scheduledDate: `${day}T01:15:00.000Z`,
		});
		expect(outputs[0][0].json).toMatchObject({
			operation: 'sendScheduled',
			status: 'scheduled',
			providerStatus: 'SCHEDULED',
			messageId: campaigns()[0].id,
			scheduledDate: `${day}T01:15:00.000Z`,
			sendAt: `${day}T01:15:00.000Z`,
		});
		expect(campaigns()[0]).toMatchObject({ type: 'SCHEDULED', status: 'SCHEDULED', scheduledDate: `${day}T01:15:00.000Z` });
		expect(sim.ledger.map((s) => s.scheduledDate)).toEqual([`${day}T01:15:00.000Z`, `${day}T01:15:00.000Z`]);
	});

	test("off the grid (10:07): the item fails naming 10:00 and 10:15 in the workflow's zone and the rounding option; nothing sent", async () => {
		const day = inDays(3);
		const { error, outputs } = await msp([{}], { ...scheduled, sendAt: `${day}T10:07:00` }, {}, zone);
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(/^'Send At' \(.*10:07, Asia\/Tokyo\) is not on a quarter hour: Mon SMS PRO schedules at :00, :15, :30 and :45 only\./);
		expect(error?.message).toMatch(/The nearest allowed times are \S* ?10:00 and \S* ?10:15/);
		expect(error?.message).toMatch(/turn on the option 'Round Up to the Next Quarter Hour'/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(sim.requests).toHaveLength(0);
	});

	// `$now.set({ hour: 10, minute: 15 })` keeps its seconds: the refusal must show them.
	test('a Send At with seconds (10:15:30) is shown with its seconds in the refusal', async () => {
		const { error } = await msp([{}], { ...scheduled, sendAt: `${inDays(3)}T10:15:30` }, {}, zone);
		expect(error?.message).toMatch(/^'Send At' \(.*10:15:30, Asia\/Tokyo\) is not on a quarter hour/);
	});

	test('Round Up to the Next Quarter Hour: 10:07 is scheduled at 10:15; the output gives both', async () => {
		const day = inDays(3);
		const { outputs, error } = await msp([{}], { ...scheduled, sendAt: `${day}T10:07:00`, options: { roundToQuarterHour: true } }, {}, zone);
		expect(error).toBeUndefined();
		expect(creates()[0]).toMatchObject({ type: 'SCHEDULED', scheduledDate: `${day}T01:15:00.000Z` });
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', scheduledDate: `${day}T01:15:00.000Z`, sendAt: `${day}T01:07:00.000Z` });
	});

	test('Repeat On Monday and Friday: a RECURRING campaign with the time for each day; status scheduled', async () => {
		const day = inDays(3);
		const { outputs, error } = await msp([{}], { ...scheduled, sendAt: `${day}T10:30:00`, options: { repeatOn: ['monday', 'friday'] } }, {}, zone);
		expect(error).toBeUndefined();
		const body = creates()[0];
		expect(body).toMatchObject({ type: 'RECURRING', recurring: { monday: `${day}T01:30:00.000Z`, friday: `${day}T01:30:00.000Z` } });
		expect(Object.keys(body.recurring as IDataObject)).toEqual(['monday', 'friday']);
		expect(body.scheduledDate).toBeUndefined();
		expect(campaigns()[0]).toMatchObject({ type: 'RECURRING', status: 'ACTIVE', recurring: { monday: `${day}T01:30:00.000Z`, friday: `${day}T01:30:00.000Z` } });
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', providerStatus: 'ACTIVE', messageId: campaigns()[0].id });
	});
});

describe('campaign getStatus', () => {
	const status = (messageId: string) => ({ resource: 'campaign', operation: 'getStatus', messageId });

	test('a campaign id: one item for the campaign, with its counts; FAILED set on Mon SMS PRO reads failed', async () => {
		await msp([{}], { ...send, to: `${civ(1)}, ${civ(2)}` });
		const [campaign] = campaigns();
		sim.requests.length = 0;
		const { outputs, error } = await msp([{}], status(campaign.id));
		expect(error).toBeUndefined();
		expect(sim.requests.map((r) => r.path)).toEqual([`/v1/campaign/${campaign.id}`]);
		expect(bodies()[0]).toEqual({ apiKey: sim.apiKey });
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
		expect(outputs[0][0].json).toEqual({
			provider: 'monSmsPro',
			operation: 'getStatus',
			to: null,
			status: 'sent',
			providerStatus: 'SENT',
			messageId: campaign.id,
			campaignName: campaign.name,
			type: 'SMS',
			scheduledDate: null,
			contactCount: 2,
			creditUsed: 2,
		});

		sim.setCampaignStatus(campaign.id, 'FAILED');
		const failed = await msp([{}], status(campaign.id));
		expect(failed.outputs[0][0].json).toMatchObject({ status: 'failed', providerStatus: 'FAILED' });
	});

	test('the statuses map: PENDING pending, SENDING queued, CANCELLED rejected, SCHEDULED scheduled', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) ids.push(String((await api('campaign/create', { contacts: [{ phone: intl(i) }], text: 'x' })).id));
		sim.setCampaignStatus(ids[0], 'PENDING');
		sim.setCampaignStatus(ids[1], 'SENDING');
		sim.setCampaignStatus(ids[2], 'CANCELLED');
		sim.setCampaignStatus(ids[3], 'SCHEDULED');
		const { outputs } = await msp(ids.map((id) => ({ id })), status('={{ $json.id }}'));
		expect(outputs[0].map((i) => [i.json.messageId, i.json.status, i.json.providerStatus, i.pairedItem])).toEqual([
			[ids[0], 'pending', 'PENDING', { item: 0 }],
			[ids[1], 'queued', 'SENDING', { item: 1 }],
			[ids[2], 'rejected', 'CANCELLED', { item: 2 }],
			[ids[3], 'scheduled', 'SCHEDULED', { item: 3 }],
		]);
	});

	// A refused status query stops the workflow, as a refused send does.
	test('an unknown id stops the workflow quoting campaign-not-found', async () => {
		const { error, outputs } = await msp([{}], status('cmp_999999'));
		expect(error?.message).toBe('Mon SMS PRO refused the request: campaign-not-found');
		expect(error?.description).toBe('No campaign of your account has this ID.');
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputs).toEqual([]);
	});

	test('an unknown id with Continue On Fail: an error item quoting campaign-not-found', async () => {
		const { outputs, error } = await msp([{}], status('cmp_999999'), { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([
			{
				json: {
					provider: 'monSmsPro',
					operation: 'getStatus',
					status: 'failed',
					messageId: null,
					to: null,
					providerStatus: 'campaign-not-found',
					error: 'Mon SMS PRO refused the request: campaign-not-found. No campaign of your account has this ID.',
					httpStatus: 200,
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('campaign getAll', () => {
	const createCampaigns = async (count: number) => {
		for (let i = 0; i < count; i++) await api('campaign/create', { contacts: [{ phone: intl(i) }], text: `Campagne ${i}`, name: `C${i}` });
	};
	const getAll = (more: IDataObject) => ({ resource: 'campaign', operation: 'getAll', ...more });
	const listBodies = () => requestsTo('campaign/list').map((r) => JSON.parse(r.rawBody) as IDataObject);

	test('25 campaigns, Return All: 25 items from one page of 100', async () => {
		await createCampaigns(25);
		const { outputs, error } = await msp([{}], getAll({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(25);
		expect(new Set(outputs[0].map((i) => i.json.id))).toEqual(new Set(sim.campaigns.keys()));
		expect(outputs[0].every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		expect(listBodies()).toEqual([{ apiKey: sim.apiKey, page: 1, limit: 100 }]);
	});

	test('250 campaigns, Return All: pages 1, 2 and 3 of 100, each campaign once', async () => {
		await createCampaigns(250);
		const { outputs } = await msp([{}], getAll({ returnAll: true }));
		expect(outputs[0]).toHaveLength(250);
		expect(new Set(outputs[0].map((i) => i.json.id)).size).toBe(250);
		expect(listBodies().map((b) => [b.page, b.limit])).toEqual([
			[1, 100],
			[2, 100],
			[3, 100],
		]);
		expect(outputs[0][0].json).toMatchObject({ id: expect.stringMatching(/^cmp_/), name: expect.stringMatching(/^C\d+$/), text: expect.stringMatching(/^Campagne /), type: 'SMS', status: 'SENT' });
	});

	test('Limit 7: 7 items, one request for 7; Limit 150: two pages, cut at 150', async () => {
		await createCampaigns(25);
		const seven = await msp([{}], getAll({ returnAll: false, limit: 7 }));
		expect(seven.outputs[0]).toHaveLength(7);
		expect(listBodies().map((b) => [b.page, b.limit])).toEqual([[1, 7]]);

		await createCampaigns(200);
		sim.requests.length = 0;
		const many = await msp([{}], getAll({ returnAll: false, limit: 150 }));
		expect(many.outputs[0]).toHaveLength(150);
		expect(new Set(many.outputs[0].map((i) => i.json.id)).size).toBe(150);
		expect(listBodies().map((b) => [b.page, b.limit])).toEqual([
			[1, 100],
			[2, 100],
		]);
	});
});

describe('contacts', () => {
	const contact = recordOf('contact');

	test('create, get, getAll, update, delete: the documented calls, the simulator\'s book follows', async () => {
		const created = await msp([{}], contact('create', { phone: '07 00 00 00 01', additionalFields: { name: 'Awa Koné', firstName: 'Awa', lastName: 'Koné', sex: 'F' } }));
		expect(created.error).toBeUndefined();
		expect(requestsTo('contact/create').map((r) => JSON.parse(r.rawBody))).toEqual([
			{ apiKey: sim.apiKey, phone: '2250700000001', name: 'Awa Koné', firstName: 'Awa', lastName: 'Koné', sex: 'F' },
		]);
		const [stored] = [...sim.contacts.values()];
		expect(stored).toMatchObject({ phone: '2250700000001', name: 'Awa Koné', firstName: 'Awa', lastName: 'Koné', sex: 'F' });
		expect(created.outputs[0]).toEqual([{ json: { ...stored }, pairedItem: { item: 0 } }]);

		sim.requests.length = 0;
		const got = await msp([{ id: stored.id }], contact('get', { contactId: '={{ $json.id }}' }));
		expect(sim.requests.map((r) => r.path)).toEqual([`/v1/contact/${stored.id}`]);
		expect(got.outputs[0][0].json).toEqual({ ...stored });

		await api('contact/create', { phone: intl(2) });
		const all = await msp([{}], contact('getAll', { returnAll: true }));
		expect(all.outputs[0].map((i) => i.json.phone).sort()).toEqual(['2250700000001', intl(2)]);

		sim.requests.length = 0;
		const updated = await msp([{}], contact('update', { contactId: stored.id, updateFields: { name: 'Awa K.', phone: '+225 05 00 00 00 09' } }));
		expect(sim.requests.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([[`/v1/contact/${stored.id}/update`, { apiKey: sim.apiKey, name: 'Awa K.', phone: '2250500000009' }]]);
		expect(sim.contacts.get(stored.id)).toMatchObject({ name: 'Awa K.', phone: '2250500000009', firstName: 'Awa' });
		expect(updated.outputs[0][0].json).toMatchObject({ id: stored.id, name: 'Awa K.', phone: '2250500000009' });

		sim.requests.length = 0;
		const deleted = await msp([{}], contact('delete', { contactId: stored.id }));
		expect(sim.requests.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([['/v1/contact/delete', { apiKey: sim.apiKey, id: stored.id }]]);
		expect(deleted.outputs[0]).toEqual([{ json: { id: stored.id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(sim.contacts.has(stored.id)).toBe(false);
	});

	test('a bad phone names the field; nothing is sent', async () => {
		const created = await msp([{}], contact('create', { phone: '12345' }));
		expect(created.error?.message).toMatch(/^Invalid phone number in 'Phone': "12345"/);
		expect(created.error?.context?.itemIndex).toBe(0);
		const updated = await msp([{}], contact('update', { contactId: 'ctc_000001', updateFields: { phone: 'abc' } }));
		expect(updated.error?.message).toMatch(/^Invalid phone number in 'Phone': "abc"/);
		const empty = await msp([{}], contact('update', { contactId: 'ctc_000001', updateFields: {} }));
		expect(empty.error?.message).toBe("'Update Fields' holds nothing to change");
		expect(sim.requests).toHaveLength(0);
	});

	test('a phone already in the book: contact-already-exists with the hint; the first item was created', async () => {
		const { error } = await msp([{ p: '0700000001' }, { p: '+225 07 00 00 00 01' }], contact('create', { phone: '={{ $json.p }}' }));
		expect(error?.message).toBe('Mon SMS PRO refused the request: contact-already-exists');
		expect(error?.description).toMatch(/^A contact with this phone number already exists: update it instead/);
		expect(error?.context?.itemIndex).toBe(1);
		expect(sim.contacts.size).toBe(1);
	});

	test('an unknown contact: contact-not-found', async () => {
		const { error } = await msp([{}], contact('get', { contactId: 'ctc_424242' }));
		expect(error?.message).toBe('Mon SMS PRO refused the request: contact-not-found');
		expect(error?.description).toBe('No contact of your account has this ID.');
	});
});

describe('groups', () => {
	const group = recordOf('group');

	test('create with Contacts, get, getAll, update (add contacts), delete', async () => {
		const created = await msp([{}], group('create', { name: 'Clients VIP', description: 'Les fidèles', contacts: '0700000001, 0500000002' }));
		expect(created.error).toBeUndefined();
		expect(bodies()).toEqual([
			{ apiKey: sim.apiKey, name: 'Clients VIP', description: 'Les fidèles', contacts: [{ phone: '2250700000001' }, { phone: '2250500000002' }] },
		]);
		const [stored] = [...sim.groups.values()];
		expect([...stored.contactIds].map((id) => sim.contacts.get(id)?.phone)).toEqual(['2250700000001', '2250500000002']);
		expect(created.outputs[0][0].json).toMatchObject({ id: stored.id, name: 'Clients VIP', description: 'Les fidèles', contactCount: 2 });

		const got = await msp([{}], group('get', { groupId: stored.id }));
		expect(got.outputs[0]).toHaveLength(1);
		expect(got.outputs[0][0].json).toMatchObject({ id: stored.id, contactCount: 2 });
		expect((got.outputs[0][0].json.contacts as IDataObject[]).map((c) => c.phone)).toEqual(['2250700000001', '2250500000002']);

		await api('group/create', { name: 'Autre' });
		const all = await msp([{}], group('getAll', { returnAll: true }));
		expect(all.outputs[0].map((i) => i.json.name).sort()).toEqual(['Autre', 'Clients VIP']);

		sim.requests.length = 0;
		const updated = await msp([{}], group('update', { groupId: stored.id, updateFields: { name: 'VIP', contacts: '0100000003\n0700000001' } }));
		expect(sim.requests.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([
			[`/v1/group/${stored.id}/update`, { apiKey: sim.apiKey, name: 'VIP', contacts: [{ phone: '2250100000003' }, { phone: '2250700000001' }] }],
		]);
		expect(updated.outputs[0][0].json).toMatchObject({ id: stored.id, name: 'VIP', contactCount: 3 });
		expect(sim.groups.get(stored.id)?.contactIds.size).toBe(3);

		sim.requests.length = 0;
		const deleted = await msp([{}], group('delete', { groupId: stored.id }));
		expect(sim.requests.map((r) => r.path)).toEqual([`/v1/group/${stored.id}/delete`]);
		expect(deleted.outputs[0]).toEqual([{ json: { id: stored.id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(sim.groups.has(stored.id)).toBe(false);
		// The members stay in the book.
		expect(sim.contacts.size).toBe(3);
	});

	test('Contacts given as a list by an expression', async () => {
		await msp([{ phones: ['0700000001', '+225 05 00 00 00 02'] }], group('create', { name: 'Liste', contacts: '={{ $json.phones }}' }));
		expect(bodies()[0].contacts).toEqual([{ phone: '2250700000001' }, { phone: '2250500000002' }]);
	});

	test('Contacts From All Input Items (the default): one group of every item\'s numbers, each number once; one output per item with its own numbers', async () => {
		const items = [{ p: '0700000001' }, { p: '+225 05 00 00 00 02, 0100000003' }, { p: '07 00 00 00 01' }];
		const { outputs, error } = await msp(items, group('create', { name: 'Clients', contacts: '={{ $json.p }}' }));
		expect(error).toBeUndefined();
		expect(bodies()).toEqual([{ apiKey: sim.apiKey, name: 'Clients', contacts: [{ phone: '2250700000001' }, { phone: '2250500000002' }, { phone: '2250100000003' }] }]);
		expect(sim.groups.size).toBe(1);
		const [stored] = [...sim.groups.values()];
		expect(stored.contactIds.size).toBe(3);
		expect(outputs[0].map((i) => [i.pairedItem, i.json.id, i.json.phones])).toEqual([
			[{ item: 0 }, stored.id, ['2250700000001']],
			[{ item: 1 }, stored.id, ['2250500000002', '2250100000003']],
			[{ item: 2 }, stored.id, ['2250700000001']],
		]);
	});

	test('Contacts From Each Input Item: one group per item', async () => {
		const items = [{ n: 'A', p: civ(1) }, { n: 'B', p: civ(2) }];
		const { outputs } = await msp(items, group('create', { contactsFrom: 'eachItem', name: '={{ $json.n }}', contacts: '={{ $json.p }}' }));
		expect(creates()).toHaveLength(0);
		expect(bodies().map((b) => [b.name, phonesOf(b)])).toEqual([['A', [intl(1)]], ['B', [intl(2)]]]);
		expect(outputs[0].map((i) => i.json.name)).toEqual(['A', 'B']);
		expect(new Set(outputs[0].map((i) => i.json.id)).size).toBe(2);
	});

	test('All Input Items: a bad or missing number fails its item by name; with Continue On Fail the others make the group', async () => {
		const items = [{ p: civ(1) }, { p: '999' }, { p: '' }, { p: civ(4) }];
		const stopped = await msp(items, group('create', { name: 'G', contacts: '={{ $json.p }}' }));
		expect(stopped.error?.message).toMatch(/^Invalid phone number in 'Contacts': "999"/);
		expect(sim.requests).toHaveLength(0);
		const { outputs } = await msp(items, group('create', { name: 'G', contacts: '={{ $json.p }}' }), { continueOnFail: true });
		expect(bodies().map(phonesOf)).toEqual([[intl(1), intl(4)]]);
		expect(outputs[0].map((i) => [i.pairedItem, i.json.phones ?? i.json.error])).toEqual([
			[{ item: 0 }, [intl(1)]],
			[{ item: 1 }, expect.stringMatching(/^Invalid phone number in 'Contacts': "999"/)],
			[{ item: 2 }, expect.stringMatching(/^'Contacts' is empty/)],
			[{ item: 3 }, [intl(4)]],
		]);
	});

	test('All Input Items: a refusal of the one group/create fails every item with it (Continue On Fail)', async () => {
		const { outputs } = await msp([{ p: civ(1) }, { p: civ(2) }], group('create', { name: 'G', contacts: '={{ $json.p }}' }), { continueOnFail: true }, { credentials: { apiKey: WRONG_KEY } });
		expect(outputs[0].map((i) => [i.pairedItem, i.json.error])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^Mon SMS PRO refused the request: unauthenticated/)],
			[{ item: 1 }, expect.stringMatching(/^Mon SMS PRO refused the request: unauthenticated/)],
		]);
	});

	test('a bad number in Contacts names the field; nothing is sent', async () => {
		const { error } = await msp([{}], group('create', { name: 'X', contacts: '0700000001, 999' }));
		expect(error?.message).toMatch(/^Invalid phone number in 'Contacts': "999"/);
		const update = await msp([{}], group('update', { groupId: 'grp_000001', updateFields: { contacts: 'nope' } }));
		expect(update.error?.message).toMatch(/^Invalid phone number in 'Add Contacts': "nope"/);
		expect(sim.requests).toHaveLength(0);
	});

	test("the Options' Timeout applies to record operations too", async () => {
		sim.injectFault({ kind: 'slow', ms: 2500 });
		const started = Date.now();
		const { error } = await msp([{}], group('getAll', { returnAll: true, options: { timeout: 1 } }));
		expect(error?.message).toBe('Request to Mon SMS PRO failed: no answer within 1 s');
		expect(Date.now() - started).toBeLessThan(2400);
	});

	test('an unknown group: group-not-found with the hint', async () => {
		const { error } = await msp([{}], group('delete', { groupId: 'grp_404404' }));
		expect(error?.message).toBe('Mon SMS PRO refused the request: group-not-found');
		expect(error?.description).toBe('No group of your account has this ID.');
	});
});

describe('senders', () => {
	const sender = recordOf('sender');

	test('create: the name and description go to sender/create; the new sender is PENDING', async () => {
		const { outputs, error } = await msp([{}], sender('create', { senderName: 'BOUTIQUE', description: 'Boutique en ligne' }));
		expect(error).toBeUndefined();
		expect(sim.requests.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([['/v1/sender/create', { apiKey: sim.apiKey, name: 'BOUTIQUE', description: 'Boutique en ligne' }]]);
		expect(outputs[0][0].json).toMatchObject({ name: 'BOUTIQUE', status: 'PENDING', id: expect.stringMatching(/^snd_/) });
		expect([...sim.senders.values()].find((s) => s.name === 'BOUTIQUE')?.status).toBe('PENDING');
	});

	test("names Mon SMS PRO would refuse ('AB', 'has space', 12 characters) fail before anything is sent", async () => {
		const items = [{ n: 'AB' }, { n: 'has space' }, { n: 'ABCDEFGHIJKL' }, { n: 'BOUTIQUE2' }];
		const { outputs } = await msp(items, sender('create', { senderName: '={{ $json.n }}', description: 'Test' }), { continueOnFail: true });
		expect(outputs[0].map((i) => i.json.error ?? i.json.name)).toEqual([
			`'Sender Name' "AB" must be 3 to 11 letters or digits, without spaces`,
			`'Sender Name' "has space" must be 3 to 11 letters or digits, without spaces`,
			`'Sender Name' "ABCDEFGHIJKL" must be 3 to 11 letters or digits, without spaces`,
			'BOUTIQUE2',
		]);
		expect(sim.requests.map((r) => JSON.parse(r.rawBody).name)).toEqual(['BOUTIQUE2']);

		sim.requests.length = 0;
		const { error } = await msp([{}], sender('create', { senderName: 'AB', description: 'Test' }));
		expect(error?.message).toBe(`'Sender Name' "AB" must be 3 to 11 letters or digits, without spaces`);
		expect(sim.requests).toHaveLength(0);
	});

	test('getAll lists the senders with their status; getCampaigns the campaigns of one sender', async () => {
		const all = await msp([{}], sender('getAll', { returnAll: true }));
		expect(all.outputs[0].map((i) => [i.json.name, i.json.status]).sort()).toEqual([
			['MONSMSPRO', 'ACCEPTED'],
			['PROMO', 'PENDING'],
		]);
		const monsmspro = [...sim.senders.values()].find((s) => s.name === 'MONSMSPRO')!;
		const first = await api('campaign/create', { contacts: [{ phone: intl(1) }], text: 'a', senderId: 'MONSMSPRO' });
		const second = await api('campaign/create', { contacts: [{ phone: intl(2) }], text: 'b', senderId: 'MONSMSPRO' });
		await api('campaign/create', { contacts: [{ phone: intl(3) }], text: 'c' });
		sim.requests.length = 0;
		const { outputs, error } = await msp([{}], sender('getCampaigns', { senderId: monsmspro.id, returnAll: true }));
		expect(error).toBeUndefined();
		expect(sim.requests.map((r) => r.path)).toEqual([`/v1/sender/${monsmspro.id}/campaign`]);
		expect(outputs[0].map((i) => i.json.id).sort()).toEqual([first.id, second.id]);
	});
});

describe('account', () => {
	test('getCredit: {credit: number}', async () => {
		sim.credit = 1234;
		const { outputs, error } = await msp([{}], { resource: 'account', operation: 'getCredit' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([{ json: { credit: 1234 }, pairedItem: { item: 0 } }]);
		expect(sim.requests.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([['/v1/user/credit', { apiKey: sim.apiKey }]]);
	});
});

describe('Mon SMS PRO refusals at HTTP 200', () => {
	test('a sender the account does not have: sender-not-found with the hint; nothing sent', async () => {
		const { error } = await msp([{}], { ...send, sender: 'NOPE' });
		expect(error?.message).toBe('Mon SMS PRO refused the request: sender-not-found');
		expect(error?.description).toMatch(/^The Sender is not a sender name of your Mon SMS PRO account/);
		expect(error?.description).not.toMatch(/may or may not/);
		expect(sim.campaigns.size).toBe(0);
		expect(sim.ledger).toHaveLength(0);
	});

	test('a PENDING sender (PROMO): sender-not-accepted', async () => {
		const { error } = await msp([{}], { ...send, sender: 'PROMO' });
		expect(error?.message).toBe('Mon SMS PRO refused the request: sender-not-accepted');
		expect(error?.description).toMatch(/has not accepted this sender name yet/);
		expect(sim.ledger).toHaveLength(0);
		// Once accepted, the same send goes out.
		sim.setSenderStatus('PROMO', 'ACCEPTED');
		const again = await msp([{}], { ...send, sender: 'PROMO' });
		expect(again.outputs[0][0].json.status).toBe('sent');
	});

	test('too little credit: insufficient-credit with the top-up hint; nothing spent', async () => {
		sim.credit = 1;
		const { error } = await msp([{}], { ...send, to: `${civ(1)}, ${civ(2)}` });
		expect(error?.message).toBe('Mon SMS PRO refused the request: insufficient-credit');
		expect(error?.description).toMatch(/credit is too low .* top it up/);
		expect(sim.credit).toBe(1);
		expect(sim.ledger).toHaveLength(0);
	});

	test('a validation error shows each field path and message', async () => {
		const tooLong = await msp([{}], { ...send, message: 'a'.repeat(1601) });
		expect(tooLong.error?.message).toBe('Mon SMS PRO refused the request: invalid request: text: text must contain at most 1600 characters');
		expect(tooLong.error?.description).toBe('Check the fields named above.');
		// A French number passes the node (international form) but not Mon SMS PRO.
		const foreign = await msp([{}], { ...send, to: `${civ(1)}, +33 6 12 34 56 78` });
		expect(foreign.error?.message).toBe('Mon SMS PRO refused the request: invalid request: contacts.1.phone: Phone must be 225 followed by 10 digits, without +');
		expect(sim.ledger).toHaveLength(0);
	});

	test('a wrong key: unauthenticated, with what to check, for a send and for a record operation', async () => {
		const sent = await msp([{}], send, {}, { credentials: { apiKey: WRONG_KEY } });
		expect(sent.error?.message).toBe('Mon SMS PRO refused the request: unauthenticated');
		expect(sent.error?.description).toMatch(/^Check the API key in the Mon SMS PRO credential/);
		const listed = await msp([{}], { resource: 'contact', operation: 'getAll', returnAll: true }, {}, { credentials: { apiKey: WRONG_KEY } });
		expect(listed.error?.message).toBe('Mon SMS PRO refused the request: unauthenticated');
		expect(listed.error?.description).toMatch(/^Check the API key/);
		expect(bodies().map((b) => b.apiKey)).toEqual([WRONG_KEY, WRONG_KEY]);
		expect(sim.ledger).toHaveLength(0);
	});

	test('an answer that echoes the key is redacted in errors and outputs', async () => {
		sim.injectFault({ kind: 'status', status: 200, body: { success: false, data: null, error: `bad key ${sim.apiKey}` } });
		const failed = await msp([{}], send, { continueOnFail: true });
		expect(failed.outputs[0][0].json.error).toMatch(/^Mon SMS PRO refused the request: bad key \*\*\*/);
		sim.injectFault({ kind: 'status', status: 200, body: { success: true, data: { id: 'cmp_1', name: `n ${sim.apiKey}`, status: 'SENT' }, error: null } });
		const sent = await msp([{}], send);
		expect(sent.outputs[0][0].json).toMatchObject({ messageId: 'cmp_1', campaignName: 'n ***' });
	});

	test('Continue On Fail for a send: bad input and refusals become failed items, the others go out', async () => {
		const items = [
			{ to: civ(1), sender: 'MONSMSPRO' },
			{ to: 'not-a-number', sender: 'MONSMSPRO' },
			{ to: civ(2), sender: 'NOPE' },
			{ to: civ(3), sender: 'MONSMSPRO' },
		];
		const { outputs, error } = await msp(items, { ...send, to: '={{ $json.to }}', sender: '={{ $json.sender }}' }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => [i.json.status, i.pairedItem])).toEqual([
			['sent', { item: 0 }],
			['failed', { item: 1 }],
			['failed', { item: 2 }],
			['sent', { item: 3 }],
		]);
		expect(outputs[0][1].json.error).toMatch(/Invalid phone number in 'To': "not-a-number"/);
		expect(outputs[0][2].json).toMatchObject({
			provider: 'monSmsPro',
			status: 'failed',
			messageId: null,
			to: intl(2),
			providerStatus: 'sender-not-found',
			error: expect.stringMatching(/^Mon SMS PRO refused the request: sender-not-found\. The Sender is not a sender name/),
		});
		expect(sim.ledger.map((s) => s.to)).toEqual([intl(1), intl(3)]);
	});

	test("Continue (using error output) for a send: the refused item goes to the node's error output", async () => {
		const items = [
			{ to: civ(1), sender: 'MONSMSPRO' },
			{ to: civ(2), sender: 'PROMO' },
		];
		const { outputs } = await msp(items, { ...send, to: '={{ $json.to }}', sender: '={{ $json.sender }}' }, { onError: 'continueErrorOutput' });
		expect(outputs[0].map((i) => [i.json.status, i.pairedItem])).toEqual([['sent', { item: 0 }]]);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(outputs[1][0].json).toEqual({ to: civ(2), sender: 'PROMO', error: expect.stringMatching(/^Mon SMS PRO refused the request: sender-not-accepted/) });
	});

	test('Continue On Fail for a record operation: the unknown contact is an error item, the known one is output', async () => {
		const known = await api('contact/create', { phone: intl(1), name: 'Awa' });
		const items = [{ id: known.id }, { id: 'ctc_999999' }];
		const { outputs, error } = await msp(items, { resource: 'contact', operation: 'get', contactId: '={{ $json.id }}' }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([
			{ json: expect.objectContaining({ id: known.id, name: 'Awa' }), pairedItem: { item: 0 } },
			{ json: { error: 'Mon SMS PRO refused the request: contact-not-found. No contact of your account has this ID.', httpStatus: 200 }, pairedItem: { item: 1 } },
		]);
	});

	test("Continue (using error output) for a record operation: the failed item goes to the node's error output", async () => {
		const known = await api('contact/create', { phone: intl(1) });
		const items = [{ id: 'ctc_999999' }, { id: known.id }];
		const { outputs } = await msp(items, { resource: 'contact', operation: 'get', contactId: '={{ $json.id }}' }, { onError: 'continueErrorOutput' });
		expect(outputs[0]).toEqual([{ json: expect.objectContaining({ id: known.id }), pairedItem: { item: 1 } }]);
		expect(outputs[1]).toEqual([{ json: { id: 'ctc_999999', error: expect.stringMatching(/^Mon SMS PRO refused the request: contact-not-found/) }, pairedItem: { item: 0 } }]);
	});
});

describe('Retry On Fail', () => {
	test('a refusal at HTTP 200 that speaks of the server is unsure too: held back', async () => {
		sim.injectFault({ kind: 'status', status: 200, body: { success: false, data: null, error: 'internal server error' } });
		const { error } = await msp([{}], send, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		expect(error?.message).toBe('Not sent again: an earlier attempt in this execution may have reached Mon SMS PRO (Mon SMS PRO answered with a server error: internal server error)');
		expect(sim.requests).toHaveLength(1);
	});

	test('a definite refusal (insufficient-credit) is asked again by Retry On Fail, and sent once credit is there', async () => {
		sim.credit = 0;
		let tries = 0;
		// The credit is topped up while n8n waits before its second try.
		sim.injectFault({ kind: 'slow', ms: 0 }, 5, () => {
			if (++tries === 2) sim.credit = 100;
			return false;
		});
		const { outputs, error } = await msp([{}], send, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.status).toBe('sent');
		expect(requestsTo('campaign/create')).toHaveLength(2);
		expect(sim.ledger).toHaveLength(1);
	});

	// Writes keep a run ledger: the retry creates only the contact that failed.
	test('Retry On Fail for contact create: a retry after a 503 on item 1 does not create item 0 again', async () => {
		sim.injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, (req) => req.rawBody.includes(intl(2)));
		const { error } = await msp([{ p: civ(1) }, { p: civ(2) }], { resource: 'contact', operation: 'create', phone: '={{ $json.p }}' }, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		expect(error).toBeUndefined();
		expect(sim.contacts.size).toBe(2);
		expect(requestsTo('contact/create').filter((r) => r.rawBody.includes(intl(1)))).toHaveLength(1);
	});

	// After an ambiguous failure the write is held back on the rerun: no group twice.
	test('Retry On Fail for group create after a 500 that came after the group was made: the group is not created twice', async () => {
		let done = false;
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'upstream failed' } }, 1, (req) => {
			if (done || req.path !== '/v1/group/create') return false;
			done = true;
			// Mon SMS PRO does the work, then its front answers 500.
			(sim as unknown as { handle(r: SimRequest): unknown }).handle(req);
			return true;
		});
		const { error } = await msp([{}], { resource: 'group', operation: 'create', name: 'VIP', contacts: civ(1) }, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		expect(sim.groups.size).toBe(1);
		// The same for a group of every item's number: the one group/create is not sent again.
		sim.reset();
		done = false;
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'upstream failed' } }, 1, (req) => {
			if (done || req.path !== '/v1/group/create') return false;
			done = true;
			(sim as unknown as { handle(r: SimRequest): unknown }).handle(req);
			return true;
		});
		const together = await msp([{ p: civ(1) }, { p: civ(2) }], { resource: 'group', operation: 'create', name: 'VIP', contacts: '={{ $json.p }}' }, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		expect(requestsTo('group/create')).toHaveLength(1);
		expect(sim.groups.size).toBe(1);
		expect(together.error?.message).toMatch(/^Not sent again: an earlier attempt in this execution may have reached Mon SMS PRO/);
		expect(requestsTo('group/create')).toHaveLength(1);
		expect(error?.message).toMatch(/^Not sent again: an earlier attempt in this execution may have reached Mon SMS PRO/);
	});
});

describe('node description', () => {
	test('resources and campaign operations; the credential is tested by the node', async () => {
		const loader = await loadPackage();
		const { description } = loader.nodeTypes.monSmsPro.type as INodeType;
		const resource = description.properties.find((p) => p.name === 'resource');
		expect(resource?.options?.map((o) => (o as INodePropertyOptions).value)).toEqual(['account', 'campaign', 'contact', 'group', 'sender']);
		const campaignOperation = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('campaign'));
		expect(campaignOperation?.options?.map((o) => (o as INodePropertyOptions).value)).toEqual(['send', 'sendBulk', 'sendPersonalized', 'sendScheduled', 'getStatus', 'getAll']);
		expect(description.credentials).toEqual([{ name: 'monSmsProApi', required: true, testedBy: 'monSmsProApiTest' }]);
		// The canvas subtitle: the operation's and the resource's names. The expression is plain
		// JavaScript over $parameter (the UI test checks how the editor shows it).
		const body = /^=\{\{([\s\S]*)\}\}$/.exec(description.subtitle as string)?.[1] as string;
		const subtitle = (resource: string, operation: string) => new Function('$parameter', `return (${body});`)({ resource, operation }) as string;
		expect(subtitle('campaign', 'sendPersonalized')).toBe('Send Personalized: Campaign');
		expect(subtitle('contact', 'getAll')).toBe('Get Many: Contact');
		expect(subtitle('sender', 'getCampaigns')).toBe('Get Campaigns: Sender');
		expect(subtitle('account', 'getCredit')).toBe('Get Credit: Account');
	});
});

describe('credential test', () => {
	const check = checkCredential;

	test('a good key passes: one user/credit call, no SMS', async () => {
		expect(await check({})).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(sim.requests.map((r) => [r.method, r.path, JSON.parse(r.rawBody)])).toEqual([['POST', '/v1/user/credit', { apiKey: sim.apiKey }]]);
		expect(sim.ledger).toHaveLength(0);
		expect(sim.campaigns.size).toBe(0);
	});

	test('a wrong key fails: Mon SMS PRO refused the API key', async () => {
		expect(await check({ apiKey: WRONG_KEY })).toEqual({ status: 'Error', message: 'Mon SMS PRO refused the API key: unauthenticated' });
	});

	test('a base URL where nothing listens, or where something else answers, says so', async () => {
		const refused = await check({ baseUrl: 'http://127.0.0.1:9/v1/' });
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^Could not reach Mon SMS PRO at http:\/\/127\.0\.0\.1:9\/v1\/: connection refused/);
		// The simulator without /v1: its not-found envelope.
		const wrongPath = await check({ baseUrl: sim.url });
		expect(wrongPath).toEqual({ status: 'Error', message: 'Mon SMS PRO refused the request: not-found. Check the Base URL.' });
		sim.injectFault({ kind: 'malformed', body: '<html><body>Welcome to nginx!</body></html>' });
		const html = await check({});
		expect(html.status).toBe('Error');
		expect(html.message).toMatch(/^Mon SMS PRO answered HTTP 200 with something that is not JSON: <html><body>Welcome to nginx!<\/body><\/html>\. Check the Base URL\.$/);
	});
});

describe("the editor's dropdowns (loadOptions through n8n-core's LoadOptionsContext)", () => {
	/** As n8n's server does for a dropdown: a LoadOptionsContext on the node, its credential from the credentials helper. */
	async function loadOptions(method: 'getSenders' | 'getSenderIds' | 'getGroups', overrides: IDataObject = {}): Promise<INodePropertyOptions[]> {
		const loader = await loadPackage();
		const nodeType = loader.nodeTypes.monSmsPro.type as INodeType;
		const node: INode = {
			id: 'm',
			name: 'Mon SMS PRO',
			type: `${PACKAGE_NAME}.monSmsPro`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'campaign', operation: 'send' },
			credentials: { monSmsProApi: { id: '1', name: 'c' } },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } });
		const credentialsHelper = {
			isCredentialUsableByNode: () => true,
			getDecrypted: async () => ({ ...credentials(overrides).monSmsProApi }),
		} as unknown as ICredentialsHelper;
		const additionalData = serverData({ credentialsHelper, currentNodeParameters: node.parameters });
		const context = new LoadOptionsContext(workflow, node, additionalData, { getSenders: 'parameters.sender', getSenderIds: 'parameters.senderId', getGroups: 'parameters.options.groupsIds' }[method]);
		return await nodeType.methods!.loadOptions![method].call(context);
	}

	test('getSenders: every sender name with its review status, ACCEPTED first; the value is the name', async () => {
		await api('sender/create', { name: 'ZBOUTIQUE', description: 'x' });
		const options = await loadOptions('getSenders');
		expect(options).toEqual([
			{ name: 'MONSMSPRO (ACCEPTED)', value: 'MONSMSPRO' },
			{ name: 'PROMO (PENDING)', value: 'PROMO' },
			{ name: 'ZBOUTIQUE (PENDING)', value: 'ZBOUTIQUE' },
		]);
		expect(sim.requests.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([['/v1/sender/list', { apiKey: sim.apiKey, page: 1, limit: 100 }]]);
	});

	test('getSenderIds (Get Campaigns of a sender): the same list, the value is the ID', async () => {
		const senders = [...sim.senders.values()];
		const options = await loadOptions('getSenderIds');
		expect(options.map((o) => o.value).sort()).toEqual(senders.map((s) => s.id).sort());
		expect(options[0].name).toBe('MONSMSPRO (ACCEPTED)');
	});

	test('a dropdown reads every page: 230 groups in 3 requests', async () => {
		for (let i = 0; i < 230; i++) sim.groups.set(`grp_x${i}`, { id: `grp_x${i}`, name: `G${i}`, description: null, contactIds: new Set(), createdAt: new Date().toISOString() });
		const options = await loadOptions('getGroups');
		expect(options).toHaveLength(230);
		expect(new Set(options.map((o) => o.value)).size).toBe(230);
		expect(sim.requests.map((r) => (JSON.parse(r.rawBody) as IDataObject).page)).toEqual([1, 2, 3]);
	});

	test('getGroups: name and id', async () => {
		const vip = await api('group/create', { name: 'VIP' });
		const staff = await api('group/create', { name: 'Personnel' });
		const options = await loadOptions('getGroups');
		expect([...options].sort((a, b) => String(a.value).localeCompare(String(b.value)))).toEqual([
			{ name: 'VIP', value: vip.id },
			{ name: 'Personnel', value: staff.id },
		]);
	});

	test('a wrong key: the dropdown fails with unauthenticated, without the key', async () => {
		const failure = loadOptions('getSenders', { apiKey: WRONG_KEY });
		await expect(failure).rejects.toThrow('Mon SMS PRO refused the request: unauthenticated');
		await failure.catch((error: Error) => expectNoSecret(`${error.message} ${error.stack ?? ''}`));
	});
});
