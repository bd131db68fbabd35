/**
 * Unit tests for the input checks the parameter fuzzing (parameters.fuzz.test.ts)
 * first counted as known defects and now enforces, one block per fix, in the
 * real nodes inside WorkflowExecute against the simulators:
 * - text parameters given an object or a list (engine.ts textParam);
 * - Mon SMS PRO's Get Status naming its field 'Campaign ID';
 * - a Message left empty by Transliterate to GSM-7;
 * - a Limit that is not a whole number of at least 1 (records.ts);
 * - Max Concurrent Requests, Max Requests Per Second and Timeout (nodeSettings.ts):
 *   a NodeOperationError for item 0, or with Continue On Fail every item failed, nothing sent.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { runAsText, runNode, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { expectNoSecretIn } from '../helpers/secrets';
import { providerOfNode } from '../providers/registry';
import { useSimulators } from '../providers/useSimulators';
import type { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import type { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';

const simulators = useSimulators(['mtnCongo', 'lmtGroup', 'monSmsPro']);
const lmt = simulators.sim<LmtGroupSimulator>('lmtGroup');
const msp = simulators.sim<MonSmsProSimulator>('monSmsPro');

type Mode = 'stop' | 'continue' | 'errorOutput';
const SETTINGS: Record<Mode, NodeUnderTest['settings']> = { stop: {}, continue: { continueOnFail: true }, errorOutput: { onError: 'continueErrorOutput' } };

async function run(node: 'mtnCongoSms' | 'lmtBulkSms' | 'monSmsPro', items: IDataObject[], parameters: IDataObject, mode: Mode = 'stop'): Promise<WorkflowResult> {
	const provider = providerOfNode(node);
	const result = await runNode(items, { ...simulators.node(provider, parameters as INodeParameters, SETTINGS[mode]), parameters: parameters as INodeParameters });
	expectNoSecretIn(runAsText(result), provider.secrets(simulators.sim(provider)));
	return result;
}

/** The run stopped on item `itemIndex`'s input with this message. */
function expectInputError(result: WorkflowResult, message: string | RegExp, itemIndex: number): void {
	expect(result.error?.name).toBe('NodeOperationError');
	if (typeof message === 'string') expect(result.error?.message).toBe(message);
	else expect(result.error?.message).toMatch(message);
	expect(result.error?.context?.itemIndex).toBe(itemIndex);
}

/** Each output item's error (undefined for a success), in order, with the input item it is paired with. */
const errorsOf = (result: WorkflowResult, output = 0) => (result.outputs[output] ?? []).map((o) => [o.pairedItem, o.json.error]);

const cameroon = (i: number) => `677${String(i).padStart(6, '0')}`;
const LMT_SEND = { operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.to }}', message: '={{ $json.message }}' };

