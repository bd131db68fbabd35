/** Send through the engine's flow with a fake provider: several numbers per item, partial acceptance. No n8n, no HTTP. */
import { sendPerItem } from '../../nodes/shared/perItemSend';
import type { SendJob } from '../../nodes/shared/provider';
import { fakeProvider, FakeRun, jsonOf } from './fakeRun';

const numbers = ['068000001', '068000002', '068000003', '068000004'];

test("'To' with more numbers than a request carries goes in several requests; one output item", async () => {
	const provider = fakeProvider((job) => ({ status: 'accepted', messageId: `m${job.requestIndex}`, providerStatus: 'OK' }));
	const run = new FakeRun(provider, [{ sender: 'Shop', message: 'Hello', to: numbers.join(',') }]);
	const out = jsonOf(await sendPerItem(run.context(), 'send'));
	expect(provider.jobs.map((j) => j.recipients.length)).toEqual([3, 1]);
	expect(out).toHaveLength(1);
	expect(out[0]).toMatchObject({ status: 'accepted', messageIds: ['m0', 'm1'], recipientCount: 4 });
});

describe('an answer with a result per number', () => {
	const partial = (job: SendJob) => ({
		status: 'accepted' as const,
		messageId: 'r1',
		providerStatus: 'PARTIAL',
		recipients: job.recipients.map((r, i) => (i === 1 ? { to: r.to, result: 'refused' as const, reason: 'blacklisted' } : { to: r.to, result: 'accepted' as const })),
	});

	test('the item fails, listing each number with its status, and says the accepted ones are not resent', async () => {
		const provider = fakeProvider(partial);
		const run = new FakeRun(provider, [{ sender: 'Shop', message: 'Hello', to: numbers.slice(0, 3).join(',') }]);
		const [out] = jsonOf(await sendPerItem(run.context(), 'send'));
		expect(out.status).toBe('failed');
		expect(out.error).toBe('Fake SMS did not accept 1 number of 3 (blacklisted); the 2 accepted are not resent on retry');
		expect(out.recipients).toEqual([
			{ to: '242068000001', status: 'accepted' },
			{ to: '242068000002', status: 'rejected', error: 'blacklisted' },
			{ to: '242068000003', status: 'accepted' },
		]);
	});

	test('a rerun sends nothing again and gives the same answer', async () => {
		const provider = fakeProvider(partial);
		const run = new FakeRun(provider, [{ sender: 'Shop', message: 'Hello', to: numbers.slice(0, 3).join(',') }]);
		const first = jsonOf(await sendPerItem(run.context(), 'send'));
		const again = jsonOf(await sendPerItem(run.context(), 'send'));
		expect(provider.jobs).toHaveLength(1);
		expect(again).toEqual(first);
	});

	test('unknown numbers make the failure ambiguous', async () => {
		const provider = fakeProvider((job) => ({ status: 'accepted', messageId: 'r', providerStatus: 'OK', recipients: [{ to: job.recipients[0].to, result: 'unknown', reason: 'timeout at the operator' }] }));
		const run = new FakeRun(provider, [{ sender: 'Shop', message: 'Hello', to: numbers[0] }]);
		const [out] = jsonOf(await sendPerItem(run.context(), 'send'));
		expect(out.error).toMatch(/^Fake SMS did not accept 1 number of 1 \(timeout at the operator\)\. One number may have been accepted/);
		const again = jsonOf(await sendPerItem(run.context(), 'send'));
		expect(provider.jobs).toHaveLength(1);
		expect(again[0].error).toMatch(/^Not sent again/);
	});
});
