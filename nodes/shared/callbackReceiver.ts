import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject, INodeProperties, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { DEFAULT_REMEMBERED, dropSeenReports, settleReports } from './recentReports';
import { redactSecret } from './secretRedaction';

/**
 * What the provider triggers share: a webhook that takes a provider's callbacks only
 * with the secret of its URL (compared in constant time), refuses huge bodies (413),
 * masks the secret wherever the payload echoes it, and starts nothing for a report
 * it already took (a provider may post one more than once).
 */

/** Largest callback accepted (body plus query string); providers post a few hundred bytes. */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

interface CallbackRequest {
	headers: IDataObject;
	rawBody?: Buffer;
	method: string;
	url?: string;
	originalUrl?: string;
}

export interface CallbackOptions {
	ignoreDuplicates?: boolean;
	rememberedReports?: number;
}

function sameSecret(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

/** n8n reads every body (JSON, form, text) into rawBody; a GET callback's payload is its query string. */
function payloadSize(req: CallbackRequest): number {
	const declared = Number(req.headers['content-length'] ?? 0);
	const body = Math.max(Number.isFinite(declared) ? declared : 0, req.rawBody?.length ?? 0);
	const url = req.originalUrl ?? req.url ?? '';
	const query = url.indexOf('?');
	// On the wire a URL is ASCII (anything else is percent-encoded): its length is its size.
	return body + (query < 0 ? 0 : url.length - query - 1);
}

/** An answer written by the node itself (n8n then sends nothing more). */
export function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * The callback's payload, the secret masked in it (a GET's is its query string without
 * `secret`); or the answer already given: 413 too large, 401 without the right secret.
 */
export function acceptCallback(ctx: IWebhookFunctions): { payload: unknown } | { refused: IWebhookResponseData } {
	const req = ctx.getRequestObject() as unknown as CallbackRequest;
	if (payloadSize(req) > MAX_PAYLOAD_BYTES) return { refused: answer(ctx, 413, { error: 'payload too large' }) };
	const expected = (ctx.getNodeParameter('secret', '') as string) || ctx.getNode().webhookId || '';
	const query = ctx.getQueryData() as IDataObject;
	const given = typeof query.secret === 'string' ? query.secret : '';
	if (!expected || !sameSecret(given, expected)) return { refused: answer(ctx, 401, { error: 'unauthorized' }) };
	const { secret: _omitted, ...queryWithoutSecret } = query;
	// A provider may echo the callback URL (secret included) in its payload; nothing of it reaches the execution.
	return { payload: redactSecret(req.method === 'GET' ? queryWithoutSecret : ctx.getBodyData(), expected) };
}

/**
 * Starts the workflow with the reports not taken before (all of them in a test event,
 * which must not hide the same report in production), or answers 200 for duplicates only.
 */
export function startWith<R extends object>(ctx: IWebhookFunctions, reports: R[], keyOf: (report: R) => string | undefined): IWebhookResponseData {
	if (!reports.length) return answer(ctx, 200, { received: 0 });
	const options = ctx.getNodeParameter('options', {}) as CallbackOptions;
	let fresh = reports;
	let duplicates = 0;
	if ((options.ignoreDuplicates ?? true) && ctx.getMode() !== 'manual') {
		const bound = Math.max(1, Math.floor(options.rememberedReports ?? DEFAULT_REMEMBERED));
		const owner = `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().id}`;
		const seen = dropSeenReports(owner, ctx.getWorkflowStaticData('node'), reports, bound, keyOf);
		({ fresh, duplicates } = seen);
		// n8n 2.x answers once it has recorded the execution, 500 when it could not.
		const res = ctx.getResponseObject();
		if (seen.recorded.length) res.once('close', () => settleReports(owner, seen.recorded, res.writableFinished && res.statusCode < 500));
	}
	if (!fresh.length) return answer(ctx, 200, { received: reports.length, duplicates, duplicate: true });
	return {
		workflowData: [fresh.map((json) => ({ json: json as IDataObject }))],
		webhookResponse: duplicates ? { received: reports.length, duplicates } : { received: reports.length },
	};
}

/**
 * The Secret field: shown in clear, not as a password, since the user copies it into the URL
 * given to the provider. Empty means the webhook ID, as the default.
 */
export function callbackSecretProperty(providerName: string): INodeProperties {
	return {
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		default: '={{ $webhookId }}',
		placeholder: 'e.g. a long random word of letters and digits',
		description: `The value ${providerName} must send back as ?secret= in the callback URL: by default this node's webhook ID (generated by n8n, part of its URL). Replace it with a secret of your own (letters and digits) if you like; left empty, it is the webhook ID again.`,
	};
}

/** The duplicate options of a provider trigger. */
export function callbackOptionsProperty(providerName: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Ignore Duplicate Reports',
				name: 'ignoreDuplicates',
				type: 'boolean',
				default: true,
				description: `Whether to start nothing for a report already received (same message ID, recipient and status), as ${providerName} may post one more than once. The duplicate is answered 200 so that ${providerName} stops resending it.`,
			},
			{
				displayName: 'Reports Remembered',
				name: 'rememberedReports',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100000 },
				default: DEFAULT_REMEMBERED,
				description:
					"How many recent reports are remembered to spot duplicates, the oldest forgotten first. They are kept by n8n's process and in the workflow's static data, which callbacks save whole: a large number makes every callback slower.",
			},
		],
	};
}
