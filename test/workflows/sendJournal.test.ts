/**
 * The send journal (nodes/shared/sendJournal.ts): what n8n's Retry of an execution whose
 * process died sends. Such a retry runs the node again with the same items, the same
 * execution context (n8n stores it with the execution and the retry inherits it) and an
 * empty node context (the run ledger died with the process). That is what runNode gives
 * here when called twice with the same `executionContext`; n8n's deduplication store,
 * a database table in a server, is in memory (test/helpers/n8n.ts). Every other in-process
 * run journals too, each with the context n8n establishes for it.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { JOURNAL_CHANNEL, type JournalTiming } from '../../nodes/shared/diagnostics';
import { closeTransportPools } from '../../nodes/shared/transport';
import { deduplicationStore, runNode, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

let mtnSim: MtnCongoSimulator;
let lmtSim: LmtGroupSimulator;
let mspSim: MonSmsProSimulator;
beforeAll(async () => {
	mtnSim = await new MtnCongoSimulator().start();
	lmtSim = await new LmtGroupSimulator().start();
	mspSim = await new MonSmsProSimulator().start();
});
beforeEach(() => {
	mtnSim.reset();
	lmtSim.reset();
	mspSim.reset();
});
afterAll(async () => {
	await mtnSim.stop();
	await lmtSim.stop();
	await mspSim.stop();
	await closeTransportPools();
});

/** Each test its own execution (its own establishment time), as separate executions are. */
let executions = 0;
const newExecution = () => ({ establishedAt: Date.UTC(2026, 10, 24) + ++executions });

const congo = (i: number) => `06${String(1_000_000 + i).slice(1).padStart(7, '0')}`;
const cameroon = (i: number) => `677${String(i).padStart(6, '0')}`;

interface Run {
	execution?: NodeUnderTest['executionContext'];
	settings?: NodeUnderTest['settings'];
	contextData?: NodeUnderTest['contextData'];
	/** n8n's Retry of the execution (mode 'retry'); otherwise a first run (a webhook call). */
	retry?: boolean;
}

/** Runs a node of the package as n8n runs it in a first run or, with `retry`, in the Retry of the execution. */
function runner(type: string, credentials: () => NodeUnderTest['credentials']) {
	return (items: IDataObject[], parameters: INodeParameters, run: Run = {}): Promise<WorkflowResult> =>
		runNode(items, {
			type,
			parameters,
			credentials: credentials(),
			settings: run.settings,
			executionContext: run.execution,
			contextData: run.contextData,
			mode: run.retry ? 'retry' : 'webhook',
		});
}

const mtn = runner('mtnCongoSms', () => ({ mtnCongoSmsApi: { token: mtnSim.token, baseUrl: mtnSim.baseUrl, defaultCountry: 'CG' } }));
const lmt = runner('lmtBulkSms', () => ({ lmtBulkSmsApi: { apiKey: lmtSim.apiKey, password: lmtSim.password, baseUrl: lmtSim.baseUrl, defaultCountry: 'CM' } }));
const msp = runner('monSmsPro', () => ({ monSmsProApi: { apiKey: mspSim.apiKey, baseUrl: mspSim.baseUrl, defaultCountry: 'CI' } }));

