/**
 * The MTN Congo SMS Trigger behind a real HTTP server on 127.0.0.1, called with
 * real HTTP requests, and fed by the MTN simulator's delivery callbacks.
 */
import type { IDataObject } from 'n8n-workflow';
import { closeTransportPools } from '../../nodes/shared/transport';
import { runNode } from '../helpers/n8n';
import { expectNoSecretIn, secretForms } from '../helpers/secrets';
import { WebhookHost, type WebhookHostOptions } from '../helpers/webhookHost';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

const SECRET = 'cb-secret-7d1e9a';
const [A, B, C] = ['242068463499', '242050010101', '242066000001'];
let host: WebhookHost;
beforeEach(async () => {
	host = await new WebhookHost('mtnCongoSmsTrigger', { secret: SECRET }).start();
});
afterEach(async () => await host.stop());
afterAll(async () => await closeTransportPools());

const postTo = async (to: WebhookHost, query: string, body: string, contentType = 'application/json') =>
	await fetch(`${to.productionUrl}${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
const post = async (query: string, body: string, contentType = 'application/json') => await postTo(host, query, body, contentType);

/** MTN's callback in the status answer's shape: one "number, code, label" line per recipient. */
const report = (id: string, lines: Array<[to: string, code: number]>) => ({ id, status: '200', resultat: lines.map(([to, code]) => `${to}, ${code}, label ${code}`) });
const deliver = async (to: WebhookHost, payload: unknown) => {
	const res = await postTo(to, `?secret=${SECRET}`, JSON.stringify(payload));
	return { status: res.status, body: (await res.json()) as IDataObject };
};
const recipientsOf = (execution: WebhookHost['executions'][number]) => execution[0].map((i) => i.json.to);

async function withHost<T>(parameters: IDataObject, options: WebhookHostOptions, run: (h: WebhookHost) => Promise<T>): Promise<T> {
	const h = await new WebhookHost('mtnCongoSmsTrigger', { secret: SECRET, ...parameters }, options).start();
	try {
		return await run(h);
	} finally {
		await h.stop();
	}
}

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

describe('payloads over 1 MiB get 413 and start nothing', () => {
	const MIB = 1024 * 1024;

	test('JSON body', async () => {
		const big = JSON.stringify({ id: '1', padding: 'x'.repeat(MIB + 10) });
		expect((await post(`?secret=${SECRET}`, big)).status).toBe(413);
		expect(host.executions).toHaveLength(0);
	});

	test('form-encoded body, with its length declared or sent in chunks', async () => {
		const form = (padding: number) => new URLSearchParams({ id: '7', resultat: '242068463499, 1, Livré', padding: 'x'.repeat(padding) }).toString();
		expect((await post(`?secret=${SECRET}`, form(MIB), 'application/x-www-form-urlencoded')).status).toBe(413);
		const chunked = await fetch(`${host.productionUrl}?secret=${SECRET}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new Blob([form(MIB)]).stream(),
			duplex: 'half',
		} as RequestInit);
		expect(chunked.status).toBe(413);
		expect(host.executions).toHaveLength(0);
		// Just under the limit: taken.
		expect((await post(`?secret=${SECRET}`, form(MIB - 1000), 'application/x-www-form-urlencoded')).status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	test('GET with the payload in a query string over 1 MiB', async () => {
		const query = (padding: number) => `?secret=${SECRET}&id=5&msisdn=242068463499&code=1&padding=${'x'.repeat(padding)}`;
		expect((await fetch(`${host.productionUrl}${query(MIB)}`)).status).toBe(413);
		expect(host.executions).toHaveLength(0);
		expect((await fetch(`${host.productionUrl}${query(MIB - 1000)}`)).status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});
});

