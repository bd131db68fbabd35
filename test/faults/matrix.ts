/**
 * The fault matrix: every provider × sending operation × fault × where the fault
 * falls × Retry On Fail × Continue On Fail, each cell one real workflow run
 * (n8n's WorkflowExecute, the real node, the simulator over HTTP on 127.0.0.1),
 * judged from the simulator's ledger and n8n's run data.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoggerProxy, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import { runAsText, runNode, ROOT, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { secretForms } from '../helpers/secrets';
import type { TestProvider, TestSimulator } from '../providers/registry';
import type { Fault, SimRequest } from '../sandbox/simulator';

export type FaultName =
	| '500'
	| '502'
	| '503'
	| '429 with Retry-After'
	| '429 without Retry-After'
	| 'slower than the time-out'
	| 'connection dropped'
	| 'connection refused'
	| 'malformed JSON'
	| 'HTTP-200 error body'
	| 'wrong shape'
	| '500 after acting';

export const FAULTS: FaultName[] = [
	'500',
	'502',
	'503',
	'429 with Retry-After',
	'429 without Retry-After',
	'slower than the time-out',
	'connection dropped',
	'connection refused',
	'malformed JSON',
	'HTTP-200 error body',
	'wrong shape',
	'500 after acting',
];

/** Faults after which the provider may have acted: only these may duplicate, and only with Retry Ambiguous Failures. */
const MAY_HAVE_ACTED = new Set<FaultName>(['500', '502', 'slower than the time-out', 'connection dropped', 'malformed JSON', 'wrong shape', '500 after acting']);

export type Position = 'first' | 'middle';

export interface Mode {
	retryOnFail: boolean;
	continueOnFail: 'off' | 'on' | 'errorOutput';
	retryAmbiguous?: boolean;
}

export const MODES: Mode[] = [
	{ retryOnFail: false, continueOnFail: 'off' },
	{ retryOnFail: false, continueOnFail: 'on' },
	{ retryOnFail: false, continueOnFail: 'errorOutput' },
	{ retryOnFail: true, continueOnFail: 'off' },
	{ retryOnFail: true, continueOnFail: 'on' },
	{ retryOnFail: true, continueOnFail: 'errorOutput' },
	{ retryOnFail: true, continueOnFail: 'on', retryAmbiguous: true },
];

/**
 * The keyed cells' modes: Continue On Fail (each item says what became of it), and Retry
 * On Fail (n8n runs the node again in the same execution, which must keep its own keys).
 */
export const KEYED_MODES: Mode[] = [
	{ retryOnFail: false, continueOnFail: 'on' },
	{ retryOnFail: true, continueOnFail: 'off' },
];

type Sim = TestSimulator;

export interface OperationSpec {
	operation: 'send' | 'sendBulk' | 'sendPersonalized' | 'sendScheduled';
	parameters: INodeParameters;
	/** Send requests the operation makes for n items (one number each, texts distinct by name when personalised). */
	requests(n: number): number;
}

/** A provider of the test registry, with its sending operations as the matrix runs them. */
export type ProviderSpec = Omit<TestProvider, 'operations'> & { operations: OperationSpec[] };

export interface Cell {
	provider: ProviderSpec;
	op: OperationSpec;
	fault: FaultName;
	position: Position;
	mode: Mode;
	items: number;
	/**
	 * Each item carries an Idempotency Key, and a second execution with the same keys
	 * and no fault follows the first: it must send what certainly was not sent, and
	 * resend nothing that was or may have been.
	 */
	keyed?: boolean;
}

export const PROPERTIES = [
	'one output item per input item, paired',
	'no SMS twice',
	'no success the provider never accepted',
	'no accepted SMS reported failed without "may have been sent"',
	'no secret in run data or logs',
	'a later execution sends what certainly was not sent',
	'a later execution resends nothing that was or may have been sent',
] as const;
export type Property = (typeof PROPERTIES)[number];

