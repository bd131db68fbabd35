import {
	parsePhoneNumberFromString,
	validatePhoneNumberLength,
	getCountryCallingCode,
	isSupportedCountry,
	type CountryCode,
	type PhoneNumber,
} from 'libphonenumber-js/max';
import { fastInternational, fastNational } from './phoneFastPath';
import { previewValue } from './values';

/** How a provider wants numbers written. */
export type PhoneFormat = 'digits' | 'e164';

export interface NormalizedPhone {
	/** `+` followed by country code and national number, e.g. `+242068463499`. */
	e164: string;
	/** The same without `+`, e.g. `242068463499`. */
	digits: string;
	country?: string;
}

export class PhoneNumberError extends Error {
	constructor(
		readonly input: string,
		readonly reason: string,
	) {
		super(`"${input}" is not a valid phone number: ${reason}`);
		this.name = 'PhoneNumberError';
	}
}

/** What a written number may hold besides digits and a leading + or 00. */
export const SEPARATORS = /[\s.\-()/\u00a0\u202f]/g;

export function assertCountry(country: string): CountryCode {
	const code = country.trim().toUpperCase();
	if (!isSupportedCountry(code)) {
		throw new Error(`"${country}" is not an ISO 3166 alpha-2 country code (for example CG, CM, CI, GA)`);
	}
	return code as CountryCode;
}

const LENGTH_REASONS: Record<string, string> = {
	TOO_SHORT: 'too short',
	TOO_LONG: 'too long',
	INVALID_LENGTH: 'wrong length',
	INVALID_COUNTRY: 'unknown country code',
	NOT_A_NUMBER: 'not a number',
};

function explain(candidate: string, country: CountryCode | undefined): string {
	const lengthProblem = validatePhoneNumberLength(candidate, country);
	const where = country ? ` for ${country} (+${getCountryCallingCode(country)})` : '';
	if (lengthProblem) return `${LENGTH_REASONS[lengthProblem] ?? lengthProblem}${where}`;
	return `no such number range${where}`;
}

// Inputs are digits with at most a leading + by then: nothing to extract from surrounding text (a quarter of the parse's time).
const WHOLE = { extract: false } as const;

function accept(phone: PhoneNumber | undefined): NormalizedPhone | undefined {
	if (!phone || !phone.isValid()) return undefined;
	const e164 = phone.number; // already `+<cc><national>`, keeping the leading 0 where the plan has one
	return { e164, digits: e164.slice(1), country: phone.country };
}

/**
 * Accepts `+242 06 846 34 99`, `00242068463499`, `242068463499` and, with the
 * default country, the national `068463499`. Throws PhoneNumberError naming the input.
 */
export function normalizePhone(raw: unknown, defaultCountry: CountryCode): NormalizedPhone {
	if (raw !== null && raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number') {
		// An object or a list from an expression: say so rather than "empty".
		const kind = Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`;
		throw new PhoneNumberError(previewValue(raw), `${kind}, not a phone number`);
	}
	const input = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
	const shown = input.trim();
	if (!shown) throw new PhoneNumberError(shown, 'empty');
	const compact = shown.replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(compact)) throw new PhoneNumberError(shown, 'only digits, spaces, dots, dashes, brackets and a leading + or 00 are allowed');
	return normalizeCompact(compact, shown, defaultCountry);
}

/** normalizePhone for a number already without separators: digits after an optional + or 00 (`shown` is what errors quote). */
export function normalizeCompact(digits: string, shown: string, defaultCountry: CountryCode): NormalizedPhone {
	const compact = digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
	if (compact.startsWith('+')) {
		return fastInternational(compact) ?? accept(parsePhoneNumberFromString(compact, WHOLE)) ?? fail(shown, compact, undefined);
	}
	const callingCode = getCountryCallingCode(defaultCountry);
	// Digits that start with the default country's code are read as international first.
	if (compact.startsWith(callingCode)) {
		const asInternational = fastInternational(`+${compact}`) ?? accept(parsePhoneNumberFromString(`+${compact}`, WHOLE));
		if (asInternational) return asInternational;
	}
	const asNational = fastNational(compact, defaultCountry, callingCode) ?? accept(parsePhoneNumberFromString(compact, { ...WHOLE, defaultCountry }));
	if (asNational) return asNational;
	const asOtherCountry = fastInternational(`+${compact}`) ?? accept(parsePhoneNumberFromString(`+${compact}`, WHOLE));
	if (asOtherCountry) return asOtherCountry;
	return fail(shown, compact, defaultCountry);
}

function fail(shown: string, compact: string, country: CountryCode | undefined): never {
	if (compact.startsWith('+')) throw new PhoneNumberError(shown, explain(compact, undefined));
	const callingCode = country ? getCountryCallingCode(country) : '';
	const reason = country && compact.startsWith(callingCode) ? explain(`+${compact}`, undefined) : explain(compact, country);
	throw new PhoneNumberError(shown, reason);
}

export function formatPhone(phone: NormalizedPhone, format: PhoneFormat): string {
	return format === 'e164' ? phone.e164 : phone.digits;
}

/**
 * Splits the `to` parameter: numbers separated by commas, semicolons or new lines;
 * spaces inside a number are kept (`+242 06 846 34 99`), and a space-separated
 * list of complete numbers is split as well. An expression may return an array.
 */
export function splitRecipients(value: unknown, defaultCountry: CountryCode): string[] {
	const parts: string[] = [];
	const push = (v: unknown) => {
		if (v === null || v === undefined) return;
		if (Array.isArray(v)) return v.forEach(push);
		const text = String(v);
		for (const piece of text.split(/[,;\n\r]+/)) {
			const trimmed = piece.trim();
			if (trimmed) parts.push(...splitSpaceSeparated(trimmed, defaultCountry));
		}
	};
	push(value);
	return parts;
}

function isCompleteNumber(token: string, country: CountryCode): boolean {
	try {
		normalizePhone(token, country);
		return true;
	} catch {
		return false;
	}
}

function splitSpaceSeparated(piece: string, country: CountryCode): string[] {
	const tokens = piece.split(/\s+/);
	if (tokens.length < 2) return [piece];
	// One number written with spaces stays whole; only a run of complete numbers is split.
	if (isCompleteNumber(piece, country) && !tokens.every((t) => t.replace(/\D/g, '').length >= 8)) return [piece];
	if (tokens.every((t) => isCompleteNumber(t, country))) return tokens;
	return [piece];
}
