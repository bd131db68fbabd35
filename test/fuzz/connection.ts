/**
 * The connection options (Max Concurrent Requests, Max Requests Per Second,
 * Timeout), read from the first item for the whole node: valid values let every
 * item through; an invalid one stops the node with a NodeOperationError naming
 * the option (item 0), or with Continue On Fail fails every item naming it, with
 * nothing sent either way.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import type { WorkflowResult } from '../helpers/n8n';
import { encode, fuzzParam, type Spec, type Verdict } from './values';
import type { Mode } from './harness';

const json = (v: unknown): Spec => ({ json: v });
/** Values every option takes, and values some or all refuse (0 means no limit to Max Requests Per Second; 0.5 is a rate, or a Timeout of one second). */
const USUAL: Spec[] = [{ absent: true }, { absent: true }, json(1), json(4), json('2'), json(' 3 '), json(50), json(null), json(''), json(1.5)];
const ODD: Spec[] = [json(0), json(0.5), json(-1), json('abc'), json(' '), json({}), json([2]), json(true)];
/** Mostly usual values, so that a case with three options is valid often enough to send. */
const value: fc.Arbitrary<Spec> = fc.oneof({ arbitrary: fc.constantFrom(...USUAL), weight: 3 }, { arbitrary: fc.constantFrom(...ODD), weight: 1 });

export interface ConnectionChoices {
	mode: Mode;
	items: number;
	concurrency: Spec;
	rate: Spec;
	timeout: Spec;
}

export const connectionChoices: fc.Arbitrary<ConnectionChoices> = fc.record({
	mode: fc.constantFrom<Mode>('stop', 'continue', 'errorOutput'),
	items: fc.integer({ min: 1, max: 3 }),
	concurrency: value,
	rate: value,
	timeout: value,
});

/**
 * What the README promises for each value: a number or its text, at least `min`
 * (more than `min` when `strict`); unset, null or '' mean the default; anything
 * else (a negative count, a word, blanks, an object, a list, a boolean) is refused.
 */
function judge(spec: Spec, min: number, strict = false): Verdict {
	if ('absent' in spec) return 'ok';
	const v = 'json' in spec ? spec.json : undefined;
	if (v === null || v === '') return 'ok';
	const enough = (n: number) => Number.isFinite(n) && (strict ? n > min : n >= min);
	if (typeof v === 'number') return enough(v) ? 'ok' : 'bad';
	if (typeof v === 'string') return /^\s*\d+(\.\d+)?\s*$/.test(v) && enough(Number(v)) ? 'ok' : 'bad';
	return 'bad';
}

export interface ConnectionCase {
	items: IDataObject[];
	options: IDataObject;
	verdicts: { concurrency: Verdict; rate: Verdict; timeout: Verdict };
}

export function connectionCase(choices: ConnectionChoices, records: boolean): ConnectionCase {
	const item: IDataObject = {};
	const put = (key: string, spec: Spec) => {
		const value = encode(spec);
		if (value !== undefined) item[key] = value;
	};
	const options: IDataObject = { maxRequestsPerSecond: fuzzParam('c_rate'), timeout: fuzzParam('c_timeout') };
	put('c_rate', choices.rate);
	put('c_timeout', choices.timeout);
	// Mon SMS PRO's record operations have no Max Concurrent Requests.
	if (!records) {
		options.maxConcurrentRequests = fuzzParam('c_concurrency');
		put('c_concurrency', choices.concurrency);
	}
	return {
		items: Array.from({ length: choices.items }, () => ({ ...item })),
		options,
		verdicts: {
			// A count of at least 1 (1.5 is taken as 1).
			concurrency: records ? 'ok' : judge(choices.concurrency, 1),
			// 0 means no limit.
			rate: judge(choices.rate, 0),
			// Any time above 0 (under a second counts as one).
			timeout: judge(choices.timeout, 0, true),
		},
	};
}

export type Outcome = { ok: true } | { ok: false; problem: string };

const OPTION_NAMES = { concurrency: 'Max Concurrent Requests', rate: 'Max Requests Per Second', timeout: 'Timeout (Seconds)' } as const;

/**
 * Judges a run: valid options send every item; an invalid one stops the run with
 * a NodeOperationError for item 0, or (Continue On Fail) fails every item, naming
 * the option, with nothing sent.
 */
export function judgeConnectionRun(c: ConnectionCase, mode: Mode, result: WorkflowResult, requests: number): Outcome {
	const outputs = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])];
	const failed = outputs.filter((o) => typeof o.json.error === 'string');
	const bad = (Object.keys(OPTION_NAMES) as Array<keyof typeof OPTION_NAMES>).filter((key) => c.verdicts[key] === 'bad').map((key) => OPTION_NAMES[key]);
	if (bad.length === 0) {
		if (result.error) return { ok: false, problem: `valid options, yet the run failed: ${result.error.message}` };
		if (failed.length) return { ok: false, problem: `valid options, yet items failed: ${String(failed[0].json.error)}` };
		return { ok: true };
	}
	if (requests > 0) return { ok: false, problem: `invalid options, yet ${requests} request(s) were sent` };
	// The node reports the first invalid option it reads: any of them may be named.
	const named = (text: string) => bad.some((name) => text.includes(`'${name}'`));
	if (mode === 'stop') {
		const error = result.error;
		if (!error) return { ok: false, problem: 'invalid options, yet the run succeeded' };
		if (error.name !== 'NodeOperationError') return { ok: false, problem: `the error is a ${String(error.name)}, not a NodeOperationError: ${error.message}` };
		if (error.context?.itemIndex !== 0) return { ok: false, problem: `the error's item index is ${JSON.stringify(error.context?.itemIndex)}, not 0: ${error.message}` };
		if (!named(error.message)) return { ok: false, problem: `the error names none of ${bad.join(', ')}: ${error.message}` };
		return { ok: true };
	}
	if (result.error) return { ok: false, problem: `with Continue On Fail the run stopped: ${result.error.message}` };
	const where = mode === 'continue' ? 0 : 1;
	if ((result.outputs[where] ?? []).length !== outputs.length) return { ok: false, problem: `failed items must all be on output ${where}; got ${JSON.stringify(result.outputs.map((o) => o.length))}` };
	const paired = outputs.map((o) => (Array.isArray(o.pairedItem) ? o.pairedItem[0] : o.pairedItem)).map((p) => (typeof p === 'object' && p !== null ? p.item : undefined));
	if (outputs.length !== c.items.length || failed.length !== c.items.length || !paired.every((p, i) => p === i) || !failed.every((o) => named(String(o.json.error)))) {
		return { ok: false, problem: `invalid options: expected every item to fail naming ${bad.join(' or ')}; got ${JSON.stringify(outputs.map((o) => ({ json: o.json, pairedItem: o.pairedItem }))).slice(0, 600)}` };
	}
	return { ok: true };
}
