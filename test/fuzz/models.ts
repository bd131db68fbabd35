/**
 * The test's model of the SMS operations: generated choices per item, turned
 * into the item's JSON, the node's parameters and, independently of the node's
 * code, what the README promises for each value (accepted, refused naming the
 * field, or either), what the provider must receive and when.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { analyzeText } from '../../nodes/shared/text';
import type { ProviderModel } from '../providers/types';
import type { CaseModel, ItemModel, Judgement, Mode } from './harness';
import {
	codePoints,
	dateInput,
	fuzzItem,
	homeRecipients,
	plainText,
	fuzzParam,
	isBlank,
	oddValue,
	phoneInput,
	phoneVerdict,
	placeholdersOf,
	placeholderValue,
	recipientsInput,
	senderInput,
	templateInput,
	textInput,
	ZONES,
	type DateInput,
	type OddValue,
	type PhoneInput,
	type Spec,
	type TextInput,
	type Verdict,
} from './values';

export type SendOperation = 'send' | 'sendBulk' | 'sendPersonalized' | 'sendScheduled' | 'getStatus';
export type { ProviderModel };


type LastDayChoice = { kind: 'absent' } | { kind: 'rel'; k: number; style: 'date' | 'datetime' | 'dt' } | { kind: 'unset'; spec: Spec } | { kind: 'bad'; spec: Spec };
type IdChoice = { kind: 'seeded'; style: 'plain' | 'padded' | 'number' } | { kind: 'unknown'; spec: Spec } | { kind: 'odd'; odd: OddValue };

interface ItemChoice {
	sender: TextInput;
	message: TextInput;
	recipients: PhoneInput;
	sendAt?: DateInput;
	p: TextInput[];
	options: Record<string, Spec>;
	lastDay: LastDayChoice;
	messageId: IdChoice;
}

export interface SendChoices {
	zone: string;
	mode: Mode;
	items: ItemChoice[];
}

const absent: Spec = { absent: true };
const json = (v: unknown): Spec => ({ json: v });
/** An option: mostly not set, otherwise one of the values. */
const option = (values: unknown[], absentWeight = 4): fc.Arbitrary<Spec> =>
	fc.oneof({ arbitrary: fc.constant(absent), weight: absentWeight }, { arbitrary: fc.constantFrom(...values.map(json)), weight: 1 + Math.floor(values.length / 3) });

const WHOLE_NUMBER_VALUES = [0, '', null, 1, 2, 3, 6, 1000, '3', '0', -1, 1.5, 'abc', {}, true, [2]];

function optionArbitraries(model: ProviderModel, op: SendOperation): Record<string, fc.Arbitrary<Spec>> {
	const arbs: Record<string, fc.Arbitrary<Spec>> = {};
	if (op === 'getStatus') return arbs;
	arbs.transliterate = option([true, true, false, 'true', 1]);
	if (op === 'sendBulk' || op === 'sendPersonalized') arbs.removeDuplicates = option([true, false]);
	if (model.node === 'mtnCongoSms') {
		arbs.externalId = option([12, '34', 0, -5, 1.5, 'abc', '', null, true, 1e20, ' 7 ']);
		arbs.callbackUrl = option(['https://example.test/cb?secret=x', 'not a url', '', 42]);
	}
	if (model.node === 'ionSmsGateway') {
		if (op === 'sendScheduled') {
			arbs.smsPerDay = option(WHOLE_NUMBER_VALUES);
			arbs.minutesBetweenSms = option(WHOLE_NUMBER_VALUES);
		} else {
			arbs.splitLongText = option([true, true, false, 'true']);
		}
	}
	if (model.node === 'monSmsPro') {
		arbs.campaignName = option(['Promo 🎉', '', 42, {}, 'x'.repeat(300)]);
		if (op === 'sendBulk' || op === 'sendPersonalized') arbs.contactName = option(['Awa', '', 42, {}, 'مرحبا']);
		if (op === 'send' || op === 'sendScheduled') arbs.groupsIds = option([['grp_999999'], 'grp_999999', []], 8);
		if (op === 'sendScheduled') {
			arbs.roundToQuarterHour = option([true, true, false, 'true']);
			arbs.repeatOn = option([['monday'], ['Friday', 'monday'], 'monday, friday', 'funday', ['monday', 'funday'], [], 42], 6);
		}
	}
	return arbs;
}

