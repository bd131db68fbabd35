/**
 * Queue mode only (`npm run test:e2e -- --queue`): the package on n8n's distributed setup
 * (main, webhook processor, two workers, PostgreSQL, Redis; see test/real-n8n/queueStack.ts).
 *
 * - A 10 000-recipient bulk of each provider runs on a worker: each recipient once in the
 *   simulator's ledger, one output item per input item in the run data PostgreSQL holds.
 *   The same workflow also runs in one process (`n8n execute`, which n8n runs in the CLI
 *   process even in queue mode) for the figures; no time is asserted.
 * - Retry On Fail on a worker: the node's record of accepted sends survives the rerun.
 * - A worker killed (SIGKILL) in the middle of a bulk: what n8n does with the execution,
 *   what the simulator accepted, and what n8n's retry of that execution sends.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse as parseFlatted } from 'flatted';

import { executeMeasured } from '../../bench/n8n/execution';
import { benchProviders, benchWorkflow, type BenchProvider, type ProviderKey } from '../../bench/n8n/variants';
import { claimPort, N8nInstance, type ExecutionResult } from '../real-n8n/instance';
import { preparePackageStack, stackModeFromEnv, type PackageStack } from '../real-n8n/packageStack';
import { psql } from '../real-n8n/queueServices';
import type { QueueCluster, StoredExecution } from '../real-n8n/queueStack';
import { sleep, waitUntil } from '../helpers/waitUntil';
import { executionsOf as executionsIn } from '../real-n8n/rest';
import { sandboxProviders } from '../sandbox/sandbox';

const N = 10_000;
const queueMode = stackModeFromEnv() === 'queue';
const work = mkdtempSync(join(tmpdir(), 'africa-sms-queue-'));
let stack: PackageStack;
let queue: QueueCluster;
let cookie: string;
let providers: Record<ProviderKey, BenchProvider>;
/** Figures printed at the end (and copied into the README by hand). */
const figures: string[] = [];


async function importWorkflow(workflow: object & { id: string }): Promise<void> {
	const file = join(work, `${workflow.id}.json`);
	writeFileSync(file, JSON.stringify(workflow));
	await stack.n8n.importWorkflow(file);
}

/** The run data of an execution as PostgreSQL holds it (execution_data.data, flatted JSON). */
async function runDataInPostgres(executionId: string): Promise<ExecutionResult['data']> {
	const [data] = await psql(queue.services, `SELECT data FROM execution_data WHERE "executionId" = ${Number(executionId)}`);
	if (!data) throw new Error(`no execution_data row for execution ${executionId}`);
	return parseFlatted(data) as ExecutionResult['data'];
}

type NodeRunData = { executionTime?: number; data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }> | null> } };
const nodeRun = (data: ExecutionResult['data'], name: string) => (data.resultData.runData[name] as NodeRunData[] | undefined)?.at(-1);

const bulkId = (key: ProviderKey) => `AfSmsQueueBk${key}0`;

/** What n8n stored of an execution, in one line. */
function describeRun(e: StoredExecution): string {
	const data = e.data as ExecutionResult['data'] & { resultData: { lastNodeExecuted?: string }; executionData?: { nodeExecutionStack?: Array<{ node: { name: string } }> } };
	return JSON.stringify({
		status: e.status,
		mode: e.mode,
		error: data.resultData.error?.message?.slice(0, 120),
		lastNodeExecuted: data.resultData.lastNodeExecuted,
		ran: Object.keys(data.resultData.runData ?? {}),
		stack: data.executionData?.nodeExecutionStack?.map((s) => s.node.name),
	});
}

