/**
 * Serves a trigger node's webhook on 127.0.0.1 the way n8n's webhook server
 * hands requests to it: body read and parsed (JSON, form, raw), query parsed,
 * then the node's webhook() called through n8n-core's own WebhookContext with
 * express-like request and response objects. The real n8n server is exercised
 * by the end-to-end tests; this keeps trigger tests fast and in-process.
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
} from 'n8n-workflow';
import { loadPackage, PACKAGE_NAME } from './n8n';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB). */
const SERVER_BODY_LIMIT = 16 * 1024 * 1024;

interface ExpressLikeResponse {
	statusCode: number;
	headersSent: boolean;
	status(code: number): ExpressLikeResponse;
	json(body: unknown): void;
	send(body: unknown): void;
	end(): void;
}

function expressLike(res: http.ServerResponse): ExpressLikeResponse {
	const wrapper: ExpressLikeResponse = {
		statusCode: 200,
		headersSent: false,
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
 * itself: the description's responseData (default: the text "firstEntryJson"),
 * else the node's webhookResponse.
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
	private server?: http.Server;
	private port = 0;

	constructor(
		private readonly nodeType: string,
		private readonly parameters: INodeParameters,
		readonly webhookId = '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
	) {}

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
		const workflow = new Workflow({
			id: 'wf',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) },
		});

		this.server = http.createServer((req, res) => {
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
					const request = Object.assign(req, { body, rawBody, query: Object.fromEntries(url.searchParams), params: {} });
					const response = expressLike(res);
					// Only these two are read by WebhookContext here.
					const additionalData = { httpRequest: request, httpResponse: response } as unknown as IWorkflowExecuteAdditionalData;
					const webhookData = {
						httpMethod: req.method,
						node: node.name,
						path: 'delivery',
						webhookDescription: description,
						workflowId: 'wf',
						webhookId: this.webhookId,
					} as unknown as IWebhookData;
					const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
					const result = await nodeType.webhook!.call(context);
					if (result.workflowData) this.executions.push(result.workflowData);
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
