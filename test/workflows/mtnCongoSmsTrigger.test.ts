/**
 * The MTN Congo SMS Trigger behind a real HTTP server on 127.0.0.1, called with
 * real HTTP requests, and fed by the MTN simulator's delivery callbacks.
 */
import { closeTransportPools } from '../../nodes/shared/transport';
import { runNode } from '../helpers/n8n';
import { WebhookHost } from '../helpers/webhookHost';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

const SECRET = 'cb-secret-7d1e9a';
let host: WebhookHost;
beforeEach(async () => {
	host = await new WebhookHost('mtnCongoSmsTrigger', { secret: SECRET }).start();
});
afterEach(async () => await host.stop());
afterAll(async () => await closeTransportPools());

const post = async (query: string, body: string, contentType = 'application/json') =>
	await fetch(`${host.productionUrl}${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });

test('good secret, JSON in the status answer shape: one item per recipient, normalised', async () => {
	const payload = { id: '26', externalId: 15, status: '200', resultat: ['242056753822, 1, Livré au téléphone', '242068463499, 2, Non remis au téléphone'] };
	const res = await post(`?secret=${SECRET}`, JSON.stringify(payload));
	expect(res.status).toBe(200);
	expect(await res.json()).toEqual({ received: 2 });
	expect(host.executions).toHaveLength(1);
	const items = host.executions[0][0].map((i) => i.json);
	expect(items).toEqual([
		expect.objectContaining({ messageId: '26', externalId: 15, to: '242056753822', status: 'delivered', providerStatus: '1 Livré au téléphone', raw: payload }),
		expect.objectContaining({ messageId: '26', externalId: 15, to: '242068463499', status: 'undelivered', providerStatus: '2 Non remis au téléphone' }),
	]);
	expect(Date.parse(items[0].receivedAt as string)).not.toBeNaN();
});

test('wrong or missing secret: 401 and no workflow started', async () => {
	expect((await post('?secret=wrong', '{"id":"1"}')).status).toBe(401);
	expect((await post('', '{"id":"1"}')).status).toBe(401);
	expect((await fetch(`${host.productionUrl}?id=1&number=242068463499&code=1`)).status).toBe(401);
	expect(host.executions).toHaveLength(0);
});

test('form-encoded POST', async () => {
	const res = await post(`?secret=${SECRET}`, new URLSearchParams({ id: '9', resultat: '242068463499, 16, Rejeté par le SMSC' }).toString(), 'application/x-www-form-urlencoded');
	expect(res.status).toBe(200);
	expect(host.executions[0][0][0].json).toMatchObject({ messageId: '9', to: '242068463499', status: 'rejected' });
});

test('GET with the status in the query string; the secret is not kept in raw', async () => {
	const res = await fetch(`${host.productionUrl}?secret=${SECRET}&id=12&msisdn=242068463499&code=8&label=${encodeURIComponent('Livré au SMSC')}`);
	expect(res.status).toBe(200);
	const item = host.executions[0][0][0].json;
	expect(item).toMatchObject({ messageId: '12', to: '242068463499', status: 'sent', providerStatus: '8 Livré au SMSC' });
	expect(JSON.stringify(item)).not.toContain(SECRET);
});

test('bodies over 1 MB get 413', async () => {
	const big = JSON.stringify({ id: '1', padding: 'x'.repeat(1024 * 1024 + 10) });
	expect((await post(`?secret=${SECRET}`, big)).status).toBe(413);
	expect(host.executions).toHaveLength(0);
});

test('an empty secret falls back to the webhook ID', async () => {
	const open = await new WebhookHost('mtnCongoSmsTrigger', { secret: '' }, 'a1b2c3d4-0000-4000-8000-000000000001').start();
	try {
		const call = async (secret: string) =>
			await fetch(`${open.productionUrl}?secret=${secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"1","resultat":["242068463499, 1, ok"]}' });
		expect((await call('')).status).toBe(401);
		expect((await call(open.webhookId)).status).toBe(200);
		expect(open.executions).toHaveLength(1);
	} finally {
		await open.stop();
	}
});

test('end to end: send with Callback URL, MTN delivers, the trigger reports each recipient', async () => {
	const sim = await new MtnCongoSimulator().start();
	try {
		const callbackUrl = `${host.productionUrl}?secret=${SECRET}`;
		const sent = await runNode([{}], {
			type: 'mtnCongoSms',
			parameters: { operation: 'send', sender: 'BES', to: '068463499, 068463400', message: 'Votre colis arrive', options: { callbackUrl, externalId: 77 } },
			credentials: { mtnCongoSmsApi: { token: sim.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } },
		});
		const messageId = sent.outputs[0][0].json.messageId;
		sim.undeliverable.add('242068463400');
		expect(await sim.deliver()).toBe(2);
		expect(sim.callbacks.map((c) => c.status)).toEqual([200]);
		expect(host.executions[0][0].map((i) => [i.json.messageId, i.json.externalId, i.json.to, i.json.status])).toEqual([
			[messageId, 77, '242068463499', 'delivered'],
			[messageId, 77, '242068463400', 'undelivered'],
		]);
	} finally {
		await sim.stop();
	}
});