export interface CellResult {
	cell: string;
	violations: Array<{ property: Property; detail: string }>;
	/** How the items ended: accepted, failed (saying it may have been sent or not), or the workflow stopped. */
	outcome: { succeeded: number; failed: number; stopped: boolean };
	/** Recipients who got the SMS more than once (allowed only with Retry Ambiguous Failures). */
	duplicates: number;
	/** The fault met a request (a cell whose fault never fired would prove nothing). */
	faultFired: boolean;
}

const SUCCESS = new Set(['accepted', 'scheduled', 'pending', 'queued', 'sent', 'delivered']);
/** How our errors say the provider may have acted (engine, records, parts). */
const MAY_HAVE_BEEN_SENT = /may or may not have|may have reached|were accepted and|was accepted and|requests of this item were accepted/i;

/** Cells for one provider: every operation × fault × position × mode (middle only where there are 3+ requests). */
export function cellsFor(provider: ProviderSpec): Cell[] {
	const cells: Cell[] = [];
	for (const op of provider.operations) {
		for (const fault of FAULTS) {
			for (const position of ['first', 'middle'] as Position[]) {
				// The middle of at least three requests: 5 items, or enough to fill three requests.
				let items = 5;
				if (position === 'middle') while (op.requests(items) < 3) items = items < 1000 ? items * 10 : items + 1000;
				if (position === 'middle' && op.requests(items) >= 3 && items > 5) items = smallestFor(op, items);
				for (const mode of MODES) cells.push({ provider, op, fault, position, mode, items });
				for (const mode of KEYED_MODES) cells.push({ provider, op, fault, position, mode, items, keyed: true });
			}
		}
	}
	return cells;
}

function smallestFor(op: OperationSpec, upper: number): number {
	let low = 5;
	let high = upper;
	while (low < high) {
		const mid = Math.floor((low + high) / 2);
		if (op.requests(mid) >= 3) high = mid;
		else low = mid + 1;
	}
	return low;
}

export function cellName(cell: Cell): string {
	const { mode } = cell;
	const modeText = `retry ${mode.retryOnFail ? 'on' : 'off'}, continue ${mode.continueOnFail}${mode.retryAmbiguous ? ', retry ambiguous' : ''}`;
	return `${cell.provider.label} ${cell.op.operation}${cell.keyed ? ' keyed' : ''} | ${cell.fault} on the ${cell.position} request of ${cell.op.requests(cell.items)} | ${modeText}`;
}

/** Arms the simulator: the fault on the first or a middle send request. */
async function arm(sim: Sim, cell: Cell): Promise<void> {
	const total = cell.op.requests(cell.items);
	const target = cell.position === 'first' ? 1 : Math.floor(total / 2) + 1;
	let seen = 0;
	const matches = (req: SimRequest) => cell.provider.isSend(req) && ++seen === target;
	if (cell.fault === 'connection refused') {
		if (cell.position === 'first') {
			await sim.refuseConnectionsFor(300);
			return;
		}
		// Answered normally; the connections after it are refused for a moment.
		sim.injectFault({ kind: 'slow', ms: 0 }, 1, (req) => {
			if (!matches(req)) return false;
			void sim.refuseConnectionsFor(300);
			return true;
		});
		return;
	}
	sim.injectFault(faultOf(cell), 1, matches);
}

