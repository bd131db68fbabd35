/**
 * The campaign-safety options (Dry Run, Price Per SMS Segment, Do Not Send To, Max SMS
 * Segments Per Execution) as expressions may give them, on a Send Bulk of valid items:
 * read from the first item for the whole run. An unusable value stops the node naming
 * the option (or fails every item with it), nothing sent; usable ones suppress exactly
 * the listed numbers, stop the whole run over the cap, and send nothing in a dry run.
 */
import fc from 'fast-check';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { WorkflowResult } from '../helpers/n8n';
import { pairedIndex, type Mode } from './harness';
import { encode, fuzzParam, type Spec } from './values';

const json = (v: unknown): Spec => ({ json: v });

/** How a listed number is written: as a person pastes it, never as the node formats it. */
const WRITINGS = ['spaced', 'national', 'doubleZero'] as const;
type Writing = (typeof WRITINGS)[number];
function written(phone: string, how: Writing): string {
	const parsed = parsePhoneNumberWithError(phone);
	if (how === 'spaced') return parsed.formatInternational();
	if (how === 'national') return parsed.formatNational();
	return `00${String(parsed.number).slice(1)}`;
}

/** The list: which items' numbers, how written, as text or a list, or a value that is not a list of numbers. */
type ListChoice =
	| { kind: 'none'; spec: Spec }
	| { kind: 'numbers'; picks: Array<{ item: number; how: Writing }>; asList: boolean; withBlanks: boolean }
	| { kind: 'bad'; spec: Spec };

/** Quiet hours around now in the recipients' zone, away from now, or unusable. */
type QuietChoice = 'none' | 'inside' | 'outside' | 'badTime' | 'half' | 'empty';

export interface CampaignChoices {
	mode: Mode;
	items: number;
	dryRun: Spec;
	price: Spec;
	maxSegments: Spec;
	list: ListChoice;
	quiet: QuietChoice;
}

const listChoice: fc.Arbitrary<ListChoice> = fc.oneof(
	{ arbitrary: fc.constantFrom<Spec>({ absent: true }, json(''), json(null), json([]), json([null, ''])).map((spec): ListChoice => ({ kind: 'none', spec })), weight: 1 },
	{
		arbitrary: fc.record({
			picks: fc.array(fc.record({ item: fc.integer({ min: 0, max: 3 }), how: fc.constantFrom(...WRITINGS) }), { maxLength: 4 }),
			asList: fc.boolean(),
			withBlanks: fc.boolean(),
		}).map((r): ListChoice => ({ kind: 'numbers', ...r })),
		weight: 4,
	},
	{ arbitrary: fc.constantFrom<Spec>(json('abc'), json('phone\n'), json({}), json(true), json(12), json([{ phone: '1' }])).map((spec): ListChoice => ({ kind: 'bad', spec })), weight: 1 },
);

const count = fc.oneof(
	{ arbitrary: fc.constantFrom<Spec>({ absent: true }, { absent: true }, json(0), json(1), json(2), json(3), json(10), json('2'), json(' 4 '), json(null), json(''), json(2.7)), weight: 4 },
	{ arbitrary: fc.constantFrom<Spec>(json(-1), json('abc'), json({}), json([2]), json(true)), weight: 1 },
);

export const campaignChoices: fc.Arbitrary<CampaignChoices> = fc.record({
	mode: fc.constantFrom<Mode>('stop', 'continue', 'errorOutput'),
	items: fc.integer({ min: 1, max: 4 }),
	dryRun: fc.constantFrom<Spec>({ absent: true }, json(true), json(false)),
	price: fc.constantFrom<Spec>({ absent: true }, json(0), json(0.025), json('0.5'), json(-1), json('x'), json(null)),
	maxSegments: count,
	list: listChoice,
	quiet: fc.constantFrom<QuietChoice>('none', 'none', 'inside', 'outside', 'badTime', 'half', 'empty'),
});

/** The recipients' zone, by the country of their numbers: written here, not taken from the node. */
const ZONES: Record<string, string> = { CG: 'Africa/Brazzaville', CM: 'Africa/Douala', GA: 'Africa/Libreville', CI: 'Africa/Abidjan' };

/** HH:mm in `zone`, `minutes` from the start of the current minute. */
function wallTime(zone: string, minutes: number): string {
	const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000);
	return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

