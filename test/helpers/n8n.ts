/**
 * Runs workflows in-process through n8n-core's WorkflowExecute, with our built
 * package loaded by n8n's own PackageDirectoryLoader (as n8n loads a community
 * package). Only the pieces a server would supply around the engine are ours:
 * the credential store, the deduplication store, a tiny node that emits the test's
 * input items, and stand-ins for property tests (a node reading one parameter both
 * through n8n and through ItemParameterReader) and for an AI agent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CredentialTestContext, DataDeduplicationService, ExecuteContext, ExecutionLifecycleHooks, PackageDirectoryLoader, RoutingNode, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type DeduplicationItemTypes,
	type ICheckProcessedContextData,
	type ICheckProcessedOptions,
	type IDataDeduplicator,
	type IConnections,
	type IDataObject,
	type IDeduplicationOutput,
	type IExecuteContextData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type ICredentialType,
	type INodeCredentialTestResult,
	type IExecuteFunctions,
	type INode,
	type INodeParameters,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type INodeTypeDescription,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { ItemParameterReader } from '../../nodes/shared/parameterReader';

export const PACKAGE_NAME = 'n8n-nodes-africa-sms';
/** The package root (the folder whose package.json is ours), from source or compiled copies alike. */
function findRoot(): string {
	for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
	}
	throw new Error(`${PACKAGE_NAME} package.json not found above ${__dirname}`);
}
export const ROOT = findRoot();

/** A test node's description: its parameters are strings, given as name → default. */
function testNodeDescription(name: string, description: string, parameters: Record<string, string>, inputs: INodeTypeDescription['inputs'] = [NodeConnectionTypes.Main]): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description,
		defaults: { name },
		inputs,
		outputs: [NodeConnectionTypes.Main],
		properties: Object.entries(parameters).map(([parameter, value]) => ({ displayName: parameter, name: parameter, type: 'string', default: value })),
	};
}

/** The items of runs on raw items, by key (the items node's `key` parameter). */
const rawItems = new Map<string, INodeExecutionData[]>();
let nextKey = 0;

/**
 * Stands in for a Code node: emits the items registered under its `key` as the very objects
 * given, or else those of its `items` parameter (a JSON array).
 */
