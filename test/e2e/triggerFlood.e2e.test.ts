/**
 * A flood of MTN delivery callbacks into a real n8n (the pinned version, the packed package
 * installed as a community package): 1000 distinct SMS sent to the MTN simulator with the
 * trigger's production URL as callback, MTN's 1000 callbacks posted all at once (MTN posts
 * again those n8n refuses, as webhook senders do), and every one found again as an n8n
 * execution. Then duplicates (none start with the default options, each starts with Ignore
 * Duplicate Reports off), the 1 MiB limit on form bodies and query strings, and the secret
 * kept out of the executions and n8n's log.
 * Only what this needs is set up (no credentials, no examples): n8n, the package, two workflows.
 * Under `npm run test:e2e -- --queue`: the callbacks go to the webhook processor of n8n in
 * queue mode and the executions run on its workers, recorded in PostgreSQL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse as parseFlatted } from 'flatted';

import { installCommunityPackage, packProject } from '../real-n8n/communityPackage';
import { SANDBOX_OWNER } from '../real-n8n/examples';
import { claimPort, logsOf, N8nInstance, nodeOutput, type ExecutionResult } from '../real-n8n/instance';
import { stackModeFromEnv } from '../real-n8n/packageStack';
import { startQueueCluster, type QueueCluster } from '../real-n8n/queueStack';
import { ensureN8n } from '../real-n8n/runtime';
import { expectNoSecretIn } from '../helpers/secrets';
import { sleep, waitUntil } from '../helpers/waitUntil';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

const SMS_COUNT = 1000;
const CONCURRENCY = 50;
const RESENT = 100;
const MIB = 1024 * 1024;
// Characters that URL and form encodings change, so that every encoded form is checked too.
const SECRET = 'flood/secret+key&=é 7';

const work = mkdtempSync(join(tmpdir(), 'africa-sms-flood-'));
const logFile = join(work, 'n8n.log');
const queueMode = stackModeFromEnv() === 'queue';
/** The instance with the REST API (queue mode: main). */
let n8n: N8nInstance | undefined;
/** Where the callbacks go (queue mode: the webhook processor). */
let webhookServer: N8nInstance | undefined;
let cluster: QueueCluster | undefined;
const mtn = new MtnCongoSimulator();
let cookie: string;

const WORKFLOWS = {
	dedupe: { id: 'AfSmsFloodDedupe', webhookId: '0b7e3d1a-5c2f-4e8a-9d6b-1f2a3b4c5d01', options: {} },
	everyCallback: { id: 'AfSmsFloodNoDedu', webhookId: '0b7e3d1a-5c2f-4e8a-9d6b-1f2a3b4c5d02', options: { ignoreDuplicates: false } },
};
type FloodWorkflow = (typeof WORKFLOWS)[keyof typeof WORKFLOWS];
const productionUrl = (w: FloodWorkflow) => `${webhookServer!.url}/webhook/${w.webhookId}/delivery`;
const callbackUrl = (w: FloodWorkflow) => `${productionUrl(w)}?secret=${encodeURIComponent(SECRET)}`;

