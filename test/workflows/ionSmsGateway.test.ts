/**
 * The ION SMS Gateway node inside n8n's WorkflowExecute, against the ION
 * simulator over HTTP on 127.0.0.1. ION takes one text per request (UNIDES one
 * number, MULDES many, MULDESP many over a window of days in Gabon time),
 * refuses texts over 160 characters, reports an empty balance as HTTP 500, and
 * has no status query: the answer's `statut` is all the node sees.
 */
import type { IDataObject, INodeParameters, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { MAX_NUMBERS_PER_REQUEST } from '../../nodes/IonSmsGateway/assumptions';
import { loadPackage } from '../helpers/n8n';
import { useProviderNode } from '../providers/useSimulators';
import type { IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';

// The key (and any key tried) must never be in what n8n records of a run: output, errors, context.
const WRONG_KEY = 'not-the-ion-key+42';
const { sim, run: ion, checkCredential } = useProviderNode<IonSmsGatewaySimulator>('ionSmsGateway');

/** Gabon numbers 06 10 00 00 + i (8 digits, the 0 is part of the number), national form. */
const gabon = (i: number) => `061${String(i).padStart(5, '0')}`;
const intl = (i: number) => `+241${gabon(i)}`;
const bodies = () => sim.requests.map((r) => JSON.parse(r.rawBody) as IDataObject);
const sentTo = (to: string) => sim.ledger.filter((s) => s.to === to);
const codePoints = (s: string) => Array.from(s).length;

// Days as ION counts them: calendar days in Gabon (UTC+1), computed from now so that they stay in the future.
const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const gabonDay = (ms: number) => utcDay(ms + 3_600_000);
const addDays = (day: string, n: number) => utcDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
const inDays = (n: number) => addDays(gabonDay(Date.now()), n);

describe('send', () => {
	test('one number: UNIDES with the documented JSON and X-API-Key, contract output; the national 0 is kept', async () => {
		const parameters = { operation: 'send', sender: 'ION-Networking', to: '={{ $json.phone }}', message: '=Bonjour {{ $json.name }}, votre colis est arrivé.' };
		const { outputs } = await ion([{ phone: '06 12 34 56', name: 'Nzé' }], parameters);
		// Provider, operation, status, pairing: the behaviour suite (smsNode.behaviour.test.ts).
		expect(outputs[0][0].json).toMatchObject({
			messageId: '000001',
			providerStatus: 'EN_ATTENTE',
			to: '+24106123456',
			encoding: 'GSM-7',
			segments: 1,
			requestType: 'UNIDES',
		});
		expect(sim.requests).toHaveLength(1);
		const request = sim.requests[0];
		expect([request.method, request.path]).toEqual(['POST', '/api/V1/sms/unides']);
		expect(request.headers['x-api-key']).toBe(sim.apiKey);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(bodies()[0]).toEqual({ emetteur: 'ION-Networking', destinataire: '+24106123456', corps: 'Bonjour Nzé, votre colis est arrivé.' });
		expect(sim.ledger).toEqual([expect.objectContaining({ ref: '000001', type: 'UNIDES', to: '+24106123456', sender: 'ION-Networking' })]);
	});

	test('several numbers in one item: one MULDES, one output item with per-number results', async () => {
		// 8-digit numbers keep their 0; libphonenumber reads the 9-digit 074000001 as 0 + 74000001.
		const { outputs } = await ion([{}], { operation: 'send', sender: 'ION', to: '+241 06 12 34 56, 07412345\n074000001; 06123456', message: 'Hello' });
		expect(outputs[0]).toHaveLength(1);
		const { json } = outputs[0][0];
		expect(json).toMatchObject({ status: 'pending', messageId: '000001', requestType: 'MULDES', to: '+24106123456,+24107412345,+24174000001', recipientCount: 3 });
		expect(json.recipients).toEqual([
			{ to: '+24106123456', status: 'pending' },
			{ to: '+24107412345', status: 'pending' },
			{ to: '+24174000001', status: 'pending' },
		]);
		expect(json.messageIds).toBeUndefined();
		expect(sim.requests.map((r) => r.path)).toEqual(['/api/V1/sms/muldes']);
		expect(bodies()[0]).toEqual({ emetteur: 'ION', numeros: ['+24106123456', '+24107412345', '+24174000001'], corps: 'Hello' });
		expect(sim.ledger.map((s) => [s.ref, s.to])).toEqual([
			['000001', '+24106123456'],
			['000001', '+24107412345'],
			['000001', '+24174000001'],
		]);
	});

	test(`more than ${MAX_NUMBERS_PER_REQUEST} numbers in one item: several MULDES, one output item with every ref`, async () => {
		const count = 2 * MAX_NUMBERS_PER_REQUEST + 500;
		const numbers = Array.from({ length: count }, (_, i) => gabon(i));
		const { outputs, error } = await ion([{ numbers }], { operation: 'send', sender: 'ION', to: '={{ $json.numbers }}', message: 'Hi' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		const { json } = outputs[0][0];
		expect(json.recipientCount).toBe(count);
		expect(sim.requests.every((r) => r.path === '/api/V1/sms/muldes')).toBe(true);
		expect(bodies().map((b) => (b.numeros as string[]).length).sort((a, b) => a - b)).toEqual([500, MAX_NUMBERS_PER_REQUEST, MAX_NUMBERS_PER_REQUEST]);
		expect([...(json.messageIds as string[])].sort()).toEqual(['000001', '000002', '000003']);
		expect(sim.ledger).toHaveLength(count);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(count);
		// Chunks are in input order: the i-th ref of the item carries its i-th thousand of numbers.
		(json.messageIds as string[]).forEach((ref, chunk) => expect(sentTo(intl(chunk * MAX_NUMBERS_PER_REQUEST))[0].ref).toBe(ref));
	});
});

describe('ION refusals', () => {
	const send = { operation: 'send', sender: 'ION', to: gabon(1), message: 'Hi' };

	test('an empty prepaid balance: ION\'s words and a top-up hint; Retry On Fail resends it (a definite refusal, not an unsure one)', async () => {
		sim.balance = 0;
		const { error, outputs } = await ion([{}], send, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
		expect(outputs).toEqual([]);
		expect(error?.message).toBe('ION SMS Gateway refused the request (HTTP 500): Solde insuffisant');
		expect(error?.description).toMatch(/prepaid ION balance is empty: top it up/);
		expect(error?.description).not.toMatch(/may or may not have received/);
		// A 500 that is not held back: the second try asked ION again.
		expect(sim.requests).toHaveLength(2);
		expect(sim.ledger).toHaveLength(0);
	});

	test('a balance short of a MULDES refuses the whole request; Continue On Fail gives the reason on the item', async () => {
		sim.balance = 2;
		const { outputs } = await ion([{}], { ...send, to: `${gabon(1)}, ${gabon(2)}, ${gabon(3)}` }, { continueOnFail: true });
		expect(outputs[0][0].json).toMatchObject({ status: 'failed', httpStatus: 500, error: expect.stringMatching(/Solde insuffisant\. Your prepaid ION balance is empty/) });
		expect(sim.ledger).toHaveLength(0);
		expect(sim.balance).toBe(2);
	});

	test('401 for a wrong key quotes ION and says what to check, without the key', async () => {
		const { error } = await ion([{}], send, {}, { credentials: { apiKey: WRONG_KEY } });
		expect(error?.message).toBe('ION SMS Gateway refused the request (HTTP 401): Clé API invalide');
		expect(error?.description).toMatch(/Check the API key in the ION SMS Gateway credential/);
		expect(sim.requests[0].headers['x-api-key']).toBe(WRONG_KEY);
		expect(sim.ledger).toHaveLength(0);
	});

	test('401 for an expired key and for a suspended account', async () => {
		sim.keyState = 'expired';
		const expired = await ion([{}], send);
		expect(expired.error?.message).toBe('ION SMS Gateway refused the request (HTTP 401): Clé API expirée');
		expect(expired.error?.description).toMatch(/a key can expire/);
		sim.keyState = 'suspended';
		const suspended = await ion([{}], send);
		expect(suspended.error?.message).toBe('ION SMS Gateway refused the request (HTTP 401): Compte client suspendu ou archivé');
		expect(suspended.error?.description).toMatch(/suspended account refuses every key/);
		expect(sim.ledger).toHaveLength(0);
	});

	test('an answer that echoes the key is redacted in errors and in the output', async () => {
		sim.injectFault({ kind: 'status', status: 400, body: { error: `Clé ${sim.apiKey} refusée (${encodeURIComponent(sim.apiKey)})` } });
		const failed = await ion([{}], send, { continueOnFail: true });
		expect(failed.outputs[0][0].json.error).toMatch(/^ION SMS Gateway refused the request \(HTTP 400\): Clé \*\*\* refusée \(\*\*\*\)/);
		sim.injectFault({ kind: 'status', status: 201, body: { ref: 7, type: 'UNIDES', statut: `EN_ATTENTE ${sim.apiKey}` } });
		const accepted = await ion([{}], send);
		expect(accepted.outputs[0][0].json).toMatchObject({ messageId: '7', providerStatus: 'EN_ATTENTE ***' });
	});

	test('a 2xx that is not ION\'s JSON is an unsure failure, not resent', async () => {
		sim.injectFault({ kind: 'malformed', body: '<html>maintenance</html>' });
		const { error } = await ion([{}], send);
		expect(error?.message).toMatch(/ION SMS Gateway answered HTTP 200 with something that is not JSON: <html>maintenance<\/html>/);
		expect(error?.description).toMatch(/may or may not have received/);
		expect(sim.requests).toHaveLength(1);
	});
});

describe('sendBulk', () => {

	test('a batch of one goes as UNIDES', async () => {
		const { outputs } = await ion([{ phone: gabon(1) }], { operation: 'sendBulk', sender: 'ION', phone: '={{ $json.phone }}', message: 'Hi' });
		expect(outputs[0][0].json).toMatchObject({ status: 'pending', requestType: 'UNIDES', batchSize: 1 });
		expect(bodies()[0]).toEqual({ emetteur: 'ION', destinataire: intl(1), corps: 'Hi' });
	});

	test('a number ION refuses (400 "Numéro invalide") fails its item; the rest of the batch is sent again without it', async () => {
		sim.refuseNumber(intl(2));
		const items = [1, 2, 3].map((i) => ({ phone: gabon(i) }));
		const { outputs } = await ion(items, { operation: 'sendBulk', sender: 'ION', phone: '={{ $json.phone }}', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0].map((i) => i.json.status)).toEqual(['pending', 'failed', 'pending']);
		expect(outputs[0][1].json).toMatchObject({ to: intl(2), httpStatus: 400, error: expect.stringMatching(/^ION SMS Gateway refused the request \(HTTP 400\): Numéro invalide: \+24106100002/) });
		expect(bodies().map((b) => b.numeros)).toEqual([
			[intl(1), intl(2), intl(3)],
			[intl(1), intl(3)],
		]);
		expect(sim.ledger.map((s) => s.to)).toEqual([intl(1), intl(3)]);
	});
});

describe('sendPersonalized', () => {
	const params = { operation: 'sendPersonalized', sender: 'CLINIQUE', phone: '={{ $json.phone }}', message: 'Bonjour :P1, RDV le :P2.' };

	test('the node fills :P1 … :P5; equal texts share a MULDES, a distinct text goes on its own', async () => {
		const items = [
			{ phone: gabon(1), p1: 'Mme Mba', p2: '25/11' },
			{ phone: gabon(2), p1: 'M. Obiang', p2: '26/11' },
			{ phone: gabon(3), p1: 'Mme Mba', p2: '25/11' },
		];
		const { outputs, error } = await ion(items, params);
		expect(error).toBeUndefined();
		expect(sim.requests).toHaveLength(2);
		const byText = Object.fromEntries(bodies().map((b) => [b.corps as string, b]));
		expect(byText['Bonjour Mme Mba, RDV le 25/11.']).toEqual({ emetteur: 'CLINIQUE', numeros: [intl(1), intl(3)], corps: 'Bonjour Mme Mba, RDV le 25/11.' });
		expect(byText['Bonjour M. Obiang, RDV le 26/11.']).toEqual({ emetteur: 'CLINIQUE', destinataire: intl(2), corps: 'Bonjour M. Obiang, RDV le 26/11.' });
		const refOf = new Map(sim.ledger.map((s) => [s.to, s.ref]));
		expect(outputs[0].map((i) => [i.json.status, i.json.to, i.json.messageId, i.json.requestType, i.pairedItem])).toEqual([
			['pending', intl(1), refOf.get(intl(1)), 'MULDES', { item: 0 }],
			['pending', intl(2), refOf.get(intl(2)), 'UNIDES', { item: 1 }],
			['pending', intl(3), refOf.get(intl(1)), 'MULDES', { item: 2 }],
		]);
		expect(refOf.get(intl(1))).not.toBe(refOf.get(intl(2)));
		expect(sim.ledger.map((s) => [s.to, s.text]).sort()).toEqual([
			[intl(1), 'Bonjour Mme Mba, RDV le 25/11.'],
			[intl(2), 'Bonjour M. Obiang, RDV le 26/11.'],
			[intl(3), 'Bonjour Mme Mba, RDV le 25/11.'],
		]);
	});

	test('a filled text over 160 characters fails that item only (Continue On Fail)', async () => {
		const items = [
			{ phone: gabon(1), p1: 'Ada', p2: '1/12' },
			{ phone: gabon(2), p1: 'A'.repeat(150), p2: '1/12' },
		];
		const { outputs } = await ion(items, params, { continueOnFail: true });
		expect(outputs[0].map((i) => i.json.status)).toEqual(['pending', 'failed']);
		expect(outputs[0][1].json.error).toMatch(/^The Message \(filled for this item\) has 172 characters; ION SMS Gateway takes at most 160/);
		expect(sim.ledger.map((s) => s.to)).toEqual([intl(1)]);
	});
});

describe('sendScheduled', () => {
	const scheduled = { operation: 'sendScheduled', sender: 'ION', to: `${gabon(1)}, ${gabon(2)}, ${gabon(3)}`, message: 'Rappel' };

	test('MULDESP with the defaults: one day, every recipient that day, 1 minute apart; status scheduled, window echoed', async () => {
		const day = inDays(5);
		const { outputs, error } = await ion([{}], { ...scheduled, sendAt: `${day}T09:00:00` }, {}, { timezone: 'Africa/Libreville' });
		expect(error).toBeUndefined();
		expect(sim.requests.map((r) => r.path)).toEqual(['/api/V1/sms/muldesp']);
		expect(bodies()[0]).toEqual({ emetteur: 'ION', numeros: [intl(1), intl(2), intl(3)], corps: 'Rappel', dateDebut: day, dateFin: day, nbParJour: 3, intervalleMinutes: 1 });
		const window = { dateDebut: day, dateFin: day, nbParJour: 3, intervalleMinutes: 1 };
		expect(outputs[0][0].json).toMatchObject({
			operation: 'sendScheduled',
			status: 'scheduled',
			providerStatus: 'EN_ATTENTE',
			messageId: '000001',
			requestType: 'MULDESP',
			window,
			// 09:00 in Libreville is 08:00 UTC.
			sendAt: `${day}T08:00:00.000Z`,
		});
		expect(sim.ledger.map((s) => s.window)).toEqual([window, window, window]);
	});

	test('Last Day, SMS Per Day and Minutes Between SMS go into the window', async () => {
		const day = inDays(5);
		const { outputs } = await ion(
			[{}],
			{ ...scheduled, sendAt: `${day}T09:00:00`, options: { lastDay: `${addDays(day, 3)}T00:00:00`, smsPerDay: 2, minutesBetweenSms: 15 } },
			{},
			{ timezone: 'Africa/Libreville' },
		);
		const window = { dateDebut: day, dateFin: addDays(day, 3), nbParJour: 2, intervalleMinutes: 15 };
		expect(bodies()[0]).toMatchObject(window);
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', window });
	});

	test('one recipient is still a MULDESP (only it carries the window)', async () => {
		const day = inDays(2);
		await ion([{}], { ...scheduled, to: gabon(1), sendAt: `${day}T12:00:00Z` });
		expect(bodies()[0]).toEqual({ emetteur: 'ION', numeros: [intl(1)], corps: 'Rappel', dateDebut: day, dateFin: day, nbParJour: 1, intervalleMinutes: 1 });
	});

	test("the first day is Send At's day in Gabon: across midnight from New York and from Tokyo", async () => {
		const day = inDays(5);
		// 20:30 in New York is past midnight in Gabon (UTC+1): the next day.
		const newYork = await ion([{}], { ...scheduled, sendAt: `${day}T20:30:00` }, {}, { timezone: 'America/New_York' });
		expect(newYork.error).toBeUndefined();
		// 07:00 in Tokyo (UTC+9) is 23:00 the day before in Gabon.
		const tokyo = await ion([{}], { ...scheduled, sendAt: `${day}T07:00:00` }, {}, { timezone: 'Asia/Tokyo' });
		expect(tokyo.error).toBeUndefined();
		expect(bodies().map((b) => [b.dateDebut, b.dateFin])).toEqual([
			[addDays(day, 1), addDays(day, 1)],
			[addDays(day, -1), addDays(day, -1)],
		]);
	});

	test('a first day in the past (yesterday in Gabon) is a clear error; today is accepted even an hour ago', async () => {
		const now = Date.now();
		const yesterday = await ion([{}], { ...scheduled, sendAt: new Date(now - DAY_MS).toISOString() });
		const today = gabonDay(now);
		expect(yesterday.error?.message).toBe(`'Send At' gives ${addDays(today, -1)} (Gabon time, UTC+1) as the first day, which is in the past: it is ${today} there now`);
		expect(yesterday.error?.description).toMatch(/schedules by day: pick today or a later day/);
		expect(sim.requests).toHaveLength(0);

		// An hour ago, or Gabon's midnight if that was less than an hour ago: still today there.
		const gabonMidnight = Date.parse(`${today}T00:00:00Z`) - 3_600_000;
		const earlier = await ion([{}], { ...scheduled, sendAt: new Date(Math.max(now - 3_600_000, gabonMidnight)).toISOString() });
		expect(earlier.error).toBeUndefined();
		expect(earlier.outputs[0][0].json.status).toBe('scheduled');
		expect(bodies()[0]).toMatchObject({ dateDebut: today, dateFin: today });
	});

	test('a window that cannot carry every recipient is refused before sending', async () => {
		const day = inDays(3);
		const { error } = await ion([{}], { ...scheduled, sendAt: `${day}T12:00:00Z`, options: { smsPerDay: 1 } });
		expect(error?.message).toBe(
			`The window ${day} to ${day} (1 day × 1 SMS per day = 1) cannot carry the 3 recipients: raise 'SMS Per Day' or move 'Last Day' later`,
		);
		expect(error?.context?.itemIndex).toBe(0);
		expect(sim.requests).toHaveLength(0);
	});

	test('Last Day before the first day and a fractional SMS Per Day are refused', async () => {
		const day = inDays(3);
		const sendAt = `${day}T12:00:00Z`;
		const before = await ion([{}], { ...scheduled, sendAt, options: { lastDay: `${addDays(day, -1)}T00:00:00` } });
		expect(before.error?.message).toBe(`'Last Day' (${addDays(day, -1)}) is before the first day (${day}, Gabon time)`);
		const fraction = await ion([{}], { ...scheduled, sendAt, options: { smsPerDay: '={{ 2.5 }}' } });
		expect(fraction.error?.message).toBe("'SMS Per Day' (2.5) must be a whole number of at least 1");
		expect(sim.requests).toHaveLength(0);
	});

	test('SMS Per Day × Minutes Between SMS over 24 hours is sent as asked: how ION spaces the SMS is not documented', async () => {
		const day = inDays(3);
		const { outputs, error } = await ion([{}], { ...scheduled, sendAt: `${day}T12:00:00Z`, options: { smsPerDay: 100, minutesBetweenSms: 15 } });
		expect(error).toBeUndefined();
		const window = { dateDebut: day, dateFin: day, nbParJour: 100, intervalleMinutes: 15 };
		expect(bodies()).toEqual([{ emetteur: 'ION', numeros: [intl(1), intl(2), intl(3)], corps: 'Rappel', ...window }]);
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', window });
	});

	test(`over ${MAX_NUMBERS_PER_REQUEST} numbers in one item: the MULDESP requests share SMS Per Day in proportion, rounded up`, async () => {
		const day = inDays(4);
		const numbers = Array.from({ length: 1500 }, (_, i) => gabon(i));
		const { outputs, error } = await ion(
			[{ numbers }],
			{ ...scheduled, to: '={{ $json.numbers }}', sendAt: `${day}T12:00:00Z`, options: { smsPerDay: 500, lastDay: `${addDays(day, 2)}T00:00:00` } },
		);
		expect(error).toBeUndefined();
		expect(sim.requests.map((r) => r.path)).toEqual(['/api/V1/sms/muldesp', '/api/V1/sms/muldesp']);
		// 3 days × 500 carry the 1500 numbers; 1000 of them take ceil(500 × 1000 / 1500) = 334 a day, 500 take 167.
		const windows = bodies()
			.map((b) => [(b.numeros as string[]).length, b.dateDebut, b.dateFin, b.nbParJour, b.intervalleMinutes])
			.sort((a, b) => Number(b[0]) - Number(a[0]));
		expect(windows).toEqual([
			[1000, day, addDays(day, 2), 334, 1],
			[500, day, addDays(day, 2), 167, 1],
		]);
		expect(sim.ledger).toHaveLength(1500);
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', recipientCount: 1500, messageIds: [sentTo(intl(0))[0].ref, sentTo(intl(1000))[0].ref] });
	});

	test(`${2 * MAX_NUMBERS_PER_REQUEST} numbers with the default options: two MULDESP of 1000, each its own count per day`, async () => {
		const day = inDays(4);
		const numbers = Array.from({ length: 2 * MAX_NUMBERS_PER_REQUEST }, (_, i) => gabon(i));
		const { outputs, error } = await ion([{ numbers }], { ...scheduled, to: '={{ $json.numbers }}', sendAt: `${day}T12:00:00Z` });
		expect(error).toBeUndefined();
		expect(bodies().map((b) => [(b.numeros as string[]).length, b.dateDebut, b.dateFin, b.nbParJour, b.intervalleMinutes])).toEqual([
			[1000, day, day, 1000, 1],
			[1000, day, day, 1000, 1],
		]);
		expect(sim.ledger).toHaveLength(2000);
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', recipientCount: 2000 });
	});

	test('a scheduled text over 160 characters fails its item before anything is sent, Split Long Text set or not', async () => {
		const day = inDays(3);
		const long = 'mot '.repeat(45).trim();
		// splitLongText left in the parameters from when the node was on Send: n8n drops it, as Send
		// Scheduled does not show it (the engine would refuse it anyway, but cannot be reached that way).
		const { outputs } = await ion(
			[{ text: long }, { text: 'Rappel' }],
			{ ...scheduled, message: '={{ $json.text }}', sendAt: `${day}T12:00:00Z`, options: { splitLongText: true } },
			{ continueOnFail: true },
		);
		expect(outputs[0].map((i) => i.json.status)).toEqual(['failed', 'scheduled']);
		expect(outputs[0][0].json.error).toMatch(/^The Message has 179 characters/);
		expect(bodies().map((b) => b.corps)).toEqual(['Rappel']);
		// Without Continue On Fail the workflow stops before anything is sent.
		sim.reset();
		const { error } = await ion([{}], { ...scheduled, message: long, sendAt: `${day}T12:00:00Z`, options: { splitLongText: true } });
		expect(error?.message).toMatch(/^The Message has 179 characters/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(sim.requests).toHaveLength(0);
	});

	// n8n drops the hidden split option before the node runs: the refusal must not advise it either.
	test('the refusal of a long scheduled text does not advise the split option Send Scheduled lacks', async () => {
		const { error } = await ion([{}], { ...scheduled, message: 'a'.repeat(161), sendAt: `${inDays(3)}T12:00:00Z` });
		expect(error?.message).toMatch(/has 161 characters/);
		expect(error?.description).not.toMatch(/Split Long Text/);
		expect(error?.description).toMatch(/^Shorten it to 160 characters: a scheduled text is not split into numbered SMS/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('texts over 160 characters', () => {
	// 30 words of 5 letters and a space: 179 characters, cut at spaces only.
	const long = Array.from({ length: 30 }, (_, i) => `mot${String(i).padStart(2, '0')}`).join(' ');
	const text161 = `${'Bonjour, '.repeat(17)}Merci !!`.slice(0, 161);

	test('161 characters fail the item before anything is sent, giving both counts and the split option', async () => {
		expect(codePoints(text161)).toBe(161);
		const { error } = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: text161 });
		expect(error?.message).toBe('The Message has 161 characters; ION SMS Gateway takes at most 160 in one SMS and does not join longer texts');
		expect(error?.description).toMatch(/turn on the option 'Split Long Text Into Numbered SMS' to send it as 2 numbered SMS/);
		expect(error?.description).not.toMatch(/Transliterate/);
		expect(sim.requests).toHaveLength(0);
	});

	test('exactly 160 characters, emoji counted as one, go as one SMS', async () => {
		const text = `${'a'.repeat(158)}😀!`;
		const { outputs } = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: text });
		expect(outputs[0][0].json).toMatchObject({ status: 'pending', encoding: 'UCS-2', characters: 160 });
		expect(bodies()[0].corps).toBe(text);
	});

	test('a Unicode text over the limit: the advice names Transliterate to GSM-7', async () => {
		// ’ « » are replaced one for one, so this stays over 160 but becomes plain GSM-7.
		const typographic = `L’équipe « ION » vous remercie. ${'Merci beaucoup. '.repeat(9)}`.trim();
		expect(codePoints(typographic)).toBeGreaterThan(160);
		const { error } = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: typographic });
		expect(error?.description).toMatch(/With 'Transliterate to GSM-7' as well, each part is a plain GSM-7 SMS/);
		// Zero-width spaces are removed by transliteration: then the text fits, and the advice says so first.
		const zeroWidth = `« ${'a'.repeat(150)} »${'\u200b'.repeat(10)}`;
		const fits = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: zeroWidth });
		expect(fits.error?.message).toMatch(/has 164 characters/);
		expect(fits.error?.description).toMatch(/^Turning on 'Transliterate to GSM-7' brings it to 154 characters, within the limit\./);
		expect(sim.requests).toHaveLength(0);
		// …and with the option on it is sent as one GSM-7 SMS.
		const sent = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: zeroWidth, options: { transliterate: true } });
		expect(sent.outputs[0][0].json).toMatchObject({ status: 'pending', encoding: 'GSM-7', characters: 154 });
		expect(bodies()[0].corps).toBe(`" ${'a'.repeat(150)} "`);
	});

	test('150 characters and 11 trailing spaces go as the 150 characters, split option or not, in every path', async () => {
		const text = `${'Votre colis est arrivé. '.repeat(6)}Merci!`;
		expect(codePoints(text)).toBe(150);
		const padded = `${text}${' '.repeat(11)}`;
		const alone = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: padded });
		const split = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(2), message: padded, options: { splitLongText: true } });
		const items = [3, 4].map((i) => ({ phone: gabon(i) }));
		const bulk = await ion(items, { operation: 'sendBulk', sender: 'ION', phone: '={{ $json.phone }}', message: padded, options: { splitLongText: true } });
		// Filled with :P1, the personalised text is 161 characters too.
		const named = [3, 4].map((i) => ({ phone: gabon(i), p1: text.slice(140) }));
		const personalized = await ion(named, { operation: 'sendPersonalized', sender: 'ION', phone: '={{ $json.phone }}', message: `${text.slice(0, 140)}:P1${' '.repeat(11)}` });
		const scheduledSend = await ion([{}], { operation: 'sendScheduled', sender: 'ION', to: gabon(5), message: padded, sendAt: `${inDays(2)}T12:00:00Z` });
		for (const run of [alone, split, bulk, personalized, scheduledSend]) {
			expect(run.error).toBeUndefined();
			for (const item of run.outputs[0]) expect(item.json).toMatchObject({ characters: 150, segments: 1 });
		}
		expect(alone.outputs[0][0].json).toMatchObject({ status: 'pending' });
		expect(split.outputs[0][0].json.parts).toBeUndefined();
		expect(sim.ledger.map((s) => s.text)).toEqual(Array(7).fill(text));
		expect(sim.requests.map((r) => r.path)).toEqual(['/api/V1/sms/unides', '/api/V1/sms/unides', '/api/V1/sms/muldes', '/api/V1/sms/muldes', '/api/V1/sms/muldesp']);
	});

	test(`a split text to ${MAX_NUMBERS_PER_REQUEST + 500} numbers: every request's ref in messageIds, part by part, chunk by chunk`, async () => {
		const numbers = Array.from({ length: MAX_NUMBERS_PER_REQUEST + 500 }, (_, i) => gabon(i));
		const { outputs, error } = await ion([{ numbers }], { operation: 'send', sender: 'ION', to: '={{ $json.numbers }}', message: long, options: { splitLongText: true } });
		expect(error).toBeUndefined();
		expect(bodies().map((b) => [(b.corps as string).slice(0, 5), (b.numeros as string[]).length]).sort()).toEqual([
			['(1/2)', 1000],
			['(1/2)', 500],
			['(2/2)', 1000],
			['(2/2)', 500],
		]);
		// Refs are given in arrival order, and the two chunks of a part go at once: read each one from the ledger.
		const ref = (part: string, number: number) => sentTo(intl(number)).find((s) => s.text.startsWith(part))?.ref;
		const expected = [ref('(1/2)', 0), ref('(1/2)', MAX_NUMBERS_PER_REQUEST), ref('(2/2)', 0), ref('(2/2)', MAX_NUMBERS_PER_REQUEST)];
		expect(new Set(expected).size).toBe(4);
		expect(outputs[0][0].json).toMatchObject({ status: 'pending', parts: 2, recipientCount: MAX_NUMBERS_PER_REQUEST + 500, messageId: expected[0], messageIds: expected });
		expect(sim.ledger).toHaveLength(2 * (MAX_NUMBERS_PER_REQUEST + 500));
	});

	test('send with Split Long Text: numbered parts in order, each within 160, one output item with every ref', async () => {
		const { outputs, error } = await ion([{}], { operation: 'send', sender: 'ION', to: `${gabon(1)}, ${gabon(2)}`, message: long, options: { splitLongText: true } });
		expect(error).toBeUndefined();
		const corps = bodies().map((b) => b.corps as string);
		expect(corps).toHaveLength(2);
		expect(corps[0]).toMatch(/^\(1\/2\) mot00 /);
		expect(corps[1]).toMatch(/^\(2\/2\) /);
		for (const c of corps) expect(codePoints(c)).toBeLessThanOrEqual(160);
		// Nothing lost or reordered: the parts' bodies joined by a space are the text (cut at spaces).
		expect(corps.map((c) => c.replace(/^\(\d\/2\) /, '')).join(' ')).toBe(long);
		expect(bodies().every((b) => JSON.stringify(b.numeros) === JSON.stringify([intl(1), intl(2)]))).toBe(true);
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({ status: 'pending', parts: 2, messageId: '000001', messageIds: ['000001', '000002'], to: `${intl(1)},${intl(2)}` });
		// Part 2 was asked for only after part 1 was accepted.
		expect(sim.ledger.map((s) => [s.ref, s.to, s.text.slice(0, 5)])).toEqual([
			['000001', intl(1), '(1/2)'],
			['000001', intl(2), '(1/2)'],
			['000002', intl(1), '(2/2)'],
			['000002', intl(2), '(2/2)'],
		]);
	});

	test('sendBulk with Split Long Text: part 1 to everyone in one MULDES, then part 2; one output item per input item', async () => {
		const items = [1, 2, 3].map((i) => ({ phone: gabon(i) }));
		const { outputs } = await ion(items, { operation: 'sendBulk', sender: 'ION', phone: '={{ $json.phone }}', message: long, options: { splitLongText: true } });
		expect(bodies().map((b) => [(b.corps as string).slice(0, 5), b.numeros])).toEqual([
			['(1/2)', [intl(1), intl(2), intl(3)]],
			['(2/2)', [intl(1), intl(2), intl(3)]],
		]);
		expect(outputs[0]).toHaveLength(3);
		outputs[0].forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ to: intl(i + 1), parts: 2, messageIds: ['000001', '000002'], status: 'pending' });
		});
	});

	test('sendPersonalized with Split Long Text: every part 1 before any part 2, each item its own texts', async () => {
		const items = [
			{ phone: gabon(1), p1: 'Mme Mba' },
			{ phone: gabon(2), p1: 'M. Obiang' },
		];
		const { outputs } = await ion(items, { operation: 'sendPersonalized', sender: 'ION', phone: '={{ $json.phone }}', message: `Bonjour :P1. ${long}`, options: { splitLongText: true } });
		expect(bodies().map((b) => [(b.corps as string).slice(0, 5), b.destinataire])).toEqual([
			['(1/2)', expect.any(String)],
			['(1/2)', expect.any(String)],
			['(2/2)', expect.any(String)],
			['(2/2)', expect.any(String)],
		]);
		for (const [i, name] of [
			[1, 'Mme Mba'],
			[2, 'M. Obiang'],
		] as const) {
			const mine = sentTo(intl(i));
			expect(mine.map((s) => s.text.slice(0, 5))).toEqual(['(1/2)', '(2/2)']);
			expect(mine[0].text.startsWith(`(1/2) Bonjour ${name}. mot00`)).toBe(true);
			expect(outputs[0][i - 1].json).toMatchObject({ to: intl(i), parts: 2, messageIds: mine.map((s) => s.ref) });
		}
	});

	test('part 2 refused once: Retry On Fail sends only part 2 again, part 1 is not sent twice', async () => {
		sim.injectFault({ kind: 'status', status: 400, body: { error: 'Missing required fields' } }, 1, (req) => req.rawBody.includes('(2/2)'));
		const { outputs, error } = await ion(
			[{}],
			{ operation: 'send', sender: 'ION', to: gabon(1), message: long, options: { splitLongText: true } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		);
		expect(error).toBeUndefined();
		expect(sim.requests.map((r) => (JSON.parse(r.rawBody) as { corps: string }).corps.slice(0, 5))).toEqual(['(1/2)', '(2/2)', '(2/2)']);
		expect(sim.ledger.map((s) => s.text.slice(0, 5))).toEqual(['(1/2)', '(2/2)']);
		expect(outputs[0][0].json).toMatchObject({ parts: 2, messageIds: ['000001', '000002'] });
	});

	test('part 2 refused without a retry: the item says part 1 went out', async () => {
		sim.injectFault({ kind: 'status', status: 400, body: { error: 'Missing required fields' } }, 1, (req) => req.rawBody.includes('(2/2)'));
		const { outputs } = await ion([{}], { operation: 'send', sender: 'ION', to: gabon(1), message: long, options: { splitLongText: true } }, { continueOnFail: true });
		expect(outputs[0][0].json.error).toMatch(
			/^ION SMS Gateway refused the request \(HTTP 400\): Missing required fields; part 1 of the 2 numbered SMS was accepted and is not resent on retry, the later parts were not sent/,
		);
		expect(sim.ledger.map((s) => s.text.slice(0, 5))).toEqual(['(1/2)']);
	});
});

