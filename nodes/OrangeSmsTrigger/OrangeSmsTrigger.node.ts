import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { notificationKey, parseNotification } from '../OrangeSms/orange.callback';
import { deleteSubscription, findSubscription, subscribe } from '../OrangeSms/orange.subscriptions';
import { acceptCallback, answer, callbackOptionsProperty, callbackSecretProperty, startWith } from '../shared/callbackReceiver';

/** The URL Orange posts to: the production URL with the secret. */
function callbackUrl(ctx: IHookFunctions): string {
	const secret = (ctx.getNodeParameter('secret', '') as string) || ctx.getNode().webhookId || '';
	const url = new URL(ctx.getNodeWebhookUrl('default') ?? '');
	url.searchParams.set('secret', secret);
	return url.toString();
}

const registers = (ctx: IHookFunctions) => ctx.getNodeParameter('register', false) === true;

export class OrangeSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Orange SMS Trigger',
		name: 'orangeSmsTrigger',
		icon: { light: 'file:../OrangeSms/orange.svg', dark: 'file:../OrangeSms/orange.dark.svg' },
		subtitle: '={{ ($parameter["events"] || []).length === 1 ? ($parameter["events"][0] === "incomingSms" ? "Incoming SMS" : "Delivery reports") : "Delivery reports and incoming SMS" }}',
		group: ['trigger'],
		version: 1,
		description: 'Send SMS with Orange and start workflows when Orange reports a delivery or a customer texts you',
		defaults: { name: 'Orange SMS Trigger' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/orange.md#orange-sms-trigger',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'orangeSmsApi', required: true, displayOptions: { show: { register: [true] } } }],
		// No responseData: n8n answers with webhook()'s webhookResponse once the execution is recorded.
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'orange' },
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: 'orange' },
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Delivery Report', value: 'deliveryReport', action: 'On SMS delivery report', description: 'Orange reports that an SMS was delivered, not delivered or is waiting' },
					{ name: 'Incoming SMS', value: 'incomingSms', action: 'On incoming SMS', description: 'A customer sent an SMS to your Orange number (STOP and ARRET are flagged as optOut)' },
				],
				default: ['deliveryReport', 'incomingSms'],
				description: 'What starts the workflow; other notifications are answered and start nothing',
			},
			{
				displayName:
					"The URL to give Orange (in its <b>SMS DR</b> and <b>SMS response</b> request forms on developer.orange.com) is the <b>Production URL</b> from <b>Webhook URLs</b> above, then <code>?secret=</code> and the <b>Secret</b> below (by default this node's webhook ID, shown under the field). Orange signs nothing: requests without the right secret are refused with 401. Or turn on <b>Register With Orange</b> to subscribe the URL to delivery reports when the workflow is activated.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			callbackSecretProperty('Orange'),
			{
				displayName: 'Register With Orange',
				name: 'register',
				type: 'boolean',
				default: false,
				description:
					"Whether to subscribe this URL to Orange's delivery reports when the workflow is activated, and remove the subscription when it is deactivated (Orange's subscription API; it needs an HTTPS production URL). Incoming SMS always go through Orange's form.",
			},
			callbackOptionsProperty('Orange'),
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (!registers(this)) return true;
				const stored = this.getWorkflowStaticData('node');
				return await findSubscription(this, stored, callbackUrl(this));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (!registers(this)) return true;
				await subscribe(this, this.getWorkflowStaticData('node'), callbackUrl(this));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (!registers(this)) return true;
				return await deleteSubscription(this, this.getWorkflowStaticData('node'));
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const callback = acceptCallback(this);
		if ('refused' in callback) return callback.refused;
		const events = this.getNodeParameter('events', []) as string[];
		const all = parseNotification(callback.payload, new Date().toISOString());
		const wanted = all.filter((n) => events.includes(n.event));
		// Orange gets 200 for what this workflow does not take, so that it does not post it again.
		if (all.length && !wanted.length) return answer(this, 200, { received: all.length, ignored: all.length } as IDataObject);
		return startWith(this, wanted, notificationKey);
	}
}
