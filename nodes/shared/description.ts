import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { SmsOperation } from './provider';
import { ENGINE_SWITCHES_PROPERTY } from './engineSwitches';

/** Operation entries as n8n shows them; a provider offers the ones it can honestly do. */
const OPERATION_OPTIONS: Record<SmsOperation, INodePropertyOptions> = {
	send: {
		name: 'Send',
		value: 'send',
		description: 'Send a message to one or more numbers, once per input item',
		action: 'Send an SMS',
	},
	sendBulk: {
		name: 'Send Bulk',
		value: 'sendBulk',
		description: 'Send the same message to every input item (one recipient per item), batched',
		action: 'Send an SMS to many recipients',
	},
	sendPersonalized: {
		name: 'Send Personalized',
		value: 'sendPersonalized',
		// Completed with the provider's :P1 … :Pn in smsNodeProperties.
		description: 'Send a template filled per input item',
		action: 'Send personalized SMS',
	},
	sendScheduled: {
		name: 'Send Scheduled',
		value: 'sendScheduled',
		description: 'Send a message at a later date and time',
		action: 'Schedule an SMS',
	},
	getStatus: {
		name: 'Get Status',
		value: 'getStatus',
		description: 'Get the delivery status of a sent message, per recipient',
		action: 'Get the status of an SMS',
	},
};

/** The node's subtitle on the canvas: the operation's name ("Send Personalized"), not its value. */
export function operationSubtitle(operations: SmsOperation[]): string {
	const names = Object.fromEntries(operations.map((op) => [op, OPERATION_OPTIONS[op].name]));
	return `={{ (${JSON.stringify(names)})[$parameter["operation"]] ?? $parameter["operation"] }}`;
}

/**
 * The subtitle of a node with resources: "Operation name: Resource name" ("Get Many: Contact"),
 * read from its own resource and operation properties.
 */
export function resourceOperationSubtitle(properties: INodeProperties[]): string {
	const resources = properties.find((p) => p.name === 'resource')?.options as INodePropertyOptions[] | undefined;
	const names: Record<string, string> = {};
	for (const resource of resources ?? []) {
		const operations = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value));
		for (const op of (operations?.options ?? []) as INodePropertyOptions[]) names[`${String(resource.value)}:${String(op.value)}`] = `${op.name}: ${resource.name}`;
	}
	const key = '$parameter["resource"] + ":" + $parameter["operation"]';
	return `={{ (${JSON.stringify(names)})[${key}] ?? ${key} }}`;
}

export interface SmsNodeText {
	/** e.g. "Sender name registered with MTN Congo, at most 11 characters". */
	senderDescription: string;
	/** An example Sender, shown in the empty field. */
	senderPlaceholder?: string;
	/** The provider's highest :Pn (its maxPlaceholders): one P field each. */
	maxPlaceholders?: number;
	/** Example numbers for the To field. */
	toPlaceholder: string;
	/** How the provider treats long texts, when it is not "sent in parts". */
	messageDescription?: string;
	/** What Send At means, when the provider does not schedule to the minute. */
	sendAtDescription?: string;
	/** Shown above Send At: how the provider schedules, in plain words. */
	scheduleNotice?: string;
}

const DEFAULT_SENDER_PLACEHOLDER = 'MyShop';
/** What the engine assumes when a provider declares no maxPlaceholders. */
const DEFAULT_MAX_PLACEHOLDERS = 5;

const SEND_OPERATIONS: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled'];
const BATCH_OPERATIONS: SmsOperation[] = ['sendBulk', 'sendPersonalized'];

const maxConcurrentRequests: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrentRequests',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 50 },
	default: 4,
	description: 'How many requests to the provider may be under way at once',
};

/** Pacing and time-out: read by every operation that calls the provider (see nodeSettings.ts). */
export const CONNECTION_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Max Requests Per Second',
		name: 'maxRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
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