test('an empty secret falls back to the webhook ID', async () => {
	const open = await new WebhookHost('mtnCongoSmsTrigger', { secret: '' }, { webhookId: 'a1b2c3d4-0000-4000-8000-000000000001' }).start();
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

test('Secret left at its default (a saved workflow then stores none): the webhook ID, which the editor shows under the field', async () => {
	const webhookId = 'a1b2c3d4-0000-4000-8000-000000000002';
	// No `secret` at all: n8n fills in the default, {{ $webhookId }}, and evaluates it for this node.
	const fresh = await new WebhookHost('mtnCongoSmsTrigger', {}, { webhookId }).start();
	try {
		const call = async (secret: string) =>
			await fetch(`${fresh.productionUrl}?secret=${secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"1","resultat":["242068463499, 1, ok"]}' });
		expect((await call('')).status).toBe(401);
		expect((await call('a1b2c3d4-0000-4000-8000-000000000001')).status).toBe(401);
		expect((await call(encodeURIComponent('={{ $webhookId }}'))).status).toBe(401);
		expect(fresh.executions).toHaveLength(0);
		expect((await call(webhookId)).status).toBe(200);
		expect(fresh.executions).toHaveLength(1);
	} finally {
		await fresh.stop();
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

describe('duplicate callbacks', () => {
	test('the same callback twice: one execution; the duplicate is answered 200 and starts nothing', async () => {
		const payload = report('31', [[A, 1], [B, 2]]);
		expect(await deliver(host, payload)).toEqual({ status: 200, body: { received: 2 } });
		expect(await deliver(host, payload)).toEqual({ status: 200, body: { received: 2, duplicates: 2, duplicate: true } });
		expect(host.executions.map(recipientsOf)).toEqual([[A, B]]);
		// Saved in the workflow's static data, under the node, once n8n has answered for their execution.
		expect(host.staticData).toEqual({ 'node:Trigger': { recentReports: [`31|${A}|1`, `31|${B}|2`] } });
	});

	test('recipients already reported are dropped; the execution gets the new ones only', async () => {
		await deliver(host, report('32', [[A, 1], [B, 1]]));
		expect(await deliver(host, report('32', [[A, 1], [B, 1], [C, 1]]))).toEqual({ status: 200, body: { received: 3, duplicates: 2 } });
		expect((await deliver(host, report('32', [[C, 1], [A, 1]]))).body).toEqual({ received: 2, duplicates: 2, duplicate: true });
		expect(host.executions.map(recipientsOf)).toEqual([[A, B], [C]]);
	});

	test('a new status for the same message and recipient is not a duplicate', async () => {
		await deliver(host, report('33', [[A, 8]]));
		await deliver(host, report('33', [[A, 1]]));
		await deliver(host, report('34', [[A, 1]]));
		expect(host.executions.map((e) => e[0].map((i) => [i.json.messageId, i.json.status]))).toEqual([[['33', 'sent']], [['33', 'delivered']], [['34', 'delivered']]]);
	});

	test('duplicates arriving together start one execution, though each request loaded static data before the others saved', async () => {
		await withHost({}, { loadLatencyMs: 100 }, async (h) => {
			const answers = await Promise.all(Array.from({ length: 10 }, async () => await deliver(h, report('35', [[A, 1]]))));
			expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
			expect(answers.filter((a) => a.body.duplicate)).toHaveLength(9);
			expect(h.executions).toHaveLength(1);
		});
	});

	test('distinct callbacks arriving together: each starts its execution, and the saved list keeps them all (no last-write-wins loss)', async () => {
		await withHost({}, { loadLatencyMs: 100 }, async (h) => {
			const ids = Array.from({ length: 20 }, (_, i) => String(100 + i));
			await Promise.all(ids.map(async (id) => await deliver(h, report(id, [[A, 1]]))));
			expect(h.executions).toHaveLength(20);
			// The next callback saves them all, whatever copy of the static data it loaded.
			expect((await deliver(h, report('100', [[A, 1]]))).body.duplicate).toBe(true);
			const saved = (h.staticData['node:Trigger'] as { recentReports: string[] }).recentReports;
			expect([...saved].sort()).toEqual(ids.map((id) => `${id}|${A}|1`));
		});
	});

	test('when n8n cannot record the execution (500), the report is not remembered: MTN\'s next post starts it', async () => {
		await withHost({}, { failExecutions: 1 }, async (h) => {
			const payload = report('39', [[A, 1], [B, 1]]);
			expect((await deliver(h, payload)).status).toBe(500);
			expect(h.staticData).toEqual({});
			expect(await deliver(h, payload)).toEqual({ status: 200, body: { received: 2 } });
			expect((await deliver(h, payload)).body.duplicate).toBe(true);
			expect(h.executions.map(recipientsOf)).toEqual([[A, B]]);
		});
	});

	test('a report whose execution is not yet recorded is not saved by other callbacks meanwhile (it may still fail)', async () => {
		await withHost({}, { executionLatencyMs: 300 }, async (h) => {
			expect((await deliver(h, report('39a', [[A, 1]]))).status).toBe(200);
			// The first post of 39b fails after 300 ms; meanwhile a duplicate of 39a saves the static data.
			h.failExecutions = 1;
			const first = deliver(h, report('39b', [[A, 1]]));
			await new Promise((r) => setTimeout(r, 100));
			expect((await deliver(h, report('39a', [[A, 1]]))).body.duplicate).toBe(true);
			expect(h.staticData).toEqual({ 'node:Trigger': { recentReports: [`39a|${A}|1`] } });
			expect((await first).status).toBe(500);
			// MTN posts 39b again: taken, not a duplicate.
			expect(await deliver(h, report('39b', [[A, 1]]))).toEqual({ status: 200, body: { received: 1 } });
			expect(h.executions.map((e) => e[0][0].json.messageId)).toEqual(['39a', '39b']);
		});
	});

	test('after a restart, the saved list still stops a duplicate', async () => {
		const saved = await withHost({}, {}, async (h) => {
			await deliver(h, report('36', [[A, 1]]));
			// Saved with the next callback, once n8n has recorded the first one's execution.
			await deliver(h, report('36', [[B, 8]]));
			return h.staticData;
		});
		expect(saved).toEqual({ 'node:Trigger': { recentReports: [`36|${A}|1`] } });
		// A workflow id this process has never served: only the static data loaded from "the database" knows the report.
		await withHost({}, { staticData: saved }, async (restarted) => {
			expect((await deliver(restarted, report('36', [[A, 1]]))).body).toEqual({ received: 1, duplicates: 1, duplicate: true });
			expect((await deliver(restarted, report('36', [[B, 1]]))).body).toEqual({ received: 1 });
			expect(restarted.executions.map(recipientsOf)).toEqual([[B]]);
		});
	});

	test('only the newest reports are remembered (Reports Remembered), the oldest dropped', async () => {
		await withHost({ options: { rememberedReports: 3 } }, {}, async (h) => {
			for (const id of ['41', '42', '43', '44', '45']) await deliver(h, report(id, [[A, 1]]));
			expect((await deliver(h, report('45', [[A, 1]]))).body.duplicate).toBe(true);
			expect(h.staticData['node:Trigger']).toEqual({ recentReports: ['43', '44', '45'].map((id) => `${id}|${A}|1`) });
			expect((await deliver(h, report('41', [[A, 1]]))).body).toEqual({ received: 1 });
			expect(h.executions).toHaveLength(6);
		});
	});

	test('n8n 2.40.7 drops the static data of callbacks that start an execution: a duplicate saves the list', async () => {
		await withHost({}, { dropStaticDataOfStartedRuns: true }, async (h) => {
			for (const id of ['61', '62', '63']) await deliver(h, report(id, [[A, 1]]));
			// Only the second callback's save landed (the workflow had no static data before it).
			expect(h.staticData['node:Trigger']).toEqual({ recentReports: [`61|${A}|1`] });
			expect((await deliver(h, report('63', [[A, 1]]))).body.duplicate).toBe(true);
			expect(h.staticData['node:Trigger']).toEqual({ recentReports: ['61', '62', '63'].map((id) => `${id}|${A}|1`) });
		});
	});

	test('Ignore Duplicate Reports off: every callback starts an execution and nothing is saved', async () => {
		await withHost({ options: { ignoreDuplicates: false } }, {}, async (h) => {
			await deliver(h, report('37', [[A, 1]]));
			await deliver(h, report('37', [[A, 1]]));
			expect(h.executions).toHaveLength(2);
			expect(h.staticData).toEqual({});
		});
	});

	test('callbacks without a message id are never taken for duplicates', async () => {
		const payload = { number: A, code: '1' };
		await deliver(host, payload);
		await deliver(host, payload);
		expect(host.executions).toHaveLength(2);
	});

	test('test events (Listen for test event) are neither deduplicated nor remembered', async () => {
		await withHost({}, { mode: 'manual' }, async (h) => {
			await deliver(h, report('38', [[A, 1]]));
			await deliver(h, report('38', [[A, 1]]));
			expect(h.executions).toHaveLength(2);
			expect(h.staticData).toEqual({});
		});
	});
});

describe('the secret never reaches the execution data', () => {
	// Characters that URL and form encodings change, so that each encoded form differs.
	const SPECIAL = 'Sécr/t+key&=:?~ 42';
	const q = `?secret=${encodeURIComponent(SPECIAL)}`;
	/** Every form of the secret, lower-case hex and double-encoded included. */
	const forms = () => {
		const once = secretForms(SPECIAL);
		const all = [...once, ...once.map(encodeURIComponent)];
		return [...new Set([...all, ...all.map((f) => f.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()))])];
	};
	const expectNoForm = (text: string) => {
		for (const form of forms()) expect(text).not.toContain(form);
		expectNoSecretIn(text, [SPECIAL]);
	};

	test('GET, form-encoded and JSON callbacks that echo the callback URL', async () => {
		await withHost({ secret: SPECIAL }, {}, async (h) => {
			const callbackUrl = `${h.productionUrl}${q}`;
			const get = `${q}&id=51&msisdn=${A}&code=1&callback_url=${encodeURIComponent(callbackUrl)}`;
			expect((await fetch(`${h.productionUrl}${get}`)).status).toBe(200);
			const form = new URLSearchParams({ id: '52', resultat: `${A}, 1, Livré`, callback_url: callbackUrl }).toString();
			expect((await postTo(h, q, form, 'application/x-www-form-urlencoded')).status).toBe(200);
			const json = {
				id: '53',
				resultat: [`${A}, 1, Livré`],
				callback_url: callbackUrl,
				// A URL inside a URL (encoded twice), lower-case hex, the secret as a key, an old secret in an echoed URL.
				redirect: `https://mtn.example/r?next=${encodeURIComponent(callbackUrl)}`,
				lower: encodeURIComponent(SPECIAL).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
				twice: `state=${encodeURIComponent(encodeURIComponent(SPECIAL))}`,
				[SPECIAL]: 'as a key',
				previous: `${h.productionUrl}?secret=an-old-secret&x=1`,
			};
			expect((await postTo(h, q, JSON.stringify(json))).status).toBe(200);

			const items = h.executions.map((e) => e[0][0].json);
			expect(items.map((i) => [i.messageId, i.status])).toEqual([
				['51', 'delivered'],
				['52', 'delivered'],
				['53', 'delivered'],
			]);
			expectNoForm(JSON.stringify(h.executions));
			expect(JSON.stringify(h.executions)).not.toContain('an-old-secret');
			// The rest of what MTN sent is kept, the secret masked.
			const masked = `${h.productionUrl}?secret=***`;
			expect((items[0].raw as IDataObject).callback_url).toBe(masked);
			expect((items[1].raw as IDataObject).callback_url).toBe(masked);
			expect(items[2].raw).toMatchObject({ callback_url: masked, previous: `${h.productionUrl}?secret=***&x=1`, lower: '***', twice: 'state=***', '***': 'as a key' });
			expect((items[2].raw as IDataObject).redirect).toBe(`https://mtn.example/r?next=${encodeURIComponent(`${h.productionUrl}?secret=`)}***`);
			// Nor in the static data n8n saves.
			expectNoForm(JSON.stringify(h.staticData));
		});
	});
});
