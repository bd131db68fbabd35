/**
 * Plain field references (`={{ $json.phone }}`) read straight from the item
 * (nodes/shared/parameterReader.ts) must give exactly what n8n's evaluation
 * gives. Each differential test runs our node twice in n8n's WorkflowExecute,
 * with plain field reads off (the hidden parameter engineSwitches) and on, on odd values, and
 * compares the outputs, the error and what the simulators received. The items
 * reach the node as objects, not through JSON, so Dates, -0 and NaN arrive as a
 * node inside n8n could output them.
 *
 * N8N_EXPRESSION_ENGINE=vm runs the file with n8n's isolated-vm expression
 * engine (a real n8n server's default) where isolated-vm loads (Node 24), one
 * project at a time: NODE_OPTIONS=--experimental-vm-modules N8N_EXPRESSION_ENGINE=vm
 * node24 node_modules/.bin/jest test/workflows/plainFieldReads.test.ts --selectProjects "n8n 2.x"
 */
import fc from 'fast-check';
import { ExecuteContext } from 'n8n-core';
import { Expression, type IDataObject, type INodeExecutionData, type INodeParameters, type INodeType } from 'n8n-workflow';
import { plainFieldReference } from '../../nodes/shared/plainFieldReference';
import { deduplicationStore, loadPackage, runOnRawItems, type BothReads, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { productProviders, type TestSimulator } from '../providers/registry';
import { useSimulators } from '../providers/useSimulators';
import type { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

const ENGINE = process.env.N8N_EXPRESSION_ENGINE === 'vm' ? 'vm' : 'legacy';

const simulators = useSimulators(productProviders());
const mtn = simulators.sim<MtnCongoSimulator>('mtnCongo');
const lmt = simulators.sim('lmtGroup');
const ion = simulators.sim('ionSmsGateway');
const msp = simulators.sim('monSmsPro');

beforeAll(async () => {
	if (ENGINE === 'vm') await Expression.initExpressionEngine({ engine: 'vm', poolSize: 1, maxCodeCacheSize: 1024, bridgeTimeout: 5000, bridgeMemoryLimit: 128 } as never);
});
afterAll(async () => {
	if (ENGINE === 'vm') await Expression.disposeExpressionEngine();
});

/** The node with plain field reads off: every parameter evaluated by n8n. */
function readsOff(node: NodeUnderTest): NodeUnderTest {
	return { ...node, parameters: { ...node.parameters, engineSwitches: { plainFieldReads: false } } };
}

/** Each provider's node against its simulator. */
const nodeOf = (id: string) => (parameters: INodeParameters, settings: NodeUnderTest['settings'] = {}) => simulators.node(id, parameters, settings);
const nodes = { mtn: nodeOf('mtnCongo'), lmt: nodeOf('lmtGroup'), ion: nodeOf('ionSmsGateway'), msp: nodeOf('monSmsPro') };

type Sim = TestSimulator;
/** The field of a ledger entry holding the provider's id (different in every run). */
const ID_FIELD = new Map<Sim, string | undefined>(productProviders().map((p) => [simulators.sim(p), p.ledgerIdField]));
/** Moments, different in every run. */
const TIMES = new Set(['acceptedAt', 'createdAt', 'updatedAt', 'receivedAt']);

/** A run, comparable with another: provider ids named by the SMS that share them, moments left out. */
function snapshot(result: WorkflowResult, sim: Sim) {
	const idField = ID_FIELD.get(sim);
	const ledger = sim.ledger as unknown as Array<Record<string, unknown>>;
	const names = new Map<string, string>();
	if (idField) {
		for (const entry of ledger) {
			const id = String(entry[idField]);
			const sharing = ledger.filter((e) => String(e[idField]) === id).map((e) => `${String(e.to)}:${String(e.text)}`);
			names.set(id, `<id of ${sharing.sort().join(' | ')}>`);
		}
	}
	const canonical = (value: unknown): unknown => {
		if (typeof value === 'string') return names.get(value) ?? value;
		if (Array.isArray(value)) return value.map(canonical);
		if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
			return Object.fromEntries(Object.entries(value).filter(([key]) => !TIMES.has(key)).map(([key, v]) => [key, canonical(v)]));
		}
		return value;
	};
	const { error } = result;
	return {
		outputs: result.outputs.map((items) => items.map(({ json, pairedItem }) => ({ json: canonical(json), pairedItem }))),
		error: error ? { name: error.name, message: error.message, description: error.description, itemIndex: error.context?.itemIndex } : undefined,
		ledger: (canonical(ledger) as unknown[]).map((e) => JSON.stringify(e)).sort(),
		requests: sim.requests.map((r) => `${r.method} ${r.path} ${r.rawBody}`).sort(),
	};
}

/** Runs the node with direct reads off, then on, on fresh copies of the items; both must give the same. */
async function sameBothWays(sim: Sim, items: () => IDataObject[], node: NodeUnderTest, asToolWith?: IDataObject): Promise<ReturnType<typeof snapshot>> {
	const runs: Array<ReturnType<typeof snapshot>> = [];
	for (const direct of [false, true]) {
		sim.reset();
		runs.push(snapshot(await runOnRawItems(items(), direct ? node : readsOff(node), asToolWith), sim));
	}
	expect(runs[1]).toEqual(runs[0]);
	return runs[1];
}

/** getNodeParameter calls per parameter name during `run` (the spy only counts; n8n's method does the work). */
async function countingReads<T>(run: () => Promise<T>): Promise<{ result: T; calls: Map<string, number> }> {
	const calls = new Map<string, number>();
	const proto = ExecuteContext.prototype as unknown as { _getNodeParameter: (name: string, ...rest: unknown[]) => unknown };
	const original = proto._getNodeParameter;
	const spy = jest.spyOn(proto, '_getNodeParameter').mockImplementation(function (this: unknown, name: string, ...rest: unknown[]) {
		calls.set(name, (calls.get(name) ?? 0) + 1);
		return original.call(this, name, ...rest);
	});
	try {
		return { result: await run(), calls };
	} finally {
		spy.mockRestore();
	}
}

// ---------- odd values ----------

class Row {
	constructor(readonly phone: string) {}
}

/**
 * Items whose `phone` n8n gives as is, and items whose `phone` must go through n8n;
 * `ok` makes valid national numbers, `cc` is the country's calling code.
 */
function oddPhones(ok: (i: number) => string, cc: string, field = 'phone'): IDataObject[] {
	const item = (value: unknown): IDataObject => ({ [field]: value }) as IDataObject;
	return [
		item(ok(1)),
		item(Number(`${cc}${ok(2)}`)),
		item(Number(ok(13))),
		item(null),
		item(''),
		{},
		item(-0),
		item(1e21),
		item(2 ** 53 + 1),
		item(NaN),
		item(Infinity),
		item(true),
		item('={{ 1+1 }}'),
		{ ...item(`{{ $json.x }}`), x: ok(3) },
		item(`=${ok(4)}`),
		item({ number: ok(5) }),
		item([ok(6)]),
		item(new Date(0)),
		item(new Date(NaN)),
		Object.assign(Object.create(null) as IDataObject, item(ok(7))),
		Object.defineProperty({}, field, { get: () => ok(8), enumerable: true }),
		Object.defineProperty({}, field, { value: ok(9), enumerable: false }),
		field === 'phone' ? (new Row(ok(10)) as unknown as IDataObject) : item(ok(10)),
		Object.create(item(ok(11))) as IDataObject,
		item(` ${ok(12)} `),
	];
}

const congo = (i: number) => `06${String(8463400 + i)}`;
const cameroon = (i: number) => `677${String(i).padStart(6, '0')}`;
const gabon = (i: number) => `061${String(i).padStart(5, '0')}`;
const ivory = (i: number) => `07${String(i).padStart(8, '0')}`;

/** Values for a text parameter (message, :P1 …): every kind an expression can give. */
function oddTexts(): unknown[] {
	return ['Awa', 12.5, -0, 0, 1e21, null, '', undefined, true, false, '={{ 1+1 }}', '{{ $json.x }}', '=Awa', new Date(0), { a: 1 }, ['x'], NaN, ' padded '];
}

describe('differential: direct reads on and off give the same run', () => {
	test('MTN sendBulk: phone and message from odd values, Continue On Fail', async () => {
		const texts = oddTexts();
		const items = () => oddPhones(congo, '242').map((item, i) => Object.assign(item, { msg: i % 3 === 0 ? texts[i % texts.length] : `Bonjour ${i}` }));
		const run = await sameBothWays(mtn, items, nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: '={{ $json.msg }}' }, { continueOnFail: true }));
		// Some items are sent (a number too) and some refused: the comparison covered both.
		expect((run.outputs[0][1].json as IDataObject).status).toBe('accepted');
		expect(run.outputs[0].filter((o) => (o.json as IDataObject).status === 'failed').length).toBeGreaterThan(3);
		expect(run.ledger.length).toBeGreaterThan(3);
	});

	test('MTN sendBulk: the option Idempotency Key (a collection field) from odd values, repeated keys among them', async () => {
		const keys: unknown[] = ['order-1', 'order-1', 42, 42, 0, -0, 1e21, true, false, null, '', ' spaced ', undefined, new Date(0), { id: 1 }, ['x'], NaN, 'order-2'];
		const items = () => keys.map((key, i) => ({ phone: congo(i), orderId: key }) as IDataObject);
		const node = nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { idempotencyKey: '={{ $json.orderId }}' } }, { continueOnFail: true });
		const runs: Array<ReturnType<typeof snapshot>> = [];
		for (const direct of [false, true]) {
			mtn.reset();
			// Each run claims its keys afresh: the other run's claims would make it skip them.
			deduplicationStore.entries.clear();
			runs.push(snapshot(await runOnRawItems(items(), direct ? node : readsOff(node)), mtn));
		}
		expect(runs[1]).toEqual(runs[0]);
		const statuses = runs[1].outputs[0].map((o) => (o.json as IDataObject).status);
		// The second 'order-1' and the second 42 are skipped; the object and the list fail: both kinds were compared.
		expect(statuses.filter((s) => s === 'skipped').length).toBeGreaterThanOrEqual(2);
		expect(statuses.filter((s) => s === 'failed').length).toBeGreaterThanOrEqual(2);
	});

	test('MTN sendBulk without Continue On Fail: the same error stops both runs', async () => {
		const run = await sameBothWays(mtn, () => oddPhones(congo, '242'), nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi' }));
		expect(run.error?.message).toBeTruthy();
		expect(run.ledger).toEqual([]);
	});

	test('LMT sendBulk: phone from odd values, nested and quoted field names', async () => {
		const wrap = (item: IDataObject): IDataObject => ({ contact: { 'mobile phone': item.phone, ...item }, 'x.y': item.phone });
		for (const phone of ['={{ $json.contact["mobile phone"] }}', "={{ $json['x.y'] }}", '={{$json.contact.phone}}', '={{ $json . contact [ "phone" ] }}']) {
			await sameBothWays(lmt, () => [...oddPhones(cameroon, '237').map(wrap), {}, { contact: null }, { contact: 'text' }, { contact: [] }], nodes.lmt({ operation: 'sendBulk', sender: 'BOUTIQUE', phone, message: 'Hi' }, { continueOnFail: true }));
		}
	});

	test('LMT sendBulk: names n8n refuses or treats apart (constructor, __proto__, toString …)', async () => {
		const item = (i: number): IDataObject => {
			const json = JSON.parse(`{"__proto__": "${cameroon(i)}"}`) as IDataObject;
			return Object.assign(json, { constructor: cameroon(i), toString: cameroon(i), hasOwnProperty: cameroon(i), binding: cameroon(i), 'a.constructor': cameroon(i), $: cameroon(i) });
		};
		const forms = [
			'={{ $json.constructor }}',
			'={{ $json["constructor"] }}',
			'={{ $json.__proto__ }}',
			"={{ $json['__proto__'] }}",
			'={{ $json.toString }}',
			'={{ $json.hasOwnProperty }}',
			'={{ $json.binding }}',
			'={{ $json["a.constructor"] }}',
			'={{ $json.$ }}',
		];
		for (const phone of forms) {
			await sameBothWays(lmt, () => [item(1), item(2), {}], nodes.lmt({ operation: 'sendBulk', sender: 'BOUTIQUE', phone, message: 'Hi' }, { continueOnFail: true }));
		}
	});

	test('MTN send: To from odd values, lists and arrays', async () => {
		const items = () => [...oddPhones(congo, '242', 'to'), { to: `${congo(20)}, ${congo(21)}` }, { to: [congo(22), congo(23)] }, { to: `${congo(24)}\n${congo(25)}` }];
		await sameBothWays(mtn, items, nodes.mtn({ operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hi' }, { continueOnFail: true }));
	});

	test('ION send: To and Sender from odd values', async () => {
		const senders = ['ION', '', null, 12, 'A VERY LONG SENDER NAME', new Date(0), { s: 1 }];
		const items = () => oddPhones(gabon, '241', 'to').map((item, i) => Object.assign(item, { from: senders[i % senders.length] }));
		await sameBothWays(ion, items, nodes.ion({ operation: 'send', sender: '={{ $json.from }}', to: '={{ $json.to }}', message: 'Hi' }, { continueOnFail: true }));
	});

	test('MTN sendPersonalized: P1 … P3 from odd values, missing middles', async () => {
		const texts = oddTexts();
		const rdvs: unknown[] = [{ 'jour et heure': 'lundi 9h' }, undefined, null, 'text', [], { 'jour et heure': 7 }, { 'jour et heure': null }, Object.create({ 'jour et heure': 'hérité' })];
		const items = () =>
			texts.map((p1, i) => ({ phone: congo(i), p1, rdv: rdvs[i % rdvs.length], 'x.y': texts[(i + 5) % texts.length] }) as IDataObject);
		const run = await sameBothWays(
			mtn,
			items,
			nodes.mtn({ operation: 'sendPersonalized', sender: 'BES', phone: '={{ $json.phone }}', message: 'Bonjour :P1, RDV :P2 :P3', p2: '={{ $json.rdv["jour et heure"] }}', p3: "={{ $json['x.y'] }}" }, { continueOnFail: true }),
		);
		expect(run.ledger.length).toBeGreaterThan(5);
	});

	test('ION sendPersonalized: P1 … P5 from odd values', async () => {
		const texts = oddTexts();
		const items = () =>
			texts.map((p1, i) => ({ phone: gabon(i), p1, p2: texts[(i + 1) % texts.length], p3: i, p4: i % 2 === 0, p5: texts[(i + 7) % texts.length] }) as IDataObject);
		const run = await sameBothWays(ion, items, nodes.ion({ operation: 'sendPersonalized', sender: 'ION', phone: '={{ $json.phone }}', message: ':P1/:P2/:P3/:P4/:P5' }, { continueOnFail: true }));
		expect(run.ledger.length).toBeGreaterThan(5);
	});

	test("ION sendPersonalized, P fields at their default (`$json.pN ?? ''`): fields missing, undefined, null or odd", async () => {
		const texts = oddTexts();
		const items = () =>
			texts.map((p1, i) => {
				const item: IDataObject = { phone: gabon(i), p1: p1 as IDataObject };
				if (i % 3 === 0) item.p2 = texts[(i + 3) % texts.length] as IDataObject;
				if (i % 4 === 1) item.p3 = null;
				return item;
			});
		const run = await sameBothWays(ion, items, nodes.ion({ operation: 'sendPersonalized', sender: 'ION', phone: '={{ $json.phone }}', message: ':P1/:P2/:P3/:P4/:P5' }, { continueOnFail: true }));
		expect(run.ledger.length).toBeGreaterThan(5);
	});

	test("as an AI Agent's tool: $json is the agent's item, not the tool's arguments (getInputData)", async () => {
		// The node's own items are then the tool's arguments: reading `phone` from them would send to the number the model chose.
		const parameters = { operation: 'send', sender: 'BOUTIQUE', to: '={{ $json.phone }}', message: "=Rappel {{ $fromAI('phone', 'a number to mention') }}" };
		const run = await sameBothWays(lmt, () => [{ phone: cameroon(1) }], nodes.lmt(parameters), { phone: cameroon(2) });
		expect(run.error).toBeUndefined();
		expect(run.ledger).toEqual([expect.stringContaining(`"to":"237${cameroon(1)}","text":"Rappel ${cameroon(2)}"`)]);
	});

	test('Mon SMS PRO contact create and get: Phone and Contact ID read per item', async () => {
		const created = await sameBothWays(msp, () => oddPhones(ivory, '225', 'p'), nodes.msp({ resource: 'contact', operation: 'create', phone: '={{ $json.p }}' }, { continueOnFail: true }));
		expect(created.requests.length).toBeGreaterThan(3);
		const ids: unknown[] = ['contact_000001', 'contact_999999', 1, null, '', undefined, { id: 1 }, ['contact_000001'], new Date(0), '={{ 1+1 }}'];
		const runs: unknown[] = [];
		for (const direct of [false, true]) {
			// Each run creates the contacts it then reads.
			msp.reset();
			await runOnRawItems([{ p: ivory(1) }, { p: ivory(2) }], nodes.msp({ resource: 'contact', operation: 'create', phone: '={{ $json.p }}' }));
			msp.requests.length = 0;
			const items = ids.map((id) => ({ id }) as IDataObject);
			const get = nodes.msp({ resource: 'contact', operation: 'get', contactId: '={{ $json.id }}' }, { continueOnFail: true });
			runs.push(snapshot(await runOnRawItems(items, direct ? get : readsOff(get)), msp));
		}
		expect(runs[1]).toEqual(runs[0]);
	});
});

describe('the direct path is taken', () => {
	const bulk = (phone: string) => nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone, message: '={{ $json.msg }}' });
	const items = (n: number) => Array.from({ length: n }, (_, i) => ({ phone: congo(i), msg: `Bonjour ${i}` }) as IDataObject);

	test('plain references ask n8n nothing per item; with the switch off, n8n is asked for every item', async () => {
		mtn.reset();
		const on = await countingReads(async () => await runOnRawItems(items(20), bulk('={{ $json.phone }}')));
		expect(on.result.error).toBeUndefined();
		expect(on.calls.get('phone') ?? 0).toBe(0);
		expect(on.calls.get('message') ?? 0).toBe(0);
		// Sender is a fixed text and Options hold no expression: n8n is asked once, for the first item.
		// (Options: once more when the node reads its connection settings.)
		expect(on.calls.get('sender')).toBe(1);
		expect(on.calls.get('options')).toBe(2);

		const off = await countingReads(async () => await runOnRawItems(items(20), readsOff(bulk('={{ $json.phone }}'))));
		expect(off.calls.get('phone')).toBe(20);
		expect(off.calls.get('message')).toBe(20);
		expect(off.calls.get('sender')).toBe(20);
		expect(off.result.outputs).toHaveLength(1);
	});

	test('an Options field that is a plain reference (Idempotency Key) asks n8n nothing per item', async () => {
		mtn.reset();
		deduplicationStore.entries.clear();
		const keyed = items(8).map((item, i) => ({ ...item, orderId: `o-${i}` }));
		const { result, calls } = await countingReads(async () => await runOnRawItems(keyed, nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { idempotencyKey: '={{ $json.orderId }}' } })));
		expect(result.error).toBeUndefined();
		expect(calls.get('options.idempotencyKey') ?? 0).toBe(0);
		expect(result.outputs[0].map((o) => (o.json as IDataObject).idempotencyKey)).toEqual(keyed.map((k) => k.orderId));
	});

	test('an Options field saved as a fixed value (an empty Idempotency Key, as the editor leaves it) is asked once, not per item', async () => {
		mtn.reset();
		const { result, calls } = await countingReads(async () => await runOnRawItems(items(6), nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Hi', options: { idempotencyKey: '' } })));
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(6);
		expect(calls.get('options.idempotencyKey')).toBe(1);
		expect(mtn.ledger).toHaveLength(6);
	});

	test('fixed parameters are asked once and give every item the same; an Options expression is asked per item', async () => {
		mtn.reset();
		const fixed = nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Fixed text', options: { removeDuplicates: true } });
		const once = await countingReads(async () => await runOnRawItems(items(5), fixed));
		expect({ message: once.calls.get('message'), sender: once.calls.get('sender'), options: once.calls.get('options') }).toEqual({ message: 1, sender: 1, options: 2 });
		expect(mtn.ledger.map((s) => [s.text, s.sender])).toEqual(Array(5).fill(['Fixed text', 'BES']));
		const perItem = nodes.mtn({ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Fixed text', options: { removeDuplicates: '={{ true }}' } });
		const each = await countingReads(async () => await runOnRawItems(items(5), perItem));
		expect(each.calls.get('options')).toBe(1 + 5);
	});

	test("the P fields at their default (`$json.pN ?? ''`) ask n8n nothing, also for items without the fields", async () => {
		mtn.reset();
		const people = Array.from({ length: 6 }, (_, i) => ({ phone: congo(i), ...(i % 2 === 0 ? { p1: `Awa ${i}` } : {}), ...(i === 3 ? { p2: null } : {}) }) as IDataObject);
		const { result, calls } = await countingReads(async () => await runOnRawItems(people, nodes.mtn({ operation: 'sendPersonalized', sender: 'BES', phone: '={{ $json.phone }}', message: 'Bonjour :P1 :P2' })));
		expect(result.error).toBeUndefined();
		expect(['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => calls.get(p) ?? 0)).toEqual([0, 0, 0, 0, 0]);
		expect(mtn.ledger.map((s) => s.text).sort()).toEqual(['Bonjour  ', 'Bonjour  ', 'Bonjour  ', 'Bonjour Awa 0 ', 'Bonjour Awa 2 ', 'Bonjour Awa 4 ']);
	});

	test('only the items whose value is not a plain one are read through n8n', async () => {
		mtn.reset();
		const mixed = items(10);
		mixed[2].phone = Number(congo(2).replace(/^0/, '2420'));
		mixed[3].phone = { n: congo(3) };
		mixed[5].msg = new Date(0) as unknown as string;
		delete mixed[7].phone;
		const { calls } = await countingReads(async () => await runOnRawItems(mixed, bulk('={{ $json.phone }}')));
		// Item 2 is a number (direct); 3 is an object and 7 is missing (n8n); 5's message is a Date (n8n).
		expect(calls.get('phone')).toBe(2);
		expect(calls.get('message')).toBe(1);
	});

	test('the forms recognised, and those left to n8n', async () => {
		const direct = [
			'={{ $json.phone }}', '={{$json.phone}}', '={{\n\t$json.phone\n}}', '={{ $json["phone"] }}', "={{ $json['phone'] }}", '={{ $json . phone }}',
			"={{ $json.phone ?? '' }}", '={{ $json["phone"] ?? "" }}', "={{$json.phone??''}}",
		];
		const viaN8n = [
			'={{ $json.phone }} ',
			'= {{ $json.phone }}',
			'={{ "" }}{{ $json.phone }}',
			'={{ $json.phone || "x" }}',
			'={{ $json.phone.trim() }}',
			'={{ $json["phone"].toString() }}',
			'={{ $json?.phone }}',
			'={{ $input.item.json.phone }}',
			'={{ $("Items").item.json.phone }}',
			'={{ $item(0).$node["Items"].json.phone }}',
			'={{ `${$json.phone}` }}',
			'={{ $json.phone }}{{ "" }}',
			'={{ $json[`phone`] }}',
			'={{ $json["pho" + "ne"] }}',
			'={{ $json["ph\\u006fne"] }}',
			"={{ $json.phone ?? 'x' }}",
			"={{ $json.phone ?? '' ?? '' }}",
			"={{ ($json.phone ?? '') }}",
			"={{ $json.phone || '' }}",
			"={{ $json.phone ?? ' ' }}",
		];
		for (const phone of [...direct, ...viaN8n]) {
			mtn.reset();
			const { result, calls } = await countingReads(async () => await runOnRawItems(items(3), bulk(phone)));
			expect({ phone, error: result.error?.message, calls: calls.get('phone') ?? 0 }).toEqual({ phone, error: undefined, calls: direct.includes(phone) ? 0 : 3 });
		}
	});

	test('only engineSwitches.plainFieldReads === false turns the direct reads off, for that execution', async () => {
		const cases: Array<[unknown, number]> = [[{ plainFieldReads: false }, 4], [{ plainFieldReads: true }, 0], [{ sendJournal: false }, 0], [{}, 0], [undefined, 0], ['off', 0]];
		for (const [switches, expected] of cases) {
			mtn.reset();
			const node = bulk('={{ $json.phone }}');
			const withSwitches = switches === undefined ? node : { ...node, parameters: { ...node.parameters, engineSwitches: switches as INodeParameters } };
			const { calls } = await countingReads(async () => await runOnRawItems(items(4), withSwitches));
			expect([switches, calls.get('phone') ?? 0]).toEqual([switches, expected]);
		}
	});

	test('the parameters read this way declare no validateType (n8n would convert the value)', async () => {
		const loaded = await loadPackage();
		for (const { type } of Object.values(loaded.nodeTypes)) {
			const properties = (type as INodeType).description.properties;
			expect(properties.filter((p) => p.validateType !== undefined).map((p) => p.name)).toEqual([]);
		}
	});
});

/** For toEqual: Dates by their time, so that two invalid Dates (n8n's VM engine copies them, from another realm) compare equal. */
function comparable(value: unknown): unknown {
	if (Object.prototype.toString.call(value) === '[object Date]') return { date: Date.prototype.getTime.call(value) };
	if (Array.isArray(value)) return value.map(comparable);
	if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, comparable(v)]));
	}
	return value;
}

