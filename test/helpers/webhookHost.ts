/**
 * Serves a trigger node's webhook on 127.0.0.1 the way n8n's webhook server
 * hands requests to it: body read and parsed (JSON, form, raw), query parsed,
 * then the node's webhook() called through n8n-core's own WebhookContext with
 * express-like request and response objects. As n8n's live webhooks do, every
 * request gets its own copy of the workflow and its static data, loaded when the
 * request arrives and saved (whole, last write wins) after webhook() when changed.
 * The real n8n server is exercised by the end-to-end tests; this keeps trigger
 * tests fast and in-process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { loadPackage, PACKAGE_NAME } from './n8n';
import { sleep } from './waitUntil';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB). */
const SERVER_BODY_LIMIT = 16 * 1024 * 1024;
/**
 * Node's default (16 KiB) answers 431 to longer URLs before n8n sees them; n8n run with
 * NODE_OPTIONS=--max-http-header-size lets them through, to the node's own limit.
 */
const SERVER_HEADER_LIMIT = 4 * 1024 * 1024;

export interface WebhookHostOptions {
	webhookId?: string;
	/** Each host is its own workflow unless told otherwise (a restarted n8n: same id, saved static data). */
	workflowId?: string;
	/** The static data saved in n8n's database when the host starts. */
	staticData?: IDataObject;
	/** n8n's database reads between loading a request's workflow copy and calling webhook(). */
	loadLatencyMs?: number;
	/** n8n 2.x records the execution before it answers an "on received" webhook: that long. */
	executionLatencyMs?: number;
	/** The initial value of WebhookHost.failExecutions. */
	failExecutions?: number;
	/**
	 * As n8n 2.40.7: when webhook() starts an execution and the workflow already had static data,
	 * the change is not saved (WorkflowRunner re-wraps the same static data object, which clears
	 * its changed flag before live-webhooks saves it).
	 */
	dropStaticDataOfStartedRuns?: boolean;
	mode?: WorkflowExecuteMode;
}

let hosts = 0;

/** What a trip through n8n's database (a JSON column) leaves of static data. */
const jsonCopy = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

interface ExpressLikeResponse {
	statusCode: number;
	headersSent: boolean;
	readonly writableFinished: boolean;
	once(event: 'finish' | 'close', listener: () => void): ExpressLikeResponse;
	status(code: number): ExpressLikeResponse;
	json(body: unknown): void;
	send(body: unknown): void;
	end(): void;
}

function expressLike(res: http.ServerResponse): ExpressLikeResponse {
	const wrapper: ExpressLikeResponse = {
		statusCode: 200,
		headersSent: false,
		get writableFinished() {
			return res.writableFinished;
		},
		once(event, listener) {
			res.once(event, listener);
			return wrapper;
		},
		status(code) {
			wrapper.statusCode = code;
			return wrapper;
		},
		json(body) {
			wrapper.send(JSON.stringify(body));
		},
		send(body) {
			wrapper.headersSent = true;
			res.writeHead(wrapper.statusCode, { 'content-type': 'application/json' });
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		},
		end() {
			wrapper.headersSent = true;
			res.writeHead(wrapper.statusCode);
			res.end();
		},
	};
	return wrapper;
}

function parseBody(raw: Buffer, contentType: string): unknown {
	if (!raw.length) return {};
	if (contentType.includes('application/json')) return JSON.parse(raw.toString('utf8')) as unknown;
	if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
	return {};
}

/**
 * What n8n 2.40 answers for an "on received" webhook the node did not answer
 * itself, once the execution is recorded: the description's responseData
 * (default: the text "firstEntryJson"), else the node's webhookResponse.
 */
function onReceivedAnswer(responseData: unknown, webhookResponse: unknown): unknown {
	const data = responseData ?? 'firstEntryJson';
	if (data === 'noData') return '';
	if (data) return data;
	return (webhookResponse as IDataObject) ?? { message: 'Workflow was started' };
}

