/**
 * Runs one generated case (1–6 items through a node in WorkflowExecute) and
 * checks the properties every case must have, whatever the values:
 * no crash or unhandled rejection, errors that name the field and the item,
 * one output item per input item with Continue On Fail, nothing sent for an
 * item refused on its input, and no secret in the run data.
 */
import { runInThisContext } from 'node:vm';
import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { runAsText, runNode, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { expectNoSecretIn } from '../helpers/secrets';
import type { Verdict } from './values';

/** How a field of an item is judged by the test's model of the node. */
export interface Judgement {
	/** The field's display name, as the error must name it. */
	field: string;
	verdict: Verdict;
	/**
	 * A known defect (KNOWN_DEFECTS): the node refuses this value, which it should
	 * take. The item may fail on it; a case whose error shows the defect is counted.
	 */
	known?: KnownDefect;
}

export type Mode = 'stop' | 'continue' | 'errorOutput';

export interface ItemModel {
	json: IDataObject;
	judgements: Judgement[];
	/** The numbers this item sends to, as the provider receives them, when its inputs are valid. */
	numbers: string[];
	/** Whether the provider (simulator) accepts this item when its inputs are valid. */
	providerAccepts: boolean;
	/** The text the provider must receive for each number, when the test knows it exactly. */
	expectedText?: string;
	/** The instant a scheduled send must be scheduled at, when the value names one. */
	expectedSendAt?: { ms: number } | { days: number; startOfHour: boolean };
	/** Output items a success gives (Get Status: one per recipient of the message). */
	outputsOnSuccess?: number;
	/** Sent but not recorded in the simulator's ledger (a recurring campaign). */
	notInLedger?: boolean;
}

export interface CaseModel {
	items: ItemModel[];
	parameters: INodeParameters;
	mode: Mode;
	timezone: string;
	/** One refused recipient fails the whole request of the others (Mon SMS PRO campaigns). */
	batchCoupled?: boolean;
	/** Whether output items are one per input item (not lists). */
	onePerItem?: boolean;
}

/** The provider side of a check: what the simulator recorded. */
export interface ProviderView {
	node: string;
	/** Start of a provider error's message: "MTN Congo refused …", "Request to …". */
	providerErrorPattern: RegExp;
	secrets: string[];
	credentials: NodeUnderTest['credentials'];
	requests(): number;
	/** Every SMS the simulator accepted: number as received, and text. */
	ledger(): Array<{ to: string; text: string }>;
}

export interface Stats {
	cases: number;
	items: number;
	sent: number;
	inputErrors: number;
	providerErrors: number;
	stoppedRuns: number;
	known: number;
	ms: number;
}

/**
 * Defects the properties still find, in files this work may not change: the
 * value is judged as it should be, and a case that shows the defect (its error
 * matches `shows`) is counted in the table's `known` column instead of failing.
 */
export const KNOWN_DEFECTS: Record<string, { text: string; shows: RegExp }> = {
};
export type KnownDefect = keyof typeof KNOWN_DEFECTS;

export const stats = new Map<string, Stats>();

export function statsFor(key: string): Stats {
	let s = stats.get(key);
	if (!s) stats.set(key, (s = { cases: 0, items: 0, sent: 0, inputErrors: 0, providerErrors: 0, stoppedRuns: 0, known: 0, ms: 0 }));
	return s;
}

export function printStats(title: string, seed: number): void {
	const defects = Object.entries(KNOWN_DEFECTS);
	const known = (s: Stats) => (defects.length ? [s.known] : []);
	const rows = [...stats.entries()].map(([key, s]) => [key, s.cases, s.items, s.sent, s.inputErrors, s.providerErrors, s.stoppedRuns, ...known(s), `${(s.ms / 1000).toFixed(1)} s`]);
	const head = ['node / operation', 'cases', 'items', 'sent', 'input err', 'provider err', 'stopped', ...(defects.length ? ['known'] : []), 'time'];
	const all = [head, ...rows].map((r) => r.map(String));
	const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
	const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	const total = [...stats.values()].reduce((a, s) => ({ cases: a.cases + s.cases, items: a.items + s.items, ms: a.ms + s.ms }), { cases: 0, items: 0, ms: 0 });
	console.log(
		[
			`${title} (seed ${seed}; FUZZ_SEED=<n> to change it, FUZZ_RUNS=<factor> for more cases)`,
			line(head),
			...all.slice(1).map(line),
			`${total.cases} cases, ${total.items} items, ${(total.ms / 1000).toFixed(1)} s in the runs`,
			...(defects.length ? ['known: cases that showed a known defect, left for files this work may not change:', ...defects.map(([key, d]) => `- ${key}: ${d.text}`)] : []),
		].join('\n'),
	);
}

// Jest gives tests a copy of `process`; Node reports unhandled rejections to the real one.
const realProcess = runInThisContext('process') as NodeJS.Process;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

export function listenForRejections(): void {
	realProcess.prependListener('unhandledRejection', onRejection);
}

export function stopListeningForRejections(): void {
	realProcess.off('unhandledRejection', onRejection);
}

/** Without an argument: a mark; with one, the unhandled rejections since that mark. */
export function rejectionsSince(): number;
export function rejectionsSince(mark: number): unknown[];
export function rejectionsSince(mark?: number): number | unknown[] {
	return mark === undefined ? rejections.length : rejections.slice(mark);
}

/** A failed property: thrown so that fast-check reports (and shrinks) the case. */
class Violation extends Error {}

function fail(message: string, model: CaseModel, result: WorkflowResult | undefined): never {
	const items = model.items.map((m, i) => `  item ${i}: ${JSON.stringify(m.json).slice(0, 400)} → ${m.judgements.map((j) => `${j.field}:${j.verdict}${j.known ? `(known ${j.known})` : ''}`).join(', ')}`);
	const outputs = result?.outputs.map((o, k) => `  output ${k}: ${JSON.stringify(o.map((i) => ({ json: i.json, pairedItem: i.pairedItem }))).slice(0, 1500)}`) ?? [];
	const error = result?.error ? [`  error: ${result.error.name} ${result.error.message} ${result.error.description ?? ''} context=${JSON.stringify(result.error.context)}`] : [];
	throw new Violation([message, `mode ${model.mode}, zone ${model.timezone}`, ...items, ...outputs, ...error].join('\n'));
}

/** The item's verdict: bad if a field surely is, any if one may be (a valid value the node is known to refuse counts as may). */
export function itemVerdict(item: ItemModel): Verdict {
	if (item.judgements.some((j) => j.verdict === 'bad')) return 'bad';
	if (item.judgements.some((j) => j.verdict !== 'ok' || j.known)) return 'any';
	return 'ok';
}

/** The fields an input error of this item may name. */
function suspects(item: ItemModel): string[] {
	return item.judgements.filter((j) => j.verdict !== 'ok' || j.known).map((j) => j.field);
}

/** The input item an output item is paired with. */
export function pairedIndex(item: Pick<INodeExecutionData, 'pairedItem'>): number | undefined {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'object' && paired !== null ? paired.item : undefined;
}

/** Numbers an output item reports as sent (also the accepted ones of an item that failed for others). */
function sentNumbers(json: IDataObject): string[] {
	const recipients = Array.isArray(json.recipients) ? (json.recipients as IDataObject[]) : undefined;
	if (recipients) return recipients.filter((r) => r.status !== 'failed').map((r) => String(r.to));
	if (json.status === 'failed' || typeof json.error === 'string' || typeof json.to !== 'string') return [];
	return json.to.split(',');
}

/**
 * Runs the case and checks the properties; returns what happened per item for
 * the statistics. Throws a Violation naming the case when a property fails.
 */
export async function runCase(view: ProviderView, model: CaseModel, statsKey: string): Promise<WorkflowResult> {
	const started = Date.now();
	const before = rejections.length;
	const settings: NodeUnderTest['settings'] = model.mode === 'stop' ? {} : model.mode === 'continue' ? { continueOnFail: true } : { onError: 'continueErrorOutput' };
	let result: WorkflowResult;
	try {
		result = await runNode(
			model.items.map((i) => i.json),
			{ type: view.node, parameters: model.parameters, credentials: view.credentials, settings, timezone: model.timezone },
		);
	} catch (error) {
		fail(`the run itself threw: ${(error as Error).stack ?? String(error)}`, model, undefined);
	}
	const finished = Date.now();
	// Let any stray promise settle before looking for unhandled rejections.
	await new Promise((resolve) => setImmediate(resolve));
	if (rejections.length > before) fail(`unhandled rejection: ${String((rejections[rejections.length - 1] as Error)?.stack ?? rejections[rejections.length - 1])}`, model, result);

	const text = runAsText(result);
	try {
		expectNoSecretIn(text, view.secrets);
	} catch {
		fail('a secret is in the run data', model, result);
	}

	const s = statsFor(statsKey);
	s.cases++;
	s.items += model.items.length;
	const verdicts = model.items.map(itemVerdict);
	const { error } = result;
	const n = model.items.length;

	// ---- the run ends with results or an error ----
	if (!error && result.outputs.length === 0) fail('the run ended with neither output nor error', model, result);

	const outcome: Array<{ failed: boolean; input: boolean; message: string } | undefined> = new Array(n).fill(undefined);
	if (model.mode === 'stop') {
		if (error) {
			s.stoppedRuns++;
			if (error.name !== 'NodeOperationError' && error.name !== 'NodeApiError') fail(`the error is a ${String(error.name)}, not a NodeOperationError or NodeApiError`, model, result);
			const index = error.context?.itemIndex;
			if (typeof index !== 'number' || index < 0 || index >= n) fail(`the error carries no item index (context.itemIndex = ${JSON.stringify(index)})`, model, result);
			const words = `${error.message} ${error.description ?? ''}`;
			if (error.name === 'NodeOperationError') {
				s.inputErrors++;
				checkNamesField(words, model.items[index], model, result, s);
				const earlierBad = verdicts.findIndex((v, i) => i < index && v === 'bad');
				if (earlierBad >= 0) fail(`item ${earlierBad} is invalid, but the error is for item ${index}`, model, result);
				if (view.requests() > 0) fail(`the node refused item ${index}'s input, yet sent ${view.requests()} request(s)`, model, result);
			} else {
				s.providerErrors++;
				const badItem = verdicts.findIndex((v) => v === 'bad');
				if (badItem >= 0) fail(`item ${badItem} is invalid, so the node must refuse it before sending, not fail with the provider's answer`, model, result);
				if (!mayBeRefused(model)) fail('every item is valid and acceptable to the provider, yet the run failed', model, result);
			}
		} else {
			const main = result.outputs[0] ?? [];
			const badItem = verdicts.findIndex((v) => v === 'bad');
			if (badItem >= 0) fail(`item ${badItem} is invalid, yet the run succeeded`, model, result);
			checkOutputsCoverItems(main, model, result, outcome, view.providerErrorPattern);
		}
	} else {
		if (error) fail('with Continue On Fail the run must not stop', model, result);
		const all = model.mode === 'continue' ? (result.outputs[0] ?? []) : [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])];
		if (model.mode === 'errorOutput') {
			for (const item of result.outputs[1] ?? []) if (typeof item.json.error !== 'string') fail('an item on the error output has no error', model, result);
		}
		checkOutputsCoverItems(all, model, result, outcome, view.providerErrorPattern);
		outcome.forEach((o, i) => {
			if (!o) return;
			const item = model.items[i];
			if (o.failed && o.input) {
				s.inputErrors++;
				checkNamesField(o.message, item, model, result, s, i);
			} else if (o.failed) {
				s.providerErrors++;
				if (verdicts[i] === 'bad') fail(`item ${i} is invalid, so it must fail on its input, not with the provider's answer: ${o.message}`, model, result);
				if (verdicts[i] === 'ok' && item.providerAccepts && !(model.batchCoupled && mayBeRefused(model))) fail(`item ${i} is valid and acceptable to the provider, yet failed: ${o.message}`, model, result);
			} else if (verdicts[i] === 'bad') {
				fail(`item ${i} is invalid, yet was not refused`, model, result);
			}
		});
	}
	for (let i = 0; i < n; i++) {
		if (outcome[i] && !outcome[i]?.failed) s.sent++;
	}
	// A run stopped by the provider's answer outputs nothing, though other items may have gone out (n8n's way).
	if (!(model.mode === 'stop' && error)) checkLedger(view, model, result, outcome);
	checkSendAt(model, result, started, finished);
	s.ms += Date.now() - started;
	return result;
}

