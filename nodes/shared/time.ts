/**
 * Turns the `sendAt` parameter into an instant. n8n's date-time fields give a
 * wall-clock string without zone, meant in the workflow's time zone; strings with
 * an offset or Z, Date objects and Luxon DateTimes (from expressions) are used as
 * they are.
 */
export function toInstant(value: unknown, timeZone: string): Date {
	if (value instanceof Date) return checkDate(value, String(value));
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return checkDate(new Date(String((value as { toISO: () => string }).toISO())), String(value));
	}
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? new Date(value).toISOString() : '';
	if (!text) throw new Error('no date and time given');
	const wall = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(text);
	if (wall) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = wall;
		const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(`0.${frac}`) * 1000));
		let instant = asUtc - zoneOffsetMs(asUtc, timeZone);
		instant = asUtc - zoneOffsetMs(instant, timeZone); // settle across a DST change
		return checkDate(new Date(instant), text);
	}
	return checkDate(new Date(text), text);
}

function checkDate(date: Date, shown: string): Date {
	if (Number.isNaN(date.getTime())) throw new Error(`"${shown}" is not a date and time`);
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
