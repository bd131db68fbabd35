/**
 * Send Bulk / Send Personalized through the engine's flow with a fake provider:
 * batching, per-recipient results, and what a rerun (n8n's Retry On Fail)
 * sends again. No n8n, no HTTP.
 */
import { sendBatched } from '../../nodes/shared/batchSend';
import { ProviderError, type SendJob } from '../../nodes/shared/provider';
import { fakeProvider, FakeRun, jsonOf } from './fakeRun';

const item = (phone: string, more: Record<string, unknown> = {}) => ({ sender: 'Shop', message: 'Hello', phone, ...more });
const phones = ['068000001', '068000002', '068000003', '068000004', '068000005'];
const sentTo = (jobs: SendJob[]) => jobs.map((j) => j.recipients.map((r) => r.to));

describe('batching', () => {
	test('items share requests of at most maxRecipientsPerRequest, one output item per input item, paired', async () => {
		const provider = fakeProvider((job) => ({ status: 'accepted', messageId: `m${job.recipients[0].to}`, providerStatus: 'OK' }));
		const run = new FakeRun(provider, phones.map((p) => item(p)));
		const out = await sendBatched(run.context(), 'sendBulk');
		expect(sentTo(provider.jobs)).toEqual([['242068000001', '242068000002', '242068000003'], ['242068000004', '242068000005']]);
		expect(out.map((o) => o.pairedItem)).toEqual(phones.map((_, i) => ({ item: i })));
		expect(jsonOf(out).map((j) => [j.status, j.batchSize, j.messageId])).toEqual([
			['accepted', 3, 'm242068000001'],
			['accepted', 3, 'm242068000001'],
			['accepted', 3, 'm242068000001'],
			['accepted', 2, 'm242068000004'],
			['accepted', 2, 'm242068000004'],
		]);
	});

	test('Remove Duplicates sends a repeated number once and says which item it repeats', async () => {
		const provider = fakeProvider(() => ({ status: 'accepted', messageId: 'm1', providerStatus: 'OK' }));
		const run = new FakeRun(provider, [item(phones[0]), item(phones[1]), item(phones[0])], { removeDuplicates: true });
		const out = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(sentTo(provider.jobs)).toEqual([['242068000001', '242068000002']]);
		expect(out[2]).toMatchObject({ status: 'accepted', duplicateOf: 0 });
	});

	test('a recipient value that splits requests keeps recipients with and without it apart', async () => {
		const provider = fakeProvider(() => ({ status: 'accepted', messageId: 'm', providerStatus: 'OK' }), {
			recipientOptions: [{ field: 'email', option: 'email', operations: ['sendPersonalized'], splitsRequests: true }],
			nativePersonalization: true,
		});
		const run = new FakeRun(provider, [item(phones[0], { options: { email: 'a@b.cg' } }), item(phones[1]), item(phones[2], { options: { email: 'c@d.cg' } })]);
		await sendBatched(run.context(), 'sendPersonalized');
		expect(sentTo(provider.jobs)).toEqual([['242068000001', '242068000003'], ['242068000002']]);
		expect(provider.jobs[0].recipients.map((r) => r.email)).toEqual(['a@b.cg', 'c@d.cg']);
		// The e-mail belongs to the recipient: it is not a request option.
		expect(provider.jobs[0].options).toEqual({ email: 'a@b.cg' });
	});
});

describe('templates follow the provider’s maxPlaceholders', () => {
	test(':P1 and :P2 are filled per item; :P3 fails the item naming the limit', async () => {
		const provider = fakeProvider(() => ({ status: 'accepted', messageId: null, providerStatus: 'OK' }));
		const run = new FakeRun(provider, [item(phones[0], { message: 'Hi :P1, order :P2', p1: 'Awa', p2: '42' }), item(phones[1], { message: 'Hi :P3' })]);
		const out = jsonOf(await sendBatched(run.context(), 'sendPersonalized'));
		expect(provider.jobs.map((j) => j.text)).toEqual(['Hi Awa, order 42']);
		expect(out[1]).toMatchObject({ status: 'failed', error: 'The Message uses :P3; Fake SMS fills :P1 to :P2 only' });
	});
});

