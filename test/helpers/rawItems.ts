/**
 * Like runNode (./n8n.ts), but the items reach the node under test as the
 * very objects given, not through JSON: values JSON cannot carry (Dates, -0,
 * NaN, undefined, class instances, getters) arrive as a node inside n8n could
 * output them. Also a node type that reads one parameter per item both through
 * n8n and through ItemParameterReader, for property tests.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	NodeConnectionTypes,
	Workflow,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
} from 'n8n-workflow';
import { ItemParameterReader } from '../../nodes/shared/parameterReader';
import { loadPackage, PACKAGE_NAME, serverData, TestCredentialsHelper, type NodeUnderTest, type WorkflowResult } from './n8n';

/** The items of the next run, by key (the source node's parameter). */
const pending = new Map<string, IDataObject[]>();
let nextKey = 0;

class RawItemsNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Raw Items',
		name: 'rawItems',
		group: ['input'],
		version: 1,
		description: 'Emits the items registered under its key, as they are',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Key', name: 'key', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = pending.get(this.getNodeParameter('key', 0) as string) ?? [];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** What one item gave: through getNodeParameter, through the reader, and whether the reader asked n8n. */
export interface BothReads {
	n8n?: unknown;
	n8nError?: string;
	read?: unknown;
	readError?: string;
	/** The reader answered without calling getNodeParameter. */
	direct: boolean;
}

/** Reads `field` of every item through n8n and through ItemParameterReader; outputs { reads: BothReads }. */
class FieldReadsNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Field Reads',
		name: 'fieldReads',
		group: ['transform'],
		version: 1,
		description: 'Reads the field parameter of every item twice',
		defaults: { name: 'Read' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Field', name: 'field', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let asked = 0;
		const ctx = this;
		// Only counts: every call goes to n8n's own getNodeParameter.
		const counting = {
			getInputData: () => ctx.getInputData(),
			getNode: () => ctx.getNode(),
			getWorkflowDataProxy: (itemIndex: number) => ctx.getWorkflowDataProxy(itemIndex),
			getNodeParameter: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
				asked++;
				return ctx.getNodeParameter(...args);
			},
		} as unknown as IExecuteFunctions;
		const reader = new ItemParameterReader(counting);
		const out = this.getInputData().map((_, i) => {
			const reads: BothReads = { direct: false };
			try {
				reads.n8n = this.getNodeParameter('field', i);
			} catch (error) {
				reads.n8nError = (error as Error).message;
			}
			const before = asked;
			try {
				reads.read = reader.read('field', i);
			} catch (error) {
				reads.readError = (error as Error).message;
			}
			reads.direct = asked === before;
			return { json: { reads } as unknown as IDataObject, pairedItem: { item: i } };
		});
		return [out];
	}
}

/** Stands in for n8n's AI Agent: calls its one tool with the arguments in its `toolArgs` parameter (JSON), outputs the answer. */
class ToolCallerNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tool Caller',
		name: 'toolCaller',
		group: ['transform'],
		version: 1,
		description: 'Calls its tool once',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Tool Args', name: 'toolArgs', type: 'string', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const connected = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as unknown;
		const [tool] = (Array.isArray(connected) ? connected : [connected]) as Array<{ invoke(args: unknown): Promise<unknown> }>;
		const args = JSON.parse(this.getNodeParameter('toolArgs', 0) as string) as IDataObject;
		return [[{ json: { response: (await tool.invoke(args)) as IDataObject } }]];
	}
}

/** What n8n's NodeTypes gives for "<node>Tool" (n8n/dist/node-types.js, tool-generation/ai-tools.js): the node, as an AI tool. */
function asAiTool(type: INodeType): INodeType {
	const description = Object.create(type.description, {
		name: { value: `${type.description.name}Tool` },
		inputs: { value: [] },
		outputs: { value: [NodeConnectionTypes.AiTool] },
		properties: { value: [...type.description.properties, { displayName: 'Description', name: 'toolDescription', type: 'string', default: type.description.description }] },
	}) as INodeTypeDescription;
	return Object.create(type, { description: { value: description } }) as INodeType;
}

class RawNodeTypes implements INodeTypes {
	constructor(private readonly loaded: Awaited<ReturnType<typeof loadPackage>>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		if (nodeType === 'test.rawItems') return new RawItemsNode();
		if (nodeType === 'test.fieldReads') return new FieldReadsNode();
		if (nodeType === 'test.toolCaller') return new ToolCallerNode();
		const name = nodeType.replace(`${PACKAGE_NAME}.`, '');
		const found = this.loaded.nodeTypes[name] ?? this.loaded.nodeTypes[name.replace(/Tool$/, '')];
		if (!found) throw new Error(`Unknown node type ${nodeType}`);
		return found === this.loaded.nodeTypes[name] ? found.type : asAiTool(found.type as INodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType) as INodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

const NODE_NAME = 'SMS';
const AGENT_NAME = 'Agent';

/**
 * Items (as given, by reference) → node under test, run by WorkflowExecute like a manual execution.
 * With `asToolWith`, the node is an AI tool of a stand-in agent that gets the items and calls the
 * tool once with these arguments; `outputs` are then the agent's.
 */
export async function runOnRawItems(items: IDataObject[], node: NodeUnderTest, asToolWith?: IDataObject): Promise<WorkflowResult> {
	const loaded = await loadPackage();
	const key = String(nextKey++);
	pending.set(key, items);
	const type = node.type.startsWith('test.') ? node.type : `${PACKAGE_NAME}.${node.type}`;
	const nodes: INode[] = [
		{ id: 'a', name: 'Items', type: 'test.rawItems', typeVersion: 1, position: [0, 0], parameters: { key } },
		{
			id: 'b',
			name: NODE_NAME,
			type: asToolWith ? `${type}Tool` : type,
			typeVersion: 1,
			position: [200, 0],
			parameters: node.parameters,
			credentials: Object.fromEntries(Object.keys(node.credentials ?? {}).map((type) => [type, { id: type, name: type }])),
			...node.settings,
		},
	];
	let connections: IConnections = { Items: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } };
	if (asToolWith) {
		nodes.push({ id: 'c', name: AGENT_NAME, type: 'test.toolCaller', typeVersion: 1, position: [400, 0], parameters: { toolArgs: JSON.stringify(asToolWith) } });
		connections = {
			Items: { main: [[{ node: AGENT_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
			[NODE_NAME]: { [NodeConnectionTypes.AiTool]: [[{ node: AGENT_NAME, type: NodeConnectionTypes.AiTool, index: 0 }]] },
		};
	}
	const workflow = new Workflow({ id: 'raw', nodes, connections, nodeTypes: new RawNodeTypes(loaded), active: false, settings: { executionOrder: 'v1', ...(node.timezone ? { timezone: node.timezone } : {}) } });
	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'raw', nodes, connections } as never);
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
	const additionalData = serverData({
		hooks,
		currentNodeParameters: undefined,
		encryptedRunnerIdentity: undefined,
		credentialsHelper: new TestCredentialsHelper(node.credentials ?? {}),
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	});
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	try {
		await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
		const run = await done;
		const taskData = run.data.resultData.runData[asToolWith ? AGENT_NAME : NODE_NAME] ?? [];
		const last = taskData[taskData.length - 1];
		const outputs = (last?.data?.main ?? []).map((out) => out ?? []);
		const error = run.data.resultData.error as WorkflowResult['error'] | undefined;
		return { run, outputs, error };
	} finally {
		pending.delete(key);
	}
}
