/**
 * The Orange SMS simulator itself, over HTTP on loopback: OAuth, Bearer errors, sending,
 * units, rate limit, administration, DR subscriptions and the notifications it posts must
 * be as ../shared/providers/orange-sms.md says, since the Orange node's tests will trust it.
 * Time moves with advanceClock(), never with real waits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	DEFAULT_ORANGE_APPLICATION_ID,
	DEFAULT_ORANGE_CLIENT_ID,
	DEFAULT_ORANGE_CLIENT_SECRET,
	DEFAULT_ORANGE_DEVELOPER_ID,
	DEFAULT_ORANGE_UNITS,
	ORANGE_GATEWAY_ERRORS,
	ORANGE_POLICY_VARIABLES,
	OrangeSimulator,
	type OrangeSimulatorOptions,
} from '../sandbox/orange.simulator';
import { useSimulator } from '../helpers/useSimulator';

const sim = useSimulator(() => new OrangeSimulator());

const SENDER = 'tel:+2250000';
const ENCODED_SENDER = 'tel%3A%2B2250000';
const TO = 'tel:+2250700000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
	status: number;
	json: any;
	text: string;
	headers: Headers;
}

async function request(url: string, init: RequestInit = {}): Promise<Answer> {
	const res = await fetch(url, init);
	const text = await res.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, json, text, headers: res.headers };
}

function basicOf(id: string, secret: string): string {
	return Buffer.from(`${id}:${secret}`).toString('base64');
}

async function tokenRequest(version: 'v2' | 'v3', authorization: string | null, body = 'grant_type=client_credentials', target = sim()): Promise<Answer> {
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
	if (authorization !== null) headers.authorization = authorization;
	return await request(`${target.baseUrl}oauth/${version}/token`, { method: 'POST', headers, body });
}

async function token(target = sim(), version: 'v2' | 'v3' = 'v3'): Promise<string> {
	const answer = await tokenRequest(version, target.authorizationHeader, undefined, target);
	expect(answer.status).toBe(200);
	return answer.json.access_token as string;
}

/** A call with a Bearer token (`null`: no Authorization header). */
async function api(method: string, path: string, bearer: string | null, body?: unknown, target = sim()): Promise<Answer> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	return await request(`${target.baseUrl}${path.replace(/^\//, '')}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}

function sms(over: Record<string, unknown> = {}, text = 'Bonjour'): Record<string, unknown> {
	return { outboundSMSMessageRequest: { address: TO, senderAddress: SENDER, outboundSMSTextMessage: { message: text }, ...over } };
}

async function send(bearer: string, body: unknown = sms(), sender = ENCODED_SENDER, target = sim()): Promise<Answer> {
	return await api('POST', `smsmessaging/v1/outbound/${sender}/requests`, bearer, body, target);
}

const serviceException = (messageId: string, text: string, variable: string) => ({ requestError: { serviceException: { messageId, text, variables: [variable] } } });
const SVC0002 = (variable: string) => serviceException('SVC0002', 'Invalid input value for message part %1', variable);
const SVC0004 = (variable: string) => serviceException('SVC0004', 'No valid addresses provided in message part %1', variable);
const POL0001 = (variable: string) => ({ requestError: { policyException: { messageId: 'POL0001', text: 'A policy error occurred. Error code is %1', variables: [variable] } } });

async function withSim<T>(options: OrangeSimulatorOptions, run: (other: OrangeSimulator) => Promise<T>): Promise<T> {
	const other = await new OrangeSimulator(options).start(0);
	try {
		return await run(other);
	} finally {
		await other.stop();
	}
}

// A loopback receiver for the notifications the simulator posts.
interface Received {
	path: string;
	contentType: string | undefined;
	body: any;
}
const received: Received[] = [];
let receiver: http.Server;
let receiverUrl = '';
beforeAll(async () => {
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			const status = req.url?.includes('fail') ? 500 : 200;
			res.writeHead(status, { 'content-type': 'text/plain' });
			res.end(status === 200 ? 'ok' : 'boom');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
	receiver.closeAllConnections();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
	received.length = 0;
});

describe('OAuth', () => {
	test('v3: Basic header with or without the prefix gives a Bearer token for 3600 s (a number)', async () => {
		expect(sim().clientId).toBe(DEFAULT_ORANGE_CLIENT_ID);
		expect(sim().clientSecret).toBe(DEFAULT_ORANGE_CLIENT_SECRET);
		expect(DEFAULT_ORANGE_CLIENT_SECRET).toMatch(/\+/);
		expect(DEFAULT_ORANGE_CLIENT_SECRET).toMatch(/\//);
		expect(DEFAULT_ORANGE_CLIENT_SECRET).toMatch(/=/);
		expect(sim().authorizationHeader).toBe(`Basic ${basicOf(DEFAULT_ORANGE_CLIENT_ID, DEFAULT_ORANGE_CLIENT_SECRET)}`);
		expect(sim().baseUrl).toBe(`${sim().url}/`);

		const prefixed = await tokenRequest('v3', sim().authorizationHeader);
		expect(prefixed.status).toBe(200);
		expect(prefixed.headers.get('content-type')).toMatch(/^application\/json/);
		expect(prefixed.json).toEqual({ token_type: 'Bearer', access_token: expect.stringMatching(/^[A-Za-z0-9]{20,}$/), expires_in: 3600 });
		const bare = await tokenRequest('v3', basicOf(DEFAULT_ORANGE_CLIENT_ID, DEFAULT_ORANGE_CLIENT_SECRET));
		expect(bare.status).toBe(200);
		expect(bare.json.access_token).not.toBe(prefixed.json.access_token);
		expect(sim().tokensIssued).toBe(2);
		// Both tokens open the API.
		expect((await send(prefixed.json.access_token)).status).toBe(201);
		expect((await send(bare.json.access_token)).status).toBe(201);
	});

	test('v2: same form, expires_in is the string "7776000"; its token works', async () => {
		const answer = await tokenRequest('v2', sim().authorizationHeader);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ token_type: 'Bearer', access_token: expect.any(String), expires_in: '7776000' });
		expect((await send(answer.json.access_token)).status).toBe(201);
		// Still valid after 89 days, expired after 90.
		sim().advanceClock(89 * 86_400_000);
		expect((await api('GET', 'sms/admin/v1/contracts', answer.json.access_token)).status).toBe(200);
		sim().advanceClock(86_400_000);
		expect((await api('GET', 'sms/admin/v1/contracts', answer.json.access_token)).json).toEqual(ORANGE_GATEWAY_ERRORS.expiredCredentials);
		expect(sim().tokensIssued).toBe(1);
	});

	test('a bad client is 401 invalid_client; the secret is compared as it is', async () => {
		expect(await tokenRequest('v3', `Basic ${basicOf('nobody', DEFAULT_ORANGE_CLIENT_SECRET)}`)).toMatchObject({
			status: 401,
			json: { error: 'invalid_client', error_description: "Unknown client 'nobody'" },
		});
		const wrongSecret = await tokenRequest('v3', `Basic ${basicOf(DEFAULT_ORANGE_CLIENT_ID, 'wrong')}`);
		expect(wrongSecret.status).toBe(401);
		expect(wrongSecret.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
		// A client that URL-encodes the secret before base64 fails.
		expect((await tokenRequest('v3', `Basic ${basicOf(DEFAULT_ORANGE_CLIENT_ID, encodeURIComponent(DEFAULT_ORANGE_CLIENT_SECRET))}`)).status).toBe(401);
		expect((await tokenRequest('v3', null)).json).toMatchObject({ error: 'invalid_client' });
		expect((await tokenRequest('v3', 'Basic not base64!')).status).toBe(401);
		expect((await tokenRequest('v3', `Basic ${Buffer.from('no-colon').toString('base64')}`)).status).toBe(401);
		expect((await tokenRequest('v2', `Bearer ${basicOf(DEFAULT_ORANGE_CLIENT_ID, DEFAULT_ORANGE_CLIENT_SECRET)}`)).status).toBe(401);
		expect(sim().tokensIssued).toBe(0);
	});

	test('a grant_type other than client_credentials is 400 unsupported_grant_type; the body must be a form', async () => {
		const wrong = await tokenRequest('v3', sim().authorizationHeader, 'grant_type=password');
		expect(wrong.status).toBe(400);
		expect(wrong.json).toEqual({ error: 'unsupported_grant_type', error_description: expect.stringContaining('password') });
		expect((await tokenRequest('v2', sim().authorizationHeader, '')).json).toMatchObject({ error: 'unsupported_grant_type' });
		const json = await request(`${sim().baseUrl}oauth/v3/token`, {
			method: 'POST',
			headers: { authorization: sim().authorizationHeader, 'content-type': 'application/json' },
			body: JSON.stringify({ grant_type: 'client_credentials' }),
		});
		expect(json).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
		// The client is checked first.
		expect((await tokenRequest('v3', `Basic ${basicOf('nobody', 'x')}`, 'grant_type=password')).status).toBe(401);
		expect(sim().tokensIssued).toBe(0);
	});

	test('a token expires after its lifetime on the simulator clock, or at once with expireTokens()', async () => {
		const bearer = await token();
		const contracts = () => api('GET', 'sms/admin/v1/contracts', bearer);
		sim().advanceClock(3_599_000);
		expect((await contracts()).status).toBe(200);
		sim().advanceClock(1000);
		expect(await contracts()).toMatchObject({
			status: 401,
			json: { code: 42, message: 'Expired credentials', description: 'The requested service needs credentials, and the ones provided were out-of-date.' },
		});
		const fresh = await token();
		expect((await api('GET', 'sms/admin/v1/contracts', fresh)).status).toBe(200);
		sim().expireTokens();
		expect((await api('GET', 'sms/admin/v1/contracts', fresh)).json.code).toBe(42);
		expect((await send(fresh)).json.code).toBe(42);
		const again = await token();
		expect((await send(again)).status).toBe(201);
		expect(sim().tokensIssued).toBe(3);
	});

	test('tokenLifetimeSeconds sets the v3 lifetime and expires_in', async () => {
		await withSim({ tokenLifetimeSeconds: 1 }, async (other) => {
			const answer = await tokenRequest('v3', other.authorizationHeader, undefined, other);
			expect(answer.json.expires_in).toBe(1);
			expect((await api('GET', 'sms/admin/v1/contracts', answer.json.access_token, undefined, other)).status).toBe(200);
			other.advanceClock(1000);
			expect((await api('GET', 'sms/admin/v1/contracts', answer.json.access_token, undefined, other)).json.code).toBe(42);
		});
	});
});

describe('Bearer on every route', () => {
	// Every row has three entries: with fewer, jest would pass `done` as the body.
	const routes: Array<[string, string, unknown]> = [
		['POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/requests`, sms()],
		['POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, { deliveryReceiptSubscription: { callbackReference: { notifyURL: 'https://x.test/dr' } } }],
		['GET', 'smsmessaging/v1/outbound/subscriptions/abc', undefined],
		['DELETE', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions/abc`, undefined],
		['GET', 'sms/admin/v1/contracts', undefined],
		['GET', 'sms/admin/v1/statistics', undefined],
		['GET', 'sms/admin/v1/purchaseorders', undefined],
	];

	test.each(routes)('%s %s: 401 code 40 missing, 41 unknown, 42 expired', async (method, path, body) => {
		expect(await api(method, path, null, body)).toMatchObject({ status: 401, json: { code: 40, message: 'Missing credentials', description: expect.any(String) } });
		const basic = await request(`${sim().baseUrl}${path}`, { method, headers: { authorization: sim().authorizationHeader } });
		expect(basic).toMatchObject({ status: 401, json: { code: 40 } });
		expect(await api(method, path, 'not-a-token', body)).toMatchObject({ status: 401, json: { code: 41, message: 'Invalid credentials', description: expect.any(String) } });
		const bearer = await token();
		sim().expireTokens();
		expect(await api(method, path, bearer, body)).toEqual(
			expect.objectContaining({
				status: 401,
				json: { code: 42, message: 'Expired credentials', description: 'The requested service needs credentials, and the ones provided were out-of-date.' },
			}),
		);
		expect(sim().ledger).toEqual([]);
		expect(sim().subscriptions.size).toBe(0);
	});

	test('unknown routes are 404 code 60, other methods 405 code 61 (before authentication)', async () => {
		expect(await api('GET', 'smsmessaging/v2/outbound/x/requests', null)).toMatchObject({ status: 404, json: { code: 60 } });
		expect(await api('GET', 'oauth/v1/token', null)).toMatchObject({ status: 404, json: { code: 60 } });
		expect(await api('GET', `smsmessaging/v1/outbound/${ENCODED_SENDER}/requests`, null)).toMatchObject({ status: 405, json: { code: 61 } });
		expect(await api('GET', 'oauth/v3/token', null)).toMatchObject({ status: 405, json: { code: 61 } });
		expect(await api('POST', 'sms/admin/v1/contracts', null, {})).toMatchObject({ status: 405, json: { code: 61 } });
		expect(await api('DELETE', 'smsmessaging/v1/outbound/subscriptions/abc', null)).toMatchObject({ status: 405 });
	});
});

describe('sending', () => {
	test('201 echoes the request with address as an array and a resourceURL ending in a UUID; one unit taken; ledger entry', async () => {
		const bearer = await token();
		const answer = await send(bearer, sms({ senderName: 'MYSHOP' }));
		expect(answer.status).toBe(201);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		const id = sim().ledger[0].id;
		expect(id).toMatch(UUID);
		expect(answer.json).toEqual({
			outboundSMSMessageRequest: {
				address: [TO],
				senderAddress: SENDER,
				senderName: 'MYSHOP',
				outboundSMSTextMessage: { message: 'Bonjour' },
				resourceURL: `${sim().url}/smsmessaging/v1/outbound/tel:+2250000/requests/${id}`,
			},
		});
		expect(answer.json.outboundSMSMessageRequest.resourceURL.split('/').pop()).toBe(id);
		expect(sim().ledger).toEqual([
			{
				id,
				to: '+2250700000001',
				text: 'Bonjour',
				senderName: 'MYSHOP',
				shownSenderName: 'MYSHOP',
				segments: 1,
				country: 'CIV',
				appId: DEFAULT_ORANGE_APPLICATION_ID,
				acceptedAt: expect.any(Number),
				deliveryStatus: null,
			},
		]);
		expect(sim().contract()?.availableUnits).toBe(DEFAULT_ORANGE_UNITS - 1);
		// Without senderName: no senderName in the answer, the default name shown.
		const plain = await send(bearer);
		expect(plain.json.outboundSMSMessageRequest).not.toHaveProperty('senderName');
		expect(sim().ledger[1]).toMatchObject({ senderName: null, shownSenderName: 'SMS 123456' });
		expect(sim().ledger[1].id).not.toBe(id);
	});

	test('the sender in the path may be raw (tel:+…); a 1-element address array is taken', async () => {
		const bearer = await token();
		const answer = await send(bearer, sms({ address: [TO] }), SENDER);
		expect(answer.status).toBe(201);
		expect(answer.json.outboundSMSMessageRequest.address).toEqual([TO]);
		expect(sim().ledger.map((s) => s.to)).toEqual(['+2250700000001']);
		// Lower-case percent-encoding too.
		expect((await send(bearer, sms(), 'tel%3a%2b2250000')).status).toBe(201);
	});

	test('senderName is URL-decoded; an unregistered one is replaced by the default name, both recorded', async () => {
		const bearer = await token();
		for (const name of ['My%20Shop', 'My+Shop', 'My Shop']) expect((await send(bearer, sms({ senderName: name }))).status).toBe(201);
		expect((await send(bearer, sms({ senderName: 'OTHER' }))).json.outboundSMSMessageRequest.senderName).toBe('OTHER');
		expect((await send(bearer, sms({ senderName: '' }))).status).toBe(201);
		expect(sim().ledger.map((s) => [s.senderName, s.shownSenderName])).toEqual([
			['My Shop', 'My Shop'],
			['My Shop', 'My Shop'],
			['My Shop', 'My Shop'],
			['OTHER', 'SMS 123456'],
			[null, 'SMS 123456'],
		]);
		// Whitelisting is exact.
		sim().advanceClock(1000);
		expect((await send(bearer, sms({ senderName: 'myshop' }))).status).toBe(201);
		expect(sim().ledger[5].shownSenderName).toBe('SMS 123456');
		sim().senderNames.add('myshop');
		expect((await send(bearer, sms({ senderName: 'myshop' }))).status).toBe(201);
		expect(sim().ledger[6].shownSenderName).toBe('myshop');
		await withSim({ senderNames: ['ACME'], defaultSenderName: 'SMS 987519', rateLimitPerSecond: 0 }, async (other) => {
			const t = await token(other);
			await send(t, sms({ senderName: 'ACME' }), ENCODED_SENDER, other);
			await send(t, sms({ senderName: 'MYSHOP' }), ENCODED_SENDER, other);
			expect(other.ledger.map((s) => s.shownSenderName)).toEqual(['ACME', 'SMS 987519']);
		});
	});

	test('a bad senderName is 400 SVC0002 senderName', async () => {
		const bearer = await token();
		for (const senderName of ['ABCDEFGHIJKL', 'MY-SHOP', 'Boutique%E9', '%E0%A4%A', 42, 'Caf%C3%A9']) {
			expect(await send(bearer, sms({ senderName }))).toMatchObject({ status: 400, json: SVC0002('senderName') });
			sim().advanceClock(1000);
		}
		expect((await send(bearer, sms({ senderName: 'ABCDEFGHIJK' }))).status).toBe(201);
		expect(sim().ledger).toHaveLength(1);
	});

	test('path sender, body senderAddress and the account sender must agree, else 400 SVC0004 senderAddress', async () => {
		const bearer = await token();
		const cases: Array<[unknown, string]> = [
			[sms(), 'tel%3A%2B2210000'],
			[sms({ senderAddress: 'tel:+2210000' }), ENCODED_SENDER],
			[sms({ senderAddress: 'tel:+2210000' }), 'tel%3A%2B2210000'],
			[sms({ senderAddress: '+2250000' }), ENCODED_SENDER],
			[sms({ senderAddress: undefined }), ENCODED_SENDER],
			[sms(), 'tel%253A%252B2250000'],
			[sms(), '2250000'],
		];
		for (const [body, sender] of cases) {
			const answer = await send(bearer, body, sender);
			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(SVC0004('senderAddress'));
			sim().advanceClock(1000);
		}
		expect(sim().ledger).toEqual([]);
		expect(sim().contract()?.availableUnits).toBe(DEFAULT_ORANGE_UNITS);
	});

	test('several addresses are 400 SVC0002 address; an invalid one 400 SVC0004 address', async () => {
		const bearer = await token();
		expect(await send(bearer, sms({ address: [TO, 'tel:+2250700000002'] }))).toMatchObject({ status: 400, json: SVC0002('address') });
		const invalid = ['+2250700000001', '2250700000001', 'tel:2250700000001', 'tel:+225 07 00 00 00 01', 'tel:+0225070000', 'tel:+1234', `tel:+${'1'.repeat(16)}`, [], ['x'], 2250700000001, undefined];
		for (const address of invalid) {
			sim().advanceClock(1000);
			expect(await send(bearer, sms({ address }))).toMatchObject({ status: 400, json: SVC0004('address') });
		}
		expect(sim().ledger).toEqual([]);
	});

	test('an empty or missing message is 400 SVC0002 message; a body that is not the JSON request is SVC0002 outboundSMSMessageRequest', async () => {
		const bearer = await token();
		const bad: unknown[] = [sms({}, ''), sms({ outboundSMSTextMessage: {} }), sms({ outboundSMSTextMessage: undefined }), sms({ outboundSMSTextMessage: { message: 5 } })];
		for (const body of bad) {
			expect(await send(bearer, body)).toMatchObject({ status: 400, json: SVC0002('message') });
			sim().advanceClock(1000);
		}
		expect(await send(bearer, '{"outboundSMSMessageRequest":')).toMatchObject({ status: 400, json: SVC0002('outboundSMSMessageRequest') });
		expect(await send(bearer, { address: TO })).toMatchObject({ status: 400, json: SVC0002('outboundSMSMessageRequest') });
		const notJson = await request(`${sim().baseUrl}smsmessaging/v1/outbound/${ENCODED_SENDER}/requests`, {
			method: 'POST',
			headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/plain' },
			body: JSON.stringify(sms()),
		});
		expect(notJson).toMatchObject({ status: 400, json: SVC0002('outboundSMSMessageRequest') });
		expect(sim().ledger).toEqual([]);
	});

	test('units: one per segment (GSM-7 160/153, UCS-2 70/67), 10 segments at most; Accept is not enforced', async () => {
		await withSim({ rateLimitPerSecond: 0 }, async (other) => {
			const bearer = await token(other);
			const cases: Array<[string, number | 'refused']> = [
				['a'.repeat(160), 1],
				['a'.repeat(161), 2],
				['a'.repeat(153 * 10), 10],
				['a'.repeat(153 * 10 + 1), 'refused'],
				['€'.repeat(80), 1],
				['é'.repeat(160), 1],
				['ا'.repeat(70), 1],
				['ا'.repeat(71), 2],
				['ا'.repeat(67 * 10), 10],
				['ا'.repeat(67 * 10 + 1), 'refused'],
			];
			let units = DEFAULT_ORANGE_UNITS;
			for (const [text, expected] of cases) {
				const answer = await send(bearer, sms({}, text), ENCODED_SENDER, other);
				if (expected === 'refused') {
					expect(answer).toMatchObject({ status: 400, json: SVC0002('message') });
				} else {
					expect(answer.status).toBe(201);
					expect(other.ledger[other.ledger.length - 1].segments).toBe(expected);
					units -= expected;
				}
				expect(other.contract()?.availableUnits).toBe(units);
			}
			const htmlOnly = await request(`${other.baseUrl}smsmessaging/v1/outbound/${ENCODED_SENDER}/requests`, {
				method: 'POST',
				headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json; charset=utf-8', accept: 'text/html' },
				body: JSON.stringify(sms()),
			});
			expect(htmlOnly.status).toBe(201);
		});
	});

	test('units used up: 403 POL0001 "Insufficient balance", refused whole; expired contract: "Expired contract"', async () => {
		const bearer = await token();
		sim().setUnits('CIV', 3);
		expect((await send(bearer, sms({}, 'a'.repeat(200)))).status).toBe(201);
		expect(sim().contract()?.availableUnits).toBe(1);
		const short = await send(bearer, sms({}, 'a'.repeat(200)));
		expect(short.status).toBe(403);
		expect(short.json).toEqual(POL0001('Insufficient balance'));
		expect(ORANGE_POLICY_VARIABLES.insufficientBalance).toBe('Insufficient balance');
		expect(sim().contract()?.availableUnits).toBe(1);
		expect((await send(bearer)).status).toBe(201);
		expect(await send(bearer)).toMatchObject({ status: 403, json: POL0001('Insufficient balance') });
		expect(sim().contract()?.availableUnits).toBe(0);

		sim().advanceClock(1000);
		sim().setUnits('CIV', 50);
		sim().expireContract('CIV');
		expect(await send(bearer)).toMatchObject({ status: 403, json: POL0001('Expired contract') });
		// Validation comes first.
		expect(await send(bearer, sms({ address: 'x' }))).toMatchObject({ status: 400, json: SVC0004('address') });
		const listed = await api('GET', 'sms/admin/v1/contracts', bearer);
		expect(listed.json[0]).toMatchObject({ status: 'EXPIRED', availableUnits: 50 });
		expect(sim().ledger).toHaveLength(2);
	});

	test('a contract whose expirationDate passes on the clock expires; a country without a contract cannot send', async () => {
		const expiresAt = Date.now() + 10 * 86_400_000;
		await withSim({ contracts: [{ country: 'CIV', availableUnits: 5, expirationDate: new Date(expiresAt).toISOString() }] }, async (other) => {
			const bearer = await token(other);
			expect((await send(bearer, sms(), ENCODED_SENDER, other)).status).toBe(201);
			other.advanceClock(11 * 86_400_000);
			const fresh = await token(other);
			expect(await send(fresh, sms(), ENCODED_SENDER, other)).toMatchObject({ status: 403, json: POL0001('Expired contract') });
			expect((await api('GET', 'sms/admin/v1/contracts', fresh, undefined, other)).json[0].status).toBe('EXPIRED');
		});
		await withSim({ contracts: [{ country: 'SEN' }] }, async (other) => {
			expect(await send(await token(other), sms(), ENCODED_SENDER, other)).toMatchObject({ status: 403, json: POL0001('Expired contract') });
			expect(other.ledger).toEqual([]);
		});
	});

	test('the sender number chooses the country charged', async () => {
		await withSim({ senderAddress: 'tel:+2210000', contracts: [{ country: 'CIV', availableUnits: 9 }, { country: 'SEN', availableUnits: 4 }] }, async (other) => {
			expect(other.country).toBe('SEN');
			const answer = await send(await token(other), sms({ senderAddress: 'tel:+2210000', address: 'tel:+221770000001' }), 'tel%3A%2B2210000', other);
			expect(answer.status).toBe(201);
			expect(answer.json.outboundSMSMessageRequest.resourceURL).toContain('/outbound/tel:+2210000/requests/');
			expect(other.contract('SEN')?.availableUnits).toBe(3);
			expect(other.contract('CIV')?.availableUnits).toBe(9);
			expect(other.ledger[0]).toMatchObject({ to: '+221770000001', country: 'SEN' });
		});
	});
});

describe('rate limit', () => {
	test('5 sends per second by default, then 429 code 53 until the second has passed; refused sends do not count', async () => {
		const bearer = await token();
		for (let i = 0; i < 5; i++) expect((await send(bearer)).status).toBe(201);
		const sixth = await send(bearer);
		expect(sixth.status).toBe(429);
		expect(sixth.json).toEqual({ code: 53, message: 'Too many requests', description: expect.any(String) });
		expect((await send(bearer)).status).toBe(429);
		// Unauthenticated requests are refused before the limit.
		expect((await send('nope')).json.code).toBe(41);
		// Other routes are not limited.
		expect((await api('GET', 'sms/admin/v1/contracts', bearer)).status).toBe(200);
		expect(sim().ledger).toHaveLength(5);
		// The window slides on the simulator's clock (real milliseconds pass too: keep a margin).
		sim().advanceClock(500);
		expect((await send(bearer)).status).toBe(429);
		sim().advanceClock(600);
		for (let i = 0; i < 5; i++) expect((await send(bearer)).status).toBe(201);
		expect((await send(bearer)).status).toBe(429);
		expect(sim().ledger).toHaveLength(10);
	});

	test('rateLimitPerSecond: 0 turns it off; a figure sets it', async () => {
		await withSim({ rateLimitPerSecond: 0 }, async (other) => {
			const bearer = await token(other);
			for (let i = 0; i < 20; i++) expect((await send(bearer, sms(), ENCODED_SENDER, other)).status).toBe(201);
		});
		await withSim({ rateLimitPerSecond: 2 }, async (other) => {
			const bearer = await token(other);
			expect((await send(bearer, sms(), ENCODED_SENDER, other)).status).toBe(201);
			expect((await send(bearer, sms(), ENCODED_SENDER, other)).status).toBe(201);
			expect((await send(bearer, sms(), ENCODED_SENDER, other)).status).toBe(429);
		});
	});
});

describe('administration', () => {
	test('contracts: an array of 2.0 contracts, filtered by ?country=', async () => {
		const bearer = await token();
		const all = await api('GET', 'sms/admin/v1/contracts', bearer);
		expect(all.status).toBe(200);
		expect(all.json).toEqual([
			{
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				type: 'SELFSERVICE',
				developerId: DEFAULT_ORANGE_DEVELOPER_ID,
				applicationId: null,
				country: 'CIV',
				offerName: 'SMS_OCB',
				availableUnits: DEFAULT_ORANGE_UNITS,
				requestedUnits: 0,
				status: 'ACTIVE',
				expirationDate: expect.stringMatching(/T23:59:59\.000Z$/),
				creationDate: expect.any(String),
				lastUpdateDate: expect.any(String),
			},
		]);
		expect(Date.parse(all.json[0].expirationDate)).toBeGreaterThan(Date.now());
		expect((await api('GET', 'sms/admin/v1/contracts?country=CIV', bearer)).json).toHaveLength(1);
		expect((await api('GET', 'sms/admin/v1/contracts?country=SEN', bearer)).json).toEqual([]);

		await send(bearer);
		const after = (await api('GET', 'sms/admin/v1/contracts', bearer)).json[0];
		expect(after.availableUnits).toBe(DEFAULT_ORANGE_UNITS - 1);
		expect(Date.parse(after.lastUpdateDate)).toBeGreaterThan(Date.parse(all.json[0].lastUpdateDate));
	});

	test('contracts of several countries, with units, status and expiry from the options', async () => {
		const contracts = [
			{ country: 'CIV', availableUnits: 12 },
			{ country: 'SEN', availableUnits: 0, status: 'EXPIRED' as const, expirationDate: '2023-09-25T23:59:59.000Z' },
			{ country: 'CMR', availableUnits: 7, id: 'abc123' },
		];
		await withSim({ contracts }, async (other) => {
			const bearer = await token(other);
			const listed = (await api('GET', 'sms/admin/v1/contracts', bearer, undefined, other)).json as any[];
			expect(listed.map((c) => [c.country, c.availableUnits, c.status])).toEqual([
				['CIV', 12, 'ACTIVE'],
				['SEN', 0, 'EXPIRED'],
				['CMR', 7, 'ACTIVE'],
			]);
			expect(listed[1].expirationDate).toBe('2023-09-25T23:59:59.000Z');
			expect(listed[2].id).toBe('abc123');
			expect((await api('GET', 'sms/admin/v1/contracts?country=cmr', bearer, undefined, other)).json.map((c: any) => c.country)).toEqual(['CMR']);
			other.setUnits('MLI', 40);
			expect((await api('GET', 'sms/admin/v1/contracts?country=MLI', bearer, undefined, other)).json[0]).toMatchObject({ availableUnits: 40, status: 'ACTIVE' });
			expect(() => other.setUnits('CIV', -1)).toThrow();
			expect(() => other.expireContract('BFA')).toThrow();
		});
	});

	test('statistics: partnerStatistics from the ledger, usage in units, filtered by country and appid', async () => {
		const bearer = await token();
		const empty = await api('GET', 'sms/admin/v1/statistics', bearer);
		expect(empty).toMatchObject({ status: 200, json: { partnerStatistics: { developerId: DEFAULT_ORANGE_DEVELOPER_ID, statistics: [] } } });
		await send(bearer);
		await send(bearer, sms({}, 'a'.repeat(200)));
		const expected = {
			partnerStatistics: {
				developerId: DEFAULT_ORANGE_DEVELOPER_ID,
				statistics: [{ service: 'SMS_OCB', serviceStatistics: [{ country: 'CIV', countryStatistics: [{ appid: DEFAULT_ORANGE_APPLICATION_ID, usage: 3, nbEnforcements: 2 }] }] }],
			},
		};
		expect((await api('GET', 'sms/admin/v1/statistics', bearer)).json).toEqual(expected);
		expect((await api('GET', `sms/admin/v1/statistics?country=CIV&appid=${DEFAULT_ORANGE_APPLICATION_ID}`, bearer)).json).toEqual(expected);
		expect((await api('GET', 'sms/admin/v1/statistics?country=SEN', bearer)).json.partnerStatistics.statistics).toEqual([]);
		expect((await api('GET', 'sms/admin/v1/statistics?appid=other', bearer)).json.partnerStatistics.statistics).toEqual([]);
	});

	test('purchase orders: one per starting contract by default, or as the options give them, filtered by ?country=', async () => {
		const bearer = await token();
		const orders = await api('GET', 'sms/admin/v1/purchaseorders', bearer);
		expect(orders.status).toBe(200);
		expect(orders.json).toEqual([
			{
				id: expect.stringMatching(/^[0-9a-f]{24}$/),
				developerId: DEFAULT_ORANGE_DEVELOPER_ID,
				contractId: sim().contract()?.id,
				country: 'CIV',
				offerName: 'SMS_OCB',
				bundleId: expect.any(String),
				bundleDescription: expect.any(String),
				price: expect.any(Number),
				currency: 'XOF',
				purchaseDate: expect.any(String),
				paymentMode: 'OrangeMoney',
				paymentProviderOrderId: null,
				payerId: expect.any(String),
				type: 'BUNDLE_PURCHASE',
				oldAvailableUnits: 0,
				newAvailableUnits: DEFAULT_ORANGE_UNITS,
				oldExpirationDate: expect.any(String),
				newExpirationDate: sim().contract()?.expirationDate,
				externalId: expect.any(String),
				comment: null,
			},
		]);
		expect((await api('GET', 'sms/admin/v1/purchaseorders?country=SEN', bearer)).json).toEqual([]);
		const purchaseOrders = [
			{ country: 'CIV', bundleDescription: 'Bundle 1 - 100 SMS for 725 FCFA (for 30 days)', price: 725, paymentMode: 'Airtime' },
			{ country: 'CMR', price: 1000 },
		];
		await withSim({ contracts: [{ country: 'CIV' }, { country: 'CMR' }], purchaseOrders }, async (other) => {
			const t = await token(other);
			const listed = (await api('GET', 'sms/admin/v1/purchaseorders', t, undefined, other)).json as any[];
			expect(listed.map((p) => [p.country, p.price, p.paymentMode, p.currency, p.contractId])).toEqual([
				['CIV', 725, 'Airtime', 'XOF', other.contract('CIV')?.id],
				['CMR', 1000, 'OrangeMoney', 'XAF', other.contract('CMR')?.id],
			]);
			expect((await api('GET', 'sms/admin/v1/purchaseorders?country=CMR', t, undefined, other)).json).toHaveLength(1);
		});
	});
});

describe('delivery-receipt subscriptions', () => {
	const subscription = (notifyURL: unknown, extra: Record<string, unknown> = {}) => ({ deliveryReceiptSubscription: { callbackReference: { notifyURL, ...extra } } });

	test('create (encoded or raw sender), read, delete: 201, 200, 204; then 404', async () => {
		const bearer = await token();
		const created = await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, subscription('https://example.test/dr'));
		expect(created.status).toBe(201);
		const id = [...sim().subscriptions.keys()][0];
		expect(id).toMatch(UUID);
		const view = {
			deliveryReceiptSubscription: { callbackReference: { notifyURL: 'https://example.test/dr' }, resourceURL: `${sim().url}/smsmessaging/v1/outbound/subscriptions/${id}` },
		};
		expect(created.json).toEqual(view);
		expect(await api('GET', `smsmessaging/v1/outbound/subscriptions/${id}`, bearer)).toMatchObject({ status: 200, json: view });

		// Plain http on loopback is taken, and callbackData is kept.
		const local = await api('POST', `smsmessaging/v1/outbound/${SENDER}/subscriptions`, bearer, subscription(`${receiverUrl}/dr`, { callbackData: 'abc' }));
		expect(local.status).toBe(201);
		expect(local.json.deliveryReceiptSubscription.callbackReference).toEqual({ notifyURL: `${receiverUrl}/dr`, callbackData: 'abc' });
		expect(sim().subscriptions.size).toBe(2);

		const deleted = await api('DELETE', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions/${id}`, bearer);
		expect(deleted.status).toBe(204);
		expect(deleted.text).toBe('');
		expect(sim().subscriptions.has(id)).toBe(false);
		expect(await api('GET', `smsmessaging/v1/outbound/subscriptions/${id}`, bearer)).toMatchObject({ status: 404, json: SVC0002('subscriptionId') });
		expect(await api('DELETE', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions/${id}`, bearer)).toMatchObject({ status: 404, json: SVC0002('subscriptionId') });
		expect(sim().subscriptions.size).toBe(1);
	});

	test('a wrong sender is 400 SVC0004 senderAddress; a missing or non-http notifyURL 400 SVC0002 notifyURL', async () => {
		const bearer = await token();
		expect(await api('POST', 'smsmessaging/v1/outbound/tel%3A%2B2210000/subscriptions', bearer, subscription('https://x.test'))).toMatchObject({
			status: 400,
			json: SVC0004('senderAddress'),
		});
		for (const notifyURL of [undefined, '', 'ftp://x.test/dr', 'not a url', 42]) {
			expect(await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, subscription(notifyURL))).toMatchObject({ status: 400, json: SVC0002('notifyURL') });
		}
		expect(await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, {})).toMatchObject({ status: 400, json: SVC0002('notifyURL') });
		expect(await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, subscription('https://x.test', { callbackData: 5 }))).toMatchObject({
			status: 400,
			json: SVC0002('callbackData'),
		});
		const created = await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, subscription('https://x.test'));
		const id = created.json.deliveryReceiptSubscription.resourceURL.split('/').pop();
		expect(await api('DELETE', `smsmessaging/v1/outbound/tel%3A%2B2210000/subscriptions/${id}`, bearer)).toMatchObject({ status: 400, json: SVC0004('senderAddress') });
		expect(sim().subscriptions.size).toBe(1);
	});

	test('subscriptionsEnabled false: 403 POL0001', async () => {
		const body = subscription('https://x.test/dr');
		sim().subscriptionsEnabled = false;
		const bearer = await token();
		const refused = await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, body);
		expect(refused).toMatchObject({ status: 403, json: POL0001(ORANGE_POLICY_VARIABLES.subscriptionsDisabled) });
		expect(sim().subscriptions.size).toBe(0);
		await withSim({ subscriptionsEnabled: false }, async (other) => {
			expect((await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, await token(other), body, other)).status).toBe(403);
			other.reset();
			expect(other.subscriptionsEnabled).toBe(false);
		});
		sim().reset();
		expect(sim().subscriptionsEnabled).toBe(true);
	});
});

describe('notifications posted to a receiver', () => {
	async function subscribe(bearer: string, path: string): Promise<void> {
		const answer = await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, { deliveryReceiptSubscription: { callbackReference: { notifyURL: `${receiverUrl}${path}` } } });
		expect(answer.status).toBe(201);
	}

	test('deliverReports posts one deliveryInfoNotification per unreported SMS to every subscription, once', async () => {
		const bearer = await token();
		await subscribe(bearer, '/a');
		await subscribe(bearer, '/b');
		await send(bearer);
		await send(bearer, sms({ address: 'tel:+2250700000002' }));
		const [first, second] = sim().ledger;
		const results = await sim().deliverReports();
		expect(results.map((r) => [r.url, r.status, r.body])).toEqual([
			[`${receiverUrl}/a`, 200, 'ok'],
			[`${receiverUrl}/b`, 200, 'ok'],
			[`${receiverUrl}/a`, 200, 'ok'],
			[`${receiverUrl}/b`, 200, 'ok'],
		]);
		expect(received.map((r) => r.path)).toEqual(['/a', '/b', '/a', '/b']);
		expect(received[0].contentType).toMatch(/^application\/json/);
		expect(received[0].body).toEqual({
			deliveryInfoNotification: { callbackData: first.id, deliveryInfo: { address: 'tel:+2250700000001', deliveryStatus: 'DeliveredToTerminal' } },
		});
		expect(received[2].body.deliveryInfoNotification).toEqual({ callbackData: second.id, deliveryInfo: { address: 'tel:+2250700000002', deliveryStatus: 'DeliveredToTerminal' } });
		expect(sim().ledger.map((s) => s.deliveryStatus)).toEqual(['DeliveredToTerminal', 'DeliveredToTerminal']);
		expect(sim().callbacks).toHaveLength(4);
		expect(await sim().deliverReports()).toEqual([]);
		expect(received).toHaveLength(4);

		// Again for chosen SMS, with a status per SMS, to one URL only.
		const again = await sim().deliverReports({ ids: [second.id], status: () => 'DeliveryImpossible', to: `${receiverUrl}/c`, subscribers: false });
		expect(again).toHaveLength(1);
		expect(received[4]).toMatchObject({ path: '/c', body: { deliveryInfoNotification: { callbackData: second.id, deliveryInfo: { deliveryStatus: 'DeliveryImpossible' } } } });
		expect(second.deliveryStatus).toBe('DeliveryImpossible');
	});

	test('deliverReportsTo posts to the given URL with the chosen status; every status is accepted; answers are returned as they are', async () => {
		const bearer = await token();
		const statuses = ['DeliveredToTerminal', 'DeliveredToNetwork', 'DeliveryImpossible', 'MessageWaiting', 'DeliveryUncertain'] as const;
		for (const status of statuses) {
			await send(bearer);
			const [result] = await sim().deliverReportsTo(`${receiverUrl}/dr`, status);
			expect(result.status).toBe(200);
			expect(received[received.length - 1].body.deliveryInfoNotification.deliveryInfo.deliveryStatus).toBe(status);
		}
		expect(received).toHaveLength(5);
		sim().advanceClock(1000);
		await send(bearer);
		const [failed] = await sim().deliverReportsTo(`${receiverUrl}/fail`);
		expect(failed).toMatchObject({ status: 500, body: 'boom' });
		await send(bearer);
		const [unreachable] = await sim().deliverReportsTo('http://127.0.0.1:9/dr');
		expect(typeof unreachable.status).toBe('string');
		await send(bearer);
		await expect(sim().deliverReports({ status: 'Delivered' as any })).rejects.toThrow(/unknown delivery status/);
	});

	test('autoDeliverMs reports each accepted SMS a few ms later', async () => {
		await withSim({ autoDeliverMs: 5, autoDeliverStatus: 'DeliveredToNetwork' }, async (other) => {
			const bearer = await token(other);
			await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, { deliveryReceiptSubscription: { callbackReference: { notifyURL: `${receiverUrl}/auto` } } }, other);
			await send(bearer, sms(), ENCODED_SENDER, other);
			for (let i = 0; i < 100 && !received.length; i++) await new Promise((resolve) => setTimeout(resolve, 5));
			expect(received).toHaveLength(1);
			expect(received[0]).toMatchObject({ path: '/auto', body: { deliveryInfoNotification: { callbackData: other.ledger[0].id, deliveryInfo: { deliveryStatus: 'DeliveredToNetwork' } } } });
			expect(other.ledger[0].deliveryStatus).toBe('DeliveredToNetwork');
		});
	});

	test('sendIncomingSms posts an inboundSMSMessageNotification', async () => {
		const result = await sim().sendIncomingSms(`${receiverUrl}/mo`, { from: '+2250700000001', text: 'OUI' });
		expect(result).toMatchObject({ status: 200, body: 'ok' });
		expect(received).toHaveLength(1);
		const notification = received[0].body.inboundSMSMessageNotification;
		expect(notification).toEqual({
			callbackData: expect.any(String),
			inboundSMSMessage: {
				dateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
				destinationAddress: SENDER,
				messageId: expect.any(String),
				message: 'OUI',
				senderAddress: 'tel:+2250700000001',
			},
		});
		await sim().sendIncomingSms(`${receiverUrl}/mo`, { from: '2250700000002', to: 'tel:+2251234', text: 'Stop', messageId: 'm1', callbackData: 'cb' });
		expect(received[1].body.inboundSMSMessageNotification).toMatchObject({
			callbackData: 'cb',
			inboundSMSMessage: { destinationAddress: 'tel:+2251234', messageId: 'm1', senderAddress: 'tel:+2250700000002' },
		});
	});
});

describe('sandbox state and control', () => {
	test('GET /__sandbox/state shows contracts, ledger, subscriptions and tokens issued', async () => {
		const bearer = await token();
		await send(bearer);
		await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, { deliveryReceiptSubscription: { callbackReference: { notifyURL: 'https://x.test' } } });
		const state = (await request(`${sim().url}/__sandbox/state`)).json;
		expect(state).toMatchObject({
			requests: 3,
			senderAddress: SENDER,
			country: 'CIV',
			contracts: [{ country: 'CIV', availableUnits: DEFAULT_ORANGE_UNITS - 1, status: 'ACTIVE' }],
			ledgerSize: 1,
			ledger: [{ to: '+2250700000001', text: 'Bonjour' }],
			subscriptions: [{ notifyURL: 'https://x.test' }],
			tokensIssued: 1,
			subscriptionsEnabled: true,
		});
	});

	test('control routes: units, expire-contract, expire-tokens, advance-clock, deliver', async () => {
		const control = (action: string, body: unknown = {}) => request(`${sim().url}/__sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
		const bearer = await token();
		expect(await control('units', { units: 0 })).toMatchObject({ status: 200, json: { ok: true, contract: { availableUnits: 0 } } });
		expect(await send(bearer)).toMatchObject({ status: 403, json: POL0001('Insufficient balance') });
		expect((await control('units', { units: 2, country: 'CIV' })).status).toBe(200);
		expect((await send(bearer)).status).toBe(201);
		expect((await control('units', { units: -1 })).status).toBe(400);
		expect((await control('units', { country: 'SEN', units: 5 })).json.contract).toMatchObject({ country: 'SEN', availableUnits: 5 });

		await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, { deliveryReceiptSubscription: { callbackReference: { notifyURL: `${receiverUrl}/s` } } });
		const delivered = await control('deliver', { status: 'MessageWaiting', url: `${receiverUrl}/extra` });
		expect(delivered).toMatchObject({ status: 200, json: { ok: true, posted: [{ url: `${receiverUrl}/s`, status: 200 }, { url: `${receiverUrl}/extra`, status: 200 }] } });
		expect(received.map((r) => r.body.deliveryInfoNotification.deliveryInfo.deliveryStatus)).toEqual(['MessageWaiting', 'MessageWaiting']);
		expect((await control('deliver', { status: 'Nope' })).status).toBe(400);

		expect((await control('expire-contract')).json.contract).toMatchObject({ status: 'EXPIRED' });
		expect(await send(bearer)).toMatchObject({ status: 403, json: POL0001('Expired contract') });
		expect((await control('expire-contract', { country: 'BFA' })).status).toBe(404);

		expect((await control('expire-tokens')).status).toBe(200);
		expect((await api('GET', 'sms/admin/v1/contracts', bearer)).json.code).toBe(42);
		const fresh = await token();
		expect(await control('advance-clock', { ms: 3_600_000 })).toMatchObject({ status: 200, json: { clockOffsetMs: 3_600_000 } });
		expect((await api('GET', 'sms/admin/v1/contracts', fresh)).json.code).toBe(42);
		expect((await control('advance-clock', {})).status).toBe(400);
		expect((await control('unknown')).status).toBe(404);
	});

	test('reset() restores the constructor state: ledger, requests, tokens, units, contracts, subscriptions, clock, names', async () => {
		const bearer = await token();
		const contractBefore = { ...sim().contract() };
		const ordersBefore = JSON.stringify(sim().purchaseOrders);
		await send(bearer);
		await api('POST', `smsmessaging/v1/outbound/${ENCODED_SENDER}/subscriptions`, bearer, { deliveryReceiptSubscription: { callbackReference: { notifyURL: 'https://x.test' } } });
		sim().setUnits('SEN', 3);
		sim().expireContract('CIV');
		sim().advanceClock(10_000);
		sim().senderNames.add('EXTRA');
		sim().rateLimitPerSecond = 1;
		sim().injectFault({ kind: 'status', status: 503 });
		await sim().deliverReportsTo(`${receiverUrl}/r`);

		expect((await request(`${sim().url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect(sim().ledger).toEqual([]);
		expect(sim().requests).toEqual([]);
		expect(sim().callbacks).toEqual([]);
		expect(sim().subscriptions.size).toBe(0);
		expect(sim().tokensIssued).toBe(0);
		expect(sim().contracts).toEqual([contractBefore]);
		expect(JSON.stringify(sim().purchaseOrders)).toBe(ordersBefore);
		expect(sim().senderNames.has('EXTRA')).toBe(false);
		expect(sim().rateLimitPerSecond).toBe(5);
		expect(Math.abs(sim().now() - Date.now())).toBeLessThan(1000);
		expect(sim().pendingFaults).toBe(0);
		// Old tokens are gone.
		expect((await send(bearer)).json.code).toBe(41);
		expect((await send(await token())).status).toBe(201);
	});

	test('injected faults of the base class apply', async () => {
		const bearer = await token();
		sim().injectFault({ kind: 'status', status: 503, body: { code: 5, message: 'Service unavailable' }, acted: true });
		expect(await send(bearer)).toMatchObject({ status: 503, json: { code: 5 } });
		expect(sim().ledger).toHaveLength(1);
	});
});
