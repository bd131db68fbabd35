import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { parseCallback, type CallbackStatus } from '../MtnCongoSms/mtnCongo.callback';
import { acceptCallback, callbackOptionsProperty, callbackSecretProperty, startWith } from '../shared/callbackReceiver';
import { reportKey } from '../shared/recentReports';

/** One delivery report: message, recipient and MTN's status; none without a message id. */
function mtnReportKey(status: CallbackStatus): string | undefined {
	return status.messageId === null ? undefined : reportKey([status.messageId, status.to, status.providerCode ?? status.providerStatus]);
}

export class MtnCongoSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MTN Congo SMS Trigger',
		name: 'mtnCongoSmsTrigger',
		icon: { light: 'file:../MtnCongoSms/mtnCongo.svg', dark: 'file:../MtnCongoSms/mtnCongo.dark.svg' },
		subtitle: 'Delivery reports',
		group: ['trigger'],
		version: 1,
		// n8n's picker shows this node and the MTN Congo SMS node as one entry, with this description.
		description: 'Send SMS with MTN Congo (Tinda) and start workflows when MTN reports their delivery',
		defaults: { name: 'MTN Congo SMS Trigger' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/mtn-congo.md#mtn-congo-sms-trigger-delivery-reports',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// No responseData: n8n then answers with webhook()'s webhookResponse (its default would be
		// "firstEntryJson"), and n8n 2.x does so only once the execution is recorded (webhook-helpers.ts).
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'delivery' },
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: 'delivery' },
		],
		properties: [
			// One event only, but declared: n8n's node picker lists a trigger's events under
			// "Triggers" with their own words (without one it shows a generic placeholder).
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Delivery Report',
						value: 'deliveryReport',
						action: 'On SMS delivery report',
						description: 'MTN Congo reports that an SMS was delivered, not delivered, queued or rejected',
					},
				],
				default: ['deliveryReport'],
				description: 'What starts the workflow: MTN Congo sends delivery reports only',
			},
			// n8n shows a notice's text as written (no expressions): the values it speaks of are
			// read in the fields themselves, Secret's default showing the webhook ID it stands for.
			{
				displayName:
					"The <b>Callback URL</b> to give MTN (paste it into the <b>Callback URL</b> option of the MTN Congo SMS node) is the <b>Production URL</b> from <b>Webhook URLs</b> above, then <code>?secret=</code> and the <b>Secret</b> below. Unless you change it, the Secret is this node's webhook ID, shown under the field. MTN signs nothing: requests without the right secret are refused with 401.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			// The MTN Congo SMS node holds the callback URL as a plain option anyway.
			callbackSecretProperty('MTN'),
			callbackOptionsProperty('MTN'),
		],
	};

	// MTN has no API to register a webhook: the callback URL travels with each send (the
	// SMS node's Callback URL). So there is nothing to check, create or delete with MTN.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const callback = acceptCallback(this);
		if ('refused' in callback) return callback.refused;
		return startWith(this, parseCallback(callback.payload, new Date().toISOString()), mtnReportKey);
	}
}
