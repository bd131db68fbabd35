import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { smsNodeProperties } from '../shared/description';
import { smsToolUse } from '../shared/outputShape';
import { operationSubtitle } from '../shared/operationOptions';
import { SmsEngine } from '../shared/engine';
import type { SmsOperation } from '../shared/provider';
import { mtnCongoProvider } from './mtnCongo.api';

const sendOperations = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled'];
const operations: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled', 'getStatus'];

export class MtnCongoSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MTN Congo SMS',
		name: 'mtnCongoSms',
		icon: { light: 'file:mtnCongo.svg', dark: 'file:mtnCongo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(operations),
		description: 'Send SMS and follow their delivery with the MTN Congo (Tinda) SMS API',
		defaults: { name: 'MTN Congo SMS' },
		// Used as is; the codex's link gets n8n's tracking query after the #anchor, which breaks it.
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/mtn-congo.md',
		usableAsTool: smsToolUse('Sends SMS in the Republic of the Congo with MTN Congo, and reads an SMS\'s delivery status (Get Status, with the messageId).', 'the Republic of the Congo such as 06 846 34 99', 'a sender name registered with MTN Congo, at most 11 characters'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mtnCongoSmsApi', required: true }],
		properties: smsNodeProperties(
			operations,
			{
				senderDescription: `Sender name registered on the MTN Congo platform, at most ${mtnCongoProvider.maxSenderLength ?? 11} characters`,
				toPlaceholder: '+242 06 846 34 99, 242050010101',
				maxPlaceholders: mtnCongoProvider.maxPlaceholders,
			},
			[
				{
					displayName: 'Callback URL',
					name: 'callbackUrl',
					type: 'string',
					default: '',
					placeholder: 'https://n8n.example.com/webhook/…/delivery?secret=…',
					displayOptions: { show: { '/operation': sendOperations } },
					description:
						'Where MTN Congo posts delivery updates. Paste the production URL of an MTN Congo SMS Trigger node, with its secret.',
				},
				{
					displayName: 'Email Copy To',
					name: 'email',
					type: 'string',
					default: '',
					placeholder: 'name@email.com',
					displayOptions: { show: { '/operation': sendOperations } },
					description:
						'Also send the text by e-mail. For Send: one or more addresses, comma-separated. For Send Personalized: the address of this item\'s recipient.',
				},
				{
					displayName: 'Email Body',
					name: 'mailBody',
					type: 'string',
					default: '',
					typeOptions: { rows: 3 },
					displayOptions: { show: { '/operation': sendOperations } },
					description: 'Text of the e-mail copy; the SMS text when empty',
				},
				{
					displayName: 'Email Subject',
					name: 'mailSubject',
					type: 'string',
					default: '',
					displayOptions: { show: { '/operation': sendOperations } },
					description: 'Subject of the e-mail copy; the sender when empty',
				},
				{
					displayName: 'External ID',
					name: 'externalId',
					type: 'number',
					default: 0,
					displayOptions: { show: { '/operation': sendOperations } },
					description: 'Your own numeric ID for the request; MTN Congo returns it with the status',
				},
			],
		),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const engine = await SmsEngine.create(this, mtnCongoProvider);
		return await engine.run(this.getNodeParameter('operation', 0) as SmsOperation);
	}
}
