/**
 * The LMT BulkSMS node inside n8n's WorkflowExecute, against the LMT simulator
 * over HTTP on 127.0.0.1. LMT takes one number per request, answers HTTP 200
 * for its errors, gives no message id, and wants the key and the password in
 * the form body.
 */
import type { IDataObject, INodeParameters, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { closeTransportPools } from '../../nodes/shared/transport';
import { loadPackage, runAsText, runNode, testCredentialWithNode, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import { expectNoSecretIn } from '../helpers/secrets';

// A password as LMT users have them: every character a form body must escape, and spaces.
const PASSWORD = 'p@ss & w=rd+1 #50% ok';
const API_KEY = 'lmt-key-7c1e9a3b5d';

let sim: LmtGroupSimulator;
beforeAll(async () => {
	sim = await new LmtGroupSimulator({ apiKey: API_KEY, password: PASSWORD }).start();
});
beforeEach(() => sim.reset());
afterAll(async () => {
	await sim.stop();
	await closeTransportPools();
});

const credentials = (overrides: IDataObject = {}) => ({
	lmtBulkSmsApi: { apiKey: API_KEY, password: PASSWORD, baseUrl: sim.baseUrl, defaultCountry: 'CM', ...overrides },
});

/** Every form of the secrets that could leak: as typed, URL-encoded, form-encoded. */
function expectNoSecret(text: string): void {
	expectNoSecretIn(text, [API_KEY, PASSWORD]);
}

async function lmt(items: IDataObject[], parameters: INodeParameters, settings: NodeUnderTest['settings'] = {}): Promise<WorkflowResult> {
	const result = await runNode(items, { type: 'lmtBulkSms', parameters, credentials: credentials(), settings });
	// The key and the password must never be in what n8n records of a run: output, errors, context.
	expectNoSecret(runAsText(result));
	return result;
}

/** Cameroon mobile numbers 6 77 00 00 00 + i, national form. */
const cameroon = (i: number) => `677${String(i).padStart(6, '0')}`;
const intl = (i: number) => `237${cameroon(i)}`;
const forms = () => sim.requests.map((r) => Object.fromEntries(new URLSearchParams(r.rawBody)));
const sentTo = (to: string) => sim.ledger.filter((s) => s.to === to);

describe('send', () => {
	test('one number: the documented form body, the password encoded, contract output', async () => {
		const { outputs, error } = await lmt([{ phone: '+237 6 94 12 43 44', name: 'Ngono' }], {
			operation: 'send',
			sender: 'BOUTIQUE',
			to: '={{ $json.phone }}',
			message: '=Bonjour {{ $json.name }}, votre colis est arrivé.',
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		const { json, pairedItem } = outputs[0][0];
		expect(pairedItem).toEqual({ item: 0 });
		expect(json).toMatchObject({
			provider: 'lmtGroup',
			operation: 'send',
			status: 'accepted',
			messageId: null,
			to: '237694124344',
			encoding: 'GSM-7',
			segments: 1,
			providerStatus: 'message sent',
		});
		expect(sim.requests).toHaveLength(1);
		const request = sim.requests[0];
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/bulksms/api/v1/push');
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
		expect(request.headers.authorization).toBeUndefined();
		expect(forms()[0]).toEqual({
			api_key: API_KEY,
			password: PASSWORD,
			message: 'Bonjour Ngono, votre colis est arrivé.',
			sender: 'BOUTIQUE',
			phone: '237694124344',
			flag: 'short_sms',
		});
		// The raw body carries the password's special characters escaped, not as separators.
		expect(request.rawBody).toContain('password=p%40ss+%26+w%3Drd%2B1+%2350%25+ok');
		expect(sim.ledger).toEqual([expect.objectContaining({ to: '237694124344', sender: 'BOUTIQUE', flag: 'short_sms' })]);
	});

	test('several numbers in one item: one request per number, one output item with per-number results', async () => {
		const { outputs } = await lmt([{}], {
			operation: 'send',
			sender: 'BOUTIQUE',
			to: '+237 6 77 00 00 01, 237677000002\n677000003; 677000001',
			message: 'Hello',
		});
		expect(outputs[0]).toHaveLength(1);
		const { json } = outputs[0][0];
		expect(json).toMatchObject({ status: 'accepted', messageId: null, to: '237677000001,237677000002,237677000003', recipientCount: 3 });
		expect(json.recipients).toEqual([
			{ to: '237677000001', status: 'accepted' },
			{ to: '237677000002', status: 'accepted' },
			{ to: '237677000003', status: 'accepted' },
		]);
		// LMT gives no ids, so there is no list of them.
		expect(json.messageIds).toBeUndefined();
		expect(forms().map((f) => f.phone).sort()).toEqual(['237677000001', '237677000002', '237677000003']);
		expect(sim.ledger).toHaveLength(3);
	});

	test('a long text is flagged long_sms; a short one short_sms; UCS-2 over 70 characters is long too', async () => {
		const gsm161 = 'a'.repeat(161);
		const ucs71 = 'é'.repeat(10) + 'œ'.repeat(61);
		const { outputs } = await lmt([{ m: 'a'.repeat(160) }, { m: gsm161 }, { m: ucs71 }], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: '={{ $json.m }}' });
		expect(outputs[0].map((i) => [i.json.encoding, i.json.segments])).toEqual([
			['GSM-7', 1],
			['GSM-7', 2],
			['UCS-2', 2],
		]);
		const flagOf = (text: string) => sim.ledger.find((s) => s.text === text)?.flag;
		expect(flagOf('a'.repeat(160))).toBe('short_sms');
		expect(flagOf(gsm161)).toBe('long_sms');
		expect(flagOf(ucs71)).toBe('long_sms');
	});

	test('a number LMT refuses (HTTP 200, status error): the item fails with LMT\'s words and a hint', async () => {
		sim.refuseNumber('677000002');
		const { error } = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000002', message: 'Hi' });
		expect(error?.message).toBe('LMT BulkSMS refused the SMS: invalid paramerters: phone is invalid');
		expect(error?.description).toMatch(/237 followed by 9 digits/);
		expect(error?.context?.itemIndex).toBe(0);
	});

	test('one refused number among several of an item: the item fails, says which went out, and lists each number', async () => {
		sim.refuseNumber('677000002');
		const { outputs } = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001, 677000002, 677000003', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0]).toHaveLength(1);
		const { json } = outputs[0][0];
		expect(json.status).toBe('failed');
		expect(json.error).toMatch(/phone is invalid; 2 of 3 requests of this item were accepted and are not resent on retry/);
		expect(json.recipients).toEqual([
			{ to: '237677000001', status: 'accepted' },
			{ to: '237677000002', status: 'failed', error: expect.stringMatching(/phone is invalid/) },
			{ to: '237677000003', status: 'accepted' },
		]);
		expect(sim.ledger.map((s) => s.to).sort()).toEqual(['237677000001', '237677000003']);
	});

	test('an answer with `errors` (correct spelling) is read the same', async () => {
		sim.injectFault({ kind: 'status', status: 200, body: { status: 'error', message: 'invalid parameters', errors: ['sender is invalid'] } });
		const { error } = await lmt([{}], { operation: 'send', sender: 'X', to: '677000001', message: 'Hi' });
		expect(error?.message).toBe('LMT BulkSMS refused the SMS: invalid parameters: sender is invalid');
	});

	test('an invalid number fails the workflow naming item and field; nothing is sent', async () => {
		const { error, outputs } = await lmt([{ to: '677000001' }, { to: '12345' }], { operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.to }}', message: 'Hi' });
		expect(error?.message).toMatch(/Invalid phone number in 'To': "12345"/);
		expect(error?.description).toMatch(/\+237/);
		expect(error?.context?.itemIndex).toBe(1);
		expect(outputs).toEqual([]);
		expect(sim.requests).toHaveLength(0);
	});

	test("Continue (using error output): failed items go to the node's error output", async () => {
		sim.refuseNumber('677000002');
		const items = [{ to: '677000001' }, { to: '677000002' }];
		const { outputs } = await lmt(items, { operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.to }}', message: 'Hi' }, { onError: 'continueErrorOutput' });
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted']);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(outputs[1][0].json).toEqual({ to: '677000002', error: expect.stringMatching(/LMT BulkSMS refused the SMS: invalid paramerters: phone is invalid/) });
	});

	test('a wrong password says what to check, and shows neither secret', async () => {
		const result = await runNode([{}], {
			type: 'lmtBulkSms',
			parameters: { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' },
			credentials: credentials({ password: 'wrong pass&word' }),
		});
		expect(result.error?.message).toBe('LMT BulkSMS refused the SMS: authentication failed: api_key or password is invalid');
		expect(result.error?.description).toMatch(/Check the API key .* and the password/);
		const text = runAsText(result);
		expect(text).not.toContain('wrong pass&word');
		expect(text).not.toContain('wrong+pass%26word');
		expect(text).not.toContain(API_KEY);
	});

	test('an answer that echoes the key and the password (raw and form-encoded) is redacted everywhere', async () => {
		const echoed = new URLSearchParams({ api_key: API_KEY, password: PASSWORD }).toString();
		sim.injectFault({ kind: 'status', status: 200, body: { status: 'error', message: `bad request ${echoed}`, errros: [`password ${PASSWORD} rejected`] } });
		const { outputs } = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0][0].json.error).toContain('api_key=***&password=***');
		expect(outputs[0][0].json.error).toContain('password *** rejected');
	});

	test('a success answer that echoes the password is redacted in the output item', async () => {
		sim.injectFault({ kind: 'status', status: 200, body: { status: 'success', message: `message sent with ${PASSWORD}` } });
		const { outputs } = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' });
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', providerStatus: 'message sent with ***' });
	});

	test('a non-2xx status fails even with a success body; an HTML page is a clear error', async () => {
		sim.injectFault({ kind: 'status', status: 403, body: { status: 'success', message: 'message sent' } });
		const forbidden = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' });
		expect(forbidden.error?.message).toBe('LMT BulkSMS refused the SMS (HTTP 403): message sent');
		sim.injectFault({ kind: 'status', status: 404, body: '<html>Not Found</html>' });
		const notFound = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' });
		expect(notFound.error?.message).toBe('LMT BulkSMS answered HTTP 404: <html>Not Found</html>');
		sim.injectFault({ kind: 'malformed', body: '<html>maintenance</html>' });
		const malformed = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' });
		expect(malformed.error?.message).toMatch(/LMT BulkSMS answered HTTP 200 with something that is not JSON: <html>maintenance<\/html>/);
		expect(malformed.error?.description).toMatch(/may or may not have received/);
		expect(sim.ledger).toHaveLength(0);
	});

	test('Retry On Fail after an injected 500: accepted numbers are not sent again, the unsure one is held back', async () => {
		const items = [0, 1, 2, 3].map((i) => ({ to: cameroon(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, () => ++seen === 3);
		const { outputs, error } = await lmt(
			items,
			{ operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.to }}', message: 'Hi', options: { maxConcurrentRequests: 1 } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		);
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(/Not sent again: an earlier attempt in this execution may have reached LMT BulkSMS \(LMT BulkSMS answered HTTP 500/);
		expect(error?.description).toMatch(/Retry Ambiguous Failures/);
		// Four requests only: n8n's two retries sent nothing again.
		expect(sim.requests).toHaveLength(4);
		for (let i = 0; i < 4; i++) expect(sentTo(intl(i))).toHaveLength(i === 2 ? 0 : 1);
	});

	test('Retry On Fail after a dropped connection: nobody gets the SMS twice', async () => {
		const items = [0, 1, 2].map((i) => ({ to: cameroon(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'drop' }, 1, () => ++seen === 2);
		const { outputs } = await lmt(
			items,
			{ operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.to }}', message: 'Hi', options: { maxConcurrentRequests: 1 } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0, continueOnFail: true },
		);
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'failed', 'accepted']);
		expect(outputs[0][1].json.error).toMatch(/connection closed before the answer/);
		expect(sim.requests).toHaveLength(3);
		for (let i = 0; i < 3; i++) expect(sentTo(intl(i)).length).toBeLessThanOrEqual(1);
	});

	test('Retry On Fail with Retry Ambiguous Failures after a dropped connection: resent once, everyone gets one SMS', async () => {
		const items = [0, 1, 2].map((i) => ({ to: cameroon(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'drop' }, 1, () => ++seen === 2);
		const { outputs, error } = await lmt(
			items,
			{ operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.to }}', message: 'Hi', options: { maxConcurrentRequests: 1, retryAmbiguousFailures: true } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'accepted', 'accepted']);
		for (let i = 0; i < 3; i++) expect(sentTo(intl(i))).toHaveLength(1);
		expect(sim.requests).toHaveLength(4);
	});
});

describe('sendBulk', () => {
	test('2500 items: 2500 requests within Max Concurrent Requests, 2500 paired outputs, each number once', async () => {
		const items = Array.from({ length: 2500 }, (_, i) => ({ phone: cameroon(i) }));
		// The first answers are slow, so that requests pile up against the limit.
		sim.injectFault({ kind: 'slow', ms: 50 }, 30);
		const { outputs, error, run } = await lmt(items, {
			operation: 'sendBulk',
			sender: 'BOUTIQUE',
			phone: '={{ $json.phone }}',
			message: 'Promo -20% ce week-end',
			options: { maxConcurrentRequests: 6, maxRequestsPerSecond: 0 },
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(2500);
		outputs[0].forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ to: intl(i), status: 'accepted', messageId: null, operation: 'sendBulk' });
		});
		expect(sim.requests).toHaveLength(2500);
		expect(sim.ledger).toHaveLength(2500);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(2500);
		expect(sim.peakInFlight).toBe(6);
		// Keep-alive: the pool reuses its connections (at most its 32) instead of opening one per request.
		expect(sim.connections).toBeLessThanOrEqual(32);
		expect(JSON.stringify(run.data.executionData?.contextData).length).toBeLessThan(2500 * 40);
	});

	test('Max Concurrent Requests and Max Requests Per Second hold', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({ phone: cameroon(i) }));
		sim.injectFault({ kind: 'slow', ms: 100 }, 12);
		await lmt(items, { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi', options: { maxConcurrentRequests: 3, maxRequestsPerSecond: 0 } });
		expect(sim.requests).toHaveLength(12);
		expect(sim.peakInFlight).toBe(3);

		sim.reset();
		await lmt(items.slice(0, 6), { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi', options: { maxRequestsPerSecond: 5 } });
		const starts = sim.requests.map((r) => r.receivedAt).sort((a, b) => a - b);
		// Starts are planned 200 ms apart. A busy machine may start one late (the next then
		// follows closer), never the series early: one slot of slack, unpaced would be ~0 ms.
		expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual((starts.length - 2) * 200);
	});

	test('Continue On Fail with a refused number and an invalid one among good ones: two error items, the rest sent', async () => {
		sim.refuseNumber(cameroon(2));
		const items = [{ phone: cameroon(1) }, { phone: cameroon(2) }, { phone: '0000' }, { phone: cameroon(3) }];
		const { outputs, error } = await lmt(items, { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi' }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => [i.json.status, i.pairedItem])).toEqual([
			['accepted', { item: 0 }],
			['failed', { item: 1 }],
			['failed', { item: 2 }],
			['accepted', { item: 3 }],
		]);
		expect(outputs[0][1].json).toMatchObject({ to: intl(2), error: expect.stringMatching(/LMT BulkSMS refused the SMS: invalid paramerters: phone is invalid/) });
		expect(outputs[0][2].json.error).toMatch(/Invalid phone number in 'Phone': "0000"/);
		expect(sim.ledger.map((s) => s.to).sort()).toEqual([intl(1), intl(3)]);
		// The invalid number never left the node; the refused one was asked once.
		expect(sim.requests).toHaveLength(3);
	});

	test('Retry On Fail in bulk after a 500: the accepted recipients are not resent, the unsure one is held back', async () => {
		const items = Array.from({ length: 20 }, (_, i) => ({ phone: cameroon(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, () => ++seen === 5);
		const { outputs } = await lmt(
			items,
			{ operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi', options: { maxConcurrentRequests: 1, maxRequestsPerSecond: 0 } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0, continueOnFail: true },
		);
		expect(outputs[0]).toHaveLength(20);
		expect(outputs[0].filter((i) => i.json.status === 'failed')).toHaveLength(1);
		expect(sim.requests).toHaveLength(20);
		expect(sim.ledger).toHaveLength(19);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(19);
	});

	test('Retry On Fail in bulk after refusals that surely sent nothing (503): the rerun sends only the missing ones', async () => {
		const items = Array.from({ length: 6 }, (_, i) => ({ phone: cameroon(i) }));
		let seen = 0;
		// Requests 2-5 are refused with 503: the third item uses up its 4 attempts, and fails this run.
		sim.injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, () => ++seen >= 3);
		const { outputs, error } = await lmt(
			items,
			{ operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi', options: { maxConcurrentRequests: 1, maxRequestsPerSecond: 0 } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.status)).toEqual(Array(6).fill('accepted'));
		expect(sim.ledger).toHaveLength(6);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(6);
	});

	test('Remove Duplicate Recipients: one SMS per number, every item still answered', async () => {
		const items = [{ phone: '677000001' }, { phone: '+237 6 77 00 00 01' }, { phone: cameroon(5) }];
		const { outputs } = await lmt(items, { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi', options: { removeDuplicates: true } });
		expect(outputs[0]).toHaveLength(3);
		expect(outputs[0][1].json).toMatchObject({ status: 'accepted', duplicateOf: 0, to: '237677000001' });
		expect(sim.ledger).toHaveLength(2);
	});
});

describe('sendPersonalized', () => {
	const params = { operation: 'sendPersonalized', sender: 'CLINIQUE', phone: '={{ $json.phone }}', message: 'Bonjour :P1, RDV le :P2 à :P3.' };

	test('the node fills :P1 … :P5 and sends each text on its own', async () => {
		const items = [
			{ phone: '677000001', p1: 'Mme Ngo Bassa', p2: '25/11', p3: '09h30' },
			{ phone: '+237 6 90 00 00 02', p1: 'M. Fotso', p2: '26/11', p3: '14h00' },
		];
		const { outputs } = await lmt(items, params);
		expect(forms().map((f) => [f.phone, f.message, f.flag]).sort()).toEqual([
			['237677000001', 'Bonjour Mme Ngo Bassa, RDV le 25/11 à 09h30.', 'short_sms'],
			['237690000002', 'Bonjour M. Fotso, RDV le 26/11 à 14h00.', 'short_sms'],
		]);
		expect(outputs[0].map((i) => [i.json.status, i.json.to, i.json.messageId, i.pairedItem])).toEqual([
			['accepted', '237677000001', null, { item: 0 }],
			['accepted', '237690000002', null, { item: 1 }],
		]);
	});

	test('a filled text that grows past one SMS is flagged long_sms for that recipient only', async () => {
		const items = [
			{ phone: '677000001', p1: 'Ada', p2: '1/12', p3: '9h' },
			{ phone: '677000002', p1: 'A'.repeat(150), p2: '1/12', p3: '9h' },
		];
		const { outputs } = await lmt(items, params);
		expect(outputs[0].map((i) => i.json.segments)).toEqual([1, 2]);
		expect(sentTo('237677000001')[0].flag).toBe('short_sms');
		expect(sentTo('237677000002')[0].flag).toBe('long_sms');
	});

	test(':P6 is a clear error naming the item; nothing is sent', async () => {
		const { error } = await lmt([{ phone: '677000001' }], { ...params, message: 'Hi :P6' });
		expect(error?.message).toMatch(/uses :P6; LMT BulkSMS fills :P1 to :P5 only/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('node description', () => {
	test('offers send, bulk and personalised only: LMT cannot schedule and has no status query', async () => {
		const loader = await loadPackage();
		const { description } = loader.nodeTypes.lmtBulkSms.type as INodeType;
		const operation = description.properties.find((p) => p.name === 'operation');
		expect(operation?.options?.map((o) => (o as INodePropertyOptions).value)).toEqual(['send', 'sendBulk', 'sendPersonalized']);
		expect(description.credentials).toEqual([{ name: 'lmtBulkSmsApi', required: true, testedBy: 'lmtBulkSmsApiTest' }]);
	});
});

describe('credential test', () => {
	test('a good key and password pass: a push without recipient or text, nothing sent', async () => {
		const result = await testCredentialWithNode('lmtBulkSmsApi', credentials().lmtBulkSmsApi);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(sim.requests).toHaveLength(1);
		expect(forms()[0]).toEqual({ api_key: API_KEY, password: PASSWORD, message: '', sender: '', phone: '' });
		expect(sim.ledger).toHaveLength(0);
	});

	test('a base URL without the trailing slash works the same', async () => {
		const result = await testCredentialWithNode('lmtBulkSmsApi', credentials({ baseUrl: sim.baseUrl.replace(/\/$/, '') }).lmtBulkSmsApi);
		expect(result.status).toBe('OK');
		expect(sim.requests[0].path).toBe('/bulksms/api/v1/push');
	});

	test('a bad key or a bad password fails, quoting LMT, without the secrets', async () => {
		for (const bad of [{ apiKey: 'not-the-key-123' }, { password: 'not the password' }]) {
			const result = await testCredentialWithNode('lmtBulkSmsApi', credentials(bad).lmtBulkSmsApi);
			expect(result.status).toBe('Error');
			expect(result.message).toBe('LMT BulkSMS refused the API key or the password: authentication failed: api_key or password is invalid');
		}
		expect(sim.ledger).toHaveLength(0);
	});

	test('an unreachable base URL says so', async () => {
		const result = await testCredentialWithNode('lmtBulkSmsApi', credentials({ baseUrl: 'http://127.0.0.1:9/bulksms/api/v1/' }).lmtBulkSmsApi);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Could not reach LMT BulkSMS at http:\/\/127.0.0.1:9\/bulksms\/api\/v1\/: connection refused/);
	});
});