const lastDayChoice: fc.Arbitrary<LastDayChoice> = fc.oneof(
	{ arbitrary: fc.constant<LastDayChoice>({ kind: 'absent' }), weight: 3 },
	{ arbitrary: fc.record({ kind: fc.constant('rel' as const), k: fc.integer({ min: -3, max: 6 }), style: fc.constantFrom('date' as const, 'datetime' as const, 'dt' as const) }), weight: 4 },
	{ arbitrary: fc.constantFrom<Spec>(json(''), json(null), json('  ')).map((spec): LastDayChoice => ({ kind: 'unset', spec })), weight: 1 },
	{ arbitrary: fc.constantFrom<Spec>(json('soon'), json('2030-02-30'), json(20_301_123), json({}), json(true), json('23/11/2030')).map((spec): LastDayChoice => ({ kind: 'bad', spec })), weight: 1 },
);

const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
	{ arbitrary: fc.constantFrom('plain' as const, 'padded' as const, 'number' as const).map((style): IdChoice => ({ kind: 'seeded', style })), weight: 5 },
	{ arbitrary: fc.constantFrom<Spec>(json('999999'), json('cmp_999999'), json('x'.repeat(300)), json('../list'), json('a/b?c#d'), json('😀'), json(123)).map((spec): IdChoice => ({ kind: 'unknown', spec })), weight: 2 },
	{ arbitrary: oddValue.map((odd): IdChoice => ({ kind: 'odd', odd })), weight: 2 },
);

/** Generated choices for one case of an operation. */
export function sendChoices(model: ProviderModel, op: SendOperation): fc.Arbitrary<SendChoices> {
	const senders = model.otherSenders ? fc.oneof({ arbitrary: senderInput(model.senders), weight: 6 }, { arbitrary: fc.constantFrom(...model.otherSenders).map((text): TextInput => ({ spec: json(text), text })), weight: 1 }) : senderInput(model.senders);
	return fc.tuple(fc.constantFrom(...ZONES), fc.constantFrom<Mode>('stop', 'continue', 'continue', 'errorOutput')).chain(([zone, mode]) => {
		// Send Scheduled fuzzes Send At and its options above all: the other fields are mostly valid, so that items get through.
		const scheduled = op === 'sendScheduled';
		const mostly = <T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>) => (scheduled ? fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: any, weight: 1 }) : any);
		const item: fc.Arbitrary<ItemChoice> = fc.record({
			sender: mostly(fc.constantFrom(...model.senders).map((text): TextInput => ({ spec: json(text), text })), senders),
			message: op === 'sendPersonalized' ? templateInput : mostly(plainText, textInput),
			recipients: op === 'send' ? recipientsInput(model.home) : scheduled ? mostly(homeRecipients(model.home), recipientsInput(model.home)) : phoneInput(model.home),
			sendAt: op === 'sendScheduled' ? dateInput(zone) : fc.constant(undefined),
			p: op === 'sendPersonalized' ? fc.array(placeholderValue, { minLength: 5, maxLength: 5 }) : fc.constant([]),
			options: fc.record(optionArbitraries(model, op)),
			lastDay: model.scheduleByDay && op === 'sendScheduled' ? lastDayChoice : fc.constant<LastDayChoice>({ kind: 'absent' }),
			messageId: op === 'getStatus' ? idChoice : fc.constant<IdChoice>({ kind: 'seeded', style: 'plain' }),
		});
		return fc.record({ zone: fc.constant(zone), mode: fc.constant(mode), items: fc.array(item, { minLength: 1, maxLength: 6 }) });
	});
}

// ---------- judging ----------

