import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, UsableAsToolDescription } from 'n8n-workflow';
import type { SmsOperation } from './provider';

/**
 * The Output parameter of the SMS operations: Raw (every field of the contract) or
 * Simplified (what a person or an AI model acts on). As an AI Agent's tool the node
 * defaults to Simplified, elsewhere to Raw, so saved workflows keep their output.
 */
export type OutputShape = 'simplified' | 'raw';

/** The fields of a simplified item: the five, with why an item was not sent and a dry run's summary when there are some. */
export const SIMPLIFIED_FIELDS = ['status', 'messageId', 'to', 'segments', 'error', 'reason', 'sendAfter', 'summary'] as const;

const OUTPUT_OPTIONS = [
	{ name: 'Simplified', value: 'simplified', description: 'Status, message ID, number, SMS segments, and the error or why it was not sent' },
	{ name: 'Raw', value: 'raw', description: 'Every field: encoding, characters, the provider\'s own status and fields, per-recipient results' },
];

/** Two parameters of one name, shown apart: n8n picks the default of the one its node type shows. */
export function outputShapeProperties(operations: SmsOperation[]): INodeProperties[] {
	const description = 'How much of each result to return';
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			noDataExpression: true,
			options: OUTPUT_OPTIONS,
			default: 'raw',
			displayOptions: { show: { '@tool': [false], operation: operations } },
			description,
		},
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			noDataExpression: true,
			options: OUTPUT_OPTIONS,
			default: 'simplified',
			displayOptions: { show: { '@tool': [true], operation: operations } },
			description,
		},
	];
}

export function readOutputShape(ctx: IExecuteFunctions): OutputShape {
	return ctx.getNodeParameter('output', 0, 'raw') === 'simplified' ? 'simplified' : 'raw';
}

export function simplify(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.map((item) => {
		const json: IDataObject = {};
		for (const field of SIMPLIFIED_FIELDS) if (item.json[field] !== undefined) json[field] = item.json[field];
		return { ...item, json };
	});
}

/**
 * What the node says of itself as an AI Agent's tool: what the model must give and what it
 * gets back. n8n puts it in the tool's Description, which the model reads.
 */
export function smsToolUse(what: string, numbers: string, sender: string): UsableAsToolDescription {
	return {
		replacements: {
			description:
				`${what} Give each phone number in international form (+ and country code) or as a national number of ${numbers}; several numbers go comma-separated in To. ` +
				`The Sender is ${sender}. The text goes as is: up to 160 characters per SMS segment (70 when the text has characters outside GSM-7, such as emoji), longer texts in several segments. ` +
				'Each result gives status (accepted, scheduled, sent, failed...), messageId, to, segments, and error when it failed.',
		},
	};
}