class TestItemsNode implements INodeType {
	description = testNodeDescription('testItems', 'Emits fixed items', { items: '[]', key: '' });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('key', 0) as string;
		if (key) return [rawItems.get(key) ?? []];
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

/** Reads `phone` per item through getNodeParameter and outputs it: n8n's own per-item cost, no SMS work. */
class TestReadPhoneNode implements INodeType {
	description = testNodeDescription('testReadPhone', 'Reads the phone parameter of every item', { phone: '' });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((_, i) => ({ json: { phone: this.getNodeParameter('phone', i) as string }, pairedItem: { item: i } }))];
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
	description = testNodeDescription('fieldReads', 'Reads the field parameter of every item twice', { field: '' });

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
	description = testNodeDescription('toolCaller', 'Calls its tool once', { toolArgs: '{}' }, [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const connected = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as unknown;
		const [tool] = (Array.isArray(connected) ? connected : [connected]) as Array<{ invoke(args: unknown): Promise<unknown> }>;
		const args = JSON.parse(this.getNodeParameter('toolArgs', 0) as string) as IDataObject;
		return [[{ json: { response: (await tool.invoke(args)) as IDataObject } }]];
	}
}

/**
 * What n8n's NodeTypes gives for "<node>Tool" (n8n/dist/tool-generation/ai-tools.js): the node's
 * description with its `usableAsTool.replacements`, renamed, as an AI tool, with a Description
 * parameter whose default is the (replaced) node description.
 */
function asAiTool(type: INodeType): INodeType {
	const usable = type.description.usableAsTool;
	const replacements = typeof usable === 'object' ? (usable.replacements ?? {}) : {};
	const base = { ...type.description, ...replacements };
	const description = {
		...base,
		name: `${type.description.name}Tool`,
		displayName: `${base.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [...type.description.properties, { displayName: 'Description', name: 'toolDescription', type: 'string', default: base.description }],
	} as INodeTypeDescription;
	delete description.usableAsTool;
	return Object.create(type, { description: { value: description } }) as INodeType;
}

/** The tool variant of a package node as n8n's editor lists it. */
export async function toolDescriptionOf(name: string): Promise<INodeTypeDescription> {
	return asAiTool(await packageNodeType(name)).description;
}

const TEST_NODES: Record<string, new () => INodeType> = {
	'test.items': TestItemsNode,
	'test.readPhone': TestReadPhoneNode,
	'test.fieldReads': FieldReadsNode,
	'test.toolCaller': ToolCallerNode,
};

/** Node types a test file defines as if the package held them (registerTestNode). */
const testPackageNodes: Record<string, INodeType> = {};

/**
 * Adds a node type, under the package's prefix, for the test file that registers it:
 * runNode and testCredentialWithNode then find it beside the loaded ones.
 */
export function registerTestNode(node: INodeType): void {
	const name = node.description.name;
	if (testPackageNodes[name]) throw new Error(`A test node "${name}" is registered already`);
	testPackageNodes[name] = node;
}

let loaderPromise: Promise<PackageDirectoryLoader> | undefined;

/** A node type of the package by name (after the prefix): a registered test node, else the loaded one. */
export async function packageNodeType(name: string): Promise<INodeType> {
	const node = testPackageNodes[name] ?? (await loadPackage()).nodeTypes[name]?.type;
	if (!node) throw new Error(`The package has no node ${name}`);
	return node as INodeType;
}

/** Loads dist/ through n8n's loader once per test file. */
export async function loadPackage(): Promise<PackageDirectoryLoader> {
	loaderPromise ??= (async () => {
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		return loader;
	})();
	return await loaderPromise;
}

/** The test nodes, and the package's nodes as loaded (each also as "<node>Tool"). */
class TestNodeTypes implements INodeTypes {
	constructor(private readonly loader: PackageDirectoryLoader) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const TestNode = TEST_NODES[nodeType];
		if (TestNode) return new TestNode();
		const name = nodeType.replace(`${PACKAGE_NAME}.`, '');
		const loaded = this.packageNode(name);
		if (loaded) return loaded;
		const tool = this.packageNode(name.replace(/Tool$/, ''));
		if (!tool) throw new Error(`Unknown node type ${nodeType}`);
		return asAiTool(tool as INodeType);
	}

	private packageNode(name: string): INodeType | IVersionedNodeType | undefined {
		return testPackageNodes[name] ?? this.loader.nodeTypes[name]?.type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType) as INodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** The hidden field n8n refreshes with preAuthentication, as n8n finds it. */
function expirableField(type: ICredentialType | undefined): string | undefined {
	return type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true)?.name;
}

let preAuthentications = 0;

/** How many times a credential's preAuthentication ran in this test file (tokens got). */
export function preAuthenticationCount(): number {
	return preAuthentications;
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Generic authentication as n8n applies it: each templated value resolved against $credentials. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = (await loadPackage()).credentialTypes[typeName]?.type;
		const auth = type?.authenticate;
		if (!auth || typeof auth === 'function' || !workflow || !node) return requestOptions;
		const resolve = (value: unknown) =>
			workflow.expression.getParameterValue(value as string, null, 0, 0, node.name, [], 'internal', { $credentials: credentials } as never);
		const headers = (auth.properties.headers ?? {}) as Record<string, string>;
		for (const [name, value] of Object.entries(headers)) {
			requestOptions.headers = { ...requestOptions.headers, [name]: resolve(value) };
		}
		return requestOptions;
	}

	/**
	 * As n8n's own helper: when the credential type has a hidden, expirable field that is
	 * empty (or n8n saw a 401 with it), runs the type's preAuthentication and keeps what it
	 * returns in this helper's credentials, the database of these runs: a test that passes
	 * the same credentials object to several runs sees them share the token.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = (await loadPackage()).credentialTypes[typeName]?.type;
		const field = expirableField(type);
		if (!type?.preAuthentication || !field) return undefined;
		if (credentials[field] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[field] === undefined) return undefined;
		preAuthentications++;
		Object.assign(this.data[typeName], output);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}

	async getDecrypted(_additional: unknown, _node: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const found = this.data[type];
		if (!found) throw new Error(`No test credentials for ${type}`);
		// n8n fills the defaults: an expirable field never stored is ''.
		const field = expirableField((await loadPackage()).credentialTypes[type]?.type);
		return { ...(field ? { [field]: '' } : {}), ...found };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): [] {
		return [];
	}
}

export interface NodeUnderTest {
	type: string;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	settings?: Partial<Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'continueOnFail' | 'onError'>>;
	/** The workflow's time zone setting (n8n's default otherwise). */
	timezone?: string;
	/**
	 * The execution context as a server stores it with the execution (n8n 2.x; a Retry
	 * inherits it), instead of the fresh one WorkflowExecute establishes. The node keys its
	 * send journal, kept in n8n's deduplication store (here in memory: `deduplicationStore`), with it.
	 */
	executionContext?: { establishedAt: number; source?: string };
	/** How the execution was started (n8n's WorkflowExecuteMode; default 'manual'); a Retry runs as 'retry'. */
	mode?: 'manual' | 'retry' | 'webhook' | 'trigger';
	/** The node contexts an earlier run left, as n8n's Retry of a failed (not crashed) execution passes them on. */
	contextData?: IExecuteContextData;
}

/**
 * n8n's deduplication store, which a server keeps in its database (ProcessedData), in
 * memory: entries per workflow and node, with n8n's 'entries' mode (newest maxEntries kept).
 */
class MemoryDeduplicator implements IDataDeduplicator {
	readonly entries = new Map<string, string[]>();
	writes = 0;
	/** How long each write takes, as a database on a slow disk would (0: at once). */
	delayMs = 0;

	private key(scope: string, data: ICheckProcessedContextData): string {
		return `${data.workflow.id}|${scope === 'node' ? data.node?.id : ''}`;
	}

	/** The most writes that were under way at once. */
	mostAtOnce = 0;
	/** The writes under way now. */
	underWay = 0;

	/** As n8n's helper does: reads the row, waits for the database, writes the row back (two writes at once can lose marks). */
	private async rewrite(scope: string, data: ICheckProcessedContextData, change: (list: string[]) => string[]): Promise<void> {
		const row = [...(this.entries.get(this.key(scope, data)) ?? [])];
		this.mostAtOnce = Math.max(this.mostAtOnce, ++this.underWay);
		try {
			if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
			this.entries.set(this.key(scope, data), change(row));
			this.writes++;
		} finally {
			this.underWay--;
		}
	}

	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: 'node' | 'workflow', data: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		const out: IDeduplicationOutput = { new: [], processed: [] };
		await this.rewrite(scope, data, (list) => {
			// A set for the lookups, as n8n's helper builds one from the row.
			const seen = new Set(list);
			for (const item of items) {
				if (seen.has(String(item))) out.processed.push(item);
				else {
					out.new.push(item);
					list.push(String(item));
					seen.add(String(item));
				}
			}
			if (options.maxEntries) list.splice(0, Math.max(0, list.length - options.maxEntries));
			return list;
		});
		return out;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: 'node' | 'workflow', data: ICheckProcessedContextData): Promise<void> {
		// In one pass: n8n's helper looks each value up through the whole row, the same result at a cost the fault matrix's
		// thousands of keyed cells cannot pay. The claims' cost in n8n is measured in a real n8n (bench:n8n --with-idempotency-key).
		const drop = new Set(items.map(String));
		await this.rewrite(scope, data, (list) => list.filter((entry) => !drop.has(entry)));
	}

	async clearAllProcessedItems(scope: 'node' | 'workflow', data: ICheckProcessedContextData): Promise<void> {
		this.entries.delete(this.key(scope, data));
	}

	async getProcessedDataCount(scope: 'node' | 'workflow', data: ICheckProcessedContextData): Promise<number> {
		return this.entries.get(this.key(scope, data))?.length ?? 0;
	}
}

export const deduplicationStore = new MemoryDeduplicator();
let deduplicationReady: Promise<void> | undefined;

export interface WorkflowResult {
	run: IRun;
	executionId: string;
	/** Output items of the node under test per output (main[0] success, main[1] error output). */
	outputs: INodeExecutionData[][];
	/** The error that stopped the workflow, if any. */
	error?: { message: string; description?: string | null; context?: IDataObject; name?: string };
}

const NODE_NAME = 'SMS';

/**
 * What a server passes to the engine as additionalData: the given values, and a
 * no-op function for anything else the engine may call (hooks to the UI, etc.).
 */
export function serverData(values: Record<string, unknown>): IWorkflowExecuteAdditionalData {
	const noop = () => undefined;
	return new Proxy(values, {
		get: (target, key) => (key in target || typeof key === 'symbol' || key === 'then' ? target[key as string] : noop),
	}) as unknown as IWorkflowExecuteAdditionalData;
}

/** URLs a server would set; n8n-core builds resume links from them. */
const SERVER_URLS = {
	restApiUrl: 'http://127.0.0.1:5678/rest',
	instanceBaseUrl: 'http://127.0.0.1:5678/',
	webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
	webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
	webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
	formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
};

const AGENT_NAME = 'Agent';
/** Execution ids, as a server numbers them, and the data of the ended ones, as a server keeps it. */
let executions = 0;
const executionData = new Map<string, IRunExecutionData>();

interface RunShape {
	/** The items node's parameters: `items` (JSON) or `key` (raw items). */
	items: INodeParameters;
	workflowId: string;
	/** The node under test is the AI tool of a stand-in agent, which calls it once with these arguments. */
	asToolWith?: IDataObject;
}

/** Drops the data of ended executions this helper keeps: a memory measure's "after" heap holds none of it. */
export function forgetEndedExecutions(): void {
	executionData.clear();
}

/** Items node → node under test (or stand-in agent with the node as its tool), run by WorkflowExecute like a manual execution. */
async function runWorkflow(node: NodeUnderTest, { items, workflowId, asToolWith }: RunShape): Promise<WorkflowResult> {
	const loader = await loadPackage();
	const type = node.type.startsWith('test.') ? node.type : `${PACKAGE_NAME}.${node.type}`;
	const nodes: INode[] = [
		{ id: 'a', name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: items },
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
	const workflow = new Workflow({ id: workflowId, nodes, connections, nodeTypes: new TestNodeTypes(loader), active: false, settings: { executionOrder: 'v1', ...(node.timezone ? { timezone: node.timezone } : {}) } });

	const hooks = new ExecutionLifecycleHooks('manual', '1', { id: workflowId, nodes, connections } as never);
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
	const executionId = String(++executions);
	const additionalData = serverData({
		executionId,
		// What a server answers from its database: the data of an ended execution.
		getRunExecutionData: async (id: string) => executionData.get(id),
		hooks,
		currentNodeParameters: undefined,
		encryptedRunnerIdentity: undefined,
		credentialsHelper: new TestCredentialsHelper(node.credentials ?? {}),
		...SERVER_URLS,
	});

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	// As in a server: the store is there for every run, and n8n establishes an execution context for every run (n8n 2.x).
	await (deduplicationReady ??= DataDeduplicationService.init(deduplicationStore));
	if (node.contextData) runExecutionData.executionData!.contextData = structuredClone(node.contextData);
	if (node.executionContext) {
		const { establishedAt, source = 'webhook' } = node.executionContext;
		(runExecutionData.executionData as { runtimeData?: unknown }).runtimeData = { version: 1, establishedAt, source };
	}
	await new WorkflowExecute(additionalData, node.mode ?? 'manual', runExecutionData).processRunExecutionData(workflow);
	const run = await done;
	executionData.set(executionId, run.data);
	// The recent ones are enough for the tests that look back; the fault matrix runs thousands.
	if (executionData.size > 50) executionData.delete(executionData.keys().next().value!);

	const taskData = run.data.resultData.runData[asToolWith ? AGENT_NAME : NODE_NAME] ?? [];
	const last = taskData[taskData.length - 1];
	const outputs = (last?.data?.main ?? []).map((out) => out ?? []);
	const error = run.data.resultData.error as WorkflowResult['error'] | undefined;
	return { run, executionId, outputs, error };
}

/** Items (through JSON, as a workflow stores them) → node under test. */
export async function runNode(items: IDataObject[], node: NodeUnderTest): Promise<WorkflowResult> {
	return await runWorkflow(node, { items: { items: JSON.stringify(items) }, workflowId: 'test' });
}

/**
 * Like runNode, but the items reach the node under test as the very objects given, not
 * through JSON: values JSON cannot carry (Dates, -0, NaN, undefined, class instances,
 * getters) arrive as a node inside n8n could output them. With `asToolWith`, the node is an
 * AI tool of a stand-in agent that gets the items and calls the tool once with these
 * arguments; `outputs` are then the agent's.
 */
export async function runOnRawItems(items: IDataObject[], node: NodeUnderTest, asToolWith?: IDataObject): Promise<WorkflowResult> {
	return await runOnItems(
		items.map((json) => ({ json, pairedItem: { item: 0 } })),
		node,
		asToolWith,
	);
}

/**
 * Like runOnRawItems, with the items node's output given whole, as n8n items: the
 * memory benchmark builds them before it measures, as a previous node's output exists
 * before the node under test runs.
 */
export async function runOnItems(items: INodeExecutionData[], node: NodeUnderTest, asToolWith?: IDataObject): Promise<WorkflowResult> {
	const key = String(++nextKey);
	rawItems.set(key, items);
	try {
		return await runWorkflow(node, { items: { key }, workflowId: 'raw', asToolWith });
	} finally {
		rawItems.delete(key);
	}
}

/** Everything the run recorded, as text: to check that no secret is anywhere in it. */
export function runAsText(result: WorkflowResult): string {
	return JSON.stringify(result.run, (_key, value: unknown) => {
		if (value instanceof Error) return { ...value, message: value.message, stack: value.stack, description: (value as { description?: string }).description };
		return value;
	});
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * Runs a credential's declared `test` the way n8n's credentials tester does: the
 * request goes through n8n-core's RoutingNode (expressions, authentication,
 * HTTP), then the test's rules are applied to the answer.
 */
export async function testCredential(type: string, data: ICredentialDataDecryptedObject): Promise<CredentialTestResult> {
	const loader = await loadPackage();
	const credentialType = loader.credentialTypes[type].type;
	const test = credentialType.test!;
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: ['output'],
			version: 1,
			description: '',
			defaults: { name: 'Temp' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	};
	const node: INode = { id: 'temp', name: 'Temp-Node', type: 'temp', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { [type]: { id: '1', name: 'c' } } };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } });
	const additionalData = serverData({ credentialsHelper: new TestCredentialsHelper({ [type]: data }), ...SERVER_URLS });
	const runExecutionData = createRunExecutionData();
	const context = new ExecuteContext(workflow, node, additionalData, 'internal', runExecutionData, 0, [], { main: [[{ json: {} }]] }, { node, data: {}, source: null }, []);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeType, { id: '1', name: 'c', type, data }).runNode();
	} catch (error) {
		const status = (error as { cause?: { response?: { status?: number } } }).cause?.response?.status;
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === status) return { status: 'Error', message: rule.properties.message };
		}
		return { status: 'Error', message: status ? `Received HTTP status code: ${status}` : (error as Error).message };
	}
	const body = (response?.[0]?.[0]?.json ?? {}) as IDataObject;
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * Runs a credential's test the way n8n's credentials tester does when a node
 * names the credential with `testedBy`: the node's `methods.credentialTest`
 * function, called with a CredentialTestContext and the decrypted credential.
 */
export async function testCredentialWithNode(type: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const loader = await loadPackage();
	for (const nodeType of [...Object.values(loader.nodeTypes).map((n) => n.type), ...Object.values(testPackageNodes)]) {
		const node = nodeType as INodeType;
		const testedBy = node.description.credentials?.find((c) => c.name === type)?.testedBy;
		if (typeof testedBy !== 'string') continue;
		const test = node.methods?.credentialTest?.[testedBy];
		if (!test) throw new Error(`${node.description.name} names ${testedBy} but has no such credentialTest method`);
		return await test.call(new CredentialTestContext(), { id: '1', name: 'c', type, data });
	}
	throw new Error(`No node of the package tests ${type} with testedBy`);
}
