import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the simulator received it. */
export interface SimRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	receivedAt: number;
}

export interface SimResponse {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/**
 * Faults injected into the next matching requests:
 * - `status`: answer with this HTTP status and body (500, 503 …); with `acted`, the
 *   provider first does what was asked (the SMS is sent), then answers so: an answer lost;
 * - `rateLimit`: 429 with Retry-After (seconds);
 * - `slow`: wait before answering normally;
 * - `drop`: read the request, then close the connection without answering;
 * - `malformed`: HTTP 200 with a body that is not JSON.
 * Refused connections: see refuseConnectionsFor().
 */
export type Fault =
	| { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; acted?: boolean }
	| { kind: 'rateLimit'; retryAfterSeconds: number }
	| { kind: 'slow'; ms: number }
	| { kind: 'drop' }
	| { kind: 'malformed'; body?: string };

interface QueuedFault {
	fault: Fault;
	remaining: number;
	/** Only requests for which this returns true are affected. */
	matches: (req: SimRequest) => boolean;
}

const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

/**
 * The HTTP side every provider simulator shares: a real server on 127.0.0.1,
 * a record of requests, a count of TCP connections (to see keep-alive at work),
 * fault injection, and control routes under /__sandbox/ for scripts.
 */
export abstract class ProviderSimulator {
	readonly requests: SimRequest[] = [];
	connections = 0;
	/** Most requests being answered at the same moment. */
	peakInFlight = 0;
	private inFlight = 0;
	private server?: http.Server;
	private port = 0;
	private faults: QueuedFault[] = [];
	private readonly sockets = new Set<Socket>();
	private refusing = false;
	/** Requests whose handling has not finished (it goes on after a client gave up). */
	private handling = 0;

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The credential's Base URL for this simulator. */
	abstract get baseUrl(): string;

	protected abstract handle(req: SimRequest): Promise<SimResponse> | SimResponse;

	/** Provider state for GET /__sandbox/state. */
	protected abstract state(): unknown;

	abstract reset(): void;

	async start(port = 0): Promise<this> {
		this.port = port;
		await this.listen();
		return this;
	}

	private async listen(): Promise<void> {
		const server = http.createServer((req, res) => void this.onRequest(req, res));
		server.keepAliveTimeout = 30_000;
		server.on('connection', (socket: Socket) => {
			this.connections++;
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		this.port = (server.address() as AddressInfo).port;
		this.server = server;
	}

	private async closeServer(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	async stop(): Promise<void> {
		await this.closeServer();
	}

	/**
	 * Stops listening for `ms`: new connections are refused meanwhile, so nothing
	 * reaches the provider. Idle keep-alive connections are closed, and requests
	 * already under way are answered with `Connection: close`.
	 */
	async refuseConnectionsFor(ms: number): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		this.refusing = true;
		server.close();
		server.closeIdleConnections();
		await new Promise((resolve) => setTimeout(resolve, 5));
		const reopen = () => {
			this.refusing = false;
			// The port may be taken for a moment (an outgoing connection's local port): try again.
			this.listen().catch(() => setTimeout(reopen, 50).unref());
		};
		setTimeout(reopen, ms).unref();
	}

	injectFault(fault: Fault, times = 1, matches: (req: SimRequest) => boolean = () => true): void {
		this.faults.push({ fault, remaining: times, matches });
	}

	/** Faults injected and not yet used. */
	get pendingFaults(): number {
		return this.faults.filter((f) => f.remaining > 0).length;
	}

	clearFaults(): void {
		this.faults = [];
	}

	protected resetRecords(): void {
		this.requests.length = 0;
		this.connections = 0;
		this.peakInFlight = 0;
		this.faults = [];
	}

	private takeFault(req: SimRequest): Fault | undefined {
		const queued = this.faults.find((f) => f.remaining > 0 && f.matches(req));
		if (!queued) return undefined;
		queued.remaining--;
		return queued.fault;
	}

	private async readBody(req: http.IncomingMessage): Promise<string | undefined> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > MAX_REQUEST_BYTES) return undefined;
			chunks.push(chunk as Buffer);
		}
		return Buffer.concat(chunks).toString('utf8');
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const rawBody = await this.readBody(req);
		if (rawBody === undefined) return send(res, { status: 413, body: { error: 'request too large' } });
		const url = new URL(req.url ?? '/', this.url);
		const simReq: SimRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			rawBody,
			receivedAt: Date.now(),
		};
		if (url.pathname.startsWith('/__sandbox/')) return send(res, await this.control(simReq));

		this.requests.push(simReq);
		this.handling++;
		try {
			await this.process(simReq, req, res);
		} finally {
			this.handling--;
		}
	}

	/** Resolves once every request received so far has been handled (the ledger is final). */
	async settled(): Promise<void> {
		while (this.handling > 0) await new Promise((resolve) => setTimeout(resolve, 10));
	}

	private async process(simReq: SimRequest, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		res.on('close', () => this.inFlight--);
		const fault = this.takeFault(simReq);
		if (fault) {
			switch (fault.kind) {
				case 'status':
					if (fault.acted) await this.handle(simReq);
					return this.answer(res, { status: fault.status, body: fault.body ?? { error: `injected ${fault.status}` }, headers: fault.headers });
				case 'rateLimit':
					return this.answer(res, { status: 429, body: { error: 'too many requests' }, headers: { 'retry-after': String(fault.retryAfterSeconds) } });
				case 'slow':
					await new Promise((resolve) => setTimeout(resolve, fault.ms));
					break;
				case 'drop':
					req.socket.destroy();
					return;
				case 'malformed':
					res.writeHead(200, { 'content-type': 'text/html' });
					res.end(fault.body ?? '<html><body>502 Bad Gateway</body></html>');
					return;
			}
		}
		let response: SimResponse;
		try {
			response = await this.handle(simReq);
		} catch (error) {
			response = { status: 500, body: { error: (error as Error).message } };
		}
		if (!res.destroyed) this.answer(res, response);
	}

	private answer(res: http.ServerResponse, response: SimResponse): void {
		send(res, this.refusing ? { ...response, headers: { ...response.headers, connection: 'close' } } : response);
	}

	/** Control routes: state, reset, faults. */
	private async control(req: SimRequest): Promise<SimResponse> {
		const action = req.path.slice('/__sandbox/'.length);
		if (action === 'state') return { status: 200, body: { requests: this.requests.length, connections: this.connections, ...(this.state() as object) } };
		if (action === 'reset' && req.method === 'POST') {
			this.reset();
			return { status: 200, body: { ok: true } };
		}
		if (action === 'refuse' && req.method === 'POST') {
			const { ms } = JSON.parse(req.rawBody || '{}') as { ms?: number };
			setTimeout(() => void this.refuseConnectionsFor(ms ?? 1000), 10);
			return { status: 200, body: { ok: true } };
		}
		if (action === 'faults' && req.method === 'POST') {
			const { fault, times } = JSON.parse(req.rawBody || '{}') as { fault: Fault; times?: number };
			this.injectFault(fault, times ?? 1);
			return { status: 200, body: { ok: true } };
		}
		return (await this.controlExtra(action, req)) ?? { status: 404, body: { error: `unknown sandbox route ${action}` } };
	}

	protected async controlExtra(_action: string, _req: SimRequest): Promise<SimResponse | undefined> {
		return undefined;
	}
}

export function send(res: http.ServerResponse, response: SimResponse): void {
	const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
	res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
	res.end(text);
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What parseJson gives for a text that is not JSON. */
export const INVALID_JSON = Symbol('invalid JSON');

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return INVALID_JSON;
	}
}