function faultOf(cell: Cell): Fault {
	switch (cell.fault) {
		case '500':
			return { kind: 'status', status: 500, body: { error: 'internal error' } };
		case '502':
			return { kind: 'status', status: 502, body: '<html><body>502 Bad Gateway</body></html>' };
		case '503':
			return { kind: 'status', status: 503, body: { error: 'unavailable' } };
		case '429 with Retry-After':
			return { kind: 'rateLimit', retryAfterSeconds: 1 };
		case '429 without Retry-After':
			return { kind: 'status', status: 429, body: { error: 'too many requests' } };
		case 'slower than the time-out':
			return { kind: 'slow', ms: 1500 };
		case 'connection dropped':
			return { kind: 'drop' };
		case 'malformed JSON':
			return { kind: 'malformed', body: '{"status": "200", "id": ' };
		case 'HTTP-200 error body':
			return { kind: 'status', status: 200, body: cell.provider.errorBody200 };
		case 'wrong shape':
			return { kind: 'status', status: 200, body: { unexpected: ['shape'] } };
		case '500 after acting':
			return { kind: 'status', status: 500, body: { error: 'internal error' }, acted: true };
		case 'connection refused':
			throw new Error('refused connections are not a queued fault');
	}
}

function settingsOf(mode: Mode): NodeUnderTest['settings'] {
	return {
		...(mode.retryOnFail ? { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } : {}),
		...(mode.continueOnFail === 'on' ? { onError: 'continueRegularOutput' as const } : {}),
		...(mode.continueOnFail === 'errorOutput' ? { onError: 'continueErrorOutput' as const } : {}),
	};
}

const digits = (phone: string) => phone.replace(/\D/g, '');

/** What n8n and our nodes log while cells run (n8n's LoggerProxy, and the console). */
export class LogCapture {
	readonly lines: string[] = [];
	private restore: Array<() => void> = [];

	start(): void {
		const keep = (level: string) => (message: string, meta?: object) => {
			this.lines.push(`${level} ${message} ${meta ? safeJson(meta) : ''}`);
		};
		LoggerProxy.init({ error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') } as never);
		for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const) {
			const original = console[method];
			console[method] = (...args: unknown[]) => {
				this.lines.push(`console.${method} ${args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ')}`);
			};
			this.restore.push(() => (console[method] = original));
		}
	}

	stop(): void {
		for (const undo of this.restore) undo();
		this.restore = [];
	}
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));
	} catch {
		return String(value);
	}
}

