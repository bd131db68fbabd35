import { cut, previewValue, valueKind } from './values';

/**
 * Turns the `sendAt` parameter into an instant. n8n's date-time fields give a
 * wall-clock string without zone, meant in the workflow's time zone; ISO and
 * RFC 2822 strings are read with their zone if they have one, in the workflow's
 * otherwise; epoch milliseconds, Date objects and Luxon DateTimes (from
 * expressions) are used as they are. Other strings are refused rather than
 * guessed (JavaScript's own parser reads 11/12/2026 as 12 November, in the
 * server's zone, and rolls 31 February over to March).
 */
export function toInstant(value: unknown, timeZone: string): Date {
	if (value instanceof Date) return checkDate(value, String(value));
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return checkDate(new Date(String((value as { toISO: () => string }).toISO())), String(value));
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`${value} is not a date and time`);
		return checkDate(new Date(value), String(value));
	}
	if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) throw new Error('no date and time given');
	if (typeof value !== 'string') throw new Error(`${describe(value)} is not a date and time`);
	const text = value.trim();
	const iso = ISO_DATE_TIME.exec(text);
	if (iso) {
		const [, y, mo, d, h, mi, s, frac, zone] = iso;
		return fromFields(text, timeZone, { year: y, month: mo, day: d, hour: h, minute: mi, second: s, fraction: frac, zone });
	}
	const rfc = RFC_2822.exec(text) ?? DATE_TO_STRING.exec(text);
	if (rfc?.groups) {
		const { day, mon, year, hour, minute, second, zone } = rfc.groups;
		return fromFields(text, timeZone, { year, month: String(MONTHS.indexOf(mon.slice(0, 3).toLowerCase()) + 1), day, hour, minute, second, zone });
	}
	throw new Error(
		`"${cut(text)}" is not a date and time in a form read the same everywhere: write it as YYYY-MM-DD HH:MM (in the workflow's time zone), with a zone (2026-11-23T10:00:00+01:00), or as RFC 2822 (Mon, 23 Nov 2026 10:00:00 +0100)`,
	);
}

/** `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fraction]]` and a zone (`Z`, `±HH`, `±HHMM`, `±HH:MM`). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const ZONE = '(?<zone>Z|UTC?|GMT|[ECMP][SD]T|(?:GMT|UTC)?[+-]\\d{2}:?\\d{2})';
/** `Mon, 23 Nov 2026 10:00:00 +0100` (RFC 2822; weekday, seconds and zone optional). */
const RFC_2822 = new RegExp(`^(?:[a-z]{3,9},?\\s+)?(?<day>\\d{1,2})\\s+${MONTH}\\s+(?<year>\\d{4})\\s+(?<hour>\\d{1,2}):(?<minute>\\d{2})(?::(?<second>\\d{2}))?(?:\\s*${ZONE})?$`, 'i');
/** `Mon Nov 23 2026 10:00:00 GMT+0100 (Central European Standard Time)`, as Date#toString writes it. */
const DATE_TO_STRING = new RegExp(`^[a-z]{3}\\s+${MONTH}\\s+(?<day>\\d{1,2})\\s+(?<year>\\d{4})\\s+(?<hour>\\d{2}):(?<minute>\\d{2})(?::(?<second>\\d{2}))?\\s+${ZONE}(?:\\s+\\([^)]*\\))?$`, 'i');
/** RFC 2822's North American zone names, in minutes east of UTC. */
const NAMED_ZONES: Record<string, number> = { Z: 0, UT: 0, UTC: 0, GMT: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };

interface Fields {
	year: string;
	month: string;
	day: string;
	hour?: string;
	minute?: string;
	second?: string;
	fraction?: string;
	zone?: string;
}

/** The instant of written fields: at their zone, or in the workflow's zone without one. Impossible days and times are refused. */
function fromFields(text: string, timeZone: string, fields: Fields): Date {
	const [year, month, day, hour, minute, second] = [fields.year, fields.month, fields.day, fields.hour ?? '0', fields.minute ?? '0', fields.second ?? '0'].map(Number);
	// Date.UTC rolls 30 February over to March: check the fields first.
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
		throw new Error(`"${cut(text)}" is not a date and time: there is no such day or time`);
	}
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(Number(`0.${fields.fraction ?? '0'}`) * 1000));
	if (fields.zone) return checkDate(new Date(asUtc - zoneMinutes(fields.zone, text) * 60_000), text);
	let instant = asUtc - zoneOffsetMs(asUtc, timeZone);
	instant = asUtc - zoneOffsetMs(instant, timeZone); // settle across a DST change
	return checkDate(new Date(instant), text);
}

function zoneMinutes(zone: string, text: string): number {
	const named = NAMED_ZONES[zone.toUpperCase()];
	if (named !== undefined) return named;
	const [, sign, hours, minutes = '0'] = /([+-])(\d{2}):?(\d{2})?$/.exec(zone) as RegExpExecArray;
	if (Number(hours) > 23 || Number(minutes) > 59) throw new Error(`"${cut(text)}" has no such time zone offset (${zone})`);
	return (Number(hours) * 60 + Number(minutes)) * (sign === '-' ? -1 : 1);
}

function describe(value: unknown): string {
	return `${valueKind(value)} (${previewValue(value)})`;
}


function checkDate(date: Date, shown: string): Date {
	if (Number.isNaN(date.getTime())) throw new Error(`"${cut(shown)}" is not a date and time`);
	return date;
}

/** Offset of the zone from UTC at the instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - Math.floor(instant / 1000) * 1000;
}

/** `YYYY-MM-DDTHH:MM:SS` of the instant at a fixed offset from UTC. */
export function formatAtOffset(date: Date, offsetMinutes: number): string {
	return new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
}

/** `YYYY-MM-DD` of the instant at a fixed offset from UTC. */
export function dayAtOffset(date: Date, offsetMinutes: number): string {
	return formatAtOffset(date, offsetMinutes).slice(0, 10);
}
