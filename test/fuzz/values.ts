/**
 * Generators of parameter values as n8n expressions produce them, each with
 * what the test knows about it (the numbers it holds, the instant it names),
 * so that a provider's model can judge it independently of the node's code.
 *
 * Items carry the values as JSON; what JSON cannot carry (Luxon DateTime, Date,
 * NaN, undefined) is tagged and made by the parameter's expression (`fuzzParam`),
 * so the node receives the real types.
 */
import fc from 'fast-check';
import { getExampleNumber, isValidPhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { DateTime } from 'luxon';

export type Verdict = 'ok' | 'bad' | 'any';

/** What an item holds for one parameter. */
export type Spec =
	| { json: unknown }
	| { absent: true }
	| { dt: string } // DateTime.fromISO(…) in the expression
	| { now: Record<string, number>; startOf?: 'hour' } // $now.plus(…)
	| { date: string } // new Date(…)
	| { nan: true };

const TAG = '__fuzz';

/** The item's JSON for a spec; undefined when the key is to be left out. */
export function encode(spec: Spec): unknown {
	if ('absent' in spec) return undefined;
	if ('json' in spec) return spec.json;
	if ('dt' in spec) return { [TAG]: 'dt', v: spec.dt };
	if ('now' in spec) return { [TAG]: 'now', v: spec.now, start: spec.startOf ?? null };
	if ('date' in spec) return { [TAG]: 'date', v: spec.date };
	return { [TAG]: 'nan' };
}

/** A fuzz item under construction: put(key, spec) stores the spec's JSON, or leaves the key out. */
export function fuzzItem(): { item: Record<string, unknown>; put(key: string, spec: Spec): void } {
	const item: Record<string, unknown> = {};
	return {
		item,
		put(key, spec) {
			const value = encode(spec);
			if (value !== undefined) item[key] = value;
		},
	};
}

/** The parameter expression that turns the item's key back into the value the spec stands for. */
export function fuzzParam(key: string): string {
	return (
		`={{ (v => v === null || typeof v !== 'object' || v.${TAG} === undefined ? v` +
		` : v.${TAG} === 'dt' ? DateTime.fromISO(v.v)` +
		` : v.${TAG} === 'now' ? (v.start ? $now.plus(v.v).startOf(v.start) : $now.plus(v.v))` +
		` : v.${TAG} === 'date' ? new Date(v.v)` +
		` : NaN)($json[${JSON.stringify(key)}]) }}`
	);
}

/** A short, readable form of a spec for reports. */
export function show(spec: Spec): string {
	const text = 'absent' in spec ? 'undefined' : 'json' in spec ? JSON.stringify(spec.json) ?? String(spec.json) : JSON.stringify(spec);
	return text.length > 80 ? `${text.slice(0, 60)}…(${text.length} chars)` : text;
}

/** Values that are not what a text field expects, and what the node sees for each. */
export type OddKind = 'absent' | 'null' | 'blank' | 'object' | 'array' | 'bool' | 'nan' | 'datetime' | 'jsdate';

export interface OddValue {
	spec: Spec;
	kind: OddKind;
}

const WHITESPACE = [' ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff'];

export const blank = fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 4 }).map((parts) => parts.join(''));

export const oddValue: fc.Arbitrary<OddValue> = fc.oneof(
	fc.constant<OddValue>({ spec: { absent: true }, kind: 'absent' }),
	fc.constant<OddValue>({ spec: { json: null }, kind: 'null' }),
	blank.map((b): OddValue => ({ spec: { json: b }, kind: 'blank' })),
	fc.constantFrom<unknown>({}, { a: 1 }, { text: 'Bonjour', phone: '+242068463499' }).map((o): OddValue => ({ spec: { json: o }, kind: 'object' })),
	fc.constantFrom<unknown[]>([], ['a', 'b'], [1, 2], [{ x: 1 }]).map((a): OddValue => ({ spec: { json: a }, kind: 'array' })),
	fc.boolean().map((b): OddValue => ({ spec: { json: b }, kind: 'bool' })),
	fc.constant<OddValue>({ spec: { nan: true }, kind: 'nan' }),
	fc.constant<OddValue>({ spec: { dt: '2030-11-23T10:00:00Z' }, kind: 'datetime' }),
	fc.constant<OddValue>({ spec: { now: { days: 2 } }, kind: 'datetime' }),
	fc.constant<OddValue>({ spec: { date: '2030-11-23T10:00:00Z' }, kind: 'jsdate' }),
);

