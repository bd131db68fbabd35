/**
 * Campaign safety on every SMS node (docs/campaign-safety.md): Dry Run, Do Not Send To
 * and Max SMS Segments Per Execution, for each provider of the test registry, inside
 * n8n's WorkflowExecute against the provider's simulator over HTTP on 127.0.0.1.
 */
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { testProviders } from '../providers/registry';
import { useProviderNode } from '../providers/useSimulators';

type ItemSend = 'send' | 'sendBulk' | 'sendPersonalized';
const SENDS: Record<ItemSend, INodeParameters> = {
	send: { operation: 'send', to: '={{ $json.phone }}', message: 'Votre commande est en route' },
	sendBulk: { operation: 'sendBulk', phone: '={{ $json.phone }}', message: 'Promo -20% ce week-end' },
	sendPersonalized: { operation: 'sendPersonalized', phone: '={{ $json.phone }}', message: 'Bonjour :P1, votre avoir vous attend', p1: '={{ $json.name }}' },
};
const textFor = (operation: ItemSend, name: string) => (operation === 'sendPersonalized' ? `Bonjour ${name}, votre avoir vous attend` : String(SENDS[operation].message));
const digits = (text: unknown) => String(text).replace(/\D/g, '');
/** The same number as a person may write it: with spaces, or in national form. */
const spaced = (phone: string) => parsePhoneNumberWithError(phone).formatInternational();
const national = (phone: string) => parsePhoneNumberWithError(phone).formatNational();