/** Runs one cell on a simulator of its own and judges it. */
export async function runCell(cell: Cell, sim: Sim, logs: LogCapture): Promise<CellResult> {
	sim.reset();
	const { provider, op, mode } = cell;
	// Keys no other cell uses: n8n's store outlives a cell.
	const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
	const items = Array.from({ length: cell.items }, (_, i) => ({ phone: provider.phone(i), name: `Client${i}`, orderId: `${run}-${i}` }));
	const logStart = logs.lines.length;
	const options = { ...((op.parameters.options as IDataObject) ?? {}), ...(cell.keyed ? { idempotencyKey: '={{ $json.orderId }}' } : {}) };
	const node: NodeUnderTest = {
		type: provider.nodeType,
		parameters: { ...op.parameters, options: { ...options, timeout: 1, ...(mode.retryAmbiguous ? { retryAmbiguousFailures: true } : {}) } },
		credentials: provider.credentials(sim),
		settings: settingsOf(mode),
	};
	await arm(sim, cell);
	const result = await runNode(items, node);
	// A request the client gave up on may still be handled: the ledger is read once all are done.
	await sim.settled();
	const faultFired = sim.pendingFaults === 0;
	sim.clearFaults();
	const judged = judge(cell, items, result, sim, logs.lines.slice(logStart).join('\n'));
	if (cell.keyed) {
		const first = { ledger: sim.ledger.map((sms) => digits(sms.to)) };
		// Past any moment of refused connections.
		await sleep(350);
		const second = await runNode(items, { ...node, settings: {} });
		await sim.settled();
		judged.violations.push(...judgeSecondExecution(cell, items, result, second, first, sim));
	}
	return { ...judged, faultFired };
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The second execution of a keyed cell, without a fault: an item the provider accepted
 * is skipped, and so is one whose send may have reached it (the first execution said so);
 * any other item is sent, once.
 */
function judgeSecondExecution(
	cell: Cell,
	items: Array<{ phone: string }>,
	firstResult: WorkflowResult,
	second: WorkflowResult,
	first: { ledger: string[] },
	sim: Sim,
): CellResult['violations'] {
	const violations: CellResult['violations'] = [];
	const sends = (property: Property, detail: string) => violations.push({ property, detail });
	if (second.error) {
		sends('a later execution sends what certainly was not sent', `the second execution stopped: ${second.error.message}`);
		return violations;
	}
	const tail = (phone: string) => digits(phone).slice(-9);
	const firstOutput = new Map<number, IDataObject>();
	for (const list of firstResult.outputs) for (const item of list) firstOutput.set((item.pairedItem as { item: number }).item, item.json);
	const stopText = firstResult.error ? `${firstResult.error.message} ${firstResult.error.description ?? ''}` : '';
	const secondOutput = new Map<number, IDataObject>();
	for (const list of second.outputs) for (const item of list) secondOutput.set((item.pairedItem as { item: number }).item, item.json);
	const total = new Map<string, number>();
	for (const sms of sim.ledger) total.set(tail(sms.to), (total.get(tail(sms.to)) ?? 0) + 1);
	items.forEach((item, i) => {
		const out = secondOutput.get(i);
		const status = String(out?.status);
		const acceptedFirst = first.ledger.some((to) => to.endsWith(tail(item.phone)));
		const said = firstOutput.get(i)?.error;
		const mayHaveGone = acceptedFirst || MAY_HAVE_BEEN_SENT.test(String(said ?? ''));
		if (firstResult.error && !acceptedFirst) {
			// The first execution stopped: it said what became of one item only, so a key it kept or freed is not judged here (the ledger still is).
			if (status !== 'skipped' && !SUCCESS.has(status)) sends('a later execution sends what certainly was not sent', `item ${i} is ${status} in the second (the first stopped: ${stopText})`);
		} else if (mayHaveGone) {
			if (status !== 'skipped') sends('a later execution resends nothing that was or may have been sent', `item ${i} (${acceptedFirst ? 'accepted' : 'said to may have gone'} in the first execution) is ${status} in the second`);
		} else if (!SUCCESS.has(status)) {
			sends('a later execution sends what certainly was not sent', `item ${i} (not accepted, said: ${String(said || 'nothing')}) is ${status} in the second: ${String(out?.reason ?? out?.error ?? '')}`);
		}
		if ((total.get(tail(item.phone)) ?? 0) > 1) sends('a later execution resends nothing that was or may have been sent', `${item.phone} received ${total.get(tail(item.phone))} SMS`);
	});
	return violations;
}

function judge(cell: Cell, items: Array<{ phone: string }>, result: WorkflowResult, sim: Sim, logs: string): Omit<CellResult, 'faultFired'> {
	const violations: CellResult['violations'] = [];
	const add = (property: Property, detail: string) => violations.push({ property, detail });
	const received = new Map<string, number>();
	for (const sms of sim.ledger) received.set(digits(sms.to), (received.get(digits(sms.to)) ?? 0) + 1);
	const accepted = (i: number) => (received.get(digits(items[i].phone)) ?? 0) > 0;
	const outcome = { succeeded: 0, failed: 0, stopped: result.error !== undefined };

	// 1. One output item per input item, paired; a stopped workflow names an item.
	const outputs: Array<{ item: INodeExecutionData; errorOutput: boolean }> = result.outputs.flatMap((list, index) => list.map((item) => ({ item, errorOutput: index === 1 })));
	if (result.error) {
		const itemIndex = Number(result.error.context?.itemIndex);
		if (cell.mode.continueOnFail !== 'off') add('one output item per input item, paired', `the workflow stopped with Continue On Fail: ${result.error.message}`);
		else if (!(itemIndex >= 0 && itemIndex < items.length)) add('one output item per input item, paired', `the error names no item: ${result.error.message}`);
	} else {
		const perItem = new Map<number, number>();
		for (const { item } of outputs) {
			const paired = item.pairedItem as { item: number } | undefined;
			const index = paired?.item ?? -1;
			perItem.set(index, (perItem.get(index) ?? 0) + 1);
		}
		for (let i = 0; i < items.length; i++) if (perItem.get(i) !== 1) add('one output item per input item, paired', `item ${i} has ${perItem.get(i) ?? 0} output items`);
		for (const index of perItem.keys()) if (index < 0 || index >= items.length) add('one output item per input item, paired', `an output item is paired to ${index}`);
	}

	// 2. No recipient gets the SMS twice, unless duplicates were allowed after an ambiguous failure.
	const duplicatesAllowed = cell.mode.retryAmbiguous === true && MAY_HAVE_ACTED.has(cell.fault);
	for (const [to, count] of received) if (count > 1 && !duplicatesAllowed) add('no SMS twice', `${to} received ${count} SMS`);

	// 3 and 4. What each output item says against what the provider accepted.
	for (const { item, errorOutput } of outputs) {
		const i = (item.pairedItem as { item: number } | undefined)?.item ?? -1;
		if (i < 0 || i >= items.length) continue;
		const json = item.json;
		const failed = errorOutput || json.status === 'failed' || typeof json.error === 'string';
		if (!failed && SUCCESS.has(String(json.status))) {
			outcome.succeeded++;
			if (!accepted(i)) add('no success the provider never accepted', `item ${i} says ${String(json.status)}, the provider has no SMS for ${items[i].phone}`);
		} else {
			outcome.failed++;
			if (!failed) add('no success the provider never accepted', `item ${i} has status ${String(json.status)}`);
			if (accepted(i) && !MAY_HAVE_BEEN_SENT.test(String(json.error ?? ''))) {
				add('no accepted SMS reported failed without "may have been sent"', `item ${i}: ${String(json.error)}`);
			}
		}
	}
	if (result.error) {
		const i = Number(result.error.context?.itemIndex);
		const text = `${result.error.message} ${result.error.description ?? ''}`;
		if (i >= 0 && i < items.length && accepted(i) && !MAY_HAVE_BEEN_SENT.test(text)) {
			add('no accepted SMS reported failed without "may have been sent"', `the workflow stopped on item ${i}, which was accepted: ${text}`);
		}
	}

	// 5. No secret anywhere n8n keeps or logs.
	const everything = `${runAsText(result)}\n${logs}`;
	for (const secret of cell.provider.secrets(sim)) {
		if (secretForms(secret).some((form) => everything.includes(form))) add('no secret in run data or logs', 'a secret is in the run data or the logs');
	}
	const duplicates = [...received.values()].filter((count) => count > 1).length;
	return { cell: cellName(cell), violations, outcome, duplicates };
}

/** Runs cells `concurrency` at a time, each worker on its own simulator. */
export async function runCells(cells: Cell[], provider: ProviderSpec, concurrency: number): Promise<CellResult[]> {
	const results: CellResult[] = new Array(cells.length);
	const logs = new LogCapture();
	logs.start();
	let next = 0;
	try {
		await Promise.all(
			Array.from({ length: Math.min(concurrency, cells.length) }, async () => {
				const sim = provider.createSimulator();
				await sim.start();
				try {
					while (next < cells.length) {
						const index = next++;
						results[index] = await runCell(cells[index], sim, logs);
					}
				} finally {
					await sim.stop();
				}
			}),
		);
	} finally {
		logs.stop();
	}
	return results;
}

/** Where each provider's results go, for the summary printed after all of them ran. */
export const RESULTS_DIR = join(ROOT, '.faults');

export function saveResults(provider: string, results: CellResult[]): void {
	mkdirSync(RESULTS_DIR, { recursive: true });
	appendFileSync(join(RESULTS_DIR, 'results.jsonl'), `${JSON.stringify({ provider, results })}\n`);
}