// ---------- phone numbers ----------

/** The provider's own countries and their neighbours. */
export const COUNTRIES: CountryCode[] = ['CG', 'CD', 'CM', 'GA', 'CI', 'GQ', 'CF', 'TD', 'NG', 'GH', 'BF', 'ML', 'GN', 'LR', 'SN', 'BJ', 'TG', 'NE', 'RW'];

export interface PhoneNumberDesc {
	country: CountryCode;
	/** `+<cc><nsn>`, as libphonenumber writes it. */
	e164: string;
}

/** How a number is written: international (+ or 00), country code without +, or national. */
export type PhoneForm = 'intl' | 'cc' | 'national' | 'nationalNumber';

export interface WrittenNumber {
	number: PhoneNumberDesc;
	form: PhoneForm;
	text: string;
}

/** A mobile number of the country: its example with other last digits, when still valid. */
const mobileNumber = (countries: CountryCode[]) =>
	fc.tuple(fc.constantFrom(...countries), fc.integer({ min: 0, max: 9999 })).map(([country, tail]): PhoneNumberDesc => {
		const example = getExampleNumber(country, examples)!;
		const nsn = example.nationalNumber as string;
		const varied = `${nsn.slice(0, -4)}${String(tail).padStart(4, '0')}`;
		const e164 = `+${example.countryCallingCode}${varied}`;
		return { country, e164: isValidPhoneNumber(e164) ? e164 : (example.number as string) };
	});

function parts(nsn: string, sizes: number[]): string[] {
	const out: string[] = [];
	let at = 0;
	for (const size of sizes) {
		if (at >= nsn.length) break;
		out.push(nsn.slice(at, at + size));
		at += size;
	}
	if (at < nsn.length) out.push(nsn.slice(at));
	return out;
}

/** The ways people write a number, with spaces, dots, dashes, brackets, + and 00. */
const writeNumber = (numbers: fc.Arbitrary<PhoneNumberDesc>): fc.Arbitrary<WrittenNumber> =>
	fc.tuple(numbers, fc.nat(), fc.constantFrom(' ', '.', '-', '', '\u00a0', ' - ', '/')).map(([number, pick, sep]) => {
		const example = getExampleNumber(number.country, examples)!;
		const cc = example.countryCallingCode as string;
		const nsn = number.e164.slice(1 + cc.length);
		const grouped = parts(nsn, [2, 3, 2, 2]).join(sep);
		const national = nationalOf(number);
		const forms: Array<[PhoneForm, string]> = [
			['intl', `+${cc}${nsn}`],
			['intl', `+${cc} ${grouped}`],
			['intl', `00${cc}${nsn}`],
			['intl', `00 ${cc} ${grouped}`],
			['intl', `(+${cc}) ${grouped}`],
			['intl', `+${cc} (${nsn.slice(0, 2)}) ${nsn.slice(2)}`],
			['intl', `  +${cc}${sep}${nsn}\t`],
			['cc', `${cc}${nsn}`],
			['cc', `${cc} ${grouped}`],
			['national', national],
			['national', national.replace(/\s/g, '')],
			['national', national.replace(/\s/g, sep || '.')],
		];
		const [form, text] = forms[pick % forms.length];
		return { number, form, text };
	});

/** The national form as libphonenumber writes it (trunk prefix included), e.g. `0802 123 4567`. */
function nationalOf(number: PhoneNumberDesc): string {
	const parsed = getExampleNumber(number.country, examples)!;
	const cc = parsed.countryCallingCode as string;
	// Reuse the example's formatting rules on this number: format the example, then swap its digits in order.
	const template = parsed.formatNational();
	const exampleDigits = template.replace(/\D/g, '');
	const nsn = number.e164.slice(1 + cc.length);
	const prefix = exampleDigits.slice(0, exampleDigits.length - (parsed.nationalNumber as string).length);
	const digits = `${prefix}${nsn}`;
	if (digits.length !== exampleDigits.length) return digits;
	let i = 0;
	return template.replace(/\d/g, () => digits[i++]);
}

export interface PhoneInput {
	spec: Spec;
	/** The numbers written, for a list of numbers; empty for odd values. */
	written: WrittenNumber[];
	/** Set for values that are not numbers: how the node should judge them. */
	odd?: { verdict: Verdict; why: string };
	/** How the numbers were put together. */
	layout: 'one' | 'list' | 'array' | 'spaces' | 'number' | 'odd';
}