/** Waits (a few ms at most) for the marks a node writes after it returned. */
async function journalWritten(writes: number): Promise<void> {
	for (let tries = 0; deduplicationStore.writes < writes && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
}

const countBy = (values: unknown[]) => {
	const counts: Record<string, number> = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
};

const bulk = (count: number, options: IDataObject = {}): [IDataObject[], INodeParameters] => [
	Array.from({ length: count }, (_, i) => ({ phone: congo(i) })),
	{ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Promo -20%', options: { maxConcurrentRequests: 1, ...options } },
];

describe('Send Bulk (MTN Congo, 1000 numbers per request)', () => {
	test('the retry of an interrupted execution: accepted requests are not resent, the one that may have reached MTN is held back', async () => {
		const execution = newExecution();
		const [items, parameters] = bulk(2500);
		// The second request's answer is lost (the connection drops after MTN read it): in a
		// crash, the process dies with requests in that state.
		mtnSim.injectFault({ kind: 'drop' }, 1, (() => {
			let seen = 0;
			return () => ++seen === 2;
		})());
		const first = await mtn(items, parameters, { execution, settings: { continueOnFail: true } });
		expect(countBy(first.outputs[0].map((i) => i.json.status))).toEqual({ accepted: 1500, failed: 1000 });
		const ledgerAfterFirst = mtnSim.ledger.length;
		const requestsAfterFirst = mtnSim.requests.length;

		// n8n's Retry of the execution after its process died: same items, same execution context, no run ledger.
		const retry = await mtn(items, parameters, { execution, settings: { continueOnFail: true }, retry: true });
		expect(mtnSim.requests).toHaveLength(requestsAfterFirst);
		expect(mtnSim.ledger).toHaveLength(ledgerAfterFirst);
		const out = retry.outputs[0];
		expect(out).toHaveLength(2500);
		expect(countBy(out.map((i) => `${i.json.status}${i.json.alreadySent ? ' (already sent)' : ''}`))).toEqual({ 'accepted (already sent)': 1500, failed: 1000 });
		expect(out[0].json).toMatchObject({ provider: 'mtnCongo', status: 'accepted', messageId: null, providerStatus: null, to: '242060000000', alreadySent: true, batchSize: 1000 });
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1000].json.error).toMatch(/^Not sent again: an earlier attempt of this execution was interrupted .* may have reached MTN Congo/);
		expect(out.slice(1000, 2000).every((i) => i.json.status === 'failed')).toBe(true);
	});

	test('a second Retry, after the first one failed on the held-back items, sends nothing either (the run ledger n8n kept says why)', async () => {
		const execution = newExecution();
		const [items, parameters] = bulk(2500);
		let seen = 0;
		mtnSim.injectFault({ kind: 'drop' }, 1, () => ++seen === 2);
		await mtn(items, parameters, { execution });
		// First Retry after the crash: the held-back items fail the node (no Continue On Fail), the execution fails.
		const firstRetry = await mtn(items, parameters, { execution, retry: true });
		expect(firstRetry.error?.message).toMatch(/^Not sent again: an earlier attempt of this execution was interrupted/);
		const requests = mtnSim.requests.length;
		// n8n's Retry of that failed execution passes its saved node context on.
		const secondRetry = await mtn(items, parameters, { execution, settings: { continueOnFail: true }, contextData: firstRetry.run.data.executionData?.contextData, retry: true });
		expect(mtnSim.requests).toHaveLength(requests);
		expect(countBy(secondRetry.outputs[0].map((i) => `${i.json.status}${i.json.alreadySent ? ' (already sent)' : ''}`))).toEqual({ 'accepted (already sent)': 1500, failed: 1000 });
		expect(secondRetry.outputs[0][1000].json.error).toMatch(/^Not sent again: an earlier attempt (in|of) this execution/);
	});

	test('with Retry Ambiguous Failures, the retry resends only what may not have reached MTN', async () => {
		const execution = newExecution();
		const [items, parameters] = bulk(2500, { retryAmbiguousFailures: true });
		// In the first run, every attempt at the second request (numbers 1000-1999) is dropped.
		let firstRun = true;
		mtnSim.injectFault({ kind: 'drop' }, 100, (req) => firstRun && req.rawBody.includes(`2420${congo(1000).slice(1)}`));
		const first = await mtn(items, parameters, { execution, settings: { continueOnFail: true } });
		expect(countBy(first.outputs[0].map((i) => i.json.status))).toEqual({ accepted: 1500, failed: 1000 });
		firstRun = false;
		const before = mtnSim.requests.length;
		const retry = await mtn(items, parameters, { execution, settings: { continueOnFail: true }, retry: true });
		expect(mtnSim.requests.length - before).toBe(1);
		expect(countBy(retry.outputs[0].map((i) => i.json.status))).toEqual({ accepted: 2500 });
		expect(retry.outputs[0].filter((i) => i.json.alreadySent)).toHaveLength(1500);
	});

	test('another execution with the same items sends them all: the journal is per execution', async () => {
		const [items, parameters] = bulk(1500);
		await mtn(items, parameters, { execution: newExecution() });
		const again = await mtn(items, parameters, { execution: newExecution(), retry: true });
		expect(mtnSim.ledger).toHaveLength(3000);
		expect(again.outputs[0].every((i) => i.json.status === 'accepted' && i.json.alreadySent === undefined && typeof i.json.messageId === 'string')).toBe(true);
	});

	test('a first run never reads the marks: two executions established in the same millisecond with the same items both send', async () => {
		const execution = newExecution();
		const [items, parameters] = bulk(1500);
		await mtn(items, parameters, { execution });
		const second = await mtn(items, parameters, { execution });
		expect(mtnSim.ledger).toHaveLength(3000);
		expect(second.outputs[0].every((i) => i.json.status === 'accepted' && i.json.alreadySent === undefined)).toBe(true);
	});

	test('Retry On Fail within the execution still uses the run ledger: message IDs kept, the refused request sent once', async () => {
		const execution = newExecution();
		const [items, parameters] = bulk(1500);
		let seen = 0;
		mtnSim.injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } }, 4, () => ++seen >= 2);
		const { outputs, error } = await mtn(items, parameters, { execution, settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } });
		expect(error).toBeUndefined();
		expect(mtnSim.ledger).toHaveLength(1500);
		expect(mtnSim.requests).toHaveLength(6);
		expect(outputs[0].every((i) => typeof i.json.messageId === 'string' && i.json.alreadySent === undefined)).toBe(true);
	});

	test('a window costs one write to the store, the last one two: 10 000 recipients, 4 requests per window', async () => {
		const writes = deduplicationStore.writes;
		const [items, parameters] = bulk(10_000, { maxConcurrentRequests: 4 });
		const { outputs } = await mtn(items, parameters, { execution: newExecution() });
		expect(outputs[0]).toHaveLength(10_000);
		await journalWritten(writes + 4);
		// 10 requests in windows of 4: 3 windows, each "started" mark written with the "accepted" mark of the window before, then the last "accepted".
		expect(deduplicationStore.writes - writes).toBe(4);
	});

	test('its time is published on the diagnostics channel the benchmarks read: every write, and what the sends waited', async () => {
		const timings: JournalTiming[] = [];
		const listen = (message: unknown) => timings.push(message as JournalTiming);
		subscribe(JOURNAL_CHANNEL, listen);
		deduplicationStore.delayMs = 20;
		try {
			const writes = deduplicationStore.writes;
			const [items, parameters] = bulk(10_000, { maxConcurrentRequests: 4 });
			const { outputs } = await mtn(items, parameters, { execution: newExecution() });
			expect(outputs[0]).toHaveLength(10_000);
			// The node returned before its last marks were written.
			expect(deduplicationStore.writes - writes).toBe(3);
			await journalWritten(writes + 4);
			const published = timings.filter((t) => t.kind === 'write');
			expect(published).toHaveLength(4);
			for (const t of published) expect(t.ms).toBeGreaterThanOrEqual(19);
			// Three windows each waited for their write; the last marks were written while the node returned.
			const waits = timings.filter((t) => t.kind === 'wait');
			expect(waits).toHaveLength(3);
			for (const t of waits) expect(t.ms).toBeGreaterThanOrEqual(19);
		} finally {
			deduplicationStore.delayMs = 0;
			unsubscribe(JOURNAL_CHANNEL, listen);
		}
	});

	test('the Retry of an execution that died just after the node returned waits for the last marks, and resends nothing', async () => {
		deduplicationStore.delayMs = 20;
		try {
			const execution = newExecution();
			const [items, parameters] = bulk(2500);
			const writes = deduplicationStore.writes;
			await mtn(items, parameters, { execution });
			const pending = deduplicationStore.writes;
			const requests = mtnSim.requests.length;
			const retry = await mtn(items, parameters, { execution, retry: true });
			expect(pending).toBeLessThan(writes + 3);
			expect(mtnSim.requests).toHaveLength(requests);
			expect(countBy(retry.outputs[0].map((i) => `${i.json.status}${i.json.alreadySent ? ' (already sent)' : ''}`))).toEqual({ 'accepted (already sent)': 2500 });
		} finally {
			deduplicationStore.delayMs = 0;
		}
	});

	test('two executions of the node at once in one process write the marks in turn: none is lost, and their Retries resend nothing', async () => {
		deduplicationStore.delayMs = 5;
		deduplicationStore.mostAtOnce = 0;
		try {
			const executions = [newExecution(), newExecution()];
			const [items, parameters] = bulk(4000);
			await Promise.all(executions.map((execution) => mtn(items, parameters, { execution })));
			expect(deduplicationStore.mostAtOnce).toBe(1);
			const requests = mtnSim.requests.length;
			for (const execution of executions) {
				const retry = await mtn(items, parameters, { execution, retry: true });
				expect(countBy(retry.outputs[0].map((i) => `${i.json.status}${i.json.alreadySent ? ' (already sent)' : ''}`))).toEqual({ 'accepted (already sent)': 4000 });
			}
			expect(mtnSim.requests).toHaveLength(requests);
		} finally {
			deduplicationStore.delayMs = 0;
		}
	});
});

