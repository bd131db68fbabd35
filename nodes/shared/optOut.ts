import type { CountryCode } from 'libphonenumber-js';
import { formatPhone, normalizePhone, PhoneNumberError, splitRecipients, type PhoneFormat } from './phone';
import { OptionError, valueKind } from './values';

/**
 * The option Do Not Send To: numbers never to send to, normalised as recipients are,
 * so that `+242 06 846 34 99` matches `068463499`. Read once per run.
 */
export class OptOutList {
	private constructor(private readonly numbers: ReadonlySet<string>) {}

	/** An entry that is not a number stops the run: a list that cannot be read protects nobody. */
	static read(value: unknown, defaultCountry: CountryCode, format: PhoneFormat): OptOutList | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value === 'object' && !Array.isArray(value)) {
			throw new OptionError(`The option 'Do Not Send To' must be numbers (text, or a list), not ${valueKind(value)}`);
		}
		const numbers = new Set<string>();
		const entries = splitRecipients(value, defaultCountry);
		entries.forEach((entry, index) => {
			try {
				numbers.add(formatPhone(normalizePhone(entry, defaultCountry), format));
			} catch (error) {
				if (!(error instanceof PhoneNumberError)) throw error;
				throw new OptionError(`The option 'Do Not Send To' holds "${error.input}" (entry ${index + 1} of ${entries.length}), which is not a phone number: ${error.reason}`);
			}
		});
		return new OptOutList(numbers);
	}

	get size(): number {
		return this.numbers.size;
	}

	has(to: string): boolean {
		return this.numbers.has(to);
	}
}