test(`the values n8n gives unchanged are read directly, and are the very values n8n gives (${ENGINE} engine)`, async () => {
	expect(Expression.getActiveImplementation()).toBe(ENGINE);
	const values: unknown[] = [
		'242068463499', '', ' ', '={{ 1+1 }}', '{{ $json.other }}', '=', '=abc', '={{ $json.a }}', 'é🙂\n\u0000', 'x'.repeat(10_000),
		0, -0, 1.5, -1e-7, 1e21, 2 ** 53 + 1, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE, true, false, null,
	];
	const { outputs } = await runOnRawItems(values.map((a) => ({ a, other: 'no' }) as IDataObject), { type: 'test.fieldReads', parameters: { field: '={{ $json.a }}' } });
	const reads = outputs[0].map((o) => (o.json as unknown as { reads: BothReads }).reads);
	expect(reads.map((r) => r.direct)).toEqual(values.map(() => true));
	reads.forEach((r, i) => {
		expect([i, Object.is(r.read, values[i]), Object.is(r.n8n, values[i])]).toEqual([i, true, true]);
	});
	// And those it does not: n8n is asked, and what it gives is passed on.
	const others: unknown[] = [undefined, NaN, Infinity, -Infinity, 12n, new Date(0), new Date(NaN), {}, [], [1], { b: 1 }];
	const viaN8n = await runOnRawItems([...others.map((a) => ({ a }) as IDataObject), {}], { type: 'test.fieldReads', parameters: { field: '={{ $json.a }}' } });
	for (const out of viaN8n.outputs[0]) {
		const r = (out.json as unknown as { reads: BothReads }).reads;
		expect(r.direct).toBe(false);
		expect(comparable(r.read)).toEqual(comparable(r.n8n));
	}
});

