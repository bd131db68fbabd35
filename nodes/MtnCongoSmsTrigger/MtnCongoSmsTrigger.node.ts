import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { parseCallback, type CallbackStatus } from '../MtnCongoSms/mtnCongo.callback';
import { DEFAULT_REMEMBERED, dropSeenReports, settleReports } from './recentReports';
import { redactSecret } from './secretRedaction';

/** Largest callback accepted (body plus query string); MTN's status payloads are a few hundred bytes. */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

interface CallbackRequest {
	headers: IDataObject;
	rawBody?: Buffer;
	method: string;
	url?: string;
	originalUrl?: string;
}

interface TriggerOptions {
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

function answer(res: ReturnType<IWebhookFunctions['getResponseObject']>, status: number, body: IDataObject): IWebhookResponseData {
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

// MTN has no API to register a webhook: the callback URL travels with each send,
// so this trigger needs no webhookMethods lifecycle.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class MtnCongoSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MTN Congo SMS Trigger',
		name: 'mtnCongoSmsTrigger',
		icon: { light: 'file:../MtnCongoSms/mtnCongo.svg', dark: 'file:../MtnCongoSms/mtnCongo.dark.svg' },
		subtitle: 'Delivery reports',
		group: ['trigger'],
		version: 1,
		// n8n's picker shows this node and the MTN Congo SMS node as one entry, with this description.
		description: 'Send SMS with MTN Congo (Tinda) and start workflows when MTN reports their delivery',
		defaults: { name: 'MTN Congo SMS Trigger' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/mtn-congo.md#mtn-congo-sms-trigger-delivery-reports',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// No responseData: n8n then answers with webhook()'s webhookResponse (its default would be
		// "firstEntryJson"), and n8n 2.x does so only once the execution is recorded (webhook-helpers.ts).
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'delivery' },
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: 'delivery' },
		],
		properties: [
			// One event only, but declared: n8n's node picker lists a trigger's events under
			// "Triggers" with their own words (without one it shows a generic placeholder).
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Delivery Report',
						value: 'deliveryReport',
						action: 'On SMS delivery report',
						description: 'MTN Congo reports that an SMS was delivered, not delivered, queued or rejected',
					},
				],
				default: ['deliveryReport'],
				description: 'What starts the workflow: MTN Congo sends delivery reports only',
			},
			// n8n shows a notice's text as written (no expressions): the values it speaks of are
			// read in the fields themselves, Secret's default showing the webhook ID it stands for.
			{
				displayName:
					"The <b>Callback URL</b> to give MTN (paste it into the <b>Callback URL</b> option of the MTN Congo SMS node) is the <b>Production URL</b> from <b>Webhook URLs</b> above, then <code>?secret=</code> and the <b>Secret</b> below. Unless you change it, the Secret is this node's webhook ID, shown under the field. MTN signs nothing: requests without the right secret are refused with 401.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			// Shown in clear, not as a password: the user copies it into the callback URL, which the
			// MTN Congo SMS node holds as a plain option anyway. Empty means the webhook ID, as the default.
			{
				displayName: 'Secret',
				name: 'secret',
				// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
				type: 'string',
				default: '={{ $webhookId }}',
				placeholder: 'e.g. a long random word of letters and digits',
				description:
					"The value MTN must send back as ?secret= in the callback URL: by default this node's webhook ID (generated by n8n, part of its URL). Replace it with a secret of your own (letters and digits) if you like; left empty, it is the webhook ID again.",
			},
			{
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
						description:
							'Whether to start nothing for a report already received (same message ID, recipient and status), as MTN may post a callback more than once. The duplicate is answered 200 so that MTN stops resending it.',
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
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as CallbackRequest;
		const res = this.getResponseObject();
		if (payloadSize(req) > MAX_PAYLOAD_BYTES) return answer(res, 413, { error: 'payload too large' });
		const expected = (this.getNodeParameter('secret', '') as string) || this.getNode().webhookId || '';
		const query = this.getQueryData() as IDataObject;
		const given = typeof query.secret === 'string' ? query.secret : '';
		if (!expected || !sameSecret(given, expected)) return answer(res, 401, { error: 'unauthorized' });

		const { secret: _omitted, ...queryWithoutSecret } = query;
		// MTN may echo the callback URL (secret included) in its payload; nothing of it reaches the execution.
		const payload = redactSecret(req.method === 'GET' ? queryWithoutSecret : this.getBodyData(), expected);
		const statuses = parseCallback(payload, new Date().toISOString());
		if (!statuses.length) return answer(res, 200, { received: 0 });

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		let fresh: CallbackStatus[] = statuses;
		let duplicates = 0;
		// A test event (Listen for test event) is not remembered: it must not hide the same report in production.
		if ((options.ignoreDuplicates ?? true) && this.getMode() !== 'manual') {
			const bound = Math.max(1, Math.floor(options.rememberedReports ?? DEFAULT_REMEMBERED));
			const owner = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
			const seen = dropSeenReports(owner, this.getWorkflowStaticData('node'), statuses, bound);
			({ fresh, duplicates } = seen);
			// n8n 2.x answers once it has recorded the execution, 500 when it could not.
			if (seen.recorded.length) res.once('close', () => settleReports(owner, seen.recorded, res.writableFinished && res.statusCode < 500));
		}
		if (!fresh.length) return answer(res, 200, { received: statuses.length, duplicates, duplicate: true });
		return {
			workflowData: [fresh.map((json) => ({ json: json as unknown as IDataObject }))],
			webhookResponse: duplicates ? { received: statuses.length, duplicates } : { received: statuses.length },
		};
	}
}