for (const provider of testProviders()) {
	describe(provider.label, () => {
		const node = useProviderNode(provider);
		const { sim } = node;
		const sends = () => sim.requests.filter((r) => provider.isSend(r));
		const item = (i: number) => ({ phone: provider.phone(i), name: `Client${i}` });
		const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));
		const run = async (input: IDataObject[], parameters: INodeParameters, options: IDataObject, settings = {}) =>
			await node.run(input, { sender: provider.sender, ...parameters, options: { maxRequestsPerSecond: 0, ...options } }, settings);
		const itemSends = (['send', 'sendBulk', 'sendPersonalized'] as const).filter((op) => provider.operations.includes(op));
		const requestsFor = (operation: ItemSend, n: number) => {
			const batched = operation === 'sendBulk' || (operation === 'sendPersonalized' && provider.sms.nativePersonalization);
			return batched ? Math.ceil(n / provider.sms.maxRecipientsPerRequest) : n;
		};

		describe.each(itemSends)('%s', (operation) => {
			test('Dry Run: nothing reaches the provider; each item shows what would go, a bad one why it would fail; the first carries the summary', async () => {
				const input = [...items(4), { phone: 'not a number', name: 'X' }];
				const { outputs, error, run: execution } = await run(input, SENDS[operation], { dryRun: true, pricePerSegment: 0.025 });
				expect(error).toBeUndefined();
				// n8n shows the summary above the output (the run's hints).
				expect(execution.data.resultData.runData.SMS[0].hints).toEqual([
					{ message: `Dry run, nothing sent: 4 recipient(s), 4 SMS segment(s) in ${requestsFor(operation, 4)} request(s), estimated cost 0.1; 1 item(s) would fail (see their error).`, location: 'outputPane' },
				]);
				// Not a single request: no token, no send.
				expect(sim.requests).toEqual([]);
				expect(sim.ledger).toEqual([]);
				const out = outputs[0].map((o) => o.json);
				expect(out.map((o) => o.status)).toEqual(['preview', 'preview', 'preview', 'preview', 'failed']);
				out.slice(0, 4).forEach((o, i) => {
					expect(o).toMatchObject({ provider: provider.id, operation, messageId: null, text: textFor(operation, `Client${i}`), segments: 1, estimatedCost: 0.025 });
					expect(digits(o.to)).toBe(digits(provider.phone(i)));
				});
				expect(out[4].error).toMatch(/Invalid phone number/);
				expect(outputs[0].map((o) => o.pairedItem)).toEqual(input.map((_, i) => ({ item: i })));
				expect(out[0].summary).toEqual({
					dryRun: true,
					items: 5,
					recipients: 4,
					segments: 4,
					requests: requestsFor(operation, 4),
					failing: 1,
					errors: [{ item: 4, error: out[4].error }],
					suppressed: 0,
					pricePerSegment: 0.025,
					estimatedCost: 0.1,
				});
			});

			test('Do Not Send To: numbers written any way match; their items are "suppressed", the others go, once', async () => {
				const optOuts = [spaced(provider.phone(1)), national(provider.phone(3))];
				// As text for one operation, as a list (an expression) for another: both are read.
				const doNotSendTo = operation === 'sendBulk' ? optOuts.join(', ') : `={{ ${JSON.stringify(optOuts)} }}`;
				const { outputs, error } = await run(items(5), SENDS[operation], { doNotSendTo });
				expect(error).toBeUndefined();
				const out = outputs[0].map((o) => o.json);
				expect(out.map((o) => o.status)).toEqual([provider.sentStatus, 'suppressed', provider.sentStatus, 'suppressed', provider.sentStatus]);
				expect(out[1]).toMatchObject({ messageId: null, suppressed: [out[1].to] });
				expect(digits(out[1].to)).toBe(digits(provider.phone(1)));
				expect(sim.ledger.map((s) => digits(s.to)).sort()).toEqual([0, 2, 4].map((i) => digits(provider.phone(i))).sort());
			});

			test('Max SMS Segments Per Execution: over it, nothing is sent and the node says both numbers; at it, all go', async () => {
				const over = await run(items(4), SENDS[operation], { maxSegments: 3 });
				expect(over.error?.message).toBe("This execution would send 4 SMS segments, more than the 3 that 'Max SMS Segments Per Execution' allows: nothing was sent");
				expect(sends()).toEqual([]);
				const failing = await run(items(4), SENDS[operation], { maxSegments: 3 }, { continueOnFail: true });
				expect(failing.outputs[0].map((o) => [o.json.status, o.json.error])).toEqual(Array(4).fill(['failed', expect.stringContaining('would send 4 SMS segments')]));
				expect(sends()).toEqual([]);
				const within = await run(items(4), SENDS[operation], { maxSegments: 4 });
				expect(within.outputs[0].map((o) => o.json.status)).toEqual(Array(4).fill(provider.sentStatus));
			});
		});

		describe('Idempotency Key', () => {
			const operation = itemSends.includes('sendBulk') ? 'sendBulk' : itemSends[0];
			/** Keys no other test uses: n8n's store outlives a test. */
			const fresh = () => `order-${provider.id}-${Math.random().toString(36).slice(2)}`;
			const keyed = (keys: string[]) => keys.map((orderId, i) => ({ ...item(i), orderId }));
			const byKey = { idempotencyKey: '={{ $json.orderId }}' };

			test('a key sent by one execution is skipped by the next; a later item of the same run repeats its first item\'s message id', async () => {
				const [a, b] = [fresh(), fresh()];
				const first = await run(keyed([a, b, a]), SENDS[operation], byKey);
				const firstOut = first.outputs[0].map((o) => o.json);
				expect(firstOut.map((o) => o.status)).toEqual([provider.sentStatus, provider.sentStatus, 'skipped']);
				expect(firstOut[2]).toMatchObject({ idempotencyKey: a, duplicateOfItem: 0, messageId: firstOut[0].messageId, reason: 'Item 0 of this run has the same Idempotency Key.' });
				const second = await run(keyed([a, b]), SENDS[operation], byKey);
				const secondOut = second.outputs[0].map((o) => o.json);
				// The first execution's sent items carry their key; the next names that execution, its message id and when it ran.
				expect(firstOut.slice(0, 2).map((o) => o.idempotencyKey)).toEqual([a, b]);
				secondOut.forEach((o, i) => {
					expect(o).toMatchObject({ status: 'skipped', idempotencyKey: [a, b][i], duplicateOfExecution: first.executionId, messageId: firstOut[i].messageId, reason: `Sent by execution ${first.executionId} at ${String(o.firstSentAt)}.` });
					expect(Date.parse(String(o.firstSentAt))).toBeGreaterThan(Date.now() - 120_000);
				});
				expect(second.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				expect(sim.ledger).toHaveLength(2);
			});

			const perRequest = itemSends.find((op) => requestsFor(op, 3) === 3);
			(perRequest ? test : test.skip)('Retry On Fail runs the node again in the same execution: its own keys are still its own; nothing is sent twice', async () => {
				const keys = [fresh(), fresh(), fresh()];
				// The second send is refused once with 400 (certainly not sent): the node fails, n8n retries it.
				let seen = 0;
				sim.injectFault({ kind: 'status', status: 400, body: { error: 'bad request' } }, 1, (req) => provider.isSend(req) && ++seen === 2);
				const { outputs, error } = await run(keyed(keys), SENDS[perRequest!], byKey, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 });
				expect(error).toBeUndefined();
				expect(sim.pendingFaults).toBe(0);
				expect(outputs[0].map((o) => o.json.status)).toEqual(keys.map(() => provider.sentStatus));
				expect(new Set(sim.ledger.map((s) => String(s.to).replace(/\D/g, ''))).size).toBe(sim.ledger.length);
				expect(sim.ledger).toHaveLength(3);
			});

			test('two executions at the same moment with the same key: one SMS', async () => {
				const key = fresh();
				const both = await Promise.all([run(keyed([key]), SENDS[operation], byKey), run(keyed([key]), SENDS[operation], byKey)]);
				expect(both.map((r) => r.outputs[0][0].json.status).sort()).toEqual([provider.sentStatus, 'skipped'].sort());
				expect(sim.ledger).toHaveLength(1);
			});

			test('a definite refusal frees the key (the next execution sends); a lost answer keeps it (not resent)', async () => {
				const [refused, lost] = [fresh(), fresh()];
				sim.injectFault({ kind: 'status', status: 400, body: { error: 'bad request' } }, 1, (req) => provider.isSend(req));
				const first = await run(keyed([refused]), SENDS[operation], byKey, { continueOnFail: true });
				expect(first.outputs[0][0].json.status).toBe('failed');
				const again = await run(keyed([refused]), SENDS[operation], byKey);
				expect(again.outputs[0][0].json.status).toBe(provider.sentStatus);
				sim.injectFault({ kind: 'status', status: 500, body: { error: 'boom' } }, 1, (req) => provider.isSend(req));
				const unsure = await run(keyed([lost]), SENDS[operation], byKey, { continueOnFail: true });
				expect(unsure.outputs[0][0].json.error).toMatch(/may or may not have received/);
				const later = await run(keyed([lost]), SENDS[operation], byKey);
				expect(later.outputs[0][0].json.status).toBe('skipped');
			});

			test('a dry run claims no key and says so; the real run after it sends', async () => {
				const key = fresh();
				const preview = await run(keyed([key]), SENDS[operation], { ...byKey, dryRun: true });
				expect(preview.outputs[0][0].json).toMatchObject({ status: 'preview', summary: expect.objectContaining({ idempotencyKeys: 'not checked in a dry run' }) });
				expect(preview.run.data.resultData.runData.SMS[0].hints?.[0].message).toMatch(/; Idempotency Keys not checked \(a dry run writes nothing, and only a real run claims them\)\.$/);
				const real = await run(keyed([key]), SENDS[operation], byKey);
				expect(real.outputs[0][0].json.status).toBe(provider.sentStatus);
				expect(sim.ledger).toHaveLength(1);
			});

			test('items without a key are sent as usual', async () => {
				const { outputs } = await run(keyed(['', '']), SENDS[operation], byKey);
				expect(outputs[0].map((o) => o.json.status)).toEqual([provider.sentStatus, provider.sentStatus]);
			});
		});

		describe('quiet hours', () => {
			/** The recipients' zone, written here rather than taken from the node's table. */
			const ZONES: Record<string, string> = { CG: 'Africa/Brazzaville', CM: 'Africa/Douala', GA: 'Africa/Libreville', CI: 'Africa/Abidjan' };
			const zone = ZONES[String(parsePhoneNumberWithError(provider.phone(0)).country)];
			const hhmm = (date: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
			const operation = itemSends.includes('sendBulk') ? 'sendBulk' : itemSends[0];
			const schedules = provider.sms.scheduleAt !== undefined;

			test(`now inside the window there: ${schedules ? 'scheduled for its end' : '"deferred" with sendAfter, nothing sent'}`, async () => {
				const minute = Math.floor(Date.now() / 60_000) * 60_000;
				const end = new Date(minute + 60 * 60_000);
				const window = { quietHoursStart: hhmm(new Date(minute - 60 * 60_000)), quietHoursEnd: hhmm(end) };
				const { outputs, error } = await run(items(3), SENDS[operation], window);
				expect(error).toBeUndefined();
				const out = outputs[0].map((o) => o.json);
				if (schedules) {
					const at = provider.sms.scheduleAt!(end).toISOString();
					expect(out.map((o) => [o.status, o.sendAt, o.quietHours])).toEqual(Array(3).fill(['scheduled', at, `${window.quietHoursStart}–${window.quietHoursEnd}`]));
					// Handed to the provider now, for later.
					expect(sends().length).toBeGreaterThan(0);
				} else {
					expect(out.map((o) => [o.status, o.sendAfter, o.messageId])).toEqual(Array(3).fill(['deferred', end.toISOString(), null]));
					expect(sends()).toEqual([]);
				}
			});

			test('now outside the window: sent as usual', async () => {
				const minute = Math.floor(Date.now() / 60_000) * 60_000;
				const window = { quietHoursStart: hhmm(new Date(minute + 60 * 60_000)), quietHoursEnd: hhmm(new Date(minute + 120 * 60_000)) };
				const { outputs } = await run(items(2), SENDS[operation], window);
				expect(outputs[0].map((o) => [o.json.status, o.json.sendAt ?? null])).toEqual(Array(2).fill([provider.sentStatus, null]));
				expect(sim.ledger).toHaveLength(2);
			});

			test('half a window stops the node naming the option, nothing sent', async () => {
				const { error } = await run(items(2), SENDS[operation], { quietHoursStart: '21:00' });
				expect(error?.message).toBe("Quiet hours need both options, 'Quiet Hours Start' and 'Quiet Hours End'");
				expect(sim.requests).toEqual([]);
			});
		});

		if (provider.operations.includes('send')) {
			test('Send with several numbers in To: the opted-out one is left out and named, the others get the SMS', async () => {
				const to = `${provider.phone(0)}, ${provider.phone(1)}, ${provider.phone(2)}`;
				const { outputs } = await run([{}], { ...SENDS.send, to }, { doNotSendTo: national(provider.phone(1)) });
				const [out] = outputs[0].map((o) => o.json);
				expect(out.status).toBe(provider.sentStatus);
				expect((out.suppressed as string[]).map(digits)).toEqual([digits(provider.phone(1))]);
				expect(sim.ledger.map((s) => digits(s.to)).sort()).toEqual([0, 2].map((i) => digits(provider.phone(i))).sort());
			});
		}

		test('an opt-out list with something that is not a number stops the node before anything is sent, naming the entry', async () => {
			const operation = itemSends[0];
			const { error } = await run(items(2), SENDS[operation], { doNotSendTo: `${provider.phone(5)}\nphone` });
			expect(error?.message).toMatch(/^The option 'Do Not Send To' holds "phone" \(entry 2 of 2\), which is not a phone number$/);
			expect(sim.requests).toEqual([]);
			const failing = await run(items(2), SENDS[operation], { doNotSendTo: 'phone' }, { continueOnFail: true });
			expect(failing.outputs[0].map((o) => o.json.status)).toEqual(['failed', 'failed']);
			expect(String(failing.outputs[0][0].json.error)).toMatch(/Do Not Send To/);
		});
	});
}
