/**
 * The phone checks' fast path (nodes/shared/phoneFastPath.ts) against libphonenumber-js
 * itself: whatever the fast path settles, the library answers the same; what it does not
 * settle goes to the library. Numbers: every country's example mobile number, the same
 * with other last digits, and random digits after every calling code.
 */
import fc from 'fast-check';
import { getCountries, getCountryCallingCode, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import metadata from 'libphonenumber-js/max/metadata';
import type { CountryCode } from 'libphonenumber-js';
import { fastInternational, fastNational } from '../../nodes/shared/phoneFastPath';

/** What the library makes of a `+<digits>` number: the fast path's answer for a valid one, undefined otherwise. */
function library(compact: string): { e164: string; digits: string; country: string } | undefined {
	const phone = parsePhoneNumberFromString(compact, { extract: false });
	if (!phone?.isValid()) return undefined;
	return { e164: phone.number, digits: phone.number.slice(1), country: phone.country as string };
}

/** The fast path agrees with the library wherever it answers; how many it settled. */
function compare(numbers: readonly string[]): number {
	let settled = 0;
	for (const compact of numbers) {
		const fast = fastInternational(compact);
		if (fast === undefined) continue;
		settled++;
		expect({ compact, answer: fast }).toEqual({ compact, answer: library(compact) });
	}
	return settled;
}

const callingCodes = Object.keys((metadata as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes);
const exampleNumbers = getCountries().flatMap((country) => {
	const example = getExampleNumber(country, examples);
	return example ? [example.number as string] : [];
});

test('every country\'s example mobile number, and the same with its last digits changed', () => {
	const variants = exampleNumbers.flatMap((number) => Array.from({ length: 100 }, (_, i) => number.slice(0, -2) + String(i).padStart(2, '0')));
	const settled = compare([...exampleNumbers, ...variants]);
	// Most of them are settled without the library: the path is used, not only safe.
	expect(settled).toBeGreaterThan(variants.length / 2);
});

test('the countries of this package\'s providers are settled by the fast path', () => {
	for (const country of ['CG', 'CM', 'CI', 'GA', 'SN', 'ML', 'BF', 'NE', 'GN', 'CD', 'CF', 'TD', 'BJ', 'TG', 'FR'] as const) {
		const example = getExampleNumber(country, examples)!;
		expect({ country, fast: fastInternational(example.number) }).toEqual({ country, fast: library(example.number) });
		expect(fastInternational(example.number)).toBeDefined();
	}
});

test('the example numbers with a national prefix written after the calling code (+33 06 …): the same answer', () => {
	const withPrefix = getCountries().flatMap((country) => {
		const example = getExampleNumber(country, examples);
		if (!example) return [];
		const callingCode = getCountryCallingCode(country);
		return ['0', '1', '8', '00', '06'].map((prefix) => `+${callingCode}${prefix}${example.nationalNumber}`);
	});
	compare(withPrefix);
});

test('random digits after every calling code: the same answer as the library', () => {
	fc.assert(
		fc.property(fc.constantFrom(...callingCodes), fc.stringMatching(/^\d{1,17}$/), (callingCode, rest) => {
			compare([`+${callingCode}${rest}`]);
		}),
		{ numRuns: 200_000 },
	);
});

test('numbers near the valid ones (prefixes of the examples, longer, shorter): the same answer', () => {
	fc.assert(
		fc.property(fc.constantFrom(...exampleNumbers), fc.nat(6), fc.stringMatching(/^\d{0,4}$/), (number, cut, tail) => {
			compare([number.slice(0, Math.max(2, number.length - cut)) + tail]);
		}),
		{ numRuns: 100_000 },
	);
});

/** The library's reading of national digits with a default country. */
function libraryNational(digits: string, country: CountryCode): ReturnType<typeof library> {
	const phone = parsePhoneNumberFromString(digits, { defaultCountry: country, extract: false });
	if (!phone?.isValid()) return undefined;
	return { e164: phone.number, digits: phone.number.slice(1), country: phone.country as string };
}

test('national digits with a default country: the same answer as the library', () => {
	const countries = getCountries().filter((c) => getExampleNumber(c, examples));
	let settled = 0;
	const check = (digits: string, country: CountryCode) => {
		const fast = fastNational(digits, country, getCountryCallingCode(country));
		if (fast === undefined) return;
		settled++;
		expect({ digits, country, fast }).toEqual({ digits, country, fast: libraryNational(digits, country) });
	};
	for (const country of countries) {
		const example = getExampleNumber(country, examples)!;
		for (const prefix of ['', '0', '1', '8', '00', '06', '011']) for (let i = 0; i < 20; i++) check(prefix + example.nationalNumber.slice(0, -2) + String(i).padStart(2, '0'), country);
	}
	expect(settled).toBeGreaterThan(countries.length * 10);
	fc.assert(
		fc.property(fc.constantFrom(...countries), fc.stringMatching(/^\d{1,15}$/), (country, digits) => check(digits, country)),
		{ numRuns: 200_000 },
	);
});

test('what it leaves to the library: shared calling codes (+1, +44, +7), non-geographic ones, too short or too long', () => {
	expect(fastInternational('+12015550123')).toBeUndefined();
	expect(fastInternational('+447400123456')).toBeUndefined();
	expect(fastInternational('+79123456789')).toBeUndefined();
	expect(fastInternational('+80012345678')).toBeUndefined();
	expect(fastInternational(`+${getCountryCallingCode('CG')}0`)).toBeUndefined();
	expect(fastInternational(`+${getCountryCallingCode('CG')}${'0'.repeat(18)}`)).toBeUndefined();
});