describe('Send (LMT BulkSMS, one number per request)', () => {
	test('a slow store: windows share a write (at most 8), and the retry still holds back only the window of the request that may have arrived', async () => {
		const execution = newExecution();
		const items = Array.from({ length: 6000 }, (_, i) => ({ to: cameroon(i) }));
		const parameters = { operation: 'send', sender: 'CLINIQUE', to: '={{ $json.to }}', message: 'Rappel', options: { maxConcurrentRequests: 4, maxRequestsPerSecond: 0 } };
		let seen = 0;
		// The 2000th request is dropped: its window (the 4th of 500) is under way.
		lmtSim.injectFault({ kind: 'drop' }, 1, () => ++seen === 2000);
		const writes = deduplicationStore.writes;
		deduplicationStore.delayMs = 200;
		let first: WorkflowResult;
		try {
			first = await lmt(items, parameters, { execution, settings: { continueOnFail: true } });
		} finally {
			deduplicationStore.delayMs = 0;
		}
		expect(countBy(first.outputs[0].map((i) => i.json.status))).toEqual({ accepted: 5999, failed: 1 });
		// 12 windows of 500; one write each would be 13 writes.
		const used = deduplicationStore.writes - writes;
		expect(used).toBeGreaterThanOrEqual(3);
		expect(used).toBeLessThan(12);

		const sent = lmtSim.requests.length;
		const retry = await lmt(items, parameters, { execution, settings: { continueOnFail: true }, retry: true });
		expect(lmtSim.requests).toHaveLength(sent);
		const out = retry.outputs[0].map((i) => i.json);
		// Each window's "accepted" mark is its own, even when its "started" mark shared a write.
		const heldBack = out.flatMap((o, i) => (o.status === 'failed' && String(o.error).startsWith('Not sent again: an earlier attempt of this execution was interrupted') ? [i] : []));
		expect(heldBack).toEqual(Array.from({ length: 500 }, (_, i) => 1500 + i));
		expect(out.filter((o) => o.status === 'accepted' && o.alreadySent === true)).toHaveLength(5500);
		expect(Math.max(...Object.values(countBy(lmtSim.ledger.map((s) => s.to))))).toBe(1);
	});

	test('items are journaled in windows of 500: a crash in the second window holds back only that window', async () => {
		const execution = newExecution();
		const items = Array.from({ length: 700 }, (_, i) => ({ to: cameroon(i) }));
		const parameters = { operation: 'send', sender: 'CLINIQUE', to: '={{ $json.to }}', message: 'Rappel: rendez-vous demain', options: { maxConcurrentRequests: 1, maxRequestsPerSecond: 0 } };
		let seen = 0;
		lmtSim.injectFault({ kind: 'drop' }, 1, () => ++seen === 600);
		const first = await lmt(items, parameters, { execution, settings: { continueOnFail: true } });
		expect(countBy(first.outputs[0].map((i) => i.json.status))).toEqual({ accepted: 699, failed: 1 });
		const requests = lmtSim.requests.length;

		const retry = await lmt(items, parameters, { execution, settings: { continueOnFail: true }, retry: true });
		expect(lmtSim.requests).toHaveLength(requests);
		const out = retry.outputs[0];
		expect(out.slice(0, 500).every((i) => i.json.status === 'accepted' && i.json.alreadySent === true)).toBe(true);
		expect(out.slice(500).every((i) => i.json.status === 'failed' && String(i.json.error).startsWith('Not sent again: an earlier attempt of this execution was interrupted'))).toBe(true);
		expect(Math.max(...Object.values(countBy(lmtSim.ledger.map((s) => s.to))))).toBe(1);
	});
});

