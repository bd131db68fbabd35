/** The campaign-safety parts that need no n8n: the opt-out list and the segment budget. */
import fc from 'fast-check';
import { OptOutList, scanEntries, typedEntries } from '../../nodes/shared/optOut';
import { QuietHours } from '../../nodes/shared/quietHours';
import { SegmentBudget } from '../../nodes/shared/segmentBudget';
import { OptionError } from '../../nodes/shared/values';

describe('OptOutList', () => {
	test('numbers written any way, in text or a list, are found as the provider formats recipients', () => {
		const list = OptOutList.read('+242 06 846 34 99; 050010101\n\n 00242 05 001 01 02 ', 'CG', 'digits')!;
		expect(list.size).toBe(3);
		expect(['242068463499', '242050010101', '242050010102'].map((n) => list.has(n))).toEqual([true, true, true]);
		expect(list.has('242068463498')).toBe(false);
		// Same last digits, another number: parsed, not matched.
		expect(list.has('242058463499')).toBe(false);
		// A number-like entry that is no valid number matches nothing.
		expect(OptOutList.read('0000000000', 'CG', 'digits')!.has('242000000000')).toBe(false);
		const e164 = OptOutList.read(['068463499', 242050010101, null], 'CG', 'e164')!;
		expect([e164.has('+242068463499'), e164.has('+242050010101'), e164.size]).toEqual([true, true, 2]);
	});

	test('empty means no list; an entry that is not a number, or an object, is refused with its place', () => {
		expect(OptOutList.read('', 'CG', 'digits')).toBeUndefined();
		expect(OptOutList.read(undefined, 'CG', 'digits')).toBeUndefined();
		expect(() => OptOutList.read('068463499, phone, 050010101', 'CG', 'digits')).toThrow(new OptionError(`The option 'Do Not Send To' holds "phone" (entry 2 of 3), which is not a phone number`));
		expect(() => OptOutList.read(['068463499', '06 12'], 'CG', 'digits')).toThrow(/holds "06 12" \(entry 2 of 2\)/);
		expect(() => OptOutList.read(['068463499', { phone: '068463499' }], 'CG', 'digits')).toThrow(/holds "an object" \(entry 2 of 2\)/);
		expect(() => OptOutList.read({ phone: '068463499' }, 'CG', 'digits')).toThrow(/must be numbers \(text, or a list\), not an object/);
	});
});

describe("Do Not Send To's one-pass reading", () => {
	// Pieces as a sheet or an expression gives them, with what else a text can hold.
	const piece = fc.oneof(
		fc.stringMatching(/^(\+|00)?[0-9]{7,13}$/),
		fc.array(fc.constantFrom(...'0123456789+ \t.-()/\u00a0\u202f'), { maxLength: 14 }).map((cs) => cs.join('')),
		fc.array(fc.constantFrom(...'0123456789 ,;\n\r\u2028\f\v\u2003xé'), { maxLength: 6 }).map((cs) => cs.join('')),
	);
	const text = fc.array(fc.tuple(piece, fc.constantFrom(',', ';', '\n', '\r\n', ', ', ';;')), { maxLength: 12 }).map((parts) => parts.map(([p, d]) => p + d).join(''));

	test('finds what the piece-by-piece reading finds, or leaves the text to it', () => {
		let scanned = 0;
		fc.assert(
			fc.property(text, (value) => {
				const entries: string[] = [];
				if (!scanEntries(value, entries)) return;
				scanned++;
				expect(entries).toEqual(typedEntries(value));
			}),
			{ numRuns: 2000 },
		);
		// Most generated texts are plain lists: the one pass reads them itself.
		expect(scanned).toBeGreaterThan(200);
	});

	test('leaves to the piece-by-piece reading what it must explain, and reads a pasted column itself', () => {
		for (const bad of ['068463499, phone', '06 12', '+', '.', '1+2345678', '068463499\u2028']) expect(scanEntries(bad, [])).toBe(false);
		const column: string[] = [];
		expect(scanEntries('+242 06 846 34 99\r\n00242-05-001-01-02\n (050) 010.101 ;\n\u00a0\n', column)).toBe(true);
		expect(column).toEqual(['+242068463499', '00242050010102', '050010101']);
	});
});