/** Whether the provider may refuse something in this case (so a provider error is no surprise). */
function mayBeRefused(model: CaseModel): boolean {
	return model.items.some((item) => itemVerdict(item) !== 'ok' || !item.providerAccepts);
}

function checkNamesField(words: string, item: ItemModel, model: CaseModel, result: WorkflowResult, stats: Stats, index?: number): void {
	const fields = suspects(item);
	const where = index === undefined ? '' : ` (item ${index})`;
	if (fields.length === 0) fail(`a valid item was refused on its input${where}: ${words}`, model, result);
	// Refused for a valid value, as the known defect does: counted.
	const refusedValid = item.judgements.find((j) => j.known && j.verdict === 'ok' && words.includes(`'${j.field}'`));
	if (refusedValid?.known) {
		if (!KNOWN_DEFECTS[refusedValid.known].shows.test(words)) fail(`item${where} was refused for a valid '${refusedValid.field}': ${words}`, model, result);
		stats.known++;
		return;
	}
	if (fields.some((field) => words.includes(field))) return;
	fail(`the input error${where} names none of the fields ${fields.map((f) => `'${f}'`).join(', ')}: ${words}`, model, result);
}

/**
 * One output item per input item (several for Get Status successes), each paired
 * with its input, in order; records each item's outcome.
 */
