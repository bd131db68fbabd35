/**
 * The LMT BulkSMS node inside n8n's WorkflowExecute, against the LMT simulator
 * over HTTP on 127.0.0.1. LMT takes one number per request, answers HTTP 200
 * for its errors, gives no message id, and wants the key and the password in
 * the form body.
 */
import type { INodePropertyOptions, INodeType } from 'n8n-workflow';
import { loadPackage } from '../helpers/n8n';
import { useProviderNode } from '../providers/useSimulators';
import type { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';

// The simulator's password is one as LMT users have them: every character a form body must escape, and spaces.
const { sim, run: lmt, checkCredential } = useProviderNode<LmtGroupSimulator>('lmtGroup');

/** Cameroon mobile numbers 6 77 00 00 00 + i, national form. */
const cameroon = (i: number) => `677${String(i).padStart(6, '0')}`;
const intl = (i: number) => `237${cameroon(i)}`;
const forms = () => sim.requests.map((r) => Object.fromEntries(new URLSearchParams(r.rawBody)));
const sentTo = (to: string) => sim.ledger.filter((s) => s.to === to);

describe('send', () => {
	test('one number: the documented form body, the password encoded, contract output', async () => {
		const message = '=Bonjour {{ $json.name }}, votre colis est arrivé.';
		const { outputs } = await lmt([{ phone: '+237 6 94 12 43 44', name: 'Ngono' }], { operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.phone }}', message });
		// Provider, operation, status, pairing: the behaviour suite (smsNode.behaviour.test.ts).
		expect(outputs[0][0].json).toMatchObject({
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
			api_key: sim.apiKey,
			password: sim.password,
			message: 'Bonjour Ngono, votre colis est arrivé.',
			sender: 'BOUTIQUE',
			phone: '237694124344',
			flag: 'short_sms',
		});
		// The raw body carries the password's special characters escaped, not as separators.
		expect(request.rawBody).toContain('password=p%40ss+%26+w%3Drd%2B1+%23%2520+ok');
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
		const tried = 'wrong pass&word';
		const { error } = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' }, {}, { credentials: { password: tried } });
		expect(error?.message).toBe('LMT BulkSMS refused the SMS: authentication failed: api_key or password is invalid');
		expect(error?.description).toMatch(/Check the API key .* and the password/);
	});

	test('an answer that echoes the key and the password (raw and form-encoded) is redacted everywhere', async () => {
		const echoed = new URLSearchParams({ api_key: sim.apiKey, password: sim.password }).toString();
		sim.injectFault({ kind: 'status', status: 200, body: { status: 'error', message: `bad request ${echoed}`, errros: [`password ${sim.password} rejected`] } });
		const { outputs } = await lmt([{}], { operation: 'send', sender: 'BOUTIQUE', to: '677000001', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0][0].json.error).toContain('api_key=***&password=***');
		expect(outputs[0][0].json.error).toContain('password *** rejected');
	});

	test('a success answer that echoes the password is redacted in the output item', async () => {
		sim.injectFault({ kind: 'status', status: 200, body: { status: 'success', message: `message sent with ${sim.password}` } });
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
});

describe('sendBulk', () => {

	test('Continue On Fail with a refused number and an invalid one among good ones: two error items, the rest sent', async () => {
		sim.refuseNumber(cameroon(2));
		const items = [{ phone: cameroon(1) }, { phone: cameroon(2) }, { phone: '0000' }, { phone: cameroon(3) }];
		const { outputs, error } = await lmt(items, { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Hi' }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => [i.json.status, i.pairedItem])).toEqual([['accepted', { item: 0 }], ['failed', { item: 1 }], ['failed', { item: 2 }], ['accepted', { item: 3 }]]);
		expect(outputs[0][1].json).toMatchObject({ to: intl(2), error: expect.stringMatching(/LMT BulkSMS refused the SMS: invalid paramerters: phone is invalid/) });
		expect(outputs[0][2].json.error).toMatch(/Invalid phone number in 'Phone': "0000"/);
		expect(sim.ledger.map((s) => s.to).sort()).toEqual([intl(1), intl(3)]);
		// The invalid number never left the node; the refused one was asked once.
		expect(sim.requests).toHaveLength(3);
	});
});

describe('sendPersonalized', () => {
	const params = { operation: 'sendPersonalized', sender: 'CLINIQUE', phone: '={{ $json.phone }}', message: 'Bonjour :P1, RDV le :P2 à :P3.' };

	test('the node fills :P1 … :P5 and sends each text on its own', async () => {
		const first = { phone: '677000001', p1: 'Mme Ngo Bassa', p2: '25/11', p3: '09h30' };
		const { outputs } = await lmt([first, { phone: '+237 6 90 00 00 02', p1: 'M. Fotso', p2: '26/11', p3: '14h00' }], params);
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
		const result = await checkCredential();
		expect(result).toEqual({ status: 'OK', message: 'Connection successful' });
		expect(sim.requests).toHaveLength(1);
		expect(forms()[0]).toEqual({ api_key: sim.apiKey, password: sim.password, message: '', sender: '', phone: '' });
		expect(sim.ledger).toHaveLength(0);
	});

	test('a base URL without the trailing slash works the same', async () => {
		const result = await checkCredential({ baseUrl: sim.baseUrl.replace(/\/$/, '') });
		expect(result.status).toBe('OK');
		expect(sim.requests[0].path).toBe('/bulksms/api/v1/push');
	});

	test('a bad key or a bad password fails, quoting LMT, without the secrets', async () => {
		for (const bad of [{ apiKey: 'not-the-key-123' }, { password: 'not the password' }]) {
			const result = await checkCredential(bad);
			expect(result.status).toBe('Error');
			expect(result.message).toBe('LMT BulkSMS refused the API key or the password: authentication failed: api_key or password is invalid');
		}
		expect(sim.ledger).toHaveLength(0);
	});

	test('an unreachable base URL says so', async () => {
		const result = await checkCredential({ baseUrl: 'http://127.0.0.1:9/bulksms/api/v1/' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Could not reach LMT BulkSMS at http:\/\/127.0.0.1:9\/bulksms\/api\/v1\/: connection refused/);
	});
});
