/**
 * The SMS nodes' fields as n8n's editor gets them (the built package, loaded by n8n's own
 * loader), held against the providers the nodes send through: one P field per placeholder the
 * provider fills, a Sender with an example and its limit. And what saved workflows rely on: a
 * P field left at its default (n8n then saves nothing for it) sends what the earlier default
 * `={{ $json.pN }}` sent, an item without the field giving an empty value.
 */
import type { IDataObject, INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { closeTransportPools } from '../../nodes/shared/transport';
import { loadPackage, runNode } from '../helpers/n8n';
import { productProviders } from '../providers/registry';
import { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';

const NODES = productProviders().map((p) => ({ type: p.nodeType, provider: p.sms }));

async function properties(type: string): Promise<INodeProperties[]> {
	const loader = await loadPackage();
	return (loader.nodeTypes[type].type as INodeType).description.properties;
}

const shownFor = (p: INodeProperties, operation: string) => (p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation) ?? false;

describe.each(NODES)('$type', ({ type, provider }) => {
	test("one P field per placeholder the provider fills; the template and the operation's description name the last", async () => {
		const all = await properties(type);
		const max = provider.maxPlaceholders ?? 5;
		const pFields = all.filter((p) => /^p\d+$/.test(p.name));
		expect(pFields.map((p) => [p.name, p.displayName])).toEqual(Array.from({ length: max }, (_, i) => [`p${i + 1}`, `P${i + 1}`]));
		for (const p of pFields) expect(shownFor(p, 'sendPersonalized')).toBe(true);
		const template = all.find((p) => p.name === 'message' && shownFor(p, 'sendPersonalized'));
		expect(template?.description).toContain(`:P1 … :P${max} `);
		const operations = all.filter((p) => p.name === 'operation').flatMap((p) => (p.options ?? []) as INodePropertyOptions[]);
		expect(operations.find((o) => o.value === 'sendPersonalized')?.description).toContain(`:P${max} `);
	});

	test('Sender: an example name in the empty field; the description gives the length limit', async () => {
		const sender = (await properties(type)).find((p) => p.name === 'sender');
		expect(sender?.placeholder).toBe('MyShop');
		// The provider's declared limit, else the usual 11 of an SMS sender name.
		expect(sender?.description).toMatch(new RegExp(`\\b${provider.maxSenderLength ?? 11}\\b`));
	});
});

describe('Send Personalized with the P fields at their defaults (LMT BulkSMS simulator)', () => {
	let sim: LmtGroupSimulator;
	beforeAll(async () => {
		sim = await new LmtGroupSimulator().start();
	});
	afterAll(async () => {
		await sim.stop();
		await closeTransportPools();
	});

	const items: IDataObject[] = [
		{ phone: '677000001', p1: 'Ama', p2: 0 },
		{ phone: '677000002', p1: 'Brice', p5: 'fin' },
		{ phone: '677000003', p1: null, p3: false },
	];

	async function sentTexts(pFields: IDataObject): Promise<string[]> {
		sim.reset();
		const { outputs, error } = await runNode(items, {
			type: 'lmtBulkSms',
			parameters: { operation: 'sendPersonalized', sender: 'CLINIQUE', phone: '={{ $json.phone }}', message: 'RDV :P1|:P2|:P3|:P5', ...pFields },
			credentials: { lmtBulkSmsApi: { apiKey: sim.apiKey, password: sim.password, baseUrl: sim.baseUrl, defaultCountry: 'CM' } },
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.status)).toEqual(['accepted', 'accepted', 'accepted']);
		return [...sim.ledger].sort((a, b) => a.to.localeCompare(b.to)).map((sms) => sms.text);
	}

	test('the fields the items have, empty for those they lack; the same texts as the earlier defaults', async () => {
		const stored = await sentTexts({});
		expect(stored).toEqual(['RDV Ama|0||', 'RDV Brice|||fin', 'RDV ||false|']);
		const earlier = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`p${n}`, `={{ $json.p${n} }}`]));
		expect(await sentTexts(earlier)).toEqual(stored);
	});
});