describe('node description', () => {
	test('offers the four sends and no Get Status (ION has no status query); the credential is tested by the node', async () => {
		const loader = await loadPackage();
		const { description } = loader.nodeTypes.ionSmsGateway.type as INodeType;
		const operation = description.properties.find((p) => p.name === 'operation');
		expect(operation?.options?.map((o) => (o as INodePropertyOptions).value)).toEqual(['send', 'sendBulk', 'sendPersonalized', 'sendScheduled']);
		expect(description.credentials).toEqual([{ name: 'ionSmsGatewayApi', required: true, testedBy: 'ionSmsGatewayApiTest' }]);
	});

	test('Split Long Text is offered for every send but Send Scheduled', async () => {
		const loader = await loadPackage();
		const { description } = loader.nodeTypes.ionSmsGateway.type as INodeType;
		const options = description.properties.find((p) => p.name === 'options')?.options as INodeParameters[] | undefined;
		const split = options?.find((o) => o.name === 'splitLongText');
		expect(split?.displayOptions).toEqual({ show: { '/operation': ['send', 'sendBulk', 'sendPersonalized'] } });
	});
});

describe('credential test', () => {
	const check = checkCredential;

	test('a good key passes: an empty UNIDES that ION refuses with 400, nothing sent', async () => {
		expect(await check({})).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0].path).toBe('/api/V1/sms/unides');
		expect(sim.requests[0].headers['x-api-key']).toBe(sim.apiKey);
		expect(bodies()[0]).toEqual({});
		expect(sim.ledger).toHaveLength(0);
	});

	test('a bad key, an expired key and a suspended account fail quoting ION', async () => {
		expect(await check({ apiKey: WRONG_KEY })).toEqual({ status: 'Error', message: 'ION SMS Gateway refused the API key: Clé API invalide' });
		sim.keyState = 'expired';
		expect(await check({})).toEqual({ status: 'Error', message: 'ION SMS Gateway refused the API key: Clé API expirée' });
		sim.keyState = 'suspended';
		expect(await check({})).toEqual({ status: 'Error', message: 'ION SMS Gateway refused the API key: Compte client suspendu ou archivé' });
		expect(sim.ledger).toHaveLength(0);
	});

	test('a base URL where nothing listens, or where something else answers, says so', async () => {
		const refused = await check({ baseUrl: 'http://127.0.0.1:9/api/V1/sms/' });
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^Could not reach ION SMS Gateway at http:\/\/127\.0\.0\.1:9\/api\/V1\/sms\/: connection refused/);
		const wrongPath = await check({ baseUrl: `${sim.url}/api/v1/sms` });
		expect(wrongPath.status).toBe('Error');
		expect(wrongPath).toEqual({ status: 'Error', message: 'ION SMS Gateway did not answer as expected (HTTP 404: {"error":"Not found"}). Check the Base URL.' });
	});

	test("only ION's own 400 passes: a 400 or a 200 from something else at the Base URL fails", async () => {
		sim.injectFault({ kind: 'status', status: 400, body: '<html><body><h1>400 Bad Request</h1></body></html>', headers: { 'content-type': 'text/html' } });
		expect(await check({})).toEqual({
			status: 'Error',
			message: 'ION SMS Gateway did not answer as expected (HTTP 400: <html><body><h1>400 Bad Request</h1></body></html>). Check the Base URL.',
		});
		sim.injectFault({ kind: 'malformed', body: '<html><body>Welcome to nginx!</body></html>' });
		expect(await check({})).toEqual({
			status: 'Error',
			message: 'ION SMS Gateway did not answer as expected (HTTP 200: <html><body>Welcome to nginx!</body></html>). Check the Base URL.',
		});
		// JSON, but not ION's {"error": …}; and a 2xx in ION's shape.
		sim.injectFault({ kind: 'status', status: 400, body: { message: 'Bad Request' } });
		expect((await check({})).message).toBe('ION SMS Gateway did not answer as expected (HTTP 400: {"message":"Bad Request"}). Check the Base URL.');
		sim.injectFault({ kind: 'status', status: 201, body: { ref: 1, type: 'UNIDES', statut: 'EN_ATTENTE' } });
		expect((await check({})).message).toMatch(/^ION SMS Gateway did not answer as expected \(HTTP 201: /);
		expect(sim.requests).toHaveLength(4);
		// Then ION itself: it passes.
		expect(await check({})).toEqual({ status: 'OK', message: 'Connection successful' });
	});
});