/** The trigger, then a No Operation node: an execution is n8n's own cost of one callback. */
function floodWorkflow(w: FloodWorkflow, name: string) {
	return {
		id: w.id,
		name,
		nodes: [
			{
				id: `${w.id}-trigger`,
				name: 'MTN delivery update',
				type: 'n8n-nodes-africa-sms.mtnCongoSmsTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: w.webhookId,
				parameters: { secret: SECRET, options: w.options },
			},
			{ id: `${w.id}-noop`, name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		],
		connections: { 'MTN delivery update': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

async function rest<T>(path: string): Promise<T> {
	const res = await fetch(`${n8n!.url}${path}`, { headers: { cookie } });
	if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
	return ((await res.json()) as { data: T }).data;
}

/** Runs `work` over the items, `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]);
	};
	await Promise.all(Array.from({ length: limit }, worker));
	return results;
}

interface ExecutionSummary {
	id: string;
	status: string;
}

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const executionsFilter = (workflowId: string, status = FINISHED) => encodeURIComponent(JSON.stringify({ workflowId, status }));

/** How many executions of the workflow n8n recorded as finished (or with `status`). */
async function countExecutions(workflowId: string, status = FINISHED): Promise<number> {
	return (await rest<{ count: number }>(`/rest/executions?filter=${executionsFilter(workflowId, status)}&limit=1`)).count;
}

/** The ids of the workflow's finished executions, as n8n's executions list pages them (100 a page). */
async function executionIds(workflowId: string): Promise<string[]> {
	const ids: string[] = [];
	for (let lastId: string | undefined; ; ) {
		const page = await rest<{ results: ExecutionSummary[] }>(`/rest/executions?filter=${executionsFilter(workflowId)}&limit=100${lastId ? `&lastId=${lastId}` : ''}`);
		ids.push(...page.results.map((e) => e.id));
		if (page.results.length < 100) return ids;
		lastId = page.results[page.results.length - 1].id;
	}
}

/** The count of finished executions once it reaches `expected`. */
async function settledCount(workflowId: string, expected: number, timeoutMs = 90_000): Promise<number> {
	let count = 0;
	await waitUntil(async () => (count = await countExecutions(workflowId)) >= expected, {
		timeoutMs,
		intervalMs: 500,
		what: () => `${expected} finished executions of ${workflowId} (${count} so far)`,
	});
	return count;
}

/** The trigger's list of recent reports, as saved in the workflow's static data. */
async function savedReports(): Promise<string[]> {
	const workflow = await rest<{ staticData?: Record<string, { recentReports?: string[] }> | null }>(`/rest/workflows/${WORKFLOWS.dedupe.id}`);
	return workflow.staticData?.['node:MTN delivery update']?.recentReports ?? [];
}

async function itemsOf(executionId: string): Promise<Array<Record<string, unknown>>> {
	const execution = await rest<{ data: string; status: string }>(`/rest/executions/${executionId}`);
	return nodeOutput({ data: parseFlatted(execution.data) as ExecutionResult['data'] }, 'MTN delivery update');
}

const postJson = async (url: string, payload: unknown) =>
	await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

beforeAll(async () => {
	const runtime = await ensureN8n();
	await mtn.start();
	// Node's default (16 KiB) would answer 431 to a long URL before n8n sees it: let it reach the node.
	const env = { NODE_OPTIONS: '--max-http-header-size=4194304' };
	const file = join(work, 'flood-workflows.json');
	writeFileSync(file, JSON.stringify([floodWorkflow(WORKFLOWS.dedupe, 'Flood: delivery reports'), floodWorkflow(WORKFLOWS.everyCallback, 'Flood: every callback')]));
	const publish = async (instance: N8nInstance) => {
		await instance.importWorkflow(file);
		for (const w of Object.values(WORKFLOWS)) await instance.publish(w.id);
	};
	if (queueMode) {
		cluster = await startQueueCluster(runtime, work, await packProject(work), { env, beforeStart: publish });
		n8n = cluster.main;
		webhookServer = cluster.webhook;
	} else {
		n8n = new N8nInstance(runtime, { userFolder: join(work, 'user'), port: await claimPort(), brokerPort: await claimPort(), logFile, env });
		webhookServer = n8n;
		await installCommunityPackage(n8n.options.userFolder, await packProject(work), join(work, 'install.log'));
		await publish(n8n);
		await n8n.start();
	}
	for (const w of Object.values(WORKFLOWS)) await webhookServer.waitForWebhook(`${w.webhookId}/delivery`);
	cookie = await n8n.setupOwner(SANDBOX_OWNER);
	process.stdout.write(`flood e2e: n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion}${queueMode ? ', queue mode (webhook processor, 2 workers, PostgreSQL)' : ''}; work folder ${work}\n`);
}, 900_000);

afterAll(async () => {
	if (cluster) await cluster.stop();
	else await n8n?.stop();
	await mtn.stop();
});

describe('MTN Congo SMS Trigger under a flood of callbacks (real n8n)', () => {
	const sentIds: string[] = [];

	test(`${SMS_COUNT} distinct SMS delivered: every callback accepted yields its execution`, async () => {
		// 1000 distinct SMS through MTN's API (the simulator), each with the trigger as callback.
		const numbers = Array.from({ length: SMS_COUNT }, (_, i) => `24206${String(i).padStart(7, '0')}`);
		const sent = await pool(numbers, CONCURRENCY, async (to) => {
			const res = await fetch(mtn.baseUrl, {
				method: 'POST',
				headers: { authorization: `Token ${mtn.token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ msg: 'Votre code: 4821', sender: 'FLOOD', receivers: to, callback_url: callbackUrl(WORKFLOWS.dedupe) }),
			});
			return ((await res.json()) as { id: string }).id;
		});
		sentIds.push(...sent);
		expect(new Set(sentIds).size).toBe(SMS_COUNT);

		// MTN posts the 1000 callbacks at once, each once. n8n takes what it can (200, once the
		// execution is recorded) and refuses the rest (503 "Database is not ready" when its SQLite is
		// saturated): an accepted callback must have its execution, a refused one none.
		const started = Date.now();
		await mtn.deliver(undefined, { concurrency: SMS_COUNT });
		const answeredIn = (Date.now() - started) / 1000;
		const firstPosts = mtn.callbacks.map((c) => c.firstPostedAt);
		const offeredIn = (Math.max(...firstPosts) - Math.min(...firstPosts)) / 1000;
		const taken = mtn.callbacks.filter((c) => c.status === 200);
		const refused = mtn.callbacks.filter((c) => c.status !== 200);
		const byStatus = new Map<string, number>();
		for (const c of mtn.callbacks) byStatus.set(String(c.status), (byStatus.get(String(c.status)) ?? 0) + 1);
		const statuses = [...byStatus].map(([status, n]) => `${n} × ${status}`);
		const afterFlood = await settledCount(WORKFLOWS.dedupe.id, taken.length);
		await sleep(3000);
		expect(await countExecutions(WORKFLOWS.dedupe.id)).toBe(afterFlood);
		process.stdout.write(
			`flood: ${SMS_COUNT} callbacks offered at once (the last one ${offeredIn.toFixed(2)} s after the first), all answered in ${answeredIn.toFixed(1)} s: ` +
				`${statuses.join(', ')}; ${afterFlood} executions recorded for the ${taken.length} taken\n`,
		);
		// The premise: the whole flood reached n8n at once, not paced by the sender.
		expect(mtn.callbacks).toHaveLength(SMS_COUNT);
		expect(offeredIn).toBeLessThan(10);
		expect(afterFlood).toBe(taken.length);

		// MTN posts the refused ones again, 50 at a time, each until n8n takes it (assumed: MTN retries on 5xx).
		const retried = await pool(refused, CONCURRENCY, async ({ url, payload }) => {
			for (let attempt = 1; ; attempt++) {
				const res = await postJson(url, payload).catch(() => undefined);
				if (res?.status === 200 || attempt === 30) return { status: res?.status, attempts: attempt };
				await sleep(Math.min(500 * attempt, 3000));
			}
		});
		const accepted = taken.length + retried.filter((r) => r.status === 200).length;
		const executions = await settledCount(WORKFLOWS.dedupe.id, accepted);
		const recordedIn = (Date.now() - started) / 1000;
		const succeeded = await countExecutions(WORKFLOWS.dedupe.id, ['success']);
		process.stdout.write(
			`flood: the ${refused.length} refused posted again (${retried.reduce((sum, r) => sum + r.attempts, 0)} posts): ${accepted} accepted in all; ` +
				`${executions} executions (${succeeded} successful) ${recordedIn.toFixed(1)} s after the first callback (${(executions / recordedIn).toFixed(1)} executions/s)\n`,
		);
		expect(accepted).toBe(SMS_COUNT);
		expect(executions).toBe(SMS_COUNT);
		expect(succeeded).toBe(SMS_COUNT);

		// Each execution carries its own callback: the message ids are the 1000 sent, once each.
		const ids = await executionIds(WORKFLOWS.dedupe.id);
		const items = (await pool(ids, 10, itemsOf)).flat();
		expect(items).toHaveLength(SMS_COUNT);
		expect(items.map((i) => i.messageId).sort()).toEqual([...sentIds].sort());
		expect(items.every((i) => i.status === 'delivered')).toBe(true);

		process.stdout.write(`flood: ${(await savedReports()).length} reports in the workflow's static data after the flood\n`);
	}, 600_000);

	test(`${RESENT} of the callbacks posted again start no execution`, async () => {
		const again = mtn.callbacks.slice(0, RESENT);
		const answers = await pool(again, CONCURRENCY, async ({ payload }) => {
			const res = await postJson(callbackUrl(WORKFLOWS.dedupe), payload);
			return { status: res.status, body: (await res.json()) as Record<string, unknown> };
		});
		expect(answers.map((a) => a.status)).toEqual(Array(RESENT).fill(200));
		expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(RESENT);
		await sleep(3000);
		expect(await countExecutions(WORKFLOWS.dedupe.id)).toBe(SMS_COUNT);
		// n8n 2.40.7 saves the list on callbacks that start no execution: now every report is in it.
		// (In queue mode the workers save the workflow's static data too, each from its own copy.)
		const saved = await savedReports();
		process.stdout.write(`flood: ${saved.length} reports in the workflow's static data after the duplicates\n`);
		if (!queueMode) expect(new Set(saved).size).toBe(SMS_COUNT);
	});

	test('with Ignore Duplicate Reports off, the same callbacks posted twice start an execution each', async () => {
		const twice = [...mtn.callbacks.slice(0, RESENT), ...mtn.callbacks.slice(0, RESENT)];
		const started = Date.now();
		const answers = await pool(twice, CONCURRENCY, async ({ payload }) => (await postJson(callbackUrl(WORKFLOWS.everyCallback), payload)).status);
		expect(answers).toEqual(Array(2 * RESENT).fill(200));
		expect(await settledCount(WORKFLOWS.everyCallback.id, 2 * RESENT)).toBe(2 * RESENT);
		const seconds = (Date.now() - started) / 1000;
		process.stdout.write(`flood: Ignore Duplicate Reports off: ${2 * RESENT} executions in ${seconds.toFixed(1)} s (${((2 * RESENT) / seconds).toFixed(1)} executions/s)\n`);
		await sleep(2000);
		expect(await countExecutions(WORKFLOWS.everyCallback.id)).toBe(2 * RESENT);
	});

	test('payloads over 1 MiB get 413 from the node and start nothing: JSON, form-encoded, query string', async () => {
		const before = await countExecutions(WORKFLOWS.dedupe.id);
		const url = callbackUrl(WORKFLOWS.dedupe);
		const padding = 'x'.repeat(MIB);
		const json = await postJson(url, { id: '900001', resultat: ['242068463499, 1, Livré'], padding });
		const form = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ id: '900002', resultat: '242068463499, 1, Livré', padding }).toString(),
		});
		const get = await fetch(`${url}&id=900003&msisdn=242068463499&code=1&padding=${padding}`);
		const answers = await Promise.all([json, form, get].map(async (res) => ({ status: res.status, body: await res.text() })));
		expect(answers).toEqual(Array(3).fill({ status: 413, body: JSON.stringify({ error: 'payload too large' }) }));
		await sleep(2000);
		expect(await countExecutions(WORKFLOWS.dedupe.id)).toBe(before);
	});

	test("the secret is in neither the executions nor n8n's log: GET, form-encoded, and a payload echoing the callback URL", async () => {
		const w = WORKFLOWS.dedupe;
		const before = await executionIds(w.id);
		const echoed = callbackUrl(w);
		expect((await fetch(`${echoed}&id=910001&msisdn=242068463499&code=1&callback_url=${encodeURIComponent(echoed)}`)).status).toBe(200);
		const form = new URLSearchParams({ id: '910002', resultat: '242068463499, 1, Livré', callback_url: echoed }).toString();
		expect((await fetch(echoed, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).status).toBe(200);
		const json = await postJson(echoed, { id: '910003', resultat: ['242068463499, 1, Livré'], callback_url: echoed, next: `https://mtn.example/?u=${encodeURIComponent(echoed)}` });
		// n8n's answer, once it has recorded the execution: the node's webhookResponse.
		expect({ status: json.status, body: await json.json() }).toEqual({ status: 200, body: { received: 1 } });
		await settledCount(w.id, before.length + 3);
		const ids = (await executionIds(w.id)).filter((id) => !before.includes(id));
		expect(ids).toHaveLength(3);
		// The run data (what the nodes received and output); the workflow's own parameters, the
		// Secret among them, are in n8n's copy of the workflow beside it, as any node parameter.
		const runData = await pool(ids, 3, async (id) => (await rest<{ data: string }>(`/rest/executions/${id}`)).data);
		const items = (await pool(ids, 3, itemsOf)).flat();
		expect(items.map((i) => i.messageId).sort()).toEqual(['910001', '910002', '910003']);
		expect(items.map((i) => (i.raw as Record<string, unknown>).callback_url)).toEqual(Array(3).fill(`${productionUrl(w)}?secret=***`));
		const data = JSON.stringify(runData);
		expectNoSecretIn(data, [SECRET]);
		expectNoSecretIn(data, [encodeURIComponent(SECRET)]);
		expectNoSecretIn(logsOf(cluster?.instances ?? [n8n!]), [SECRET]);
	});
});
