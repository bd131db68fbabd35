/**
 * What every SMS node does, whatever its provider. Each provider of the test registry
 * (test/providers/registry.ts), the product's and the test-only Fake SMS
 * (test/providers/fakeProvider), runs here inside n8n's WorkflowExecute against its
 * simulator over HTTP on 127.0.0.1. What a provider does its own way (request shapes,
 * refusals, options) is tested in its own file.
 */
import type { IDataObject, INodeParameters, INodePropertyOptions } from 'n8n-workflow';
import type { SmsOperation } from '../../nodes/shared/provider';
import { packageNodeType, type NodeUnderTest } from '../helpers/n8n';
import { fakeSmsTestProvider } from '../providers/fakeProvider';
import { registerTestProvider, testProviders } from '../providers/registry';
import { useProviderNode } from '../providers/useSimulators';
import type { Fault } from '../sandbox/simulator';

registerTestProvider(fakeSmsTestProvider);

const DAY_MS = 86_400_000;
const SMS_OPERATIONS: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled', 'getStatus'];
type ItemSend = 'send' | 'sendBulk' | 'sendPersonalized';

/** Each sending operation's parameters, reading the number (and the name for :P1) from the item. */
const SENDS: Record<ItemSend, { parameters: INodeParameters; field: string; text: (name: string) => string }> = {
	send: { parameters: { operation: 'send', to: '={{ $json.phone }}', message: 'Votre commande est en route' }, field: 'To', text: () => 'Votre commande est en route' },
	sendBulk: { parameters: { operation: 'sendBulk', phone: '={{ $json.phone }}', message: 'Promo -20% ce week-end' }, field: 'Phone', text: () => 'Promo -20% ce week-end' },
	sendPersonalized: {
		parameters: { operation: 'sendPersonalized', phone: '={{ $json.phone }}', message: 'Bonjour :P1, votre avoir vous attend', p1: '={{ $json.name }}' },
		field: 'Phone',
		text: (name) => `Bonjour ${name}, votre avoir vous attend`,
	},
};

const digits = (text: unknown) => String(text).replace(/\D/g, '');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pairedIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number } | undefined)?.item;
const retry = (maxTries: number) => ({ retryOnFail: true, maxTries, waitBetweenTries: 0 });