function quietOptions(choice: QuietChoice, zone: string): IDataObject {
	switch (choice) {
		case 'inside':
			return { quietHoursStart: wallTime(zone, -90), quietHoursEnd: wallTime(zone, 90) };
		case 'outside':
			return { quietHoursStart: wallTime(zone, 90), quietHoursEnd: wallTime(zone, 180) };
		case 'badTime':
			return { quietHoursStart: '25:00', quietHoursEnd: '08:00' };
		case 'half':
			return { quietHoursEnd: '08:00' };
		case 'empty':
			return { quietHoursStart: '21:00', quietHoursEnd: '21h00' };
		default:
			return {};
	}
}

/** A count or price as the node must read it: undefined for "not set", NaN for unusable. */
function numberOf(spec: Spec): number | undefined {
	if ('absent' in spec) return undefined;
	const v = 'json' in spec ? spec.json : undefined;
	if (v === null || v === '') return undefined;
	if (typeof v === 'number') return v >= 0 ? v : NaN;
	if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
	return NaN;
}

export interface CampaignCase {
	items: IDataObject[];
	options: IDataObject;
	/** The labels of the options that cannot be used. */
	bad: string[];
	dryRun: boolean;
	price?: number;
	cap: number;
	/** Items whose number is on the list. */
	suppressed: Set<number>;
	/** Now is inside the quiet hours of the recipients' country. */
	quiet: boolean;
}

export function campaignCase(choices: CampaignChoices, phone: (i: number) => string): CampaignCase {
	const zone = ZONES[String(parsePhoneNumberWithError(phone(0)).country)];
	const shared: IDataObject = {};
	const put = (key: string, spec: Spec) => {
		const value = encode(spec);
		if (value !== undefined) shared[key] = value;
	};
	put('o_dryRun', choices.dryRun);
	put('o_price', choices.price);
	put('o_max', choices.maxSegments);
	const suppressed = new Set<number>();
	const bad: string[] = [];
	const { list } = choices;
	if (list.kind === 'numbers') {
		const entries: unknown[] = list.picks.map((p) => written(phone(p.item), p.how));
		for (const p of list.picks) if (p.item < choices.items) suppressed.add(p.item);
		if (list.withBlanks) entries.push(list.asList ? null : '');
		shared.o_list = list.asList ? entries : entries.join(list.withBlanks ? '\n\n' : ', ');
	} else {
		put('o_list', list.spec);
		if (list.kind === 'bad') bad.push('Do Not Send To');
	}
	const price = numberOf(choices.price);
	const max = numberOf(choices.maxSegments);
	if (Number.isNaN(price)) bad.push('Price Per SMS Segment');
	if (Number.isNaN(max)) bad.push('Max SMS Segments Per Execution');
	if (choices.quiet === 'badTime' || choices.quiet === 'half' || choices.quiet === 'empty') bad.push('Quiet Hours Start', 'Quiet Hours End');
	return {
		items: Array.from({ length: choices.items }, (_, i) => ({ phone: phone(i), ...shared })),
		options: {
			maxRequestsPerSecond: 0,
			dryRun: fuzzParam('o_dryRun'),
			pricePerSegment: fuzzParam('o_price'),
			maxSegments: fuzzParam('o_max'),
			doNotSendTo: fuzzParam('o_list'),
			...quietOptions(choices.quiet, zone),
		},
		bad,
		dryRun: 'json' in choices.dryRun && choices.dryRun.json === true,
		price: price && price > 0 ? price : undefined,
		cap: Math.floor(max ?? 0),
		suppressed,
		quiet: choices.quiet === 'inside',
	};
}

export type Outcome = { ok: true; sent: number } | { ok: false; problem: string };

