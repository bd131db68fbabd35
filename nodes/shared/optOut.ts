import type { CountryCode } from 'libphonenumber-js';
import { formatPhone, normalizePhone, SEPARATORS, type PhoneFormat } from './phone';
import { OptionError, valueKind } from './values';

const NUMBER_LIKE = /^(?:\+|00)?\d{7,15}$/;
/** The last digits every national number has: entries are grouped by them. */
const TAIL = 7;

/** A recipient as the provider's format writes it: its last digits, without copying it where it ends with digits (as every format does). */
const ENDS_IN_DIGITS = /\d{7}$/;
const tailOf = (to: string) => (ENDS_IN_DIGITS.test(to) ? to.slice(-TAIL) : to.replace(/\D/g, '').slice(-TAIL));

/**
 * The option Do Not Send To: numbers never to send to, matched as numbers, so that
 * `+242 06 846 34 99` matches `068463499`. Read once per run. An entry is only
 * parsed as a phone number when a recipient ends with the same digits: a list of
 * 100 000 costs one pass of string work, not 100 000 parses.
 */
export class OptOutList {
	/** Entries not parsed yet, by their last digits. */
	private readonly pending = new Map<string, string[]>();
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
			if (group) group.push(entry);
			else this.pending.set(tail, [entry]);
		}
		this.size = entries.length;
	}

	readonly size: number;

	/** A list that cannot be read protects nobody: anything but numbers stops the run, naming the entry. */
	static read(value: unknown, defaultCountry: CountryCode, format: PhoneFormat): OptOutList | undefined {
		if (value === undefined || value === null || value === '') return undefined;
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
		return new OptOutList(entries, defaultCountry, format);
	}

	/** Whether `to` (as the provider's format writes recipients) is on the list. */
	has(to: string): boolean {
		const tail = tailOf(to);
		const group = this.pending.get(tail);
		if (group) {
			this.pending.delete(tail);
			for (const entry of group) {
				const number = this.formatted(entry);
				if (number !== undefined) this.numbers.add(number);
			}
		}
		return this.numbers.has(to);
	}

	/** The entry as recipients are written, or nothing when it is no valid number (it can match no recipient). */
	private formatted(entry: string): string | undefined {
		try {
			return formatPhone(normalizePhone(entry, this.defaultCountry), this.format);
		} catch {
			return undefined;
		}
	}
}