// ---------- property: the reader against getNodeParameter, on random values and names ----------

const NAMES = [
	'phone', 'a', 'b', '_', '$a', 'prénom', 'Ñame', 'a b', 'x.y', '', ' ', '0', '01', 'length', 'json', 'isProxy', 'toJSON', 'then', '__n8nType', '__isObject',
	'__keys', 'isLuxonDateTime', 'class', 'if', 'this', 'null', 'true', 'new', 'await', 'yield', 'let', 'static', 'function', 'return', 'typeof', 'in',
	'import', 'super', 'undefined', 'NaN', 'constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'binding', 'caller', '$',
	'a.constructor', 'a. constructor', '}}', '{{', 'a"b', "a'b", 'a\\b', 'a\nb', 'a(b)', 'a[0]', 'é', 'x-y', '🙂',
];

const name = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom('phone', 'a', 'b', 'a b', 'x.y', 'prénom') },
	{ weight: 4, arbitrary: fc.constantFrom(...NAMES) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
	fc.string({ maxLength: 8 }),
	fc.string({ maxLength: 8 }),
	fc.double(),
	fc.constantFrom(true, null),
	fc.constantFrom('', ' ', '={{ 1+1 }}', '{{ $json.a }}', '=abc', '={{ $json.phone }}', 'null', '-0', '__proto__'),
	fc.double(),
	fc.integer(),
	fc.constantFrom(-0, 2 ** 53 + 1, 1e21, -1e-7, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity),
	fc.boolean(),
	fc.constantFrom(null, undefined),
	fc.date({ noInvalidDate: false }),
	fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
	fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
	fc.bigInt(),
	fc.constantFrom(
		() => 1,
		Symbol('s'),
		new Map([['a', 1]]),
	),
);

