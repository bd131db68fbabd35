/** The campaign-safety parts that need no n8n: the opt-out list and the segment budget. */
import { OptOutList } from '../../nodes/shared/optOut';
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
