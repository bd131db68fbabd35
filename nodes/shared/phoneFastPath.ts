import * as core from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';

/**
 * The valid international numbers of a calling code that belongs to one country, checked
 * with libphonenumber-js's own patterns compiled once per country: libphonenumber-js builds
 * a dozen regular expressions per number it parses, which made phone checks most of a
 * bulk send's time. Anything this path does not settle (another form, a shared calling
 * code, a national prefix the library would take off, an invalid number) goes to the
 * library, so every answer is the library's (test/unit/phoneFastPath.test.ts compares both).
 */

/** The part of libphonenumber-js's Metadata class used here (exported by its core, not typed). */
interface NumberingPlans {
	selectNumberingPlan(country: string): void;
	IDDPrefix(): string;
	nationalNumberPattern(): string;
	type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
	numberingPlan: { nationalPrefixForParsing(): string | undefined; nationalPrefixTransformRule(): string | undefined };
}
const Plans = (core as unknown as { Metadata: new (json: unknown) => NumberingPlans }).Metadata;

/** libphonenumber-js's getNumberType order; a number is valid when it is any of them. */
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface CountryPlan {
	country: string;
	general: RegExp;
	types: Array<{ pattern: RegExp; lengths?: number[] }>;
	/** The national prefix as the library reads it; plans whose prefix rewrites or captures are left to the library. */
	prefix?: RegExp;
	/** The library may rewrite or capture around the prefix: such numbers go to it. */
	complexPrefix: boolean;
	/** The prefix for dialling abroad from the country: a national number starting with it goes to the library. */
	idd: RegExp;
}

const callingCodes = (metadata as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes;
const plans = new Map<string, CountryPlan | null>();

function planOf(callingCode: string): CountryPlan | null {
	let plan = plans.get(callingCode);
	if (plan === undefined) {
		const countries = callingCodes[callingCode];
		// '001': the non-geographic codes (800, 882 …), kept in another part of the metadata.
		plan = countries?.length === 1 && countries[0] !== '001' ? compile(countries[0]) : null;
		plans.set(callingCode, plan);
	}
	return plan;
}

function compile(country: string): CountryPlan {
	const m = new Plans(metadata);
	m.selectNumberingPlan(country);
	const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);
	const types: CountryPlan['types'] = [];
	for (const name of TYPES) {
		const type = m.type(name);
		if (type?.pattern()) types.push({ pattern: whole(type.pattern()), lengths: type.possibleLengths() });
	}
	const prefix = m.numberingPlan.nationalPrefixForParsing();
	const compiled = prefix ? new RegExp(`^(?:${prefix})`) : undefined;
	// A capturing group (a carrier code) or a transform rule: the library's own logic decides.
	const groups = compiled ? new RegExp(`${compiled.source}|`).exec('')!.length - 1 : 0;
	const complexPrefix = Boolean(m.numberingPlan.nationalPrefixTransformRule()) || groups > 0;
	return { country, general: whole(m.nationalNumberPattern()), types, prefix: compiled, complexPrefix, idd: new RegExp(`^(?:${m.IDDPrefix()})`) };
}

/**
 * Digits in the national form of `country` as libphonenumber-js would accept them: the library
 * reads them as the country's calling code followed by them, unless they start with that code
 * or with the prefix for dialling abroad (it then tries other readings, left to it).
 */
export function fastNational(digits: string, country: string, callingCode: string): ReturnType<typeof fastInternational> {
	const plan = planOf(callingCode);
	if (!plan || plan.country !== country || digits.startsWith(callingCode) || plan.idd.test(digits)) return undefined;
	return fastInternational(`+${callingCode}${digits}`);
}

/** `+<digits>` as libphonenumber-js would accept it, or undefined when the library must decide. */
export function fastInternational(compact: string): { e164: string; digits: string; country: string } | undefined {
	for (let length = 1; length <= 3 && length < compact.length; length++) {
		const callingCode = compact.slice(1, 1 + length);
		if (!callingCodes[callingCode]) continue;
		const plan = planOf(callingCode);
		if (!plan) return undefined;
		const national = compact.slice(1 + length);
		if (national.length < 2 || national.length > 17) return undefined;
		const prefix = plan.prefix?.exec(national);
		if (prefix) {
			if (plan.complexPrefix) return undefined;
			// The library keeps a prefix-looking start only when the number is whole with it and not without it.
			if (!(plan.general.test(national) && !plan.general.test(national.slice(prefix[0].length)))) return undefined;
		}
		if (!plan.general.test(national)) return undefined;
		const valid = plan.types.some((t) => (!t.lengths || t.lengths.includes(national.length)) && t.pattern.test(national));
		return valid ? { e164: `+${callingCode}${national}`, digits: `${callingCode}${national}`, country: plan.country } : undefined;
	}
	return undefined;
}
