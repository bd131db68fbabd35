import type { IDataObject, IHookFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { endpoint, normalizeBaseUrl } from '../shared/credentials';
import { messageIdOf, senderAddressOf } from './orange.api';

/**
 * Orange's delivery-receipt subscriptions (the legacy API, still served as far as anyone
 * knows), for the trigger's Register With Orange. These rare calls go through n8n's
 * helper with the credential, which gets and renews the token itself. The subscription's
 * id and URL are kept in the trigger's static data.
 */

interface Stored extends IDataObject {
	subscriptionId?: string;
	subscribedUrl?: string;
}

async function call(ctx: IHookFunctions, options: Omit<IHttpRequestOptions, 'url'> & { path: (sender: string) => string }): Promise<{ status: number; body: unknown }> {
	const credentials = await ctx.getCredentials('orangeSmsApi');
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const sender = encodeURIComponent(senderAddressOf(credentials.senderAddress));
	const { path, ...request } = options;
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'orangeSmsApi', {
		...request,
		url: endpoint(baseUrl, path(sender)),
		json: true,
		headers: { accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	return { status: response.statusCode, body: response.body };
}

/** Whether the subscription kept in static data still exists at Orange for this URL. */
export async function findSubscription(ctx: IHookFunctions, stored: Stored, url: string): Promise<boolean> {
	if (!stored.subscriptionId || stored.subscribedUrl !== url) return false;
	const id = stored.subscriptionId;
	const { status } = await call(ctx, { method: 'GET', path: () => `smsmessaging/v1/outbound/subscriptions/${encodeURIComponent(id)}` });
	if (status === 200) return true;
	delete stored.subscriptionId;
	delete stored.subscribedUrl;
	return false;
}

export async function subscribe(ctx: IHookFunctions, stored: Stored, url: string): Promise<void> {
	const { status, body } = await call(ctx, {
		method: 'POST',
		path: (sender) => `smsmessaging/v1/outbound/${sender}/subscriptions`,
		body: { deliveryReceiptSubscription: { callbackReference: { notifyURL: url } } },
	});
	const resourceUrl = (body as { deliveryReceiptSubscription?: { resourceURL?: unknown } } | undefined)?.deliveryReceiptSubscription?.resourceURL;
	if (status !== 201 || typeof resourceUrl !== 'string') {
		throw new Error(`Orange refused to subscribe the trigger's URL to delivery reports (HTTP ${status}): ${JSON.stringify(body).slice(0, 300)}. Give Orange the URL through its SMS DR form instead, and turn Register With Orange off.`);
	}
	stored.subscriptionId = messageIdOf(resourceUrl);
	stored.subscribedUrl = url;
}

export async function deleteSubscription(ctx: IHookFunctions, stored: Stored): Promise<boolean> {
	const id = stored.subscriptionId;
	if (!id) return true;
	const { status } = await call(ctx, { method: 'DELETE', path: (sender) => `smsmessaging/v1/outbound/${sender}/subscriptions/${encodeURIComponent(id)}` });
	if (status !== 204 && status !== 200 && status !== 404) return false;
	delete stored.subscriptionId;
	delete stored.subscribedUrl;
	return true;
}
