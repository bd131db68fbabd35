import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { resourceOperationSubtitle } from '../shared/operationOptions';
import { SmsEngine } from '../shared/engine';
import type { SmsOperation } from '../shared/provider';
import { RecordRunner } from '../shared/records';
import { ACCOUNT_OPERATIONS, orangeAccount } from './orange.account';
import { orangeProvider } from './orange.api';
import { orangeProperties, SMS_OPERATIONS } from './orange.description';
import { smsToolUse } from '../shared/outputShape';

export class OrangeSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Orange SMS',
		name: 'orangeSms',
		icon: { light: 'file:orange.svg', dark: 'file:orange.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: resourceOperationSubtitle(orangeProperties),
		description: "Send SMS with Orange's SMS API in Côte d'Ivoire, Sénégal, Cameroun, Mali, Burkina Faso, Guinée and more, and read the account's balance",
		defaults: { name: 'Orange SMS' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/orange.md',
		usableAsTool: smsToolUse('Sends SMS with Orange\'s SMS API (Côte d\'Ivoire, Sénégal, Cameroun, Mali, Burkina Faso, Guinée and more) and reads the account\'s SMS balance.', 'the credential\'s country', 'optional: the credential\'s Sender Name is used when it is empty'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'orangeSmsApi', required: true }],
		properties: orangeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'sms' && (SMS_OPERATIONS as string[]).includes(operation)) {
			const engine = await SmsEngine.create(this, orangeProvider);
			return await engine.run(operation as SmsOperation);
		}
		const account = resource === 'account' ? ACCOUNT_OPERATIONS[operation] : undefined;
		if (!account) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		const runner = await RecordRunner.create(this, orangeAccount);
		return await runner.run(account);
	}
}
