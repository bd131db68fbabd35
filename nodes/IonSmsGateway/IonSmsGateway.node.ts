import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { credentialTestMethod } from '../shared/credentialTest';
import { smsNodeProperties } from '../shared/description';
import { smsToolUse } from '../shared/outputShape';
import { operationSubtitle } from '../shared/operationOptions';
import { SmsEngine } from '../shared/engine';
import { splitLongTextOption } from '../shared/longText';
import type { SmsOperation } from '../shared/provider';
import { MAX_TEXT_CHARACTERS, MIN_INTERVAL_MINUTES } from './assumptions';
import { ionSmsGatewayProvider } from './ionSmsGateway.api';

// ION has no status query for API clients: the status is the submission's `statut`, so no Get Status.
const operations: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled'];
const scheduled = { show: { '/operation': ['sendScheduled'] } };

export class IonSmsGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ION SMS Gateway',
		name: 'ionSmsGateway',
		icon: { light: 'file:ionSmsGateway.svg', dark: 'file:ionSmsGateway.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(operations),
		description: 'Send SMS in Gabon with the ION-Networking SMS Gateway API',
		defaults: { name: 'ION SMS Gateway' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/ion-sms-gateway.md',
		usableAsTool: smsToolUse('Sends SMS in Gabon with the ION-Networking SMS Gateway, and reads a send\'s status (Get Status, with the messageId).', 'Gabon such as 06 12 34 56', 'the sender name or number allowed on the ION account, at most 11 characters'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ionSmsGatewayApi', required: true, testedBy: 'ionSmsGatewayApiTest' }],
		properties: smsNodeProperties(
			operations,
			{
				senderDescription: ionSmsGatewayProvider.maxSenderLength
					? `Sender name or number, as allowed on your ION SMS Gateway account, at most ${ionSmsGatewayProvider.maxSenderLength} characters`
					: 'Sender name or number, as allowed on your ION SMS Gateway account. ION documents no length limit; phone networks may cut or refuse names longer than 11 characters.',
				toPlaceholder: '+241 06 12 34 56, 074000001',
				maxPlaceholders: ionSmsGatewayProvider.maxPlaceholders,
				messageDescription: `The SMS text, 1 to ${MAX_TEXT_CHARACTERS} characters: ION does not join longer texts into one SMS (for immediate sends, see the option 'Split Long Text Into Numbered SMS')`,
				scheduleNotice:
					'ION schedules by day, not by the minute: Send At gives the first day of the campaign (the day in Gabon, UTC+1) and its time of day is not transmitted. ION then sends the SMS over the days up to Last Day, SMS Per Day each day, Minutes Between SMS apart (see Options).',
				sendAtDescription: 'The first day of the campaign: the day this instant falls on in Gabon (UTC+1). Today or later.',
			},
			[
				// Not for Send Scheduled: each part would be a campaign of its own, in no guaranteed order.
				splitLongTextOption(MAX_TEXT_CHARACTERS, 'ION', ['send', 'sendBulk', 'sendPersonalized']),
				{
					displayName: 'Last Day',
					name: 'lastDay',
					type: 'dateTime',
					default: '',
					displayOptions: scheduled,
					description: 'The last day of the campaign window (the date is used, not the time). Empty: the first day, so everything goes out that day.',
				},
				{
					displayName: 'SMS Per Day',
					name: 'smsPerDay',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					displayOptions: scheduled,
					description:
						'How many SMS ION sends each day of the window. 0: all recipients on the first day. Over 1000 numbers go in several requests, which share it in proportion.',
				},
				{
					displayName: 'Minutes Between SMS',
					name: 'minutesBetweenSms',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					displayOptions: scheduled,
					description: `Minutes ION waits between two SMS of the campaign. 0: the smallest ION accepts (${MIN_INTERVAL_MINUTES}, our assumption: the guide gives no minimum).`,
				},
			],
		),
	};

	methods = {
		credentialTest: { ionSmsGatewayApiTest: credentialTestMethod(ionSmsGatewayProvider) },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const engine = await SmsEngine.create(this, ionSmsGatewayProvider);
		return await engine.run(this.getNodeParameter('operation', 0) as SmsOperation);
	}
}
