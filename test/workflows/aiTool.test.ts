/**
 * The SMS nodes as an AI Agent's tools ("<node>Tool", as n8n builds them from
 * `usableAsTool`): the tool's description says what a model must give, and the tool
 * answers with the simplified output by default; the node itself keeps the full output.
 * Inside n8n's WorkflowExecute, the tool called by a stand-in agent, against each
 * provider's simulator over HTTP on 127.0.0.1.
 */
import type { IDataObject } from 'n8n-workflow';
import { packageNodeType, runOnRawItems, toolDescriptionOf, type NodeUnderTest } from '../helpers/n8n';
import { productProviders } from '../providers/registry';
import { useSimulators } from '../providers/useSimulators';

const SIMPLIFIED = ['status', 'messageId', 'to', 'segments'];

describe.each(productProviders().map((p) => [p.label, p] as const))('%s as an AI tool', (_label, provider) => {
	const simulators = useSimulators([provider]);
	const sim = () => simulators.sim(provider);
	const send = (more: IDataObject = {}): NodeUnderTest =>
		simulators.node(provider, {
			operation: 'send',
			sender: provider.sender,
			to: "={{ $fromAI('to', 'the phone number') }}",
			message: "={{ $fromAI('text', 'the SMS text') }}",
			options: { maxRequestsPerSecond: 0 },
			...more,
		});
	const response = (outputs: Array<Array<{ json: IDataObject }>>) => {
		const answer = outputs[0][0].json.response as unknown;
		const parsed = (typeof answer === 'string' ? JSON.parse(answer) : answer) as IDataObject | IDataObject[];
		return Array.isArray(parsed) ? parsed : [parsed];
	};

	test("the tool's description tells a model what to give and what comes back", async () => {
		const description = await toolDescriptionOf(provider.nodeType);
		const toolDescription = description.properties.find((p) => p.name === 'toolDescription');
		expect(toolDescription?.default).toMatch(/international form/);
		expect(toolDescription?.default).toMatch(/Each result gives status .* messageId, to, segments, and error when it failed\.$/);
		expect(description.name).toBe(`${provider.nodeType}Tool`);
		// The node itself keeps its short description.
		expect((await packageNodeType(provider.nodeType)).description.description).not.toMatch(/international form/);
	});

	test('a send as a tool answers with the simplified fields only', async () => {
		const { outputs, error } = await runOnRawItems([{}], send(), { to: provider.phone(1), text: 'Votre code est 4821' });
		expect(error).toBeUndefined();
		const [result] = response(outputs as never);
		expect(Object.keys(result).sort()).toEqual(SIMPLIFIED.filter((k) => result[k] !== undefined).sort());
		expect(result).toMatchObject({ status: provider.sentStatus, segments: 1 });
		expect(String(result.to).replace(/\D/g, '')).toContain(provider.phone(1).replace(/\D/g, '').slice(-8));
		expect(sim().ledger).toHaveLength(1);
	});

	test('a bad number as a tool: an error that names the field, for the model to read; nothing sent', async () => {
		const { error } = await runOnRawItems([{}], send(), { to: 'not a number', text: 'Bonjour' });
		expect(error?.message).toMatch(/Invalid phone number in 'To'/);
		expect(sim().ledger).toHaveLength(0);
	});

	test('Output: Raw on the tool gives every field; the node outside a tool keeps every field', async () => {
		const raw = await runOnRawItems([{}], send({ output: 'raw' }), { to: provider.phone(2), text: 'Bonjour' });
		const [result] = response(raw.outputs as never);
		expect(result).toMatchObject({ provider: provider.id, operation: 'send', encoding: 'GSM-7', characters: 7 });
		const direct = await runOnRawItems([{ phone: provider.phone(3) }], simulators.node(provider, { operation: 'send', sender: provider.sender, to: '={{ $json.phone }}', message: 'Bonjour', options: { maxRequestsPerSecond: 0 } }));
		expect(direct.outputs[0][0].json).toMatchObject({ provider: provider.id, operation: 'send', encoding: 'GSM-7' });
		const simplified = await runOnRawItems([{ phone: provider.phone(4) }], simulators.node(provider, { operation: 'send', sender: provider.sender, to: '={{ $json.phone }}', message: 'Bonjour', output: 'simplified', options: { maxRequestsPerSecond: 0 } }));
		expect(Object.keys(simplified.outputs[0][0].json).sort()).toEqual(SIMPLIFIED.filter((k) => simplified.outputs[0][0].json[k] !== undefined).sort());
	});
});
