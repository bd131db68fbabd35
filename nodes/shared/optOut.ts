import type { CountryCode } from 'libphonenumber-js';
import { formatPhone, normalizeCompact, SEPARATORS, type PhoneFormat } from './phone';
import { OptionError, valueKind } from './values';

const NUMBER_LIKE = /^(?:\+|00)?\d{7,15}$/;
/** The last digits every national number has: entries are grouped by them. */
const TAIL = 7;

const isDigit = (code: number) => code >= 48 && code <= 57;

/** A recipient as the provider's format writes it: its last digits, without copying it where it ends with digits (as every format does). */
function tailOf(to: string): string {
	for (let i = Math.max(0, to.length - TAIL); i < to.length; i++) if (!isDigit(to.charCodeAt(i))) return to.replace(/\D/g, '').slice(-TAIL);
	return to.slice(-TAIL);
}

/** What a character is to a typed list: SEPARATORS (tab, space, no-break spaces; ( ) - . /), delimiters (, ; \n \r), or anything else. */
const enum Kind {
	Digit,
	Space,
	Mark,
	Delimiter,
	Other,
}

function kindOf(code: number): Kind {
	if (isDigit(code)) return Kind.Digit;
	switch (code) {
		case 43: // + is kept, and NUMBER_LIKE checks where
			return Kind.Digit;
		case 9:
		case 32:
		case 0xa0:
		case 0x202f:
			return Kind.Space;
		case 40:
		case 41:
		case 45:
		case 46:
		case 47:
			return Kind.Mark;
		case 44:
		case 59:
		case 10:
		case 13:
			return Kind.Delimiter;
		default:
			return Kind.Other;
	}
}

/**
 * Adds the entries of a typed list to `entries` in one pass, as typedEntries reads them;
 * false for anything else in it (another character, an entry that is no number), which
 * typedEntries then explains.
 */
export function scanEntries(text: string, entries: string[]): boolean {
	let compact = '';
	/** Only spaces so far: a piece left blank is no entry. */
	let blank = true;
	let run = -1;
	for (let i = 0; i <= text.length; i++) {
		const kind = i < text.length ? kindOf(text.charCodeAt(i)) : Kind.Delimiter;
		if (kind === Kind.Digit) {
			if (run < 0) run = i;
			blank = false;
			continue;
		}
		if (run >= 0) {
			compact = compact === '' ? text.slice(run, i) : compact + text.slice(run, i);
			run = -1;
		}
		if (kind === Kind.Delimiter) {
			if (!blank) {
				if (!NUMBER_LIKE.test(compact)) return false;
				entries.push(compact);
			}
			compact = '';
			blank = true;
		} else if (kind === Kind.Mark) blank = false;
		else if (kind === Kind.Other) return false;
	}
	return true;
}

/** The entries of the option's value, piece by piece: an error names the entry that is no number. */
export function typedEntries(value: unknown): string[] {
	const pieces: unknown[] = [];
	const add = (v: unknown) => {
		if (typeof v === 'string') pieces.push(...v.split(/[,;\n\r]+/));
		else pieces.push(v);
	};
	if (Array.isArray(value)) value.forEach(add);
	else if (typeof value === 'string' || typeof value === 'number') add(String(value));
	else throw new OptionError(`The option 'Do Not Send To' must be numbers (text, or a list), not ${valueKind(value)}`);
	const entries: string[] = [];
	pieces.forEach((piece, index) => {
		if (piece === null || piece === undefined || (typeof piece === 'string' && piece.trim() === '')) return;
		const shown = typeof piece === 'string' ? piece.trim() : typeof piece === 'number' ? String(piece) : valueKind(piece);
		const compact = typeof piece === 'string' || typeof piece === 'number' ? String(piece).replace(SEPARATORS, '') : '';
		if (!NUMBER_LIKE.test(compact)) {
			throw new OptionError(`The option 'Do Not Send To' holds "${shown}" (entry ${index + 1} of ${pieces.length}), which is not a phone number`);
		}
		entries.push(compact);
	});
	return entries;
}

const PARSED = '';

/**
 * The option Do Not Send To: numbers never to send to, matched as numbers, so that
 * `+242 06 846 34 99` matches `068463499`. Read once per run. An entry is only
 * parsed as a phone number when a recipient ends with the same digits: a list of
 * 100 000 costs one pass of string work, not 100 000 parses.
 */
export class OptOutList {
	/** Entries not parsed yet, by their last digits (most tails have one); PARSED once they are. */
	private readonly pending = new Map<string, string | string[]>();
	/** The parsed entries, as recipients are written. */
	private readonly numbers = new Set<string>();

	private constructor(
		/** Entries as typed, without separators: digits, after a + or 00. */
		entries: string[],
		private readonly defaultCountry: CountryCode,
		private readonly format: PhoneFormat,
	) {
		for (const entry of entries) {
			const tail = entry.slice(-TAIL);
			const group = this.pending.get(tail);
			if (group === undefined) this.pending.set(tail, entry);
			else if (typeof group === 'string') this.pending.set(tail, [group, entry]);
			else group.push(entry);
		}
		this.size = entries.length;
	}

	readonly size: number;

	/** A list that cannot be read protects nobody: anything but numbers stops the run, naming the entry. */
	static read(value: unknown, defaultCountry: CountryCode, format: PhoneFormat): OptOutList | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		const scanned: string[] = [];
		const texts = Array.isArray(value) ? value : [value];
		const plain = texts.every((v) => v === null || v === undefined || ((typeof v === 'string' || typeof v === 'number') && scanEntries(String(v), scanned)));
		if (plain) return new OptOutList(scanned, defaultCountry, format);
		return new OptOutList(typedEntries(value), defaultCountry, format);
	}

	/** Whether `to` (as the provider's format writes recipients) is on the list. */
	has(to: string): boolean {
		const tail = tailOf(to);
		const group = this.pending.get(tail);
		if (group !== undefined && group !== PARSED) {
			// Marked rather than deleted: a Map that shrinks as it is read rehashes.
			this.pending.set(tail, PARSED);
			for (const entry of typeof group === 'string' ? [group] : group) this.add(entry);
		}
		return this.numbers.has(to);
	}

	/** Adds the entry as recipients are written; an entry that is no valid number can match no recipient. */
	private add(entry: string): void {
		try {
			this.numbers.add(formatPhone(normalizeCompact(entry, entry, this.defaultCountry), this.format));
		} catch {
			// not a number: nothing to match
		}
	}
}
