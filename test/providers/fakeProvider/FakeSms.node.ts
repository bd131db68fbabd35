import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { smsNodeProperties } from '../../../nodes/shared/description';
import { operationSubtitle } from '../../../nodes/shared/operationOptions';
import { SmsEngine } from '../../../nodes/shared/engine';
import type { SmsOperation } from '../../../nodes/shared/provider';
import { fakeSmsProvider } from './fakeSms.api';

export const FAKE_OPERATIONS: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized'];

/** The test-only provider's node, made as the package's SMS nodes are: the shared description and engine. */
export class FakeSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fake SMS',
		name: 'fakeSms',
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(FAKE_OPERATIONS),
		description: 'Send SMS through the test-only Fake SMS API',
		defaults: { name: 'Fake SMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fakeSmsApi', required: true }],
		properties: smsNodeProperties(
			FAKE_OPERATIONS,
			{ senderDescription: 'Sender name, at most 11 characters', toPlaceholder: '+221 77 000 00 01', maxPlaceholders: fakeSmsProvider.maxPlaceholders },
			[],
		),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const engine = await SmsEngine.create(this, fakeSmsProvider);
		return await engine.run(this.getNodeParameter('operation', 0) as SmsOperation);
	}
}