export class WebhookHost {
	/** workflowData of every call that started the workflow. */
	readonly executions: INodeExecutionData[][][] = [];
	/** The workflow's static data as last saved (n8n's database column). */
	staticData: IDataObject;
	readonly webhookId: string;
	readonly workflowId: string;
	private server?: http.Server;
	private port = 0;
	/** The next N executions n8n cannot record (its database refused): answered 500, static data not saved. */
	failExecutions: number;

	constructor(
		private readonly nodeType: string,
		private readonly parameters: INodeParameters,
		private readonly options: WebhookHostOptions = {},
	) {
		this.webhookId = options.webhookId ?? '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
		this.workflowId = options.workflowId ?? `wf${++hosts}`;
		this.staticData = jsonCopy(options.staticData ?? {});
		this.failExecutions = options.failExecutions ?? 0;
	}

	/** The production URL n8n would show for the trigger's webhook. */
	get productionUrl(): string {
		return `http://127.0.0.1:${this.port}/webhook/${this.webhookId}/delivery`;
	}

	async start(): Promise<this> {
		const loader = await loadPackage();
		const nodeType = loader.nodeTypes[this.nodeType].type as INodeType;
		const node: INode = {
			id: 't',
			name: 'Trigger',
			type: `${PACKAGE_NAME}.${this.nodeType}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.parameters,
			webhookId: this.webhookId,
		};
		const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };

		this.server = http.createServer({ maxHeaderSize: SERVER_HEADER_LIMIT }, (req, res) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= SERVER_BODY_LIMIT) chunks.push(chunk);
			});
			req.on('end', () => {
				void (async () => {
					const url = new URL(req.url ?? '/', 'http://127.0.0.1');
					const description = nodeType.description.webhooks?.find((w) => w.httpMethod === req.method);
					if (url.pathname !== `/webhook/${this.webhookId}/delivery` || !description) {
						res.writeHead(404).end();
						return;
					}
					if (size > SERVER_BODY_LIMIT) {
						res.writeHead(413).end();
						return;
					}
					const rawBody = Buffer.concat(chunks);
					let body: unknown;
					try {
						body = parseBody(rawBody, String(req.headers['content-type'] ?? ''));
					} catch {
						res.writeHead(400).end();
						return;
					}
					const hadStaticData = Object.keys(this.staticData).length > 0;
					const staticData = jsonCopy(this.staticData);
					if (this.options.loadLatencyMs) await sleep(this.options.loadLatencyMs);
					const workflow = new Workflow({ id: this.workflowId, nodes: [node], connections: {}, active: true, nodeTypes, staticData });
					const request = Object.assign(req, { body, rawBody, originalUrl: req.url, query: Object.fromEntries(url.searchParams), params: {} });
					const response = expressLike(res);
					// Only these two are read by WebhookContext here.
					const additionalData = { httpRequest: request, httpResponse: response } as unknown as IWorkflowExecuteAdditionalData;
					const webhookData = {
						httpMethod: req.method,
						node: node.name,
						path: 'delivery',
						webhookDescription: description,
						workflowId: this.workflowId,
						webhookId: this.webhookId,
					} as unknown as IWebhookData;
					const context = new WebhookContext(workflow, node, additionalData, this.options.mode ?? 'webhook', webhookData, [], null);
					const result = await nodeType.webhook!.call(context);
					const startsExecution = result.workflowData && !result.noWebhookResponse;
					if (startsExecution && this.options.executionLatencyMs) await sleep(this.options.executionLatencyMs);
					if (startsExecution && this.failExecutions > 0) {
						this.failExecutions--;
						// n8n's answer when WorkflowRunner.run() throws (webhook-helpers.ts); nothing is saved.
						response.status(500).json({ code: 0, message: 'There was a problem executing the workflow' });
						return;
					}
					if (result.workflowData) this.executions.push(result.workflowData);
					const saveDropped = this.options.dropStaticDataOfStartedRuns && hadStaticData && startsExecution;
					if (workflow.staticData.__dataChanged === true && !saveDropped) this.staticData = jsonCopy(workflow.staticData);
					if (!result.noWebhookResponse && !response.headersSent) response.status(200).send(onReceivedAnswer(description.responseData, result.webhookResponse));
				})().catch((error: Error) => {
					if (!res.headersSent) res.writeHead(500).end(error.message);
				});
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}