for (const provider of testProviders()) {
	describe(provider.label, () => {
		const node = useProviderNode(provider);
		const { sim } = node;
		const sends = () => sim.requests.filter((r) => provider.isSend(r));
		const sentTo = (phone: string) => sim.ledger.filter((s) => digits(s.to) === digits(phone));
		const item = (i: number) => ({ phone: provider.phone(i), name: `Client${i}` });
		const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));
		/** Faults on the provider's send requests only: the n-th from `from` on, `times` of them. */
		const onSends = (fault: Fault, times: number, from: number) => {
			let seen = 0;
			sim.injectFault(fault, times, (req) => provider.isSend(req) && ++seen >= from);
		};

		/** The node with a sender the provider takes; no secret may be in what n8n records of the run. */
		const run = async (input: IDataObject[], parameters: INodeParameters, settings: NodeUnderTest['settings'] = {}, more: { credentials?: IDataObject } = {}) =>
			await node.run(input, { sender: provider.sender, ...parameters }, settings, more);

		const itemSends = (['send', 'sendBulk', 'sendPersonalized'] as const).filter((op) => provider.operations.includes(op));
		/** Send requests for n items of one number each, personalised texts all different: one per item, or per batch. */
		const requestsFor = (operation: ItemSend, n: number) => {
			const batched = operation === 'sendBulk' || (operation === 'sendPersonalized' && provider.sms.nativePersonalization);
			return batched ? Math.ceil(n / provider.sms.maxRecipientsPerRequest) : n;
		};

		describe.each(itemSends)('%s', (operation) => {
			const { parameters, field, text } = SENDS[operation];

			test('one output item per input item, paired, each number sent once', async () => {
				const { outputs, error } = await run(items(3), parameters);
				expect(error).toBeUndefined();
				expect(outputs).toHaveLength(1);
				expect(outputs[0].map((o) => [pairedIndex(o), o.json.provider, o.json.operation, o.json.status, digits(o.json.to)])).toEqual(
					[0, 1, 2].map((i) => [i, provider.id, operation, provider.sentStatus, digits(provider.phone(i))]),
				);
				for (let i = 0; i < 3; i++) expect(sentTo(provider.phone(i)).map((s) => s.text)).toEqual([text(`Client${i}`)]);
				expect(sends()).toHaveLength(requestsFor(operation, 3));
			});

			test('Continue On Fail: each bad number fails its item, naming the field and the value; the others are sent', async () => {
				const input = [item(0), { phone: '0000' }, item(1), { phone: 'not-a-number' }, { phone: '12345678901234567' }];
				const { outputs, error } = await run(input, parameters, { continueOnFail: true });
				expect(error).toBeUndefined();
				expect(outputs[0].map((o) => [pairedIndex(o), o.json.status])).toEqual([
					[0, provider.sentStatus],
					[1, 'failed'],
					[2, provider.sentStatus],
					[3, 'failed'],
					[4, 'failed'],
				]);
				for (const i of [1, 3, 4]) expect(outputs[0][i].json.error).toMatch(`Invalid phone number in '${field}': "${String(input[i].phone)}"`);
				expect(sim.ledger.map((s) => digits(s.to)).sort()).toEqual([digits(provider.phone(0)), digits(provider.phone(1))].sort());
				// The bad numbers never left the node.
				expect(sends()).toHaveLength(requestsFor(operation, 2));
			});

			test("Continue (using error output): the failed item goes to the node's error output", async () => {
				const { outputs } = await run([item(0), { phone: '0000', name: 'X' }, item(1)], parameters, { onError: 'continueErrorOutput' });
				expect(outputs[0].map((o) => [pairedIndex(o), o.json.status])).toEqual([
					[0, provider.sentStatus],
					[2, provider.sentStatus],
				]);
				// n8n's error-output shape: `error`, plus the input item's fields that n8n adds.
				expect(outputs[1]).toEqual([{ json: { phone: '0000', name: 'X', error: expect.stringContaining(`Invalid phone number in '${field}': "0000"`) }, pairedItem: { item: 1 } }]);
			});

			test('without Continue On Fail a bad number stops the node, naming the item and the field; nothing is sent', async () => {
				const { outputs, error } = await run([item(0), { phone: '12345' }], parameters);
				expect(error?.message).toMatch(`Invalid phone number in '${field}': "12345"`);
				expect(error?.context?.itemIndex).toBe(1);
				expect(outputs).toEqual([]);
				expect(sim.requests).toHaveLength(0);
			});
		});

		describe('requests', () => {
			const max = provider.sms.maxRecipientsPerRequest;

			test('Send Bulk of many items: one request per batch within Max Concurrent Requests, every item answered, everyone once', async () => {
				// Enough items for three batches, and for a ledger to be measured per item.
				const n = Math.max(2 * max + 1, 300);
				const requests = Math.ceil(n / max);
				// The first answers are slow, so that requests pile up against the limit.
				onSends({ kind: 'slow', ms: 50 }, 3, 1);
				const { outputs, error, run: execution } = await run(items(n), { ...SENDS.sendBulk.parameters, options: { maxConcurrentRequests: 2, maxRequestsPerSecond: 0 } });
				expect(error).toBeUndefined();
				expect(sends()).toHaveLength(requests);
				expect(sim.peakInFlight).toBe(2);
				expect(outputs[0]).toHaveLength(n);
				outputs[0].forEach((o, i) => expect([pairedIndex(o), o.json.status, digits(o.json.to)]).toEqual([i, provider.sentStatus, digits(provider.phone(i))]));
				expect(new Set(sim.ledger.map((s) => digits(s.to))).size).toBe(n);
				expect(sim.ledger).toHaveLength(n);
				// Each item has the id the provider gave its request.
				const idField = provider.ledgerIdField;
				if (idField) {
					const idOf = new Map(sim.ledger.map((s) => [digits(s.to), String((s as unknown as IDataObject)[idField])]));
					expect(outputs[0].filter((o) => o.json.messageId !== idOf.get(digits(o.json.to)))).toEqual([]);
					expect(new Set(outputs[0].map((o) => o.json.messageId)).size).toBe(requests);
				}
				// Keep-alive: the pool reuses its connections (at most its 32) instead of opening one per request.
				expect(sim.connections).toBeLessThanOrEqual(32);
				// The retry ledger is saved with the execution: an entry per distinct answer (at most one a request, with the provider's id), a short reference per item.
				const ids = [...new Set(outputs[0].map((o) => String(o.json.messageId ?? '')))].join('');
				expect(JSON.stringify(execution.data.executionData?.contextData).length).toBeLessThan(n * 40 + requests * 100 + ids.length);
			});

			test('Send with more numbers in one item than one request carries: one output item, everyone once', async () => {
				const numbers = items(max + 1).map((i) => i.phone);
				const { outputs, error } = await run([{ numbers }], { operation: 'send', to: '={{ $json.numbers }}', message: 'Hi' });
				expect(error).toBeUndefined();
				expect(sends()).toHaveLength(2);
				expect(outputs[0]).toHaveLength(1);
				expect(outputs[0][0].json).toMatchObject({ status: provider.sentStatus, recipientCount: max + 1 });
				if (provider.ledgerIdField) expect(outputs[0][0].json.messageIds).toHaveLength(2);
				expect(new Set(sim.ledger.map((s) => digits(s.to))).size).toBe(max + 1);
			});

			test('Max Concurrent Requests and Max Requests Per Second hold', async () => {
				sim.injectFault({ kind: 'slow', ms: 100 }, 12, (req) => provider.isSend(req));
				await run(items(12), { ...SENDS.send.parameters, options: { maxConcurrentRequests: 3, maxRequestsPerSecond: 0 } });
				expect(sends()).toHaveLength(12);
				expect(sim.peakInFlight).toBe(3);

				sim.reset();
				await run(items(6), { ...SENDS.send.parameters, options: { maxRequestsPerSecond: 5 } });
				const starts = sends().map((r) => r.receivedAt).sort((a, b) => a - b);
				// Starts are planned 200 ms apart. A busy machine may start one late (the next then
				// follows closer), never the series early: one slot of slack, unpaced would be ~0 ms.
				expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual((starts.length - 2) * 200);
			});

			test('Remove Duplicate Recipients: one SMS per number, every item still answered', async () => {
				const same = provider.phone(1);
				const { outputs } = await run([{ phone: same }, { phone: `${same.slice(0, 4)} ${same.slice(4)}` }, item(5)], { ...SENDS.sendBulk.parameters, options: { removeDuplicates: true } });
				expect(outputs[0]).toHaveLength(3);
				expect(outputs[0][1].json).toMatchObject({ status: provider.sentStatus, duplicateOf: 0 });
				expect(digits(outputs[0][1].json.to)).toBe(digits(same));
				expect(sim.ledger).toHaveLength(2);
			});
		});

		describe('Retry On Fail', () => {
			const oneByOne = { ...SENDS.send.parameters, options: { maxConcurrentRequests: 1 } };
			const notSentAgain = `Not sent again: an earlier attempt in this execution may have reached ${provider.label}`;

			test('after a 500 on one send: the accepted items are not sent again, the unsure one is held back', async () => {
				onSends({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, 3);
				const { outputs, error } = await run(items(4), oneByOne, retry(3));
				expect(outputs).toEqual([]);
				expect(error?.message).toMatch(new RegExp(`^${escape(notSentAgain)} \\(${escape(provider.label)} answered HTTP 500`));
				expect(error?.description).toMatch(/may or may not have received .*Retry Ambiguous Failures/);
				// Four requests only: n8n's two retries sent nothing again.
				expect(sends()).toHaveLength(4);
				for (let i = 0; i < 4; i++) expect(sentTo(provider.phone(i))).toHaveLength(i === 2 ? 0 : 1);
			});

			test.each([
				['a 500', { kind: 'status', status: 500, body: { error: 'boom' } } as Fault],
				['a dropped connection', { kind: 'drop' } as Fault],
			])('with Retry Ambiguous Failures, after %s the send is resent at once: everyone gets one SMS', async (_what, fault) => {
				onSends(fault, 1, 3);
				const { outputs, error } = await run(items(4), { ...oneByOne, options: { maxConcurrentRequests: 1, retryAmbiguousFailures: true } }, retry(2));
				expect(error).toBeUndefined();
				expect(outputs[0].map((o) => o.json.status)).toEqual(Array(4).fill(provider.sentStatus));
				for (let i = 0; i < 4; i++) expect(sentTo(provider.phone(i))).toHaveLength(1);
				expect(sends()).toHaveLength(5);
			});

			test("after 503s past the transport's retries (surely not sent): n8n's retry sends only that item", async () => {
				onSends({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, 2);
				const { outputs, error } = await run(items(2), oneByOne, retry(2));
				expect(error).toBeUndefined();
				expect(outputs[0].map((o) => o.json.status)).toEqual([provider.sentStatus, provider.sentStatus]);
				for (let i = 0; i < 2; i++) expect(sentTo(provider.phone(i))).toHaveLength(1);
				// 1 accepted + 4 refused (503) on the first run; the rerun sends only the missing item.
				expect(sends()).toHaveLength(6);
			});

			// A dropped request never reached the provider's handling; a slow one is handled after the node gave up
			// (well after: a loaded machine can delay the time-out's timer by hundreds of ms).
			test.each([
				['a dropped connection', { kind: 'drop' } as Fault, 'connection closed before the answer', 0],
				['no answer within the time-out', { kind: 'slow', ms: 2500 } as Fault, `Request to ${provider.label} failed: no answer within 1 s`, 1],
			])('after %s: the item says it may have been sent, nobody gets the SMS twice', async (_what, fault, why, received) => {
				onSends(fault, 1, 2);
				const { outputs } = await run(items(3), { ...oneByOne, options: { maxConcurrentRequests: 1, timeout: 1 } }, { ...retry(3), continueOnFail: true });
				expect(outputs[0].map((o) => o.json.status)).toEqual([provider.sentStatus, 'failed', provider.sentStatus]);
				expect(outputs[0][1].json.error).toContain(why);
				expect(outputs[0][1].json.error).toContain(`${provider.label} may or may not have received the request`);
				// A request the node gave up on may still be handled: the ledger is read once all are done.
				await sim.settled();
				expect(sends()).toHaveLength(3);
				expect([0, 1, 2].map((i) => sentTo(provider.phone(i)).length)).toEqual([1, received, 1]);
			});

			test('Send Bulk, a 500 on a batch: its items fail saying why, the other batch is sent, nothing twice', async () => {
				const max = provider.sms.maxRecipientsPerRequest;
				onSends({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, 1);
				const { outputs } = await run(items(max + 1), { ...SENDS.sendBulk.parameters, options: { maxConcurrentRequests: 1 } }, { ...retry(3), continueOnFail: true });
				expect(outputs[0]).toHaveLength(max + 1);
				expect(outputs[0].slice(0, max).every((o) => o.json.status === 'failed')).toBe(true);
				expect(outputs[0][0].json.error).toMatch(new RegExp(`^${escape(notSentAgain)}`));
				expect(outputs[0][max].json.status).toBe(provider.sentStatus);
				expect(sim.ledger.map((s) => digits(s.to))).toEqual([digits(provider.phone(max))]);
				// The reruns sent nothing: one request per batch in all.
				expect(sends()).toHaveLength(2);
			});

			test('Send Bulk, 503s on a batch (surely not sent): the rerun sends it, the accepted batch is not resent', async () => {
				const n = provider.sms.maxRecipientsPerRequest + 1;
				onSends({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, 2);
				const { outputs, error } = await run(items(n), { ...SENDS.sendBulk.parameters, options: { maxConcurrentRequests: 1 } }, retry(3));
				expect(error).toBeUndefined();
				expect(outputs[0].map((o) => o.json.status)).toEqual(Array(n).fill(provider.sentStatus));
				expect(sim.ledger).toHaveLength(n);
				expect(new Set(sim.ledger.map((s) => digits(s.to))).size).toBe(n);
				expect(sends()).toHaveLength(6);
			});
		});

		describe('secrets', () => {
			test("an answer that quotes the credential's secrets: the item's error shows them as ***, the run holds none", async () => {
				const secrets = provider.secrets(sim);
				const echo = `key ${secrets.join(' ')} ${secrets.map(encodeURIComponent).join(' ')}`;
				sim.injectFault({ kind: 'status', status: 400, body: { status: 'error', error: echo, message: echo, errros: [echo], resultat: echo, detail: echo } }, 1, (req) => provider.isSend(req));
				const { outputs } = await run([item(0)], SENDS.send.parameters, { continueOnFail: true });
				expect(outputs[0][0].json.status).toBe('failed');
				expect(outputs[0][0].json.error).toContain('***');
			});

			test('a wrong secret: the node stops, and the secret tried is nowhere in the run', async () => {
				const fields = provider.credentials(sim)[provider.credentialType];
				const secretFields = Object.keys(fields).filter((name) => provider.secrets(sim).includes(String(fields[name])));
				const wrong = Object.fromEntries(secretFields.map((name, i) => [name, `wrong-${i}+secret/=`]));
				expect(secretFields.length).toBeGreaterThan(0);
				const { error } = await run([item(0)], SENDS.send.parameters, {}, { credentials: wrong });
				expect(error?.message).toMatch(provider.label);
				expect(sim.ledger).toHaveLength(0);
			});
		});

		describe('texts', () => {
			const max = provider.sms.maxTextCharacters;
			if (max) {
				test('a text over the provider\'s limit fails before anything is sent; Split Long Text sends it as numbered parts on one output item', async () => {
					const long = Array.from({ length: Math.ceil((max + 20) / 6) }, (_, i) => `mot${String(i).padStart(2, '0')}`).join(' ');
					const refused = await run([item(0)], { ...SENDS.send.parameters, message: long });
					expect(refused.error?.message).toBe(`The Message has ${Array.from(long).length} characters; ${provider.label} takes at most ${max} in one SMS and does not join longer texts`);
					expect(sim.requests).toHaveLength(0);
					const { outputs, error } = await run([item(0)], { ...SENDS.send.parameters, message: long, options: { splitLongText: true } });
					expect(error).toBeUndefined();
					expect(outputs[0]).toHaveLength(1);
					expect(outputs[0][0].json).toMatchObject({ status: provider.sentStatus, parts: 2 });
					const texts = sim.ledger.map((s) => s.text);
					expect(texts.map((t) => t.slice(0, 5))).toEqual(['(1/2)', '(2/2)']);
					for (const t of texts) expect(Array.from(t).length).toBeLessThanOrEqual(max);
				});
			} else {
				test('a long text goes whole to the provider; the output gives its encoding and parts', async () => {
					const texts = ['a'.repeat(160), 'a'.repeat(161), 'é'.repeat(10) + 'œ'.repeat(61)];
					const { outputs } = await run(
						texts.map((m, i) => ({ ...item(i), m })),
						{ ...SENDS.send.parameters, message: '={{ $json.m }}' },
					);
					expect(outputs[0].map((o) => [o.json.encoding, o.json.segments])).toEqual([
						['GSM-7', 1],
						['GSM-7', 2],
						['UCS-2', 2],
					]);
					texts.forEach((m, i) => expect(sentTo(provider.phone(i)).map((s) => s.text)).toEqual([m]));
				});
			}

			test('Transliterate to GSM-7: typographic French goes as GSM-7', async () => {
				const text = 'L’équipe vous attend « demain » à 10h… Merci';
				const plain = await run([item(0)], { ...SENDS.send.parameters, message: text });
				expect(plain.outputs[0][0].json).toMatchObject({ encoding: 'UCS-2' });
				const converted = await run([item(1)], { ...SENDS.send.parameters, message: text, options: { transliterate: true } });
				expect(converted.outputs[0][0].json).toMatchObject({ encoding: 'GSM-7', segments: 1 });
				expect(sentTo(provider.phone(1))[0].text).toContain('" demain "');
			});
		});

		if (provider.operations.includes('sendPersonalized')) {
			test(`Send Personalized: a template using :P${provider.sms.maxPlaceholders + 1} fails naming the item; nothing is sent`, async () => {
				const beyond = provider.sms.maxPlaceholders + 1;
				const { error } = await run(items(2), { ...SENDS.sendPersonalized.parameters, message: `={{ $itemIndex === 1 ? "Hi :P${beyond}" : "Hi :P1" }}` });
				expect(error?.message).toBe(`The Message uses :P${beyond}; ${provider.label} fills :P1 to :P${provider.sms.maxPlaceholders} only`);
				expect(error?.context?.itemIndex).toBe(1);
				expect(sim.requests).toHaveLength(0);
			});
		}

		const maxSender = provider.sms.maxSenderLength;
		if (maxSender) {
			test(`a Sender over the provider's ${maxSender} characters fails its item, naming the field and the limit; the others are sent`, async () => {
				const tooLong = 'S'.repeat(maxSender + 1);
				const { outputs, error } = await run(items(2), { ...SENDS.send.parameters, sender: `={{ $itemIndex === 1 ? "${tooLong}" : "${provider.sender}" }}` }, { continueOnFail: true });
				expect(error).toBeUndefined();
				expect(outputs[0].map((o) => [pairedIndex(o), o.json.status])).toEqual([
					[0, provider.sentStatus],
					[1, 'failed'],
				]);
				expect(outputs[0][1].json.error).toBe(`The Sender "${tooLong}" has ${maxSender + 1} characters; ${provider.label} allows at most ${maxSender}`);
				expect(sim.ledger.map((s) => digits(s.to))).toEqual([digits(provider.phone(0))]);
			});
		}

		if (provider.operations.includes('sendScheduled')) {
			test('Send Scheduled: a Send At in the past is refused before anything is sent', async () => {
				const { error } = await run([item(0)], { operation: 'sendScheduled', to: '={{ $json.phone }}', message: 'Rappel', sendAt: new Date(Date.now() - 2 * DAY_MS).toISOString() });
				expect(error?.message).toMatch(/^'Send At' .*in the past/);
				expect(error?.context?.itemIndex).toBe(0);
				expect(sim.requests).toHaveLength(0);
			});
		}

		test("the node offers the registry's SMS operations and asks for the provider's credential", async () => {
			const { description } = await packageNodeType(provider.nodeType);
			const resource = String(provider.parameters.resource ?? '');
			const operationLists = description.properties.filter((p) => p.name === 'operation' && (!p.displayOptions?.show?.resource || p.displayOptions.show.resource.includes(resource)));
			const offered = operationLists.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => o.value as SmsOperation));
			expect(offered.filter((op) => SMS_OPERATIONS.includes(op))).toEqual(provider.operations);
			expect(description.credentials).toEqual([expect.objectContaining({ name: provider.credentialType, required: true })]);
		});
	});
}