/** Judges a run of `c`: `requests` the provider received, `ledger` the numbers' digits it accepted. */
export function judgeCampaignRun(c: CampaignCase, mode: Mode, result: WorkflowResult, requests: number, ledger: string[], phone: (i: number) => string, schedules: boolean): Outcome {
	const outputs = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])].sort((a, b) => itemOf(a) - itemOf(b));
	const n = c.items.length;
	const fail = (problem: string): Outcome => ({ ok: false, problem: `${problem}; outputs ${JSON.stringify(outputs.map((o) => o.json)).slice(0, 500)}` });
	const named = (text: unknown, labels: string[]) => labels.some((label) => String(text).includes(`'${label}'`));
	const stoppedOrAllFail = (labels: string[], except: Set<number>): Outcome | undefined => {
		if (requests > 0 && !c.dryRun) return fail(`nothing may be sent, yet ${requests} request(s) were`);
		if (mode === 'stop') {
			if (!result.error) return fail('the run should have stopped');
			if (result.error.name !== 'NodeOperationError' || !named(result.error.message, labels)) return fail(`the error should be a NodeOperationError naming ${labels.join(' or ')}: ${result.error.name} ${result.error.message}`);
			return undefined;
		}
		if (result.error) return fail(`with Continue On Fail the run stopped: ${result.error.message}`);
		if (outputs.length !== n) return fail(`${n} items in, ${outputs.length} out`);
		for (let i = 0; i < n; i++) {
			if (except.has(i)) continue;
			if (!named(outputs[i].json.error, labels)) return fail(`item ${i} should fail naming ${labels.join(' or ')}`);
			if (mode === 'errorOutput' && !(result.outputs[1] ?? []).includes(outputs[i])) return fail(`item ${i} should be on the error output`);
		}
		return undefined;
	};

	if (c.bad.length) return stoppedOrAllFail(c.bad, new Set()) ?? { ok: true, sent: 0 };
	// Quiet hours for a provider that cannot schedule: the unlisted items are held back, nothing is sent for them.
	const deferred = c.quiet && !schedules;
	const held = new Set([...Array(n).keys()].filter((i) => deferred && !c.suppressed.has(i)));
	const live = [...Array(n).keys()].filter((i) => !c.suppressed.has(i) && !held.has(i));
	if (!c.dryRun && c.cap > 0 && live.length > c.cap) {
		const problem = stoppedOrAllFail(['Max SMS Segments Per Execution'], new Set([...c.suppressed, ...held]));
		if (problem) return problem;
		if (ledger.length) return fail('over the cap, yet SMS were sent');
		return { ok: true, sent: 0 };
	}
	if (result.error) return fail(`the run failed: ${result.error.message}`);
	if (outputs.length !== n || !outputs.every((o, i) => itemOf(o) === i)) return fail(`${n} items in, ${outputs.length} out, or unpaired`);
	for (let i = 0; i < n; i++) {
		const status = outputs[i].json.status;
		if (c.suppressed.has(i) && status !== 'suppressed') return fail(`item ${i} is on the list, yet its status is ${String(status)}`);
		if (held.has(i) && (status !== 'deferred' || typeof outputs[i].json.sendAfter !== 'string')) return fail(`item ${i} is in quiet hours, yet its status is ${String(status)}`);
		if (!c.suppressed.has(i) && !held.has(i) && ['suppressed', 'failed', 'deferred'].includes(String(status))) return fail(`item ${i} is to be sent, yet its status is ${String(status)}`);
		if (c.quiet && schedules && live.includes(i) && typeof outputs[i].json.sendAt !== 'string') return fail(`item ${i} is in quiet hours, yet it was not scheduled`);
	}
	const digits = (s: string) => s.replace(/\D/g, '');
	if (c.dryRun) {
		if (requests > 0) return fail(`a dry run sent ${requests} request(s)`);
		if (live.some((i) => outputs[i].json.status !== 'preview')) return fail('a dry run item is not a preview');
		const summary = outputs[0].json.summary as IDataObject | undefined;
		if (!summary || summary.recipients !== live.length || summary.estimatedCost !== (c.price !== undefined ? Math.round(live.length * c.price * 10_000) / 10_000 : undefined)) {
			return fail(`the dry run's summary is wrong: ${JSON.stringify(summary)}`);
		}
		return { ok: true, sent: 0 };
	}
	// Scheduled for later: the provider has the requests; its ledger may list the SMS only when they go.
	if (c.quiet && schedules) return live.length && requests === 0 ? fail('scheduled items, yet no request was sent') : { ok: true, sent: live.length };
	const expected = live.map((i) => digits(phone(i))).sort();
	if (JSON.stringify(ledger.map(digits).sort()) !== JSON.stringify(expected)) return fail(`the provider got ${JSON.stringify(ledger)}, not the unlisted ${JSON.stringify(expected)}`);
	return { ok: true, sent: live.length };
}

const itemOf = (o: Pick<INodeExecutionData, 'pairedItem'>): number => pairedIndex(o) ?? -1;
