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
import type { SmsOperation } from '../shared/provider';
import { lmtGroupProvider } from './lmtGroup.api';

// LMT cannot schedule and gives no message id to query: no Send Scheduled, no Get Status.
const operations: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized'];

export class LmtBulkSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LMT BulkSMS',
		name: 'lmtBulkSms',
		icon: { light: 'file:lmtGroup.svg', dark: 'file:lmtGroup.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(operations),
		description: 'Send SMS in Cameroon with the LMT Group BulkSMS API',
		defaults: { name: 'LMT BulkSMS' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/lmt-group.md',
		usableAsTool: smsToolUse('Sends SMS in Cameroon with LMT Group BulkSMS.', 'Cameroon such as 6 94 12 43 44', 'the sender ID registered on the LMT BulkSMS account, at most 11 characters'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lmtBulkSmsApi', required: true, testedBy: 'lmtBulkSmsApiTest' }],
		properties: smsNodeProperties(
			operations,
			{
				// LMT documents no limit: 11 is the GSM limit of a sender name.
				senderDescription:
					'Sender ID registered on your LMT BulkSMS account. LMT documents no length limit and quotes its own refusal; phone networks may cut or refuse names longer than 11 characters.',
				toPlaceholder: '+237 6 94 12 43 44, 677000001',
				maxPlaceholders: lmtGroupProvider.maxPlaceholders,
			},
			[],
		),
	};

	methods = {
		credentialTest: { lmtBulkSmsApiTest: credentialTestMethod(lmtGroupProvider) },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const engine = await SmsEngine.create(this, lmtGroupProvider);
		return await engine.run(this.getNodeParameter('operation', 0) as SmsOperation);
	}
}