describe('Mon SMS PRO contact writes (journaled in windows of 50)', () => {
	const ivory = (i: number) => `07${String(i).padStart(8, '0')}`;
	const contacts = Array.from({ length: 70 }, (_, i) => ({ phone: ivory(i), name: `Client ${i}` }));
	const create = { resource: 'contact', operation: 'create', phone: '={{ $json.phone }}', additionalFields: { firstName: '={{ $json.name }}' }, options: { maxConcurrentRequests: 1 } };

	test('the retry of an interrupted execution creates no contact twice: the first window is done, the interrupted one held back', async () => {
		const execution = newExecution();
		// The 60th create's answer is lost after Mon SMS PRO acted on it, as in a crash.
		let seen = 0;
		mspSim.injectFault({ kind: 'drop' }, 1, (req) => req.path.endsWith('contact/create') && ++seen === 60);
		const first = await msp(contacts, create, { execution, settings: { continueOnFail: true } });
		expect(countBy(first.outputs[0].map((i) => (i.json.error ? 'failed' : 'created')))).toEqual({ created: 69, failed: 1 });
		const requests = mspSim.requests.length;
		const created = mspSim.contacts.size;

		const retry = await msp(contacts, create, { execution, settings: { continueOnFail: true }, retry: true });
		expect(mspSim.requests).toHaveLength(requests);
		expect(mspSim.contacts.size).toBe(created);
		const out = retry.outputs[0];
		expect(out).toHaveLength(70);
		expect(out.map((i) => i.pairedItem)).toEqual(contacts.map((_, i) => ({ item: i })));
		expect(out.slice(0, 50).every((i) => i.json.alreadySent === true && i.json.error === undefined)).toBe(true);
		expect(out.slice(50).every((i) => String(i.json.error).startsWith('Not sent again: an earlier attempt of this execution was interrupted'))).toBe(true);
	});

	test('another execution with the same items writes again: the journal is per execution', async () => {
		const first = await msp(contacts.slice(0, 3), create, { execution: newExecution() });
		expect(first.error).toBeUndefined();
		const requests = mspSim.requests.length;
		await msp(contacts.slice(0, 3), create, { execution: newExecution(), settings: { continueOnFail: true } });
		expect(mspSim.requests.length).toBe(requests * 2);
	});
});
