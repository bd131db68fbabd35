import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { ENGINE_SWITCHES_PROPERTY } from './engineSwitches';
import { BATCH_OPERATIONS, engineOptions, SEND_OPERATIONS } from './nodeOptions';
import { OPERATION_OPTIONS } from './operationOptions';
import { outputShapeProperties } from './outputShape';
import type { SmsOperation } from './provider';

export interface SmsNodeText {
	/** e.g. "Sender name registered with MTN Congo, at most 11 characters". */
	senderDescription: string;
	/** The provider's pace, when not the engine's (the provider's requestsPerSecond). */
	requestsPerSecond?: number;
	/** The Sender may stay empty (the provider's optionalSender). */
	optionalSender?: boolean;
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
	/** The provider reports a balance (its `balance`): the option Check Balance First. */
	checksBalance?: boolean;
}

const DEFAULT_SENDER_PLACEHOLDER = 'MyShop';
/** What the engine assumes when a provider declares no maxPlaceholders. */
const DEFAULT_MAX_PLACEHOLDERS = 5;

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
		// The default is the first operation the provider offers: computed (see eslint.config.mjs).
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
			...(text.optionalSender ? {} : { required: true }),
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
	properties.push(...outputShapeProperties(operations));
	const options = [...providerOptions, ...engineOptions(operations, text.requestsPerSecond, text.checksBalance)].sort((a, b) => a.displayName.localeCompare(b.displayName));
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

/**
 * Properties shown for one resource of a node with resources: each keeps its own
 * conditions and adds the resource; the engine's hidden switches apply to every resource.
 */
export function forResource(properties: INodeProperties[], resource: string): INodeProperties[] {
	return properties.map((p) =>
		p.name === ENGINE_SWITCHES_PROPERTY.name ? p : { ...p, displayOptions: { ...p.displayOptions, show: { resource: [resource], ...(p.displayOptions?.show ?? {}) } } },
	);
}
