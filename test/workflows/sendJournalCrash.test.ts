/**
 * The send journal when the process dies at any request: n8n's database keeps what was
 * written to it at that moment, the provider keeps what it received, and n8n's Retry runs
 * the node again from nothing. Here the crash is the moment the simulator receives the
 * chosen request: the deduplication store (in memory, test/helpers/n8n.ts) is copied then,
 * that request and every later one are refused without being acted on (they never went),
 * and the copy is put back before the Retry. Whatever the crash point, no recipient gets
 * two SMS, and the Retry holds back only the window that had requests out (or, when the
 * store is slow, the windows that shared its write).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { JOURNAL_CHANNEL, type JournalTiming } from '../../nodes/shared/diagnostics';
import { MAX_WINDOWS_PER_WRITE } from '../../nodes/shared/sendJournal';
import { closeTransportPools } from '../../nodes/shared/transport';
import { deduplicationStore, runNode, type WorkflowResult } from '../helpers/n8n';
import { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';
import type { ProviderSimulator } from '../sandbox/simulator';

let mtnSim: MtnCongoSimulator;
let lmtSim: LmtGroupSimulator;
beforeAll(async () => {
	mtnSim = await new MtnCongoSimulator().start();
	lmtSim = await new LmtGroupSimulator().start();
});
afterAll(async () => {
	await mtnSim.stop();
	await lmtSim.stop();
	await closeTransportPools();
});

let executions = 0;

type Rows = Map<string, string[]>;
const copyOf = (rows: Rows): Rows => new Map([...rows].map(([key, list]) => [key, [...list]] as const));

/** The store as the database keeps it after a crash at request `at` (1-based) of the run. */
function crashAt(sim: ProviderSimulator, at: number): { saved: () => Rows | undefined } {
	let seen = 0;
	let saved: Rows | undefined;
	sim.injectFault({ kind: 'status', status: 400, body: { error: 'the process died before this request went' } }, Number.MAX_SAFE_INTEGER, () => {
		if (++seen === at) saved = copyOf(deduplicationStore.entries);
		return seen >= at;
	});
	return { saved: () => saved };
}

interface CrashCase {
	sim: ProviderSimulator & { ledger: Array<{ to: string }> };
	type: string;
	credentials: () => Record<string, IDataObject>;
	items: IDataObject[];
	parameters: INodeParameters;
	requests: number;
	/** The request (0-based) that carries an item. */
	requestOf(item: number): number;
	/** Requests per journal window. */
	window: number;
}