const oddPhone: fc.Arbitrary<PhoneInput> = fc.oneof(
	oddValue.map((o): PhoneInput => ({ spec: o.spec, written: [], layout: 'odd', odd: { verdict: 'bad', why: o.kind } })),
	fc
		.constantFrom(
			'abc',
			'+',
			'00',
			'12',
			'+242',
			'0'.repeat(30),
			'📞 06 846 34 99',
			'06\u000084634 99',
			'06 846 34 99 ext. 12',
			'tel:+242068463499',
			'+242 06 846 34 99 ☎',
			'٠٦٨٤٦٣٤٩٩', // Arabic-Indic digits
			'\u202e99436480', // RTL override
			'1'.repeat(10_001),
		)
		.map((text): PhoneInput => ({ spec: { json: text }, written: [], layout: 'odd', odd: { verdict: 'bad', why: 'not a number' } })),
	// At most 5 digits: too short for a number of any country (7 digits are a valid Gabonese number).
	fc.integer({ min: -100, max: 99_999 }).map((n): PhoneInput => ({ spec: { json: n }, written: [], layout: 'odd', odd: { verdict: 'bad', why: 'short number' } })),
);

/**
 * Values for a field that takes one number (`Phone`): mostly numbers of the
 * home country and its neighbours in every writing, sometimes odd values.
 */
export function phoneInput(home: CountryCode, weights = { valid: 6, odd: 3 }): fc.Arbitrary<PhoneInput> {
	const numbers = fc.oneof({ arbitrary: mobileNumber([home]), weight: 3 }, { arbitrary: mobileNumber(COUNTRIES), weight: 1 });
	const one = writeNumber(numbers).map((w): PhoneInput => ({ spec: { json: w.text }, written: [w], layout: 'one' }));
	// A number as a JSON number: the expression of a numeric column.
	const asNumber = numbers.map((n): PhoneInput => {
		const digits = n.e164.slice(1);
		return { spec: { json: Number(digits) }, written: [{ number: n, form: 'cc', text: digits }], layout: 'number' };
	});
	return fc.oneof(
		{ arbitrary: one, weight: weights.valid * 4 },
		{ arbitrary: asNumber, weight: weights.valid },
		{ arbitrary: oddPhone, weight: weights.odd },
	);
}

/** Valid home numbers only, one or two, in every writing: for cases that fuzz another field. */
export function homeRecipients(home: CountryCode): fc.Arbitrary<PhoneInput> {
	return fc.array(writeNumber(mobileNumber([home])), { minLength: 1, maxLength: 2 }).map((ws): PhoneInput => ({ spec: { json: ws.map((w) => w.text).join(', ') }, written: ws, layout: ws.length > 1 ? 'list' : 'one' }));
}

/** Values for `To`: one or several numbers in a text (commas, semicolons, new lines, spaces) or an array. */
export function recipientsInput(home: CountryCode): fc.Arbitrary<PhoneInput> {
	const numbers = fc.oneof({ arbitrary: mobileNumber([home]), weight: 3 }, { arbitrary: mobileNumber(COUNTRIES), weight: 1 });
	const written = fc.array(writeNumber(numbers), { minLength: 1, maxLength: 4 });
	const joined = fc.tuple(written, fc.constantFrom(', ', ',', ';', ' ; ', '\n', '\r\n', ',\n')).map(
		([ws, sep]): PhoneInput => ({ spec: { json: ws.map((w) => w.text).join(sep) }, written: ws, layout: ws.length > 1 ? 'list' : 'one' }),
	);
	const array = written.map((ws): PhoneInput => ({ spec: { json: ws.map((w) => w.text) }, written: ws, layout: 'array' }));
	// A space-separated list of complete numbers, each written without spaces.
	const spaced = fc
		.array(numbers, { minLength: 2, maxLength: 3 })
		.map((ns): PhoneInput => ({ spec: { json: ns.map((n) => n.e164).join(' ') }, written: ns.map((n) => ({ number: n, form: 'intl', text: n.e164 })), layout: 'spaces' }));
	// Valid numbers with one odd entry among them: the item must fail as a whole.
	const mixed = fc.tuple(written, fc.constantFrom('abc', '12', '+', '0000')).map(
		([ws, odd]): PhoneInput => ({ spec: { json: [...ws.map((w) => w.text), odd].join(', ') }, written: ws, layout: 'list', odd: { verdict: 'bad', why: 'one entry is not a number' } }),
	);
	return fc.oneof(
		{ arbitrary: joined, weight: 12 },
		{ arbitrary: array, weight: 3 },
		{ arbitrary: spaced, weight: 2 },
		{ arbitrary: mixed, weight: 1 },
		{ arbitrary: phoneInput(home, { valid: 2, odd: 4 }), weight: 4 },
	);
}