/** How a step of the path holds the next value. */
const HOLDERS = ['plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'nullProto', 'instance', 'getter', 'hidden', 'inherited', 'array', 'missing', 'null', 'text'] as const;
type Holder = (typeof HOLDERS)[number];

class Holding {}

function hold(holder: Holder, key: string, value: unknown): unknown {
	switch (holder) {
		case 'plain':
			return Object.defineProperty({ other: 1 }, key, { value, enumerable: true, writable: true, configurable: true });
		case 'nullProto':
			return Object.defineProperty(Object.create(null) as object, key, { value, enumerable: true, writable: true, configurable: true });
		case 'instance':
			return Object.defineProperty(new Holding(), key, { value, enumerable: true, writable: true, configurable: true });
		case 'getter':
			return Object.defineProperty({}, key, { get: () => value, enumerable: true });
		case 'hidden':
			return Object.defineProperty({}, key, { value, enumerable: false });
		case 'inherited':
			return Object.create(Object.defineProperty({}, key, { value, enumerable: true })) as object;
		case 'array': {
			const list: unknown[] = [1];
			// An array's `length` takes only lengths: the list then simply lacks the field.
			if (key !== 'length') Object.defineProperty(list, key, { value, enumerable: true, writable: true, configurable: true });
			return list;
		}
		case 'missing':
			return {};
		case 'null':
			return null;
		case 'text':
			return 'text';
	}
}

const spacing = fc.constantFrom('', ' ', '  ', '\t', '\n');
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A reference to `path` in one of the forms a user may write it, plain or not. */
const reference = (path: string[]) =>
	fc
		.tuple(
			spacing,
			spacing,
			fc.array(fc.tuple(fc.boolean(), fc.constantFrom('"', "'"), spacing, spacing), { minLength: path.length, maxLength: path.length }),
			fc.constantFrom('={{', '={{', '={{', '={{', '={{', '={{', '= {{', '=x{{'),
			fc.constantFrom('}}', '}}', '}}', '}}', '}}', '}}', '}} ', '.trim() }}', " ?? '' }}", ' ?? "" }}', "??''}}", " ?? 'x' }}", " ?? '' ?? '' }}"),
		)
		.map(([before, after, steps, open, close]) => {
			const body = path.map((key, i) => {
				const [dot, quote, s1, s2] = steps[i];
				return dot && IDENTIFIER.test(key) ? `${s1}.${s2}${key}` : `${s1}[${s2}${quote}${key}${quote}${s2}]`;
			});
			return `${open}${before}$json${body.join('')}${after}${close}`;
		});

/** Items holding a value at `path`, each step held one of HOLDERS' ways; `plain` says n8n gives the value as is. */
const itemAt = (path: string[]) =>
	fc.tuple(leaf, fc.array(fc.constantFrom(...HOLDERS), { minLength: path.length, maxLength: path.length })).map(([value, holders]) => {
		let json: unknown = value;
		for (let i = path.length - 1; i >= 0; i--) json = hold(holders[i], path[i], json);
		const plainKind = typeof value === 'string' || typeof value === 'boolean' || value === null || (typeof value === 'number' && Number.isFinite(value));
		const plainHolders = holders.every((h) => h === 'plain' || h === 'nullProto');
		// With `?? ''`, also a missing last field (or one holding undefined) gives '' directly.
		const lastMissing = holders.slice(0, -1).every((h) => h === 'plain' || h === 'nullProto') && holders[holders.length - 1] === 'missing';
		// The item itself must be an object (n8n's items are); a non-object top holder becomes a missing field.
		const top = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as IDataObject) : { held: json as IDataObject };
		return {
			json: top,
			plain: plainKind && plainHolders && top === json,
			plainOrEmpty: ((plainKind || value === undefined) && plainHolders && top === json) || (lastMissing && top === json),
		};
	});