describe('one answer, a result per recipient', () => {
	const mixed = (job: SendJob) => ({
		status: 'accepted' as const,
		messageId: 'batch-1',
		providerStatus: 'PARTIAL',
		recipients: job.recipients.map((r, i) =>
			i === 0
				? { to: r.to, result: 'accepted' as const, messageId: `id-${r.to}` }
				: i === 1
					? { to: r.to, result: 'refused' as const, reason: 'number not on the network', providerStatus: 'BAD_NUMBER' }
					: { to: r.to, result: 'unknown' as const, reason: 'no word on it' },
		),
	});

	test('accepted, refused and unknown recipients each get their own output item', async () => {
		const provider = fakeProvider(mixed);
		const run = new FakeRun(provider, phones.slice(0, 3).map((p) => item(p)));
		const out = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(out[0]).toMatchObject({ status: 'accepted', messageId: 'id-242068000001', to: '242068000001', batchSize: 3 });
		expect(out[1]).toMatchObject({ status: 'failed', to: '242068000002', providerStatus: 'BAD_NUMBER', error: 'Fake SMS refused 242068000002: number not on the network' });
		expect(out[2]).toMatchObject({ status: 'failed', to: '242068000003' });
		expect(out[2].error).toMatch(/^Fake SMS did not say whether it accepted 242068000003: no word on it\. It may have been accepted/);
	});

	test('a rerun sends again only the refused recipient: never the accepted one, nor the unknown one', async () => {
		const provider = fakeProvider(mixed);
		const run = new FakeRun(provider, phones.slice(0, 3).map((p) => item(p)));
		await sendBatched(run.context(), 'sendBulk');
		provider.jobs.length = 0;
		const again = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(sentTo(provider.jobs)).toEqual([['242068000002']]);
		expect(again[0]).toMatchObject({ status: 'accepted', messageId: 'id-242068000001' });
		expect(again[2].error).toMatch(/^Not sent again: an earlier attempt in this execution may have reached Fake SMS/);
	});

	test('with Retry Ambiguous Failures the unknown recipient is sent again too', async () => {
		const provider = fakeProvider(mixed);
		const run = new FakeRun(provider, phones.slice(0, 3).map((p) => item(p)), { retryAmbiguous: true });
		await sendBatched(run.context(), 'sendBulk');
		provider.jobs.length = 0;
		await sendBatched(run.context(), 'sendBulk');
		expect(sentTo(provider.jobs)).toEqual([['242068000002', '242068000003']]);
	});

	test('a recipient the answer leaves out is unknown, not accepted', async () => {
		const provider = fakeProvider((job) => ({ status: 'accepted', messageId: 'b', providerStatus: 'OK', recipients: [{ to: job.recipients[0].to, result: 'accepted' }] }));
		const run = new FakeRun(provider, phones.slice(0, 2).map((p) => item(p)));
		const out = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(out.map((o) => o.status)).toEqual(['accepted', 'failed']);
		expect(out[1].error).toContain("Fake SMS's answer does not say whether it accepted this number");
	});
});

describe('a whole request refused because of named recipients', () => {
	test('the named items fail and the others are sent again without them (nothing was accepted)', async () => {
		const provider = fakeProvider((job) => {
			if (job.recipients.some((r) => r.to === '242068000002')) {
				throw new ProviderError('Fake SMS refused the request: bad number 242068000002', { httpStatus: 400, rejectedRecipients: ['242068000002'] });
			}
			return { status: 'accepted', messageId: 'm', providerStatus: 'OK' };
		});
		const run = new FakeRun(provider, phones.slice(0, 3).map((p) => item(p)));
		const out = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(sentTo(provider.jobs)).toEqual([['242068000001', '242068000002', '242068000003'], ['242068000001', '242068000003']]);
		expect(out.map((o) => o.status)).toEqual(['accepted', 'failed', 'accepted']);
		expect(out[0].batchSize).toBe(2);
	});

	test('an answer that names every recipient, or none, fails the whole batch', async () => {
		const provider = fakeProvider(() => {
			throw new ProviderError('Fake SMS refused the request', { httpStatus: 400 });
		});
		const run = new FakeRun(provider, phones.slice(0, 2).map((p) => item(p)));
		const out = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(provider.jobs).toHaveLength(1);
		expect(out.map((o) => o.status)).toEqual(['failed', 'failed']);
	});
});

describe('secrets and Continue On Fail', () => {
	test('a secret in the provider’s words never reaches an output item', async () => {
		const provider = fakeProvider(() => {
			throw new ProviderError('Fake SMS refused token fake-secret-token', { httpStatus: 401 });
		});
		const run = new FakeRun(provider, [item(phones[0])]);
		const out = jsonOf(await sendBatched(run.context(), 'sendBulk'));
		expect(JSON.stringify(out)).not.toContain('fake-secret-token');
		expect(out[0].error).toContain('Fake SMS refused token');
	});

	test('without Continue On Fail a bad item stops the node before anything is sent, naming the item and the field', async () => {
		const provider = fakeProvider(() => ({ status: 'accepted', messageId: 'm', providerStatus: 'OK' }));
		const run = new FakeRun(provider, [item(phones[0]), item('not a number')], { continueOnFail: false });
		await expect(sendBatched(run.context(), 'sendBulk')).rejects.toMatchObject({ message: expect.stringContaining("Invalid phone number in 'Phone'"), context: { itemIndex: 1 } });
		expect(provider.jobs).toHaveLength(0);
	});
});