/**
 * The node's verdict on a phone field, as the README promises it: international
 * forms of valid numbers and the home country's own forms are accepted; national
 * forms of other countries may be read either way; anything else fails.
 */
export function phoneVerdict(input: PhoneInput, home: CountryCode, single: boolean): Verdict {
	if (input.odd) return input.odd.verdict;
	if (input.written.length === 0) return 'bad';
	if (single && input.layout === 'array') return 'any';
	if (single && input.written.length > 1) return 'bad';
	let verdict: Verdict = 'ok';
	for (const w of input.written) {
		const v: Verdict = w.form === 'intl' ? 'ok' : w.number.country === home ? 'ok' : 'any';
		if (v === 'any') verdict = 'any';
	}
	// A number given as a JSON number loses nothing but a national 0, which `cc` forms do not have.
	return verdict;
}

// ---------- texts ----------

export interface TextInput {
	spec: Spec;
	/** The text the node reads, when the value is a string or a number. */
	text?: string;
	odd?: OddKind;
}

const SAMPLES = [
	'Bonjour, votre commande est prête.',
	'Votre code : 4821. Ne le partagez pas !',
	'Rappel : rendez-vous le 23/11 à 10h. Répondez « OUI » pour confirmer…',
	'Œuvre d’art n°3 – prix réduit',
	'Hello 👋🏿 👨‍👩‍👧‍👦 🇨🇬🇨🇲',
	'مرحبا بك في متجرنا',
	'שלום, ההזמנה שלך מוכנה',
	'Mixte: Bonjour مرحبا 123',
	'\u202eRTL override\u202c',
	'ctrl \u0000 nul \u0007 bell \u001b[31m esc \b',
	'a\u0000',
	'{}[]~\\|^€',
	'\u200b\u200b',
	'\ud800 lone surrogate',
	'$& $1 $$ %s %d {{ $json.x }}',
];

/** Ordinary texts only: for cases that fuzz another field. */
export const plainText: fc.Arbitrary<TextInput> = fc.constantFrom(...SAMPLES.slice(0, 5)).map((text): TextInput => ({ spec: { json: text }, text }));

export const textInput: fc.Arbitrary<TextInput> = fc.oneof(
	{ arbitrary: fc.constantFrom(...SAMPLES).map((text): TextInput => ({ spec: { json: text }, text })), weight: 8 },
	{ arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((text): TextInput => ({ spec: { json: text }, text })), weight: 3 },
	{ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((text): TextInput => ({ spec: { json: text }, text })), weight: 1 },
	{
		// Around the one-SMS limits: 70 (UCS-2), 160 (GSM-7, ION's maximum), and 10k+.
		arbitrary: fc
			.tuple(fc.constantFrom(70, 71, 159, 160, 161, 200, 1601, 10_000, 12_345), fc.constantFrom('a', 'é', 'ç', '😀', 'a ', ' '), fc.boolean())
			.map(([n, unit, padded]): TextInput => {
				const body = Array.from({ length: n }, (_, i) => (unit === ' ' ? (i % 10 === 0 ? 'x' : ' ') : unit)).join('').slice(0, unit === 'a ' ? n : undefined);
				const text = padded ? `  ${body}  ` : body;
				return { spec: { json: text }, text };
			}),
		weight: 2,
	},
	{ arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000_000 }).map((n): TextInput => ({ spec: { json: n }, text: String(n) })), weight: 1 },
	{ arbitrary: oddValue.map((o): TextInput => ({ spec: o.spec, odd: o.kind })), weight: 3 },
);

/** Pieces of a personalised template: text and placeholders, valid or not. */
const PLACEHOLDERS = [':P1', ':P2', ':P3', ':P4', ':P5', ':P0', ':P6', ':P9', ':P10', ':p1', ':P', 'P1', ':P01', '::P2', ':P5:P1'];

