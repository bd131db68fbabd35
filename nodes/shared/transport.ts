import type { Dispatcher } from 'undici';
import { agentFor, loadedUndici, loadUndici, type Undici } from './httpAgents';
import { Answer } from './httpAnswer';

export interface HttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	/** Sent as `application/json; charset=utf-8`. */
	json?: unknown;
	/** Sent as `application/x-www-form-urlencoded;charset=utf-8`. */
	form?: Record<string, string>;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string>;
	text: string;
}

export interface TransportSettings {
	/** Connect timeout, and again the time allowed for the answer. */
	timeoutMs: number;
	/** Attempts in all for failures where the provider surely got nothing (refused connection, 429, 503). */
	maxAttempts: number;
	/** Resend after an ambiguous failure (timeout after sending, other 5xx): may duplicate SMS. */
	retryAmbiguous: boolean;
	/** Longest wait honoured from Retry-After, and the cap of the backoff. */
	maxRetryDelayMs: number;
	signal?: AbortSignal;
}

export const DEFAULT_TRANSPORT: TransportSettings = {
	timeoutMs: 30_000,
	maxAttempts: 4,
	retryAmbiguous: false,
	maxRetryDelayMs: 30_000,
};

/** Largest answer body read; providers answer a few hundred bytes. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type TransportFailure =
	| 'notSent' // nothing reached the provider: safe to resend
	| 'ambiguous' // the request was written; the provider may have acted on it
	| 'cancelled'
	| 'tooLarge';

export class TransportError extends Error {
	constructor(
		message: string,
		readonly failure: TransportFailure,
		readonly code: string | undefined,
		readonly attempts: number,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

// The pools live in httpAgents.ts; tests and benchmarks close them through this module.
export { closeTransportPools } from './httpAgents';

interface Attempt {
	response?: HttpResponse;
	error?: Error & { code?: string };
	sent: boolean;
}

function encodeBody(request: HttpRequest): { body?: string; contentType?: string } {
	if (request.json !== undefined) {
		return { body: JSON.stringify(request.json), contentType: 'application/json; charset=utf-8' };
	}
	if (request.form) {
		return {
			body: new URLSearchParams(request.form).toString(),
			contentType: 'application/x-www-form-urlencoded;charset=utf-8',
		};
	}
	return {};
}

/** The origin and path of the last URL sent: a bulk sends to one URL many times. */
let lastUrl: { href: string; origin: string; path: string } | undefined;

function originAndPath(href: string): { origin: string; path: string } {
	if (lastUrl?.href !== href) {
		const url = new URL(href);
		lastUrl = { href, origin: url.origin, path: url.pathname + url.search };
	}
	return lastUrl;
}

function dispatchOnce(request: HttpRequest, settings: TransportSettings, lib: Undici): Promise<Attempt> {
	const url = originAndPath(request.url);
	const { body, contentType } = encodeBody(request);
	const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
	if (contentType) headers['content-type'] = contentType;

	return new Promise<Attempt>((resolve) => {
		let sent = false;
		let status = 0;
		let responseHeaders: ReadonlyArray<Buffer | string> = [];
		const chunks: Buffer[] = [];
		let size = 0;
		let abortRequest: ((err: Error) => void) | undefined;
		let settled = false;
		const finish = (attempt: Attempt) => {
			if (settled) return;
			settled = true;
			settings.signal?.removeEventListener('abort', onCancel);
			resolve(attempt);
		};
		const onCancel = () => abortRequest?.(new TransportError('The execution was cancelled', 'cancelled', 'CANCELLED', 1));
		settings.signal?.addEventListener('abort', onCancel);

		// A legacy-style handler: it is the one that hears onRequestSent, which tells
		// "never reached the provider" apart from "reached it, answer lost".
		const handler = {
			onConnect(abort: (err: Error) => void) {
				abortRequest = abort;
				if (settings.signal?.aborted) onCancel();
			},
			onRequestSent() {
				sent = true;
			},
			onBodySent() {},
			onUpgrade() {},
			onResponseStarted() {},
			onHeaders(statusCode: number, rawHeaders: Buffer[] | string[]) {
				status = statusCode;
				responseHeaders = rawHeaders;
				return true;
			},
			onData(chunk: Buffer) {
				size += chunk.length;
				if (size > MAX_BODY_BYTES) {
					abortRequest?.(new TransportError(`The answer is larger than ${MAX_BODY_BYTES} bytes`, 'tooLarge', 'TOO_LARGE', 1));
					return false;
				}
				chunks.push(chunk);
				return true;
			},
			onComplete() {
				finish({ sent: true, response: new Answer(status, responseHeaders, Buffer.concat(chunks).toString('utf8')) });
			},
			onError(error: Error & { code?: string }) {
				finish({ sent, error });
			},
		};

		try {
			agentFor(settings.timeoutMs, lib).dispatch(
				{
					origin: url.origin,
					path: url.path,
					method: request.method,
					headers,
					body,
					headersTimeout: settings.timeoutMs,
					bodyTimeout: settings.timeoutMs,
				},
				handler as unknown as Dispatcher.DispatchHandler,
			);
		} catch (error) {
			finish({ sent: false, error: error as Error });
		}
	});
}