async function crashAndRetry(c: CrashCase, at: number, delayMs: number): Promise<void> {
	c.sim.reset();
	const execution = { establishedAt: Date.UTC(2026, 11, 4) + ++executions };
	const run = (retry: boolean): Promise<WorkflowResult> =>
		runNode(c.items, {
			type: c.type,
			parameters: c.parameters,
			credentials: c.credentials() as never,
			settings: { continueOnFail: true },
			executionContext: execution,
			mode: retry ? 'retry' : 'webhook',
		});
	const crash = crashAt(c.sim, at);
	// The node publishes a wait per write its sends waited for: one per group of windows.
	let groups = 0;
	const listen = (message: unknown) => void ((message as JournalTiming).kind === 'wait' && groups++);
	subscribe(JOURNAL_CHANNEL, listen);
	deduplicationStore.delayMs = delayMs;
	try {
		await run(false);
		for (let tries = 0; deduplicationStore.underWay > 0 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
	} finally {
		deduplicationStore.delayMs = 0;
		unsubscribe(JOURNAL_CHANNEL, listen);
	}
	// No window shared its write (a write slow next to the sending, as a pause of the
	// process can make even in memory, lets windows share one).
	const writePerWindow = groups === Math.ceil(c.requests / c.window);
	await c.sim.settled();
	c.sim.clearFaults();
	const saved = crash.saved();
	expect(saved).toBeDefined();
	deduplicationStore.entries.clear();
	for (const [key, list] of saved!) deduplicationStore.entries.set(key, list);
	const sentBefore = new Set(c.sim.ledger.map((s) => s.to));

	const retry = await run(true);
	const out = retry.outputs[0].map((i) => i.json);
	expect(out).toHaveLength(c.items.length);
	const tos = c.sim.ledger.map((s) => s.to);
	expect(new Set(tos).size).toBe(tos.length);
	const heldBack = out.flatMap((o, i) => (String(o.error ?? '').startsWith('Not sent again: an earlier attempt of this execution was interrupted') ? [i] : []));
	const isHeldBack = new Set(heldBack);
	for (const [i, o] of out.entries()) {
		if (isHeldBack.has(i)) continue;
		expect(o).toMatchObject({ status: 'accepted' });
		// Sent before the crash: output as already sent, not sent again.
		expect(o.alreadySent === true).toBe(sentBefore.has(String(o.to)));
	}
	// The held-back items are whole windows.
	const windowOf = (item: number) => Math.floor(c.requestOf(item) / c.window);
	const windows = new Set(heldBack.map(windowOf));
	const inWindows = c.items.filter((_, i) => windows.has(windowOf(i))).length;
	expect(heldBack).toHaveLength(inWindows);
	// The window of the request the crash stopped is held back: it had requests out. Windows
	// done before it are not: their "accepted" marks went with its "started" mark, before its
	// first request. With a write per window that is all; windows sharing a write (at most 8)
	// are held back together when none of them had its "accepted" mark written.
	const crashed = Math.floor((at - 1) / c.window);
	expect(windows.has(crashed)).toBe(true);
	if (writePerWindow) expect([...windows]).toEqual([crashed]);
	else for (const w of windows) expect(Math.abs(w - crashed)).toBeLessThan(MAX_WINDOWS_PER_WRITE);
}

const cameroon = (i: number) => `677${String(i).padStart(6, '0')}`;
const congo = (i: number) => `06${String(1_000_000 + i).slice(1).padStart(7, '0')}`;

describe('a crash at any request, then the Retry of the execution', () => {
	test('LMT BulkSMS (one number per request, windows of 500): nothing sent twice, only the window under way held back', async () => {
		const c: CrashCase = {
			sim: lmtSim,
			type: 'lmtBulkSms',
			credentials: () => ({ lmtBulkSmsApi: { apiKey: lmtSim.apiKey, password: lmtSim.password, baseUrl: lmtSim.baseUrl, defaultCountry: 'CM' } }),
			items: Array.from({ length: 1600 }, (_, i) => ({ to: cameroon(i) })),
			parameters: { operation: 'send', sender: 'CLINIQUE', to: '={{ $json.to }}', message: 'Rappel', options: { maxConcurrentRequests: 4, maxRequestsPerSecond: 0 } },
			requests: 1600,
			requestOf: (item) => item,
			window: 500,
		};
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: c.requests }), fc.constantFrom(0, 0, 3), async (at, delayMs) => await crashAndRetry(c, at, delayMs)),
			{ numRuns: 12, examples: [[1, 0], [500, 0], [501, 0], [750, 0], [1600, 0]] },
		);
	}, 180_000);

	test('MTN Congo Send Bulk (1000 numbers per request, windows of 2 requests): nothing sent twice, only the window under way held back', async () => {
		const c: CrashCase = {
			sim: mtnSim,
			type: 'mtnCongoSms',
			credentials: () => ({ mtnCongoSmsApi: { token: mtnSim.token, baseUrl: mtnSim.baseUrl, defaultCountry: 'CG' } }),
			items: Array.from({ length: 9500 }, (_, i) => ({ phone: congo(i) })),
			parameters: { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Promo -20%', options: { maxConcurrentRequests: 2, maxRequestsPerSecond: 0 } },
			requests: 10,
			requestOf: (item) => Math.floor(item / 1000),
			window: 2,
		};
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: c.requests }), fc.constantFrom(0, 0, 3), async (at, delayMs) => await crashAndRetry(c, at, delayMs)),
			{ numRuns: 10, examples: [[1, 0], [3, 0], [10, 0]] },
		);
	}, 180_000);
});