export const templateInput: fc.Arbitrary<TextInput> = fc.oneof(
	{
		arbitrary: fc
			.array(fc.oneof({ arbitrary: fc.constantFrom(...PLACEHOLDERS.slice(0, 5)), weight: 6 }, { arbitrary: fc.constantFrom(...PLACEHOLDERS.slice(5)), weight: 1 }, { arbitrary: fc.constantFrom(' ', 'Bonjour ', ', ', ' 👋🏿 ', ' مرحبا ', '\n', 'x'), weight: 5 }), {
				minLength: 1,
				maxLength: 8,
			})
			.map((pieces): TextInput => {
				const text = `Msg ${pieces.join('')}`;
				return { spec: { json: text }, text };
			}),
		weight: 8,
	},
	{ arbitrary: textInput, weight: 2 },
);

/** Values of P1 … P5. */
export const placeholderValue: fc.Arbitrary<TextInput> = fc.oneof(
	{ arbitrary: fc.constantFrom('Awa', 'Jean-Pierre', '25 000', 'Nzé', '😀', 'مرحبا', '', ' ', '$&', '$1', 'a;b', 'ligne\nsuite', 'x\r\ny', '"q"', 'é'.repeat(200), 'x'.repeat(10_001)).map((text): TextInput => ({ spec: { json: text }, text })), weight: 8 },
	{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map((text): TextInput => ({ spec: { json: text }, text })), weight: 2 },
	{ arbitrary: fc.integer().map((n): TextInput => ({ spec: { json: n }, text: String(n) })), weight: 2 },
	{ arbitrary: oddValue.map((o): TextInput => ({ spec: o.spec, odd: o.kind })), weight: 2 },
);

/** Placeholders a template uses: `:P` followed by digits (what the README documents). */
export function placeholdersOf(template: string): number[] {
	return [...template.matchAll(/:P(\d+)/g)].map((m) => Number(m[1]));
}

/** Whitespace as String.prototype.trim sees it. */
export function isBlank(text: string): boolean {
	return text.trim() === '';
}

export function codePoints(text: string): number {
	return Array.from(text).length;
}

// ---------- senders ----------

export const senderInput = (good: string[]): fc.Arbitrary<TextInput> =>
	fc.oneof(
		{ arbitrary: fc.constantFrom(...good).map((text): TextInput => ({ spec: { json: text }, text })), weight: 10 },
		{ arbitrary: fc.constantFrom('ABCDEFGHIJK', 'ABCDEFGHIJKL', '  BES  ', 'Ça Va', '🚀SHOP', 'مرحبا', 'A\u0000B', 'x'.repeat(10_000)).map((text): TextInput => ({ spec: { json: text }, text })), weight: 2 },
		{ arbitrary: fc.constantFrom(42, 12_345_678_901, 0).map((n): TextInput => ({ spec: { json: n }, text: String(n) })), weight: 1 },
		{ arbitrary: oddValue.map((o): TextInput => ({ spec: o.spec, odd: o.kind })), weight: 2 },
	);

// ---------- dates ----------

const DAY = 86_400_000;

/** Workflow time zones: n8n's default, the providers' own, and offsets of 0, +9, +5:45 and +13:45. */
export const ZONES = ['America/New_York', 'Africa/Brazzaville', 'Africa/Abidjan', 'UTC', 'Asia/Tokyo', 'Asia/Kathmandu', 'Pacific/Chatham'];

export interface DateInput {
	spec: Spec;
	/**
	 * The instant the value names: ms since epoch, or for `$now.plus` the calendar days
	 * from the moment of evaluation. Undefined for values that name no instant.
	 */
	at?: { ms: number } | { days: number };
	/** Whether, when the value names an instant, the node must accept the form. */
	form: 'must' | 'may' | 'never';
	why: string;
}

/** Offsets from now: clearly future, clearly past, and within minutes of now (either way). */
const offset = fc.oneof(
	{ arbitrary: fc.integer({ min: 2, max: 700 }).map((d) => d * DAY), weight: 10 },
	{ arbitrary: fc.integer({ min: 2, max: 3000 }).map((d) => -d * DAY), weight: 3 },
	{ arbitrary: fc.integer({ min: -10, max: 10 }).map((m) => m * 60_000), weight: 1 },
);

/**
 * Send At values, made at generation time from `now` (the test keeps clear of
 * the edges: clearly past/future cases are days away).
 */