const sleep = async (ms: number, signal?: AbortSignal) =>
	await new Promise<void>((resolve) => {
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done);
	});

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function backoff(attempt: number, cap: number): number {
	const base = Math.min(cap, 250 * 2 ** (attempt - 1));
	return base / 2 + Math.random() * (base / 2);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function describeNetworkError(error: Error & { code?: string }, sent: boolean, settings: TransportSettings): string {
	const code = error.code ?? error.name;
	if (TIMEOUT_CODES.has(code)) return `no answer within ${settings.timeoutMs / 1000} s`;
	if (code === 'UND_ERR_CONNECT_TIMEOUT') return `could not connect within ${settings.timeoutMs / 1000} s`;
	if (code === 'ECONNREFUSED') return 'connection refused';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
	if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return sent ? 'connection closed before the answer' : 'connection closed';
	return error.message || code;
}

const AMBIGUOUS_STATUSES = new Set([500, 502, 504]);

/**
 * Sends one request. Retries only where the provider surely did not act on it
 * (refused or reset before the request was written, 429, 503, honouring
 * Retry-After); after an ambiguous failure it resends only when asked to.
 * Answers with any other status are returned for the provider's parser to judge.
 */
export async function sendRequest(request: HttpRequest, settings: TransportSettings): Promise<HttpResponse> {
	const lib = loadedUndici() ?? (await loadUndici());
	for (let attempt = 1; ; attempt++) {
		if (settings.signal?.aborted) throw new TransportError('The execution was cancelled', 'cancelled', 'CANCELLED', attempt);
		const result = await dispatchOnce(request, settings, lib);
		const last = attempt >= settings.maxAttempts;

		if (result.response) {
			const { status } = result.response;
			const refusedForNow = status === 429 || status === 503;
			const ambiguous = AMBIGUOUS_STATUSES.has(status) && settings.retryAmbiguous;
			if ((!refusedForNow && !ambiguous) || last) return result.response;
			// Headers are read only here: Answer builds them on first access.
			const wait = parseRetryAfter(result.response.headers['retry-after']) ?? backoff(attempt, settings.maxRetryDelayMs);
			if (wait > settings.maxRetryDelayMs) return result.response;
			await sleep(wait, settings.signal);
			continue;
		}

		const error: Error & { code?: string } = result.error ?? new Error('unknown transport failure');
		if (error instanceof TransportError) throw new TransportError(error.message, error.failure, error.code, attempt);
		const failure: TransportFailure = result.sent ? 'ambiguous' : 'notSent';
		const reason = describeNetworkError(error, result.sent, settings);
		const mayRetry = failure === 'notSent' || settings.retryAmbiguous;
		if (!mayRetry || last) {
			const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
			throw new TransportError(`${reason}${tries}`, failure, error.code, attempt);
		}
		await sleep(backoff(attempt, settings.maxRetryDelayMs), settings.signal);
	}
}