const cases = fc
	.array(name, { minLength: 1, maxLength: 3 })
	.chain((path) => fc.record({ path: fc.constant(path), field: reference(path), items: fc.array(itemAt(path), { minLength: 1, maxLength: 8 }) }));

test(`property: the reader gives what getNodeParameter gives (n8n ${ENGINE} expression engine)`, async () => {
	let directReads = 0;
	await fc.assert(
		fc.asyncProperty(cases, async ({ path, field, items }) => {
			const { outputs, error } = await runOnRawItems(
				items.map((i) => i.json),
				{ type: 'test.fieldReads', parameters: { field } },
			);
			expect(error).toBeUndefined();
			const reference = plainFieldReference(field);
			if (reference) expect(reference.path).toEqual(path);
			outputs[0].forEach((out: INodeExecutionData, i) => {
				const reads = (out.json as unknown as { reads: BothReads }).reads;
				if (reads.n8nError !== undefined) {
					expect(reads.direct).toBe(false);
					expect(reads.readError).toBe(reads.n8nError);
					return;
				}
				expect(reads.readError).toBeUndefined();
				expect(comparable(reads.read)).toEqual(comparable(reads.n8n));
				if (reads.direct) {
					expect(Object.is(reads.read, reads.n8n)).toBe(true);
					directReads++;
				}
				// A plain value at a plain reference must not be left to n8n.
				if (reference && (reference.orEmpty ? items[i].plainOrEmpty : items[i].plain)) expect(reads.direct).toBe(true);
			});
		}),
		{ numRuns: 300 },
	);
	// The property must have exercised the direct path, not only n8n's.
	expect(directReads).toBeGreaterThan(40);
});
