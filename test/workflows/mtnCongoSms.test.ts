/**
 * The MTN Congo SMS node inside n8n's WorkflowExecute, against the MTN
 * simulator over HTTP on 127.0.0.1.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { closeTransportPools } from '../../nodes/shared/transport';
import { runAsText, runNode, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

let sim: MtnCongoSimulator;
beforeAll(async () => {
	sim = await new MtnCongoSimulator({ token: 'mtn-secret-token-4f8a2c' }).start();
});
beforeEach(() => sim.reset());
afterAll(async () => {
	await sim.stop();
	await closeTransportPools();
});

const credentials = () => ({ mtnCongoSmsApi: { token: sim.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } });

async function mtn(items: IDataObject[], parameters: INodeParameters, settings: NodeUnderTest['settings'] = {}): Promise<WorkflowResult> {
	const result = await runNode(items, { type: 'mtnCongoSms', parameters, credentials: credentials(), settings });
	// The token must never be in what n8n records of a run: output, errors, context.
	expect(runAsText(result)).not.toContain(sim.token);
	return result;
}

/** Congo numbers 242 06 000 00 00 + i, as national numbers. */
const congo = (i: number) => `06${String(1_000_000 + i).slice(1).padStart(7, '0')}`;
const intl = (i: number) => `2420${congo(i).slice(1)}`;
const sent = (to: string) => sim.ledger.filter((s) => s.to === to);
const bodies = () => sim.requests.map((r) => JSON.parse(r.rawBody) as IDataObject);

