import type { INodeProperties } from 'n8n-workflow';
import { campaignOptions } from './campaignOptions';
import type { SmsOperation } from './provider';

/** The send operations, and those that take one recipient per item in batches. */
export const SEND_OPERATIONS: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled'];
export const BATCH_OPERATIONS: SmsOperation[] = ['sendBulk', 'sendPersonalized'];

const maxConcurrentRequests: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrentRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50 },
	default: 4,
	description: 'How many requests to the provider may be under way at once',
};

/** The engine's pace when neither the node's Options nor the provider say otherwise. */
export const DEFAULT_REQUESTS_PER_SECOND = 10;

/** Pacing and time-out: read by every operation that calls the provider (see nodeSettings.ts); the default pace is the provider's. */
export function connectionOptions(requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND): INodeProperties[] {
	return [
		{
			displayName: 'Max Requests Per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: requestsPerSecond,
			description: 'Spacing between requests to the provider; 0 means no limit',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long to wait to connect, and again for the answer',
		},
	];
}

export const CONNECTION_OPTIONS: INodeProperties[] = connectionOptions();

/** Options every SMS node has: text handling, pacing, time-outs, retries. */
export function engineOptions(operations: SmsOperation[], requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND, checksBalance = false): INodeProperties[] {
	const sends = SEND_OPERATIONS.filter((op) => operations.includes(op));
	const batches = BATCH_OPERATIONS.filter((op) => operations.includes(op));
	const options: INodeProperties[] = [
		maxConcurrentRequests,
		...connectionOptions(requestsPerSecond),
		{
			displayName: 'Retry Ambiguous Failures (May Duplicate SMS)',
			name: 'retryAmbiguousFailures',
			type: 'boolean',
			default: false,
			description:
				'Whether to resend after a failure where the provider may already have received the request (time-out after sending, server error). Recipients may then get the SMS twice. Failures where nothing reached the provider (refused connection, 429, 503) are always retried.',
		},
	];
	if (sends.length) {
		options.push(...campaignOptions(sends, checksBalance));
		options.push({
			displayName: 'Transliterate to GSM-7',
			name: 'transliterate',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': sends } },
			description:
				'Whether to replace characters such as ’ « » … œ ê ç with GSM-7 look-alikes, so that French text fits 160 characters per SMS instead of 70',
		});
	}
	if (batches.length) {
		options.push({
			displayName: 'Remove Duplicate Recipients',
			name: 'removeDuplicates',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': batches } },
			description:
				'Whether to send only once to a number that appears in several items (with the same text); the later items get the first one\'s result and a duplicateOf field',
		});
	}
	return options;
}