export function dateInput(zone: string): fc.Arbitrary<DateInput> {
	const now = Date.now();
	// A wall-clock time in the zone: the hour moved to 8–20 (no DST gap), minutes on or off the quarter hours.
	const wall = fc.tuple(offset, fc.integer({ min: 8, max: 20 }), fc.constantFrom(0, 15, 30, 45, 0, 30, 7, 59), fc.constantFrom(0, 0, 0, 0, 30)).map(([off, hour, minute, second]) =>
		DateTime.fromMillis(now + off, { zone }).set({ hour, minute, second, millisecond: 0 }),
	);
	const known = fc.tuple(wall, fc.nat()).map(([dt, pick]): DateInput => {
		const ms = dt.toMillis();
		const utc = dt.toUTC();
		const forms: Array<[string, DateInput['form'], string, Spec?]> = [
			[dt.toFormat("yyyy-MM-dd'T'HH:mm:ss"), 'must', 'ISO without zone'],
			[dt.toFormat('yyyy-MM-dd HH:mm'), 'must', 'ISO without zone, no seconds'],
			[dt.toFormat("yyyy-MM-dd'T'HH:mm"), 'must', 'ISO without zone, no seconds'],
			[dt.toFormat('dd LLL yyyy HH:mm', { locale: 'en-US' }), 'must', 'RFC 2822 without zone, no seconds'],
			[`${dt.toFormat("yyyy-MM-dd'T'HH:mm:ss")}.000000`, 'must', 'ISO without zone, microseconds'],
			[utc.toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"), 'must', 'ISO in UTC'],
			[dt.toISO() as string, 'must', 'ISO with offset'],
			[dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZZ"), 'must', 'ISO with offset +hhmm'],
			[dt.toRFC2822() as string, 'must', 'RFC 2822'],
			['', 'must', 'DateTime from an ISO string with offset', { dt: dt.toISO() as string }],
			['', 'must', 'DateTime from an ISO string in UTC', { dt: utc.toISO() as string }],
			['', 'must', 'JS Date', { date: utc.toISO() as string }],
			['', 'must', 'epoch milliseconds (number)', { json: ms }],
			// Forms without a zone that are not ISO: if accepted, they must be read in the workflow's zone.
			[dt.toFormat('yyyy/MM/dd HH:mm'), 'may', 'yyyy/MM/dd HH:mm, no seconds'],
			[dt.toFormat('MMM d, yyyy HH:mm', { locale: 'en-US' }), 'may', 'MMM d, yyyy HH:mm, no seconds'],
			[dt.toFormat('MM/dd/yyyy HH:mm'), 'may', 'MM/dd/yyyy HH:mm, no seconds'],
			[String(ms), 'may', 'epoch milliseconds (string)'],
			[String(Math.floor(ms / 1000)), 'may', 'epoch seconds (string)'],
			['', 'may', 'epoch seconds (number)', { json: Math.floor(ms / 1000) }],
		];
		const [text, form, why, spec] = forms[pick % forms.length];
		// Epoch seconds name another instant if read as milliseconds: judged by form only.
		const at = why.startsWith('epoch seconds') ? undefined : { ms: why.endsWith('no seconds') ? dt.set({ second: 0 }).toMillis() : ms };
		return { spec: spec ?? { json: text }, at, form, why };
	});
	const fromNow = fc.tuple(fc.integer({ min: -400, max: 400 }).filter((d) => Math.abs(d) >= 2), fc.boolean()).map(
		([days, startOfHour]): DateInput => ({
			spec: { now: { days }, ...(startOfHour ? { startOf: 'hour' as const } : {}) },
			// startOf('hour') moves it back by under an hour: still days from now.
			at: { days },
			form: 'must',
			why: startOfHour ? '$now.plus().startOf(hour)' : '$now.plus()',
		}),
	);
	const never = fc
		.constantFrom('tomorrow', '23/11/2030 10:00', 'not a date', '2030-13-01 10:00', '2030-02-30 10:00', '2030-11-23T25:00', '2030-11-23T10:61', '2030-02-30T10:00:00Z', '31 Feb 2031 10:00 +0100', '😀', '2030-11-23T10:00\u0000')
		.map((text): DateInput => ({ spec: { json: text }, form: 'never', why: 'not a date and time' }));
	const odd = oddValue.filter((o) => o.kind !== 'datetime' && o.kind !== 'jsdate').map((o): DateInput => ({ spec: o.spec, form: 'never', why: o.kind }));
	return fc.oneof({ arbitrary: known, weight: 14 }, { arbitrary: fromNow, weight: 3 }, { arbitrary: never, weight: 2 }, { arbitrary: odd, weight: 1 });
}