describe("text parameters given an object or a list fail the item, naming the field (engine.ts)", () => {
	test.each([
		['Message', 'an object', 'message', { text: 'Bonjour' }],
		['Message', 'a list', 'message', ['Bonjour', 'Salut']],
		['Sender', 'an object', 'sender', { name: 'BOUTIQUE' }],
		['Sender', 'a list', 'sender', ['BOUTIQUE']],
	])("'%s' given %s by its expression: without Continue On Fail the run stops on that item, nothing sent", async (label, what, key, value) => {
		const items = [
			{ to: cameroon(1), message: 'Hi', sender: 'BOUTIQUE' },
			{ to: cameroon(2), message: 'Hi', sender: 'BOUTIQUE', [key]: value },
		];
		const result = await run('lmtBulkSms', items, { ...LMT_SEND, sender: '={{ $json.sender }}' });
		expectInputError(result, `'${label}' must be text, not ${what}`, 1);
		expect(lmt.requests).toHaveLength(0);
	});

	test('with Continue On Fail the item fails on its input and the others are sent; "[object Object]" is never sent', async () => {
		const items = [{ to: cameroon(1), message: 'Hi' }, { to: cameroon(2), message: { text: 'Hi' } }, { to: cameroon(3), message: [1, 2] }];
		const result = await run('lmtBulkSms', items, LMT_SEND, 'continue');
		expect(result.error).toBeUndefined();
		expect(errorsOf(result)).toEqual([
			[{ item: 0 }, undefined],
			[{ item: 1 }, expect.stringMatching(/^'Message' must be text, not an object/)],
			[{ item: 2 }, expect.stringMatching(/^'Message' must be text, not a list/)],
		]);
		expect(lmt.ledger.map((s) => [s.to, s.text])).toEqual([[`237${cameroon(1)}`, 'Hi']]);
	});

	test('on the error output, the failed item goes to the second output', async () => {
		const items = [{ to: cameroon(1), message: { text: 'Hi' } }, { to: cameroon(2), message: 'Hi' }];
		const result = await run('lmtBulkSms', items, LMT_SEND, 'errorOutput');
		expect(result.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 1 }]);
		expect(errorsOf(result, 1)).toEqual([[{ item: 0 }, expect.stringMatching(/^'Message' must be text, not an object/)]]);
		expect(lmt.ledger).toHaveLength(1);
	});

	test.each([
		['P1', 'an object', { p1: { first: 'Awa' } }],
		['P2', 'a list', { p2: ['Awa'] }],
	])("Send Personalized: '%s' given %s fails naming it", async (label, what, values) => {
		const items = [{ phone: cameroon(1), p1: 'Awa', p2: 'x', ...values }];
		const parameters = { operation: 'sendPersonalized', sender: 'BOUTIQUE', phone: '={{ $json.phone }}', message: 'Bonjour :P1 :P2', p1: '={{ $json.p1 }}', p2: '={{ $json.p2 }}' };
		expectInputError(await run('lmtBulkSms', items, parameters), `'${label}' must be text, not ${what}`, 0);
		expect(lmt.requests).toHaveLength(0);
	});

	test.each([
		['mtnCongoSms', 'Message ID', { operation: 'getStatus' }],
		['monSmsPro', 'Campaign ID', { resource: 'campaign', operation: 'getStatus' }],
	] as const)("%s Get Status: an object or a list as the id fails naming '%s'", async (node, label, parameters) => {
		const result = await run(node, [{ id: '123' }, { id: { id: 123 } }, { id: ['123'] }], { ...parameters, messageId: '={{ $json.id }}' }, 'continue');
		expect(errorsOf(result).slice(-2)).toEqual([
			[{ item: 1 }, expect.stringMatching(new RegExp(`^'${label}' must be text, not an object`))],
			[{ item: 2 }, expect.stringMatching(new RegExp(`^'${label}' must be text, not a list`))],
		]);
		expectInputError(await run(node, [{ id: { id: 123 } }], { ...parameters, messageId: '={{ $json.id }}' }), `'${label}' must be text, not an object`, 0);
		expect(simulators.sim(providerOfNode(node)).requests.filter((r) => !r.path.includes('__sandbox'))).toHaveLength(1);
	});

	test('numbers and booleans are their text, JS dates their ISO text', async () => {
		const items = [{ to: cameroon(1) }, { to: cameroon(2) }, { to: cameroon(3) }];
		const date = new Date('2030-11-23T10:00:00Z');
		const message = `={{ [42, true, new Date('2030-11-23T10:00:00Z')][$itemIndex] }}`;
		const result = await run('lmtBulkSms', items, { ...LMT_SEND, message, sender: '={{ 12345 }}' });
		expect(result.error).toBeUndefined();
		expect(lmt.ledger.map((s) => [s.sender, s.text])).toEqual([
			['12345', '42'],
			['12345', 'true'],
			['12345', date.toISOString()],
		]);
	});

});

describe("Mon SMS PRO's Get Status names its field 'Campaign ID'", () => {
	test.each([[''], ['  '], [null]])('%p: the error says Campaign ID, not Message ID', async (id) => {
		const result = await run('monSmsPro', [{ id }], { resource: 'campaign', operation: 'getStatus', messageId: '={{ $json.id }}' });
		expectInputError(result, "'Campaign ID' is empty", 0);
		expect(msp.requests).toHaveLength(0);
	});

	test("MTN Congo's field stays 'Message ID'", async () => {
		expectInputError(await run('mtnCongoSms', [{ id: ' ' }], { operation: 'getStatus', messageId: '={{ $json.id }}' }), "'Message ID' is empty", 0);
	});
});

describe('Transliterate to GSM-7: the Message is checked for emptiness after it', () => {
	const parameters = (transliterate: boolean) => ({ ...LMT_SEND, options: { transliterate } });

	test.each([['\u200b\u200b'], [' \u200b \u200b\t'], ['\u200b\u00a0']])('%j has nothing left once transliterated: The Message is empty, nothing sent', async (message) => {
		expectInputError(await run('lmtBulkSms', [{ to: cameroon(1), message }], parameters(true)), 'The Message is empty', 0);
		expect(lmt.requests).toHaveLength(0);
	});

	test('with Continue On Fail only that item fails; a text with zero-width spaces among letters is sent without them', async () => {
		const result = await run('lmtBulkSms', [{ to: cameroon(1), message: '\u200b' }, { to: cameroon(2), message: 'Caf\u200bé “ok”' }], parameters(true), 'continue');
		expect(errorsOf(result)).toEqual([
			[{ item: 0 }, 'The Message is empty'],
			[{ item: 1 }, undefined],
		]);
		expect(lmt.ledger.map((s) => s.text)).toEqual(['Café "ok"']);
	});

	test('without Transliterate, zero-width spaces are text: sent as they are', async () => {
		const result = await run('lmtBulkSms', [{ to: cameroon(1), message: '\u200b\u200b' }], parameters(false));
		expect(result.error).toBeUndefined();
		expect(lmt.ledger.map((s) => s.text)).toEqual(['\u200b\u200b']);
	});
});

