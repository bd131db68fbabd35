import type { IDataObject } from 'n8n-workflow';
import { COUNTRY_ZONES } from './countryZones';
import { normalizePhone } from './phone';
import type { CountryCode } from 'libphonenumber-js';
import { zoneOffsetMs } from './time';
import { OptionError, showValue } from './values';

const DAY_MINUTES = 24 * 60;
const TIME = /^\s*(\d{1,2})\s*[:hH]\s*(\d{2})\s*$/;

/** "21:00", "8:00", "21h00": minutes after midnight. */
function minutesOf(value: unknown, label: string): number {
	const match = typeof value === 'string' ? TIME.exec(value) : null;
	const hours = match ? Number(match[1]) : NaN;
	const minutes = match ? Number(match[2]) : NaN;
	if (!(hours <= 23 && minutes <= 59)) throw new OptionError(`The option '${label}' must be a time such as 21:00, not ${showValue(value)}`);
	return hours * 60 + minutes;
}

const isSet = (value: unknown) => value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

/**
 * The options Quiet Hours Start and End: a daily window (it may span midnight, 21:00
 * to 08:00) read in each recipient's country, found from the number.
 */
export class QuietHours {
	private readonly zonesByCountry = new Map<string, readonly string[]>();

	private constructor(
		readonly start: number,
		readonly end: number,
		private readonly defaultCountry: CountryCode,
		/** For numbers of countries without a known zone. */
		private readonly workflowZone: string,
	) {}

	static read(options: IDataObject, defaultCountry: CountryCode, workflowZone: string): QuietHours | undefined {
		const from = options.quietHoursStart;
		const to = options.quietHoursEnd;
		if (!isSet(from) && !isSet(to)) return undefined;
		if (!isSet(from) || !isSet(to)) throw new OptionError("Quiet hours need both options, 'Quiet Hours Start' and 'Quiet Hours End'");
		const start = minutesOf(from, 'Quiet Hours Start');
		const end = minutesOf(to, 'Quiet Hours End');
		if (start === end) throw new OptionError("'Quiet Hours Start' and 'Quiet Hours End' are the same time: the window would be empty");
		return new QuietHours(start, end, defaultCountry, workflowZone);
	}

	/** The window as written: "21:00–08:00". */
	get label(): string {
		const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
		return `${hhmm(this.start)}–${hhmm(this.end)}`;
	}

	/** When the window that holds `at` ends for the number `to` (in the provider's format), or undefined when `at` is outside it. */
	endFor(to: string, at: Date): Date | undefined {
		let latest: Date | undefined;
		for (const zone of this.zonesOf(to)) {
			const end = this.endIn(zone, at.getTime());
			if (end && (!latest || end > latest)) latest = end;
		}
		return latest;
	}

	private zonesOf(to: string): readonly string[] {
		let country: string | undefined;
		try {
			country = normalizePhone(to, this.defaultCountry).country;
		} catch {
			country = undefined;
		}
		const key = country ?? '';
		let zones = this.zonesByCountry.get(key);
		if (!zones) {
			zones = (country && COUNTRY_ZONES[country]) || [this.workflowZone];
			this.zonesByCountry.set(key, zones);
		}
		return zones;
	}

	private endIn(zone: string, instant: number): Date | undefined {
		const offset = zoneOffsetMs(instant, zone);
		const local = instant + offset;
		const minute = Math.floor(local / 60_000) % DAY_MINUTES;
		const midnight = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
		const inside = this.start < this.end ? minute >= this.start && minute < this.end : minute >= this.start || minute < this.end;
		if (!inside) return undefined;
		// The end on the same local day, or the next one when the window spans midnight and started today.
		const endLocal = midnight + this.end * 60_000 + (this.start > this.end && minute >= this.start ? 86_400_000 : 0);
		const guess = endLocal - offset;
		return new Date(endLocal - zoneOffsetMs(guess, zone));
	}
}
