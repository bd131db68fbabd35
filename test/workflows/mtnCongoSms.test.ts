/**
 * The MTN Congo SMS node inside n8n's WorkflowExecute, against the MTN
 * simulator over HTTP on 127.0.0.1.
 */
import type { IDataObject } from 'n8n-workflow';
import { useProviderNode } from '../providers/useSimulators';
import type { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

// The token must never be in what n8n records of a run: output, errors, context.
const { sim, run: mtn } = useProviderNode<MtnCongoSimulator>('mtnCongo');

/** Congo numbers 242 06 000 00 00 + i, as national numbers. */
const congo = (i: number) => `06${String(1_000_000 + i).slice(1).padStart(7, '0')}`;
const intl = (i: number) => `2420${congo(i).slice(1)}`;
const bodies = () => sim.requests.map((r) => JSON.parse(r.rawBody) as IDataObject);

describe('send', () => {
	test('one item, expressions in parameters, contract output', async () => {
		const { outputs } = await mtn([{ phone: '+242 06 846 34 99', name: 'Brel' }], {
			operation: 'send',
			sender: 'BES',
			to: '={{ $json.phone }}',
			message: '=Bonjour {{ $json.name }}, votre colis est expédié.',
			options: { externalId: 42, callbackUrl: 'https://example.test/cb?secret=s' },
		});
		// Provider, operation, status, pairing: the behaviour suite (smsNode.behaviour.test.ts).
		expect(outputs[0][0].json).toMatchObject({
			messageId: expect.stringMatching(/^\d+$/),
			to: '242068463499',
			encoding: 'GSM-7',
			segments: 1,
			providerStatus: 'envoyé (coût: 1 crédits)',
			credits: 1,
			externalId: 42,
		});
		expect(bodies()[0]).toEqual({
			msg: 'Bonjour Brel, votre colis est expédié.',
			sender: 'BES',
			receivers: '242068463499',
			externalId: 42,
			callback_url: 'https://example.test/cb?secret=s',
		});
		expect(sim.requests[0].headers.authorization).toBe(`Token ${sim.token}`);
	});

	test('several numbers in one item: one request, one output item with per-number results', async () => {
		const { outputs } = await mtn([{}], {
			operation: 'send',
			sender: 'BES',
			to: '+242 06 846 34 99, 242050010101\n068463400; 242068463499',
			message: 'Hello',
		});
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json.to).toBe('242068463499,242050010101,242068463400');
		expect(outputs[0][0].json.recipients).toHaveLength(3);
		expect(outputs[0][0].json.credits).toBe(3);
		expect(sim.requests).toHaveLength(1);
		expect(bodies()[0].receivers).toBe('242068463499,242050010101,242068463400');
	});

	test('a sender over 11 characters is refused before sending', async () => {
		const { error } = await mtn([{}], { operation: 'send', sender: 'TOO-LONG-SENDER', to: '068463499', message: 'Hi' });
		expect(error?.message).toMatch(/Sender "TOO-LONG-SENDER" has 15 characters; MTN Congo allows at most 11/);
		expect(sim.requests).toHaveLength(0);
	});

	test('404 number error from MTN: the item fails with MTN\'s words', async () => {
		// A valid Cameroon number passes our check; MTN Congo refuses it.
		const { error } = await mtn([{}], { operation: 'send', sender: 'BES', to: '+237694124344', message: 'Hi' });
		expect(error?.message).toMatch(/MTN Congo refused the request \(404\): Erreur MSISDN: 237694124344/);
		expect(error?.description).toMatch(/does not accept this number/);
	});

	test('401: a wrong token says what to check, and never shows the token', async () => {
		const tried = 'wrong-token-xyz';
		const { error } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' }, {}, { credentials: { token: tried } });
		expect(error?.message).toMatch(/MTN Congo refused the request \(401\): Token invalide/);
		expect(error?.description).toMatch(/Check the token/);
	});

	test('a provider answer that echoes the token is redacted everywhere', async () => {
		sim.injectFault({ kind: 'status', status: 400, body: { resultat: `Erreur token ${sim.token}`, detail: `Authorization: Token ${sim.token}`, status: '400' } });
		const { outputs } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0][0].json.error).toContain('***');
	});

	test('a success answer that echoes the token is redacted in the output item', async () => {
		sim.injectFault({ kind: 'status', status: 200, body: { resultat: `envoyé pour Token ${sim.token}`, status: '200', id: '77' } });
		const { outputs } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' });
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', messageId: '77', providerStatus: 'envoyé pour Token ***' });
	});

	test('a malformed answer is a clear error with the HTTP status and the body', async () => {
		sim.injectFault({ kind: 'malformed', body: '<html>maintenance</html>' });
		const { error } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' });
		expect(error?.message).toMatch(/MTN Congo answered HTTP 200 with something that is not JSON: <html>maintenance<\/html>/);
	});

	test('429 with Retry-After is waited out transparently', async () => {
		sim.injectFault({ kind: 'rateLimit', retryAfterSeconds: 1 });
		const { outputs } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' });
		expect(outputs[0][0].json.status).toBe('accepted');
		expect(sim.requests).toHaveLength(2);
		expect(sim.ledger).toHaveLength(1);
	});
});