function checkOutputsCoverItems(
	outputs: INodeExecutionData[],
	model: CaseModel,
	result: WorkflowResult,
	outcome: Array<{ failed: boolean; input: boolean; message: string } | undefined>,
	providerError: RegExp,
): void {
	const byItem = new Map<number, INodeExecutionData[]>();
	for (const out of outputs) {
		const index = pairedIndex(out);
		if (index === undefined || index < 0 || index >= model.items.length) fail(`an output item is not paired with an input item: ${JSON.stringify(out.pairedItem)}`, model, result);
		byItem.set(index, [...(byItem.get(index) ?? []), out]);
	}
	model.items.forEach((item, i) => {
		const mine = byItem.get(i) ?? [];
		// A list may hold nothing: no output item then.
		if (mine.length === 0 && model.onePerItem === false) return;
		if (mine.length === 0) fail(`input item ${i} has no output item`, model, result);
		const failedOnes = mine.filter((o) => typeof o.json.error === 'string');
		if (failedOnes.length > 0) {
			if (mine.length !== 1) fail(`input item ${i} failed but has ${mine.length} output items`, model, result);
			const message = String(failedOnes[0].json.error);
			outcome[i] = { failed: true, input: !providerError.test(message), message };
			return;
		}
		const expected = model.onePerItem === false ? undefined : (item.outputsOnSuccess ?? 1);
		if (expected !== undefined && mine.length !== expected) fail(`input item ${i} has ${mine.length} output items, expected ${expected}`, model, result);
		outcome[i] = { failed: false, input: false, message: '' };
	});
}