describe('send', () => {
	test('one item, expressions in parameters, contract output', async () => {
		const { outputs, error } = await mtn([{ phone: '+242 06 846 34 99', name: 'Brel' }], {
			operation: 'send',
			sender: 'BES',
			to: '={{ $json.phone }}',
			message: '=Bonjour {{ $json.name }}, votre colis est expédié.',
			options: { externalId: 42, callbackUrl: 'https://example.test/cb?secret=s' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		const { json, pairedItem } = outputs[0][0];
		expect(pairedItem).toEqual({ item: 0 });
		expect(json).toMatchObject({
			provider: 'mtnCongo',
			status: 'accepted',
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

	test('more than 1000 numbers in one item: several requests, one output item', async () => {
		const numbers = Array.from({ length: 1500 }, (_, i) => intl(i));
		const { outputs } = await mtn([{ numbers }], { operation: 'send', sender: 'BES', to: '={{ $json.numbers }}', message: 'Hi' });
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json.recipientCount).toBe(1500);
		expect((outputs[0][0].json.messageIds as string[]).length).toBe(2);
		expect(bodies().map((b) => String(b.receivers).split(',').length).sort()).toEqual([1000, 500]);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(1500);
	});

	test('an expression may return an array of numbers', async () => {
		const { outputs } = await mtn([{ phones: ['068463499', '+242050010101'] }], { operation: 'send', sender: 'BES', to: '={{ $json.phones }}', message: 'Hi' });
		expect(outputs[0][0].json.to).toBe('242068463499,242050010101');
	});

	test('UCS-2 text: encoding and segments; transliteration option makes it GSM-7', async () => {
		const text = 'L’équipe vous attend « demain » à 10h… Merci, à bientôt ! '.repeat(2);
		const plain = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: text });
		expect(plain.outputs[0][0].json).toMatchObject({ encoding: 'UCS-2', segments: 2 });
		const converted = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: text, options: { transliterate: true } });
		expect(converted.outputs[0][0].json).toMatchObject({ encoding: 'GSM-7', segments: 1 });
		expect(sim.ledger[1].text).toContain('" demain "');
	});

	test('an invalid number fails the workflow naming item and field; nothing is sent', async () => {
		const { error, outputs } = await mtn([{ to: '068463499' }, { to: '24206846349' }], { operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi' });
		expect(error?.message).toMatch(/Invalid phone number in 'To': "24206846349"/);
		expect(error?.context?.itemIndex).toBe(1);
		expect(outputs).toEqual([]);
		expect(sim.ledger).toHaveLength(0);
	});

	test('a sender over 11 characters is refused before sending', async () => {
		const { error } = await mtn([{}], { operation: 'send', sender: 'TOO-LONG-SENDER', to: '068463499', message: 'Hi' });
		expect(error?.message).toMatch(/Sender "TOO-LONG-SENDER" has 15 characters; MTN Congo allows at most 11/);
		expect(sim.requests).toHaveLength(0);
	});

	test('Continue On Fail: the bad item becomes an error item, the others go out', async () => {
		const items = [{ to: '068463499' }, { to: 'not-a-number' }, { to: '068463401' }];
		const { outputs, error } = await mtn(items, { operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi' }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => [i.json.status, i.pairedItem])).toEqual([
			['accepted', { item: 0 }],
			['failed', { item: 1 }],
			['accepted', { item: 2 }],
		]);
		expect(outputs[0][1].json.error).toMatch(/Invalid phone number in 'To': "not-a-number"/);
		expect(sim.ledger.map((s) => s.to).sort()).toEqual(['242068463401', '242068463499']);
	});

	test("Continue (using error output): failed items go to the node's error output", async () => {
		const items = [{ to: '068463499' }, { to: '12' }];
		const { outputs } = await mtn(items, { operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi' }, { onError: 'continueErrorOutput' });
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted']);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		// n8n's error-output shape: `error`, plus the input item's fields that n8n adds.
		expect(outputs[1][0].json).toEqual({ to: '12', error: expect.stringMatching(/Invalid phone number in 'To': "12"/) });
	});

	test('404 number error from MTN: the item fails with MTN\'s words', async () => {
		// A valid Cameroon number passes our check; MTN Congo refuses it.
		const { error } = await mtn([{}], { operation: 'send', sender: 'BES', to: '+237694124344', message: 'Hi' });
		expect(error?.message).toMatch(/MTN Congo refused the request \(404\): Erreur MSISDN: 237694124344/);
		expect(error?.description).toMatch(/does not accept this number/);
	});

	test('401: a wrong token says what to check, and never shows the token', async () => {
		const result = await runNode([{}], {
			type: 'mtnCongoSms',
			parameters: { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' },
			credentials: { mtnCongoSmsApi: { token: 'wrong-token-xyz', baseUrl: sim.baseUrl, defaultCountry: 'CG' } },
		});
		expect(result.error?.message).toMatch(/MTN Congo refused the request \(401\): Token invalide/);
		expect(result.error?.description).toMatch(/Check the token/);
		expect(runAsText(result)).not.toContain('wrong-token-xyz');
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

	test('a time-out after sending is not resent, and says why', async () => {
		sim.injectFault({ kind: 'slow', ms: 2500 });
		const { error } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi', options: { timeout: 1 } });
		expect(error?.message).toMatch(/Request to MTN Congo failed: no answer within 1 s/);
		expect(error?.description).toMatch(/may or may not have received/);
		// MTN does take the SMS, after our time-out; wait for it so it cannot land in the next test's ledger.
		for (const until = Date.now() + 5000; sim.ledger.length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
		expect(sim.ledger).toHaveLength(1);
		expect(sim.requests).toHaveLength(1);
	});

	test('429 with Retry-After is waited out transparently', async () => {
		sim.injectFault({ kind: 'rateLimit', retryAfterSeconds: 1 });
		const { outputs } = await mtn([{}], { operation: 'send', sender: 'BES', to: '068463499', message: 'Hi' });
		expect(outputs[0][0].json.status).toBe('accepted');
		expect(sim.requests).toHaveLength(2);
		expect(sim.ledger).toHaveLength(1);
	});

	test('Retry On Fail after an injected 500: accepted items are not sent again, the unsure one is held back', async () => {
		const items = [0, 1, 2, 3].map((i) => ({ to: congo(i) }));
		// The third request gets a 500: MTN may or may not have sent it.
		let seen = 0;
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, () => ++seen === 3);
		const { outputs, error } = await mtn(
			items,
			{ operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi', options: { maxConcurrentRequests: 1 } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		);
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(/Not sent again: an earlier attempt in this execution may have reached MTN Congo \(MTN Congo answered HTTP 500\)/);
		expect(error?.description).toMatch(/Retry Ambiguous Failures/);
		// Four requests only: n8n's two retries sent nothing again.
		expect(sim.requests).toHaveLength(4);
		for (let i = 0; i < 4; i++) expect(sent(intl(i))).toHaveLength(i === 2 ? 0 : 1);
	});

	test('Retry On Fail with Retry Ambiguous Failures: the unsure item is resent, the accepted ones are not', async () => {
		const items = [0, 1, 2, 3].map((i) => ({ to: congo(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, () => ++seen === 3);
		const { outputs, error } = await mtn(
			items,
			{ operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi', options: { maxConcurrentRequests: 1, retryAmbiguousFailures: true } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
		for (let i = 0; i < 4; i++) expect(sent(intl(i))).toHaveLength(1);
		// With the option the transport itself resent the 500 at once: 5 requests, no n8n retry needed.
		expect(sim.requests).toHaveLength(5);
	});

	test('Retry On Fail after a failure that surely sent nothing (503s past the retries): the item is sent on the rerun', async () => {
		const items = [0, 1].map((i) => ({ to: congo(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, () => ++seen >= 2);
		const { outputs, error } = await mtn(
			items,
			{ operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi', options: { maxConcurrentRequests: 1 } },
			{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'accepted']);
		for (let i = 0; i < 2; i++) expect(sent(intl(i))).toHaveLength(1);
		// 1 accepted + 4 refused (503) on the first run; the rerun sends only the missing item.
		expect(sim.requests).toHaveLength(6);
	});
});

describe('sendBulk', () => {
	test('2500 items: 3 requests of at most 1000 receivers, 2500 paired outputs, each number once', async () => {
		const items = Array.from({ length: 2500 }, (_, i) => ({ phone: congo(i) }));
		const { outputs, error, run } = await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Promo -20% ce week-end' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(2500);
		outputs[0].forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.to).toBe(intl(i));
			expect(item.json.status).toBe('accepted');
		});
		const sizes = bodies().map((b) => String(b.receivers).split(',').length);
		expect(sizes.sort()).toEqual([1000, 1000, 500]);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(2500);
		expect(sim.ledger).toHaveLength(2500);
		expect(new Set(outputs[0].map((i) => i.json.messageId)).size).toBe(3);
		expect(sim.connections).toBeLessThanOrEqual(4);
		// The retry ledger is saved with the execution: one entry per request, a short reference per item.
		expect(JSON.stringify(run.data.executionData?.contextData).length).toBeLessThan(2500 * 40);
	});

	test('Max Concurrent Requests and Max Requests Per Second hold', async () => {
		const items = Array.from({ length: 5000 }, (_, i) => ({ phone: congo(i) }));
		sim.injectFault({ kind: 'slow', ms: 150 }, 5);
		await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { maxConcurrentRequests: 2, maxRequestsPerSecond: 0 } });
		expect(sim.requests).toHaveLength(5);
		expect(sim.peakInFlight).toBe(2);

		sim.reset();
		await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { maxRequestsPerSecond: 5 } });
		const starts = sim.requests.map((r) => r.receivedAt).sort((a, b) => a - b);
		// Starts are planned 200 ms apart. A busy machine may start one late (the next then
		// follows closer), never the series early: one slot of slack, unpaced would be ~0 ms.
		expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual((starts.length - 2) * 200);
	});

	test('Continue On Fail with one bad number among good ones: one error item, the rest sent', async () => {
		const items = [{ phone: congo(1) }, { phone: '0000' }, { phone: congo(2) }];
		const { outputs } = await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0]).toHaveLength(3);
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'failed', 'accepted']);
		expect(outputs[0][1].json.error).toMatch(/Invalid phone number in 'Phone': "0000"/);
		expect(sim.requests).toHaveLength(1);
		expect(sim.ledger).toHaveLength(2);
	});

	test('a number MTN refuses fails its item; the rest of the batch is sent again without it', async () => {
		const items = [{ phone: congo(1) }, { phone: '+237694124344' }, { phone: congo(2) }];
		const { outputs } = await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi' }, { continueOnFail: true });
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'failed', 'accepted']);
		expect(outputs[0][1].json.error).toMatch(/\(404\).*237694124344/);
		expect(sim.ledger.map((s) => s.to)).toEqual([intl(1), intl(2)]);
	});

	test('Retry On Fail in bulk: the accepted batch is not resent; a batch refused with 503 is sent on the rerun', async () => {
		const items = Array.from({ length: 1500 }, (_, i) => ({ phone: congo(i) }));
		let seen = 0;
		sim.injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, () => ++seen >= 2);
		const { outputs, error } = await mtn(
			items,
			{ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { maxConcurrentRequests: 1 } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		);
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1500);
		expect(sim.ledger).toHaveLength(1500);
		expect(new Set(sim.ledger.map((s) => s.to)).size).toBe(1500);
		expect(sim.requests).toHaveLength(6);
	});

	test('a bulk batch that got a 500 is not resent by Retry On Fail; its items fail with the reason', async () => {
		const items = Array.from({ length: 1500 }, (_, i) => ({ phone: congo(i) }));
		let seen = 0;
		// The first batch (items 0-999) gets the 500, so item 0 carries an error and n8n re-runs the node.
		sim.injectFault({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, () => ++seen === 1);
		const { outputs } = await mtn(
			items,
			{ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { maxConcurrentRequests: 1 } },
			{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0, continueOnFail: true },
		);
		expect(outputs[0]).toHaveLength(1500);
		expect(outputs[0].slice(1000).every((i) => i.json.status === 'accepted')).toBe(true);
		const failed = outputs[0].slice(0, 1000);
		expect(failed.every((i) => i.json.status === 'failed')).toBe(true);
		expect(failed[0].json.error).toMatch(/^Not sent again: an earlier attempt in this execution may have reached MTN Congo/);
		expect(sim.ledger).toHaveLength(500);
		// The reruns sent nothing: one request per batch in all.
		expect(sim.requests).toHaveLength(2);
	});

	test('Remove Duplicate Recipients: one SMS per number, every item still answered', async () => {
		const items = [{ phone: '068463499' }, { phone: '+242 06 846 34 99' }, { phone: congo(5) }];
		const { outputs } = await mtn(items, { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { removeDuplicates: true } });
		expect(outputs[0]).toHaveLength(3);
		expect(outputs[0][1].json).toMatchObject({ status: 'accepted', duplicateOf: 0, to: '242068463499' });
		expect(sim.ledger).toHaveLength(2);
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

	test('a value with a semicolon, or :P6, is a clear error', async () => {
		const bad = await mtn([{ phone: '064504545', p1: 'a;b', p2: 'x', p3: 'y' }], params);
		expect(bad.error?.message).toMatch(/value of P1 \("a;b"\) contains a semicolon or a line break/);
		const p6 = await mtn([{ phone: '064504545' }], { ...params, message: 'Hi :P6' });
		expect(p6.error?.message).toMatch(/uses :P6; MTN Congo fills :P1 to :P5 only/);
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
		const run = async (timezone: string) =>
			await runNode([{}], {
				type: 'mtnCongoSms',
				parameters: { operation: 'sendScheduled', sender: 'BES', to: '068463499', message: 'Rappel', sendAt: `${day}T09:00:00` },
				credentials: credentials(),
				timezone,
			});
		await run('Africa/Brazzaville');
		await run('Asia/Tokyo');
		// 09:00 in Brazzaville is 09:00 Congo time; 09:00 in Tokyo (UTC+9) is 01:00 Congo time.
		expect(bodies().map((b) => b.date_envois)).toEqual([`${day}T09:00:00`, `${day}T01:00:00`]);
	});

	test('a date in the past is a clear error', async () => {
		const { error } = await mtn([{}], { operation: 'sendScheduled', sender: 'BES', to: '068463499', message: 'x', sendAt: '2020-01-01T10:00:00' });
		expect(error?.message).toMatch(/'Send At' \(2020-01-01T\d\d:00:00.000Z\) is in the past/);
		expect(sim.requests).toHaveLength(0);
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