const CRASH_DETECTION_ENV = { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_STALLED_INTERVAL: '5000', N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.25' };

const executionsOf = (workflowId: string) => executionsIn(queue.main.url, cookie, workflowId);
/** Asks every 100 ms: the crash tests kill a worker once a quarter of the SMS are in. */
const POLL_MS = 100;

/** Start (webhook, answered at once) → Code making `count` recipients → our node's Send Bulk. */
function webhookBulkWorkflow(id: string, path: string, p: BenchProvider, count: number, nodeOptions: Record<string, unknown> = {}, settings: Record<string, unknown> = {}): object & { id: string } {
	const { workflow } = benchWorkflow(id, [p], () => ['ours'], count) as { workflow: { id: string; nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> } };
	const nodes = workflow.nodes.map((node) => {
		if (node.name === 'Start') {
			return { ...node, type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: `${id}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } };
		}
		if (node.name === ourNode(p)) {
			const parameters = node.parameters as { options: Record<string, unknown> };
			return { ...node, ...settings, parameters: { ...parameters, options: { ...parameters.options, ...nodeOptions } } };
		}
		return node;
	});
	const result: object & { id: string } = { ...workflow, nodes } as typeof workflow;
	return result;
}
const ourNode = (p: BenchProvider) => `${p.name}: ours`;

(queueMode ? describe : describe.skip)('n8n in queue mode', () => {
	beforeAll(async () => {
		// Faster crash detection than n8n's defaults (job lock 60 s, stalled check every 30 s, queue recovery every 180 minutes): 20 s, 5 s, 15 s.
		stack = await preparePackageStack(work, { mode: 'queue', env: CRASH_DETECTION_ENV });
		queue = stack.queue!;
		cookie = await stack.serve();
		providers = benchProviders(stack.byKey);
		for (const p of Object.values(providers)) await importWorkflow(benchWorkflow(bulkId(p.key), [p], () => ['ours'], N).workflow as { id: string });
		process.stdout.write(`queue e2e: n8n ${stack.n8nVersion}, main ${queue.main.url}, webhook processor ${queue.webhook.url}, ${queue.workers.length} workers; work folder ${work}\n`);
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
		if (figures.length) process.stdout.write(`queue e2e figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
	});

	describe(`a ${N}-recipient bulk of each provider on a worker`, () => {
		for (const key of sandboxProviders().map((p) => p.sandbox.key)) {
			test(`${key}: each recipient once, ${N} output items in PostgreSQL`, async () => {
				const p = providers[key];
				const sim = stack.byKey[key];
				sim.reset();
				if (key === 'msp') stack.msp.credit = 1_000_000_000;
				const started = Date.now();
				const execution = (await queue.executeManually(bulkId(key), cookie, 600_000)) as StoredExecution;
				const wall = Date.now() - started;
				expect(queue.workerOf(execution.id)).toBeDefined();

				const expected = Array.from({ length: N }, (_, i) => p.phone(i));
				await sim.settled();
				expect(sim.ledger).toHaveLength(N);
				expect(new Set(sim.ledger.map((s) => s.to))).toEqual(new Set(expected));

				const stored = await runDataInPostgres(execution.id);
				const run = nodeRun(stored, ourNode(p));
				const items = run?.data?.main[0] ?? [];
				expect(items).toHaveLength(N);
				expect(items.every((item, i) => (item.pairedItem as { item: number }).item === i && item.json.status !== 'failed' && item.json.to === expected[i])).toBe(true);

				// The same workflow in one process: `n8n execute` runs it in the CLI process, on the same PostgreSQL.
				sim.reset();
				const cli = new N8nInstance(stack.runtime, { ...queue.main.options, port: await claimPort(), brokerPort: await claimPort(), logFile: join(work, 'cli.log') });
				const single = await executeMeasured(cli, bulkId(key), join(work, `cli-${key}.json`), 600_000);
				await sim.settled();
				expect(sim.ledger).toHaveLength(N);
				const singleRun = single.nodes[ourNode(p)];
				expect({ error: single.error, items: singleRun?.items, failed: singleRun?.failedItems }).toEqual({ error: undefined, items: N, failed: 0 });
				figures.push(
					`${p.name} ${N}: on a worker node ${run?.executionTime} ms (start to end through the REST API ${wall} ms); one process (n8n execute, same PostgreSQL) node ${singleRun?.executionTime} ms`,
				);
			}, 900_000);
		}
	});

	test('Retry On Fail on a worker: the accepted requests are not resent, the one refused with 503 is', async () => {
		const p = providers.mtn;
		const id = 'AfSmsQueueRetry1';
		await importWorkflow(webhookBulkWorkflow(id, 'queue-retry', p, 2500, { maxConcurrentRequests: 1 }, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 }));
		await queue.activate(id, cookie);
		await stack.waitForWebhook('queue-retry');
		stack.mtn.reset();
		// The second request is refused (503) past the transport's own retries: the node fails, n8n reruns it.
		let seen = 0;
		stack.mtn.injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, () => ++seen >= 2);
		const res = await fetch(`${stack.webhookUrl}/webhook/queue-retry`, { method: 'POST' });
		expect(res.status).toBe(200);
		const [execution] = await waitUntil(
			async () => {
				const list = await executionsOf(id);
				return list.length > 0 && list.every((e) => !['new', 'running'].includes(e.status)) && list;
			},
			{ timeoutMs: 60_000, intervalMs: POLL_MS, what: 'the execution' },
		);
		expect(execution.status).toBe('success');
		expect(queue.workerOf(execution.id)).toBeDefined();
		await stack.mtn.settled();
		expect(stack.mtn.ledger).toHaveLength(2500);
		expect(new Set(stack.mtn.ledger.map((s) => s.to)).size).toBe(2500);
		// First run: batch 1 accepted, batch 2 refused 4 times (the transport's retries), batch 3 accepted; the rerun sends batch 2 only.
		expect(stack.mtn.requests).toHaveLength(7);
		const stored = await runDataInPostgres(execution.id);
		expect(nodeRun(stored, ourNode(p))?.data?.main[0]).toHaveLength(2500);
	}, 300_000);

	/**
	 * Posts the crash workflow's webhook (LMT: one request per number, each answered after
	 * 4 ms), kills `victims` once a quarter of the SMS are accepted, and waits for n8n to end
	 * the execution. Our node runs with On Error: Continue, so that a retry's output shows
	 * every item.
	 */
	async function crashMidBulk(id: string, path: string, victims: (worker: N8nInstance) => N8nInstance[]) {
		const p = providers.lmt;
		await importWorkflow(webhookBulkWorkflow(id, path, p, N, {}, { onError: 'continueRegularOutput' }));
		await queue.activate(id, cookie);
		await stack.waitForWebhook(path);
		stack.lmt.reset();
		stack.lmt.injectFault({ kind: 'slow', ms: 4 }, 1_000_000);
		const posted = Date.now();
		expect((await fetch(`${stack.webhookUrl}/webhook/${path}`, { method: 'POST' })).status).toBe(200);
		await waitUntil(() => stack.lmt.ledger.length >= N / 4, { timeoutMs: 120_000, intervalMs: POLL_MS, what: 'a quarter of the SMS accepted' });
		const [running] = await executionsOf(id);
		const worker = queue.workerOf(running.id);
		expect(worker).toBeDefined();
		const killed = victims(worker!);
		await Promise.all(killed.map((instance) => instance.crash()));
		const killedAt = Date.now();
		const acceptedAtKill = stack.lmt.ledger.length;
		await sleep(1000);
		await stack.lmt.settled();
		const acceptedBeforeRetry = stack.lmt.ledger.length;
		const ended = await waitUntil(
			async () => {
				const execution = (await executionsOf(id)).find((e) => e.id === running.id);
				return execution && !['new', 'running'].includes(execution.status) && execution;
			},
			{ timeoutMs: 300_000, intervalMs: POLL_MS, what: 'n8n to end the execution' },
		);
		const endedAfter = Date.now() - killedAt;
		const stored = await queue.waitForExecution(running.id, cookie);
		for (const instance of killed) await queue.restart(instance);
		stack.lmt.clearFaults();
		const ledgerBefore = stack.lmt.ledger.length;
		const retriedId = await queue.retry(running.id, cookie);
		const retried = await queue.waitForExecution(retriedId, cookie, 300_000);
		await stack.lmt.settled();
		const sends = new Map<string, number>();
		for (const sms of stack.lmt.ledger) sends.set(sms.to, (sends.get(sms.to) ?? 0) + 1);
		const output = nodeRun(retried.data, ourNode(p))?.data?.main[0] ?? [];
		const kinds = new Map<string, number>();
		for (const item of output) {
			const kind = `${String(item.json.status)}${item.json.alreadySent ? ' (already sent)' : ''}`;
			kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
		}
		const twice = [...sends.values()].filter((n) => n > 1).length;
		figures.push(
			`${id}: killed ${killed.map((k) => k.options.userFolder.split('/').pop()).join(' and ')} ${killedAt - posted} ms after the POST, ${acceptedAtKill} of ${N} SMS accepted ` +
				`(${acceptedBeforeRetry} once the requests in flight were answered); n8n set the execution "${ended.status}" ${endedAfter} ms later (${describeRun(stored)}); ` +
				`its Retry (execution ${retriedId}): ${describeRun(retried)}, sent ${stack.lmt.ledger.length - ledgerBefore} more SMS; ledger ${stack.lmt.ledger.length} SMS to ${sends.size} recipients, ${twice} sent twice; ` +
				`the retry's items: ${JSON.stringify(Object.fromEntries(kinds))}`,
		);
		return { ended, stored, retried, sends, twice, output, acceptedBeforeRetry, ledgerBefore };
	}

	test('a worker killed (SIGKILL) in the middle of a bulk: n8n fails the execution, and its Retry sends nothing', async () => {
		const crash = await crashMidBulk('AfSmsQueueCrash1', 'queue-crash-worker', (worker) => [worker]);
		// The webhook processor that queued the job sees it stall and records the execution as failed, its run data replaced by the error.
		expect(crash.ended.status).toBe('error');
		expect(crash.stored.data.resultData.error?.message).toMatch(/failed to be processed too many times/);
		expect(stack.lmt.ledger).toHaveLength(crash.ledgerBefore);
		expect(crash.twice).toBe(0);
	}, 900_000);

	test('the worker and the webhook processor killed together: n8n marks the execution crashed, and its Retry sends only what was not sent', async () => {
		const crash = await crashMidBulk('AfSmsQueueCrash2', 'queue-crash-both', (worker) => [worker, queue.webhook]);
		// Nobody watched the job: main's queue recovery finds the execution dangling and marks it crashed, its start data kept.
		expect(crash.ended.status).toBe('crashed');
		expect(crash.twice).toBe(0);
		const output = crash.output;
		expect(output).toHaveLength(N);
		const alreadySent = output.filter((item) => item.json.alreadySent === true);
		const heldBack = output.filter((item) => item.json.status === 'failed');
		expect(heldBack.every((item) => String(item.json.error).startsWith('Not sent again: an earlier attempt of this execution was interrupted'))).toBe(true);
		// Every recipient is either in the ledger once or held back; at most one window (500) plus the requests under way is held back.
		const missing = [...Array(N).keys()].map((i) => providers.lmt.phone(i)).filter((to) => !crash.sends.has(to));
		expect(missing.every((to) => heldBack.some((item) => item.json.to === to))).toBe(true);
		expect(heldBack.length).toBeLessThanOrEqual(500);
		expect(alreadySent.length).toBeGreaterThan(0);
		expect(alreadySent.length + heldBack.length).toBeGreaterThanOrEqual(crash.acceptedBeforeRetry);
	}, 900_000);
});