/**
 * Nothing is sent that the output does not report, and everything the output
 * reports as sent reached the provider, with the text the test expects.
 */
function checkLedger(view: ProviderView, model: CaseModel, result: WorkflowResult, outcome: Array<{ failed: boolean } | undefined>): void {
	const ledger = view.ledger();
	const reported = new Set<string>();
	for (const out of [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])]) for (const to of sentNumbers(out.json)) reported.add(to);
	// An item that failed after some of its requests were accepted has sent to some of its numbers; on the
	// error output only its `error` says so, not which: any number written in the item may have gone out.
	const partly = model.items.filter((_, i) => {
		const out = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])].find((o) => pairedIndex(o) === i);
		return out && typeof out.json.error === 'string' && /accepted and (is|are) not resent/.test(out.json.error);
	});
	const partlyDigits = partly.map((item) => JSON.stringify(item.json).replace(/\D/g, ''));
	for (const entry of ledger) {
		if (reported.has(entry.to)) continue;
		const tail = entry.to.replace(/\D/g, '').slice(-8);
		if (partlyDigits.some((digits) => digits.includes(tail))) continue;
		fail(`the provider received an SMS for ${entry.to}, which no output item reports as sent`, model, result);
	}
	const received = new Set(ledger.map((e) => e.to));
	model.items.forEach((item, i) => {
		if (!outcome[i] || outcome[i]?.failed || item.notInLedger) return;
		for (const to of item.numbers) {
			if (!received.has(to)) fail(`item ${i} is reported as sent to ${to}, but the provider has no SMS for it`, model, result);
			if (item.expectedText !== undefined && !ledger.some((e) => e.to === to && e.text === item.expectedText)) {
				fail(`item ${i}: the provider received for ${to} ${JSON.stringify(ledger.filter((e) => e.to === to).map((e) => e.text.slice(0, 200)))}, expected ${JSON.stringify(item.expectedText.slice(0, 200))}`, model, result);
			}
		}
	});
}

/** A scheduled send goes out at the instant its Send At names, in the workflow's time zone when it has none. */
function checkSendAt(model: CaseModel, result: WorkflowResult, started: number, finished: number): void {
	const all = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])];
	model.items.forEach((item, i) => {
		const expected = item.expectedSendAt;
		const out = all.find((o) => pairedIndex(o) === i && typeof o.json.error !== 'string');
		if (!expected || !out) return;
		const got = Date.parse(String(out.json.sendAt));
		if ('ms' in expected) {
			if (got !== expected.ms) fail(`item ${i} was scheduled at ${String(out.json.sendAt)}, but its Send At names ${new Date(expected.ms).toISOString()}`, model, result);
			return;
		}
		// $now.plus({ days }) counts calendar days in the workflow's zone (23 or 25 hours across DST).
		const plus = (ms: number) => DateTime.fromMillis(ms, { zone: model.timezone }).plus({ days: expected.days }).toMillis();
		const low = plus(started) - (expected.startOfHour ? 3_600_000 : 0) - 1000;
		const high = plus(finished) + 1000;
		if (!(got >= low && got <= high)) fail(`item ${i} was scheduled at ${String(out.json.sendAt)}, outside the instants its $now expression can name`, model, result);
	});
}
