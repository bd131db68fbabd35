/**
 * The Orange SMS Trigger behind a real HTTP server on 127.0.0.1 (as n8n's webhook server
 * calls it), fed by the Orange simulator's delivery receipts and incoming SMS after real
 * sends of the Orange SMS node.
 */
import type { IDataObject } from 'n8n-workflow';
import { isOptOut } from '../../nodes/OrangeSms/orange.callback';
import { runNode } from '../helpers/n8n';
import { expectNoSecretIn } from '../helpers/secrets';
import { WebhookHost } from '../helpers/webhookHost';
import { testProvider } from '../providers/registry';
import { useSimulators } from '../providers/useSimulators';
import type { OrangeSimulator } from '../sandbox/orange.simulator';

const SECRET = 'orange-cb-5e2f91';
const provider = testProvider<OrangeSimulator>('orange');
const simulators = useSimulators([provider]);
const sim = () => simulators.sim<OrangeSimulator>('orange');

let host: WebhookHost;
beforeEach(async () => {
	host = await new WebhookHost('orangeSmsTrigger', { secret: SECRET, events: ['deliveryReport', 'incomingSms'] }).start();
});
afterEach(async () => await host.stop());

const url = (secret = SECRET) => `${host.productionUrl}?secret=${secret}`;
const itemsOf = (execution: number) => host.executions[execution][0].map((i) => i.json);

async function sendTo(count: number): Promise<string[]> {
	const items = Array.from({ length: count }, (_, i) => ({ phone: provider.phone(i) }));
	const { outputs } = await runNode(items, {
		type: 'orangeSms',
		parameters: { resource: 'sms', operation: 'sendBulk', sender: 'MYSHOP', phone: '={{ $json.phone }}', message: 'Votre colis arrive', options: { maxRequestsPerSecond: 0 } },
		credentials: provider.credentials(sim()),
	});
	return outputs[0].map((o) => String(o.json.messageId));
}

test("delivery receipts of real sends: one execution each, the node's messageId and Orange's status, normalised", async () => {
	const ids = await sendTo(2);
	const [first, second] = await Promise.all([
		sim().deliverReports({ to: url(), ids: [ids[0]], status: 'DeliveredToTerminal', subscribers: false }),
		sim().deliverReports({ to: url(), ids: [ids[1]], status: 'DeliveryImpossible', subscribers: false }),
	]);
	expect([first[0].status, second[0].status]).toEqual([200, 200]);
	const items = host.executions.flatMap((_, i) => itemsOf(i));
	expect(items).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ event: 'deliveryReport', provider: 'orange', messageId: ids[0], to: provider.phone(0), status: 'delivered', providerStatus: 'DeliveredToTerminal' }),
			expect.objectContaining({ event: 'deliveryReport', provider: 'orange', messageId: ids[1], to: provider.phone(1), status: 'undelivered', providerStatus: 'DeliveryImpossible' }),
		]),
	);
	expect((items[0].raw as IDataObject).deliveryInfoNotification).toBeDefined();
});

test('the same receipt posted twice starts one execution; the second is answered 200 as a duplicate', async () => {
	const [id] = await sendTo(1);
	await sim().deliverReports({ to: url(), ids: [id], status: 'DeliveredToNetwork', subscribers: false });
	const again = await sim().deliverReports({ to: url(), ids: [id], status: 'DeliveredToNetwork', subscribers: false });
	expect(again[0].status).toBe(200);
	expect(JSON.parse(again[0].body)).toMatchObject({ duplicate: true });
	expect(host.executions).toHaveLength(1);
	expect(itemsOf(0)[0]).toMatchObject({ status: 'sent', providerStatus: 'DeliveredToNetwork' });
});

test('an incoming SMS: from, to, text, time; STOP, arrêt and Stop SMS are flagged optOut, other texts are not', async () => {
	for (const [text, optOut] of [['STOP', true], ['  arrêt ', true], ['Stop SMS', true], ['stop!', true], ['OUI', false], ['Stop les promos svp', false]] as const) {
		const answer = await sim().sendIncomingSms(url(), { from: '+2250700000042', text });
		expect(answer.status).toBe(200);
		const item = itemsOf(host.executions.length - 1)[0];
		expect(item).toMatchObject({ event: 'incomingSms', provider: 'orange', from: '+2250700000042', to: sim().senderAddress.replace('tel:', ''), text, optOut });
		expect(Date.parse(String(item.receivedAt))).not.toBeNaN();
	}
	expect(isOptOut('ARRET')).toBe(true);
});

test('only the chosen events start the workflow; the others are answered 200', async () => {
	await host.stop();
	host = await new WebhookHost('orangeSmsTrigger', { secret: SECRET, events: ['incomingSms'] }).start();
	const [id] = await sendTo(1);
	const receipt = await sim().deliverReports({ to: url(), ids: [id], subscribers: false });
	expect(receipt[0].status).toBe(200);
	expect(JSON.parse(receipt[0].body)).toMatchObject({ ignored: 1 });
	expect(host.executions).toHaveLength(0);
	await sim().sendIncomingSms(url(), { from: '+2250700000043', text: 'Bonjour' });
	expect(host.executions).toHaveLength(1);
});

test('a wrong or missing secret: 401, nothing started; a payload that echoes the secret has it masked', async () => {
	const [id] = await sendTo(1);
	const wrong = await sim().deliverReports({ to: url('wrong'), ids: [id], subscribers: false });
	const none = await sim().deliverReports({ to: host.productionUrl, ids: [id], subscribers: false });
	expect([wrong[0].status, none[0].status]).toEqual([401, 401]);
	expect(host.executions).toHaveLength(0);
	const echo = await fetch(url(), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ inboundSMSMessageNotification: { callbackData: `${url()}`, inboundSMSMessage: { senderAddress: 'tel:+2250700000044', destinationAddress: 'tel:+2250000', message: 'Hi', messageId: 'mo-1' } } }),
	});
	expect(echo.status).toBe(200);
	expectNoSecretIn(JSON.stringify(host.executions), [SECRET]);
});

test('a huge body: 413, nothing started', async () => {
	const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) });
	expect(res.status).toBe(413);
	expect(host.executions).toHaveLength(0);
});