describe('SegmentBudget', () => {
	test('no cap: anything goes', () => {
		expect(new SegmentBudget({}, 0, 0).refusal(1_000_000)).toBeUndefined();
	});

	test('counts the other runs of the node in the execution, not a repeat of this run', () => {
		const context = {};
		const first = new SegmentBudget(context, 0, 10);
		expect(first.refusal(6)).toBeUndefined();
		first.record(6);
		// Retry On Fail repeats run 0: its own earlier plan is not counted again.
		expect(new SegmentBudget(context, 0, 10).refusal(6)).toBeUndefined();
		const second = new SegmentBudget(context, 1, 10);
		expect(second.refusal(4)).toBeUndefined();
		expect(second.refusal(5)).toBe(
			"This execution would send 11 SMS segments (5 in this run, 6 in earlier runs of this node), more than the 10 that 'Max SMS Segments Per Execution' allows: nothing was sent",
		);
	});
});

describe('QuietHours', () => {
	const night = QuietHours.read({ quietHoursStart: '21:00', quietHoursEnd: '08h00' }, 'CG', 'Europe/Paris')!;
	const at = (iso: string) => new Date(iso);

	test("read in the recipient's country (Congo, UTC+1): inside, the end of this night; outside, nothing", () => {
		// 22:30 in Brazzaville: until 08:00 tomorrow there (07:00 UTC).
		expect(night.endFor('242068463499', at('2026-12-03T21:30:00Z'))?.toISOString()).toBe('2026-12-04T07:00:00.000Z');
		// 07:00 in Brazzaville: until 08:00 the same day.
		expect(night.endFor('242068463499', at('2026-12-03T06:00:00Z'))?.toISOString()).toBe('2026-12-03T07:00:00.000Z');
		expect(night.endFor('242068463499', at('2026-12-03T12:00:00Z'))).toBeUndefined();
		// 20:59 there is before the window; 21:00 is in it.
		expect(night.endFor('242068463499', at('2026-12-03T19:59:00Z'))).toBeUndefined();
		expect(night.endFor('242068463499', at('2026-12-03T20:00:00Z'))?.toISOString()).toBe('2026-12-04T07:00:00.000Z');
	});

	test("the number's country, not the credential's: Côte d'Ivoire (UTC+0) and Cameroon (UTC+1) at the same instant", () => {
		expect(night.endFor('+2250700000001', at('2026-12-03T07:30:00Z'))?.toISOString()).toBe('2026-12-03T08:00:00.000Z');
		expect(night.endFor('+237677000000', at('2026-12-03T07:30:00Z'))).toBeUndefined();
	});

	test('a country with two zones (DR Congo) is quiet until the window ends in both', () => {
		// 05:30 UTC: 06:30 in Kinshasa (ends 07:00 UTC), 07:30 in Lubumbashi (ends 06:00 UTC).
		expect(night.endFor('+243810000000', at('2026-12-03T05:30:00Z'))?.toISOString()).toBe('2026-12-03T07:00:00.000Z');
		// 06:30 UTC: still night in Kinshasa (07:30), day in Lubumbashi (08:30).
		expect(night.endFor('+243810000000', at('2026-12-03T06:30:00Z'))?.toISOString()).toBe('2026-12-03T07:00:00.000Z');
	});

	test('a window within one day; a country without a known zone is read in the workflow zone', () => {
		const lunch = QuietHours.read({ quietHoursStart: '12:00', quietHoursEnd: '14:00' }, 'CG', 'Europe/Paris')!;
		expect(lunch.endFor('242068463499', at('2026-12-03T12:00:00Z'))?.toISOString()).toBe('2026-12-03T13:00:00.000Z');
		expect(lunch.endFor('242068463499', at('2026-12-03T13:00:00Z'))).toBeUndefined();
		// A Brazilian number: Paris time (UTC+1 in December).
		expect(lunch.endFor('+5511987654321', at('2026-12-03T11:30:00Z'))?.toISOString()).toBe('2026-12-03T13:00:00.000Z');
	});

	test('unset is no window; half of one, a bad time or an empty window is refused', () => {
		expect(QuietHours.read({}, 'CG', 'UTC')).toBeUndefined();
		expect(QuietHours.read({ quietHoursStart: '', quietHoursEnd: '  ' }, 'CG', 'UTC')).toBeUndefined();
		expect(() => QuietHours.read({ quietHoursStart: '21:00' }, 'CG', 'UTC')).toThrow(/need both options/);
		expect(() => QuietHours.read({ quietHoursStart: '25:00', quietHoursEnd: '08:00' }, 'CG', 'UTC')).toThrow("The option 'Quiet Hours Start' must be a time such as 21:00, not \"25:00\"");
		expect(() => QuietHours.read({ quietHoursStart: '21:00', quietHoursEnd: 8 }, 'CG', 'UTC')).toThrow(/'Quiet Hours End' must be a time/);
		expect(() => QuietHours.read({ quietHoursStart: '8:00', quietHoursEnd: '08:00' }, 'CG', 'UTC')).toThrow(/the same time/);
	});
});
