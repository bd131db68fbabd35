import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { SmsOperation } from './provider';

/** Operation entries as n8n shows them; a provider offers the ones it can honestly do. */
export const OPERATION_OPTIONS: Record<SmsOperation, INodePropertyOptions> = {
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