describe('sendBulk', () => {

	test('a number MTN refuses fails its item; the rest of the batch is sent again without it', async () => {
		const items = [{ phone: congo(1) }, { phone: '+237694124344' }, { phone: congo(2) }];
		const { outputs } = await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'failed', 'accepted']);
		expect(outputs[0][1].json.error).toMatch(/\(404\).*237694124344/);
		expect(sim.ledger.map((s) => s.to)).toEqual([intl(1), intl(2)]);
	});

	test('items with different texts go in different requests', async () => {
		const items = [
			{ phone: congo(1), lang: 'fr' },
			{ phone: congo(2), lang: 'en' },
			{ phone: congo(3), lang: 'fr' },
		];
		await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: '={{ $json.lang === "fr" ? "Bonjour" : "Hello" }}' });
		expect(bodies().map((b) => [b.msg, b.receivers]).sort()).toEqual([
			['Bonjour', `${intl(1)},${intl(3)}`],
			['Hello', intl(2)],
		]);
	});
});

describe('sendPersonalized', () => {
	const params = { operation: 'sendPersonalized', sender: 'BES', phone: '={{ $json.phone }}', message: 'Bonjour :P1 :P2, votre code est :P3.' };

	test('builds the params CSV and MTN fills each text', async () => {
		const items = [
			{ phone: '064504545', p1: 'ASSEH', p2: 'Brel', p3: 'A1' },
			{ phone: '057360000', p1: 'MOTOKOUA', p2: 'Hegel', p3: 'B2' },
		];
		const { outputs } = await mtn(items, params);
		expect(bodies()[0]).toEqual({
			msg: 'Bonjour :P1 :P2, votre code est :P3.',
			sender: 'BES',
			params: 'ASSEH;Brel;A1;242064504545\r\nMOTOKOUA;Hegel;B2;242057360000',
			isemail: '0',
		});
		expect(sim.ledger.map((s) => s.text)).toEqual(['Bonjour ASSEH Brel, votre code est A1.', 'Bonjour MOTOKOUA Hegel, votre code est B2.']);
		expect(outputs[0].map((i) => [i.json.status, i.json.to, i.pairedItem])).toEqual([
			['accepted', '242064504545', { item: 0 }],
			['accepted', '242057360000', { item: 1 }],
		]);
	});

	test('with an e-mail copy the address comes just before the phone', async () => {
		const items = [{ phone: '064504545', p1: 'ASSEH', p2: 'Brel', p3: 'X', mail: 'info@besnode.com' }];
		await mtn(items, { ...params, options: { email: '={{ $json.mail }}', mailSubject: 'Code' } });
		expect(bodies()[0]).toMatchObject({ params: 'ASSEH;Brel;X;info@besnode.com;242064504545', isemail: '1', objet_mail: 'Code' });
		expect(sim.ledger[0].email).toBe('info@besnode.com');
	});

	test('recipients with their own e-mail addresses still share one request', async () => {
		const items = [
			{ phone: '064504545', p1: 'A', mail: 'a@x.cg' },
			{ phone: '057360000', p1: 'B', mail: 'b@x.cg' },
		];
		await mtn(items, { ...params, message: 'Bonjour :P1', options: { email: '={{ $json.mail }}' } });
		expect(sim.requests).toHaveLength(1);
		expect(bodies()[0].params).toBe('A;a@x.cg;242064504545\r\nB;b@x.cg;242057360000');
	});

	test('a value with a semicolon is a clear error', async () => {
		const bad = await mtn([{ phone: '064504545', p1: 'a;b', p2: 'x', p3: 'y' }], params);
		expect(bad.error?.message).toMatch(/value of P1 \("a;b"\) contains a semicolon or a line break/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('sendScheduled', () => {
	test('sendAt becomes date_envois in Congo time', async () => {
		const at = new Date(Date.now() + 86_400_000);
		at.setUTCHours(8, 30, 0, 0);
		const { outputs } = await mtn([{}], { operation: 'sendScheduled', sender: 'BES', to: '068463499', message: 'Rappel', sendAt: at.toISOString() });
		const expected = new Date(at.getTime() + 3_600_000).toISOString().slice(0, 19);
		expect(bodies()[0].date_envois).toBe(expected);
		expect(outputs[0][0].json).toMatchObject({ status: 'scheduled', sendAt: at.toISOString() });
		expect(sim.ledger[0].scheduledFor).toBe(expected);
	});

	test("a date without zone is read in the workflow's time zone", async () => {
		const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
		const run = async (timezone: string) => await mtn([{}], { operation: 'sendScheduled', sender: 'BES', to: '068463499', message: 'Rappel', sendAt: `${day}T09:00:00` }, {}, { timezone });
		await run('Africa/Brazzaville');
		await run('Asia/Tokyo');
		// 09:00 in Brazzaville is 09:00 Congo time; 09:00 in Tokyo (UTC+9) is 01:00 Congo time.
		expect(bodies().map((b) => b.date_envois)).toEqual([`${day}T09:00:00`, `${day}T01:00:00`]);
	});
});

describe('getStatus', () => {
	test('one item per recipient, normalised statuses, MTN code and label kept', async () => {
		const sentRun = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499, 068463400', message: 'Hi', options: { externalId: 15 } });
		const id = sentRun.outputs[0][0].json.messageId as string;
		sim.undeliverable.add('242068463400');
		await sim.deliver(id);
		const { outputs } = await mtn([{ id }], { operation: 'getStatus', messageId: '={{ $json.id }}' });
		expect(outputs[0].map((i) => i.json)).toEqual([
			expect.objectContaining({ messageId: id, to: '242068463499', status: 'delivered', providerStatus: '1 Livré au téléphone', providerCode: 1, externalId: 15 }),
			expect.objectContaining({ messageId: id, to: '242068463400', status: 'undelivered', providerStatus: '2 Non remis au téléphone' }),
		]);
		expect(outputs[0].every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(bodies()[1]).toEqual({ op: 'status', id });
	});

	test('many items at once stay within the concurrency limit', async () => {
		const sentRun = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' });
		const id = sentRun.outputs[0][0].json.messageId as string;
		const items = Array.from({ length: 12 }, () => ({ id }));
		sim.injectFault({ kind: 'slow', ms: 100 }, 12);
		const { outputs } = await mtn(items, { operation: 'getStatus', messageId: '={{ $json.id }}', options: { maxConcurrentRequests: 3, maxRequestsPerSecond: 0 } });
		expect(outputs[0]).toHaveLength(12);
		expect(outputs[0].map((i) => (i.pairedItem as { item: number }).item)).toEqual([...Array(12).keys()]);
		expect(sim.peakInFlight).toBe(3);
	});

	test('an unknown id is a 404 error item with Continue On Fail', async () => {
		const { outputs } = await mtn([{}], { operation: 'getStatus', messageId: '999' }, { continueOnFail: true });
		expect(outputs[0][0].json).toMatchObject({ status: 'failed' });
		expect(outputs[0][0].json.error).toMatch(/\(404\)/);
	});
});