const DAY = 86_400_000;
const GABON_MS = 3_600_000;
const gabonDay = (ms: number) => new Date(ms + GABON_MS).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const specValue = (spec: Spec): unknown => ('json' in spec ? spec.json : undefined);
const hasLoneSurrogate = (text: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

/**
 * A text field (Message, Sender, P1…, Message ID) for a value that is not a string or number:
 * nothing, blanks, an object or a list fail the item; a date, a DateTime, a boolean or NaN is
 * its text all the same.
 */
function oddTextVerdict(kind: OddValue['kind'], field: string): Judgement {
	if (kind === 'absent' || kind === 'null' || kind === 'blank' || kind === 'object' || kind === 'array') return { field, verdict: 'bad' };
	return { field, verdict: 'ok' };
}

/** The SMS parts a text takes; transliterated, at best as many as its length in GSM-7 would. */
function fewestSegments(text: string, transliterate: boolean): number {
	const analysis = analyzeText(text);
	if (!transliterate || analysis.encoding === 'GSM-7') return analysis.segments;
	return analysis.characters <= 160 ? 1 : Math.ceil(analysis.characters / 153);
}

function senderJudgement(model: ProviderModel, input: TextInput): { judgement: Judgement; accepted: boolean } {
	const field = 'Sender';
	// A provider with a default sender (Orange) takes an item without one.
	if (model.optionalSender && (input.odd === 'absent' || input.odd === 'blank' || input.odd === 'null' || (!input.odd && !(input.text ?? '').trim()))) {
		return { judgement: { field, verdict: 'ok' }, accepted: true };
	}
	if (input.odd) {
		// MTN checks the length of the text a date becomes: too long.
		if (model.maxSenderLength && (input.odd === 'datetime' || input.odd === 'jsdate')) return { judgement: { field, verdict: 'bad' }, accepted: false };
		return { judgement: oddTextVerdict(input.odd, field), accepted: false };
	}
	const sender = (input.text ?? '').trim();
	if (!sender) return { judgement: { field, verdict: 'bad' }, accepted: false };
	const max = model.maxSenderLength;
	if (max && sender.length > max) return { judgement: { field, verdict: codePoints(sender) > max ? 'bad' : 'any' }, accepted: false };
	return { judgement: { field, verdict: 'ok' }, accepted: model.acceptsSender(sender) };
}

/** A whole-number option (SMS Per Day, Minutes Between SMS): unset, a whole number, or refused. */
function wholeNumber(spec: Spec, min: number): { verdict: Verdict; value?: number } {
	const v = specValue(spec);
	if ('absent' in spec || v === null || v === '' || v === 0) return { verdict: 'ok' };
	if (typeof v === 'number') return Number.isInteger(v) && v >= min ? { verdict: 'ok', value: v } : { verdict: 'bad' };
	if (typeof v === 'string') return /^\d+$/.test(v) && Number(v) >= min ? { verdict: 'ok', value: Number(v) } : v.trim() === '0' ? { verdict: 'any' } : { verdict: 'bad' };
	if (typeof v === 'boolean') return { verdict: 'any' };
	return { verdict: 'bad' };
}

interface Context {
	seededMessageId?: string;
	now: number;
}

export function sendCase(model: ProviderModel, op: SendOperation, choices: SendChoices, ctx: Context): CaseModel {
	const optionKeys = Object.keys(choices.items[0]?.options ?? {});
	const fields: IDataObject = { operation: op };
	if (model.resource) fields.resource = model.resource;
	if (op === 'getStatus') fields.messageId = fuzzParam('messageId');
	else {
		fields.sender = fuzzParam('sender');
		fields.message = fuzzParam('message');
		if (op === 'send' || op === 'sendScheduled') fields.to = fuzzParam('to');
		else fields.phone = fuzzParam('phone');
		if (op === 'sendScheduled') fields.sendAt = fuzzParam('sendAt');
		if (op === 'sendPersonalized') for (let n = 1; n <= 5; n++) fields[`p${n}`] = fuzzParam(`p${n}`);
	}
	const optionsParam: IDataObject = { maxRequestsPerSecond: 0 };
	for (const key of optionKeys) optionsParam[key] = fuzzParam(`o_${key}`);
	if (model.scheduleByDay && op === 'sendScheduled') optionsParam.lastDay = fuzzParam('o_lastDay');
	fields.options = optionsParam;
	// Transliterate to GSM-7 and Remove Duplicate Recipients are read from the first item's options, for all items.
	const first = choices.items[0]?.options ?? {};
	const nodeWide = { transliterate: specValue(first.transliterate ?? absent) === true };
	const items = choices.items.map((choice) => judgeItem(model, op, choice, ctx, nodeWide));
	return {
		items,
		parameters: fields as INodeParameters,
		mode: choices.mode,
		timezone: choices.zone,
		batchCoupled: model.batchCoupled && (op === 'sendBulk' || op === 'sendPersonalized'),
	};
}

function judgeItem(model: ProviderModel, op: SendOperation, choice: ItemChoice, ctx: Context, nodeWide: { transliterate: boolean }): ItemModel {
	const { item: fields, put } = fuzzItem();
	const item = fields as IDataObject;
	const judgements: Judgement[] = [];
	let accepted = true;
	const opts = choice.options;
	for (const [key, spec] of Object.entries(opts)) put(`o_${key}`, spec);
	const { transliterate } = nodeWide;

	if (op === 'getStatus') return judgeStatus(model, choice.messageId, ctx, item, put);

	// ---- Sender ----
	put('sender', choice.sender.spec);
	const sender = senderJudgement(model, choice.sender);
	judgements.push(sender.judgement);
	accepted &&= sender.accepted;

	// ---- To / Phone ----
	const single = op !== 'send' && op !== 'sendScheduled';
	put(single ? 'phone' : 'to', choice.recipients.spec);
	const phoneField = single ? 'Phone' : 'To';
	const phone = phoneVerdict(choice.recipients, model.home, single);
	judgements.push({ field: phoneField, verdict: phone });
	const numbers = phone === 'ok' ? [...new Set(choice.recipients.written.map((w) => (model.format === 'e164' ? w.number.e164 : w.number.e164.slice(1))))] : [];
	if (phone !== 'ok' || !numbers.every((n) => model.acceptsNumber(n))) accepted = false;

	// ---- Message, and for Send Personalized the template and P1…P5 ----
	put('message', choice.message.spec);
	const message = choice.message;
	let text: string | undefined;
	if (message.odd) {
		judgements.push(oddTextVerdict(message.odd, 'Message'));
		accepted = false;
	} else {
		const raw = message.text ?? '';
		if (isBlank(raw)) judgements.push({ field: 'Message', verdict: 'bad' });
		// Zero-width spaces are not blank, but Transliterate to GSM-7 drops them: nothing may be left to send.
		else if (isBlank(raw.replace(/\u200b/g, ''))) judgements.push({ field: 'Message', verdict: transliterate ? 'bad' : 'any' });
		else judgements.push({ field: 'Message', verdict: 'ok' });
		text = raw;
	}
	let rendered = text;
	let exactValues = true;
	choice.p.forEach((p, i) => put(`p${i + 1}`, p.spec));
	if (op === 'sendPersonalized' && text !== undefined) {
		const used = placeholdersOf(text);
		if (used.some((n) => n < 1 || n > 5)) {
			judgements.push({ field: 'Message', verdict: 'bad' });
		} else {
			const count = used.length ? Math.max(...used) : 0;
			const values: Array<string | undefined> = [];
			for (let n = 1; n <= count; n++) {
				const p = choice.p[n - 1];
				if (p.odd) {
					const nullish = p.odd === 'absent' || p.odd === 'null';
					values.push(nullish ? '' : undefined);
					// Nothing fills in nothing; blanks are text (MTN refuses their line breaks); an object or a list fails the item.
					if (!nullish) judgements.push(p.odd === 'blank' ? { field: `P${n}`, verdict: 'any' } : oddTextVerdict(p.odd, `P${n}`));
				} else {
					values.push(p.text);
					if (model.nativeTemplates && /[;\r\n]/.test(p.text ?? '')) judgements.push({ field: `P${n}`, verdict: 'bad' });
				}
			}
			exactValues = values.every((v) => v !== undefined);
			rendered = exactValues ? text.replace(/:P(\d+)/g, (_, n: string) => values[Number(n) - 1] ?? '') : undefined;
		}
	}
	// The provider's length rules, on the text as sent (filled for Send Personalized).
	const filled = op === 'sendPersonalized' ? 'Message (filled for this item)' : 'Message';
	if (model.maxTextCharacters && text !== undefined) {
		const split = specValue(opts.splitLongText ?? absent) === true && op !== 'sendScheduled';
		if (rendered === undefined || (transliterate && /[…œŒ\u200b]/.test(rendered))) judgements.push({ field: filled, verdict: 'any' });
		else if (codePoints(rendered.trim()) > model.maxTextCharacters && !split) judgements.push({ field: filled, verdict: 'bad' });
	}
	if (model.providerMaxTextCharacters && (rendered === undefined || codePoints(rendered) > model.providerMaxTextCharacters)) accepted = false;
	if (model.providerMaxSegments && (rendered === undefined || fewestSegments(rendered, transliterate) > model.providerMaxSegments)) accepted = false;

	// What the provider must receive: the text itself (ION: trimmed when only the spaces make it too long).
	let expectedText: string | undefined = rendered;
	if (transliterate || rendered === undefined || hasLoneSurrogate(rendered)) expectedText = undefined;
	else if (model.maxTextCharacters && codePoints(rendered) > model.maxTextCharacters) expectedText = codePoints(rendered.trim()) <= model.maxTextCharacters ? rendered.trim() : undefined;
	// Mon SMS PRO fills its own @variables; MTN fills :P1…:P5 by its own rule (not :P01).
	if (expectedText !== undefined && model.node === 'monSmsPro' && expectedText.includes('@')) expectedText = undefined;
	if (expectedText !== undefined && model.nativeTemplates && op === 'sendPersonalized' && /:P0\d/.test(text ?? '')) expectedText = undefined;

	// ---- options ----
	let notInLedger = false;
	if (model.node === 'mtnCongoSms') {
		const v = specValue(opts.externalId ?? absent);
		const set = !('absent' in (opts.externalId ?? absent)) && v !== null && v !== '';
		const integer = typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' ? /^\s*-?\d+\s*$/.test(v) : false;
		if (set) judgements.push({ field: 'External ID', verdict: integer ? 'ok' : typeof v === 'boolean' ? 'any' : 'bad' });
		if (set && !integer) accepted = false;
	}
	if (model.node === 'monSmsPro') {
		const groups = specValue(opts.groupsIds ?? absent);
		if (groups === 'grp_999999' || (Array.isArray(groups) && groups.length > 0)) accepted = false;
	}

	// ---- Send At ----
	let expectedSendAt: ItemModel['expectedSendAt'];
	if (op === 'sendScheduled' && choice.sendAt) {
		put('sendAt', choice.sendAt.spec);
		const round = specValue(opts.roundToQuarterHour ?? absent);
		const at = judgeSendAt(model, choice.sendAt, ctx.now, round);
		judgements.push(at.judgement);
		expectedSendAt = at.expected;
		if (model.quarterHours) {
			const repeat = specValue(opts.repeatOn ?? absent);
			const days = Array.isArray(repeat) ? repeat.map(String) : typeof repeat === 'string' ? repeat.split(/[\s,;]+/).filter(Boolean) : [];
			if (days.some((d) => !['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].includes(d.toLowerCase()))) judgements.push({ field: 'Repeat On', verdict: 'bad' });
			else if (typeof repeat === 'number') judgements.push({ field: 'Repeat On', verdict: 'any' });
			notInLedger = days.length > 0;
		}
		if (model.scheduleByDay) {
			const window = judgeWindow(choice, opts, at.instant, at.judgement.verdict === 'ok', phone === 'ok' ? numbers.length : undefined, ctx.now);
			judgements.push(...window.judgements);
			put('o_lastDay', window.lastDaySpec);
		}
	}

	return {
		json: item,
		judgements,
		numbers,
		providerAccepts: accepted,
		expectedText,
		expectedSendAt,
		notInLedger,
	};
}

function judgeStatus(model: ProviderModel, choice: IdChoice, ctx: Context, item: IDataObject, put: (key: string, spec: Spec) => void): ItemModel {
	const field = model.messageIdField ?? 'Message ID';
	const id = ctx.seededMessageId ?? '1';
	let spec: Spec;
	let judgement: Judgement;
	let accepted = false;
	if (choice.kind === 'seeded') {
		spec = choice.style === 'padded' ? json(` ${id}\t`) : choice.style === 'number' && /^\d+$/.test(id) ? json(Number(id)) : json(id);
		judgement = { field, verdict: 'ok' };
		accepted = true;
	} else if (choice.kind === 'unknown') {
		spec = choice.spec;
		judgement = { field, verdict: 'ok' };
	} else {
		spec = choice.odd.spec;
		const kind = choice.odd.kind;
		judgement = oddTextVerdict(kind, field);
	}
	put('messageId', spec);
	return { json: item, judgements: [judgement], numbers: [], providerAccepts: accepted, outputsOnSuccess: model.node === 'mtnCongoSms' ? 2 : 1 };
}

/** Send At: a past instant, a form the node cannot read, or (Mon SMS PRO) an instant off the quarter hours fails. */
function judgeSendAt(model: ProviderModel, input: DateInput, now: number, round: unknown): { judgement: Judgement; instant?: number; expected?: ItemModel['expectedSendAt'] } {
	const field = 'Send At';
	if (input.form === 'never') return { judgement: { field, verdict: 'bad' } };
	if (!input.at) return { judgement: { field, verdict: 'any' } };
	const instant = 'ms' in input.at ? input.at.ms : now + input.at.days * DAY;
	let verdict: Verdict;
	if (model.scheduleByDay) {
		// Days in Gabon: today counts, whatever the hour; keep clear of midnight.
		const midnight = Date.parse(`${gabonDay(now)}T00:00:00Z`) - GABON_MS;
		verdict = Math.abs(instant - midnight) < 15 * 60_000 ? 'any' : gabonDay(instant) >= gabonDay(now) ? 'ok' : 'bad';
	} else {
		verdict = instant > now + 15 * 60_000 ? 'ok' : instant < now - 15 * 60_000 ? 'bad' : 'any';
	}
	if (verdict === 'ok' && model.quarterHours) {
		const onGrid = 'ms' in input.at ? instant % (15 * 60_000) === 0 : input.why.includes('startOf');
		if (!onGrid && round !== true) verdict = round === 'true' ? 'any' : 'bad';
	}
	if (input.form === 'may' && verdict === 'ok') verdict = 'any';
	const expected = 'ms' in input.at ? { ms: input.at.ms } : { days: input.at.days, startOfHour: input.why.includes('startOf') };
	return { judgement: { field, verdict }, instant, expected };
}

/** ION's campaign window: Last Day not before the first day, and room for every recipient. */
function judgeWindow(
	choice: ItemChoice,
	opts: Record<string, Spec>,
	instant: number | undefined,
	sendAtOk: boolean,
	recipients: number | undefined,
	now: number,
): { judgements: Judgement[]; lastDaySpec: Spec } {
	const judgements: Judgement[] = [];
	const first = sendAtOk && instant !== undefined ? gabonDay(instant) : undefined;
	const last = choice.lastDay;
	let lastDaySpec: Spec = absent;
	let days: number | undefined = 1;
	if (last.kind === 'rel') {
		const day = addDays(first ?? gabonDay(now), last.k);
		lastDaySpec = last.style === 'date' ? json(day) : last.style === 'datetime' ? json(`${day}T00:00:00`) : { dt: `${day}T12:00:00+01:00` };
		if (!first) {
			judgements.push({ field: 'Last Day', verdict: 'any' });
			days = undefined;
		} else if (last.k < 0) {
			judgements.push({ field: 'Last Day', verdict: 'bad' });
			days = undefined;
		} else days = last.k + 1;
	} else if (last.kind === 'unset') {
		lastDaySpec = last.spec;
	} else if (last.kind === 'bad') {
		lastDaySpec = last.spec;
		judgements.push({ field: 'Last Day', verdict: 'bad' });
		days = undefined;
	}
	const perDay = wholeNumber(opts.smsPerDay ?? absent, 1);
	if (perDay.verdict !== 'ok') judgements.push({ field: 'SMS Per Day', verdict: perDay.verdict });
	const minutes = wholeNumber(opts.minutesBetweenSms ?? absent, 1);
	if (minutes.verdict !== 'ok') judgements.push({ field: 'Minutes Between SMS', verdict: minutes.verdict });
	if (perDay.verdict === 'ok' && recipients !== undefined && days !== undefined && first) {
		if (days * (perDay.value ?? recipients) < recipients) judgements.push({ field: 'SMS Per Day', verdict: 'bad' });
	} else if (perDay.value !== undefined || last.kind === 'rel') {
		judgements.push({ field: 'SMS Per Day', verdict: 'any' });
	}
	return { judgements, lastDaySpec };
}