describe("Limit of Mon SMS PRO's lists: a whole number of at least 1 (records.ts)", () => {
	const list = { resource: 'contact', operation: 'getAll', returnAll: '={{ $json.all ?? false }}', limit: '={{ $json.limit }}' };
	beforeEach(async () => {
		for (let i = 1; i <= 3; i++) {
			await fetch(`${msp.baseUrl}contact/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: msp.apiKey, phone: `225070000000${i}` }) });
		}
		expect(msp.contacts.size).toBe(3);
		msp.requests.length = 0;
	});

	test.each([
		['abc', '"abc"'],
		[0, '0'],
		[-1, '-1'],
		[2.5, '2.5'],
		['2.5', '"2.5"'],
		['', '""'],
		[null, 'null'],
		[true, 'true'],
		[{ n: 2 }, '{"n":2}'],
	])('%p fails the item before anything is listed', async (limit, shown) => {
		const result = await run('monSmsPro', [{ limit: 2 }, { limit }], list);
		expectInputError(result, `'Limit' must be a whole number of at least 1, not ${shown}`, 1);
		expect(msp.requests).toHaveLength(0);
	});

	test('with Continue On Fail the other items are listed', async () => {
		const result = await run('monSmsPro', [{ limit: 'abc' }, { limit: 2 }], list, 'continue');
		expect(result.error).toBeUndefined();
		expect(errorsOf(result)).toEqual([
			[{ item: 0 }, `'Limit' must be a whole number of at least 1, not "abc"`],
			[{ item: 1 }, undefined],
			[{ item: 1 }, undefined],
		]);
	});

	test.each([
		[1, 1],
		['2', 2],
		[' 2 ', 2],
		[50, 3],
	])('%p is a limit', async (limit, count) => {
		const result = await run('monSmsPro', [{ limit }], list);
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(count);
	});

	test('with Return All, Limit is not read', async () => {
		const result = await run('monSmsPro', [{ all: true, limit: 'abc' }], list);
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(3);
	});
});

describe('connection options: a value that cannot be used names the option, nothing sent (nodeSettings.ts)', () => {
	const options = { maxConcurrentRequests: '={{ $json.c }}', maxRequestsPerSecond: '={{ $json.r }}', timeout: '={{ $json.t }}' };
	const send = { ...LMT_SEND, message: 'Hi', options };
	const items = (values: IDataObject) => [1, 2, 3].map((i) => ({ to: cameroon(i), ...values }));

	const INVALID: Array<[string, IDataObject, string | RegExp]> = [
		['Max Concurrent Requests "abc"', { c: 'abc' }, `The option 'Max Concurrent Requests' must be a number of at least 1, not "abc"`],
		['Max Concurrent Requests 0', { c: 0 }, `The option 'Max Concurrent Requests' must be a number of at least 1, not 0`],
		['Max Concurrent Requests 0.5', { c: 0.5 }, `The option 'Max Concurrent Requests' must be a number of at least 1, not 0.5`],
		['Max Concurrent Requests true', { c: true }, `The option 'Max Concurrent Requests' must be a number of at least 1, not true`],
		['Max Requests Per Second -1', { r: -1 }, `The option 'Max Requests Per Second' must be a number of at least 0, not -1`],
		['Max Requests Per Second {}', { r: {} }, `The option 'Max Requests Per Second' must be a number of at least 0, not {}`],
		['Timeout "abc"', { t: 'abc' }, /^The option 'Timeout \(Seconds\)' must be a number of at least [\d.]+, not "abc"$/],
		['Timeout 0', { t: 0 }, /^The option 'Timeout \(Seconds\)' must be a number of at least [\d.]+, not 0$/],
		['Timeout [30]', { t: [30] }, /^The option 'Timeout \(Seconds\)' must be a number of at least [\d.]+, not \[30\]$/],
		['Timeout "  "', { t: '  ' }, /^The option 'Timeout \(Seconds\)' must be a number of at least [\d.]+, not " {2}"$/],
	];

	test.each(INVALID)('%s: without Continue On Fail, a NodeOperationError for item 0', async (_, values, message) => {
		expectInputError(await run('lmtBulkSms', items(values), send), message, 0);
		expect(lmt.requests).toHaveLength(0);
	});

	test.each(INVALID)('%s: with Continue On Fail, every item fails with it', async (_, values, message) => {
		const result = await run('lmtBulkSms', items(values), send, 'continue');
		expect(result.error).toBeUndefined();
		expect(result.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const o of result.outputs[0]) expect(o.json).toMatchObject({ status: 'failed', error: expect.stringMatching(message) });
		expect(lmt.requests).toHaveLength(0);
	});

	test('on the error output, every item goes to the second output', async () => {
		const result = await run('lmtBulkSms', items({ c: 'abc' }), send, 'errorOutput');
		expect(result.outputs[0] ?? []).toHaveLength(0);
		expect(errorsOf(result, 1)).toEqual([0, 1, 2].map((item) => [{ item }, `The option 'Max Concurrent Requests' must be a number of at least 1, not "abc"`]));
		expect(lmt.requests).toHaveLength(0);
	});

	test('Send Bulk fails every item alike', async () => {
		const bulk = { operation: 'sendBulk', sender: 'BOUTIQUE', phone: '={{ $json.to }}', message: 'Hi', options };
		const result = await run('lmtBulkSms', items({ r: 'fast' }), bulk, 'continue');
		expect(result.outputs[0].map((o) => o.json.error)).toEqual(Array(3).fill(`The option 'Max Requests Per Second' must be a number of at least 0, not "fast"`));
		expect(lmt.requests).toHaveLength(0);
	});

	test.each<[string, IDataObject]>([
		['numbers', { c: 2, r: 0, t: 5 }],
		['numbers as text', { c: '2', r: ' 5 ', t: '10' }],
		['unset, null or empty (the defaults)', { c: null, r: '', t: null }],
		['a Timeout under a second (counts as one)', { t: 0.5 }],
	])('%s: accepted, every item sent', async (_, values) => {
		const result = await run('lmtBulkSms', items(values), send);
		expect(result.error).toBeUndefined();
		expect(lmt.ledger).toHaveLength(3);
	});

	test('Max Concurrent Requests 1.5 is taken as 1; "2" as 2', async () => {
		const many = Array.from({ length: 6 }, (_, i) => ({ to: cameroon(i) }));
		lmt.injectFault({ kind: 'slow', ms: 60 }, 6);
		await run('lmtBulkSms', many.map((i) => ({ ...i, c: 1.5, r: 0 })), send);
		expect(lmt.ledger).toHaveLength(6);
		expect(lmt.peakInFlight).toBe(1);

		lmt.reset();
		lmt.injectFault({ kind: 'slow', ms: 60 }, 6);
		await run('lmtBulkSms', many.map((i) => ({ ...i, c: '2', r: 0 })), send);
		expect(lmt.ledger).toHaveLength(6);
		expect(lmt.peakInFlight).toBe(2);
	});

	describe("Mon SMS PRO's record operations", () => {
		const list = { resource: 'contact', operation: 'getAll', returnAll: true, options: { maxRequestsPerSecond: '={{ $json.r }}', timeout: '={{ $json.t }}' } };

		test('without Continue On Fail, a NodeOperationError for item 0, nothing sent', async () => {
			expectInputError(await run('monSmsPro', [{ r: 'abc' }, {}], list), `The option 'Max Requests Per Second' must be a number of at least 0, not "abc"`, 0);
			expect(msp.requests).toHaveLength(0);
		});

		test('with Continue On Fail (either way), every item fails with it', async () => {
			const message = /^The option 'Timeout \(Seconds\)' must be a number of at least [\d.]+, not -1$/;
			const result = await run('monSmsPro', [{ t: -1 }, {}], list, 'continue');
			expect(errorsOf(result)).toEqual([
				[{ item: 0 }, expect.stringMatching(message)],
				[{ item: 1 }, expect.stringMatching(message)],
			]);
			const onErrorOutput = await run('monSmsPro', [{ t: -1 }, {}], list, 'errorOutput');
			expect(errorsOf(onErrorOutput, 1)).toEqual([
				[{ item: 0 }, expect.stringMatching(message)],
				[{ item: 1 }, expect.stringMatching(message)],
			]);
			expect(msp.requests).toHaveLength(0);
		});

		test('valid values list the contacts', async () => {
			await fetch(`${msp.baseUrl}contact/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: msp.apiKey, phone: '2250700000001' }) });
			msp.requests.length = 0;
			const result = await run('monSmsPro', [{ r: '0', t: 0.5 }], list);
			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toHaveLength(1);
		});
	});
});