/** Options every SMS node has: text handling, pacing, time-outs, retries. */
function engineOptions(operations: SmsOperation[]): INodeProperties[] {
	const sends = SEND_OPERATIONS.filter((op) => operations.includes(op));
	const batches = BATCH_OPERATIONS.filter((op) => operations.includes(op));
	const options: INodeProperties[] = [
		maxConcurrentRequests,
		...CONNECTION_OPTIONS,
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

/**
 * The properties of an SMS node: operation, the contract's parameter names, and
 * one Options collection holding the provider's options and the engine's.
 */
export function smsNodeProperties(
	operations: SmsOperation[],
	text: SmsNodeText,
	providerOptions: INodeProperties[],
): INodeProperties[] {
	const has = (op: SmsOperation) => operations.includes(op);
	const sends = SEND_OPERATIONS.filter(has);
	const perItemSends = (['send', 'sendScheduled'] as SmsOperation[]).filter(has);
	const batches = BATCH_OPERATIONS.filter(has);
	const maxPlaceholders = text.maxPlaceholders ?? DEFAULT_MAX_PLACEHOLDERS;
	const operationOption = (op: SmsOperation): INodePropertyOptions =>
		op === 'sendPersonalized' ? { ...OPERATION_OPTIONS[op], description: `Send a template with :P1 … :P${maxPlaceholders} filled per input item` } : OPERATION_OPTIONS[op];
	const properties: INodeProperties[] = [
		// The default is the first operation the provider offers: computed, so the rule cannot see it.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: operations.map(operationOption),
			default: operations[0],
		},
	];
	if (sends.length) {
		properties.push({
			displayName: 'Sender',
			name: 'sender',
			type: 'string',
			required: true,
			default: '',
			placeholder: text.senderPlaceholder ?? DEFAULT_SENDER_PLACEHOLDER,
			displayOptions: { show: { operation: sends } },
			description: text.senderDescription,
		});
	}
	if (perItemSends.length) {
		properties.push({
			displayName: 'To',
			name: 'to',
			type: 'string',
			required: true,
			default: '',
			placeholder: text.toPlaceholder,
			displayOptions: { show: { operation: perItemSends } },
			description:
				'One or more numbers, separated by commas, semicolons or new lines. International form, or national numbers of the credential\'s default country.',
		});
	}
	if (batches.length) {
		properties.push({
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			required: true,
			default: '={{ $json.phone }}',
			displayOptions: { show: { operation: batches } },
			description: 'The recipient of each input item',
		});
	}
	const message = (operations: SmsOperation[], description: string, placeholder?: string): INodeProperties => ({
		displayName: 'Message',
		name: 'message',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		...(placeholder ? { placeholder } : {}),
		displayOptions: { show: { operation: operations } },
		description,
	});
	// One parameter name, two descriptions: a plain text, or a template for Send Personalized.
	const plainSends = sends.filter((op) => op !== 'sendPersonalized');
	if (plainSends.length) {
		properties.push(
			message(plainSends, text.messageDescription ?? 'The SMS text. Long texts are sent as several parts (160 GSM-7 or 70 Unicode characters for one part).'),
		);
	}
	if (has('sendPersonalized')) {
		properties.push(
			message(
				['sendPersonalized'],
				`Template: :P1 … :P${maxPlaceholders} are replaced by the values below for each recipient`,
				'Bonjour :P1, votre commande :P2 est prête.',
			),
		);
		for (let n = 1; n <= maxPlaceholders; n++) {
			properties.push({
				displayName: `P${n}`,
				name: `p${n}`,
				type: 'string',
				// `?? ''`: an item without the field gives an empty value, which the editor shows as
				// such instead of a red "undefined" (the engine reads a missing value as '' either way).
				default: `={{ $json.p${n} ?? '' }}`,
				displayOptions: { show: { operation: ['sendPersonalized'] } },
				description: `Value of :P${n} for this recipient (by default the item's p${n} field, empty when it has none)`,
			});
		}
	}
	if (has('sendScheduled')) {
		if (text.scheduleNotice) {
			properties.push({
				displayName: text.scheduleNotice,
				name: 'scheduleNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { operation: ['sendScheduled'] } },
			});
		}
		properties.push({
			displayName: 'Send At',
			name: 'sendAt',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: { show: { operation: ['sendScheduled'] } },
			description: text.sendAtDescription ?? "When to deliver. A date without time zone is read in the workflow's time zone.",
		});
	}
	if (has('getStatus')) {
		properties.push({
			displayName: 'Message ID',
			name: 'messageId',
			type: 'string',
			required: true,
			default: '',
			displayOptions: { show: { operation: ['getStatus'] } },
			description: 'The messageId returned by a send',
		});
	}
	const options = [...providerOptions, ...engineOptions(operations)].sort((a, b) => a.displayName.localeCompare(b.displayName));
	properties.push({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	});
	properties.push(ENGINE_SWITCHES_PROPERTY);
	return properties;
}
