import { normalizePhone, PhoneNumberError, splitRecipients, formatPhone } from '../../nodes/shared/phone';

describe('normalizePhone', () => {
	test.each([
		['+242 06 846 34 99', '242068463499'],
		['00242068463499', '242068463499'],
		['242068463499', '242068463499'],
		['068463499', '242068463499'],
		['06.846.34.99', '242068463499'],
		['06-846-34-99', '242068463499'],
		['(+242) 06 846 34 99', '242068463499'],
	])('CG: %s → %s (the leading 0 stays)', (input, digits) => {
		expect(normalizePhone(input, 'CG').digits).toBe(digits);
	});

	test('other countries keep their national 0 where the plan has one', () => {
		expect(normalizePhone('0707070707', 'CI').digits).toBe('2250707070707');
		expect(normalizePhone('06123456', 'GA').e164).toBe('+24106123456');
		expect(normalizePhone('694124344', 'CM').digits).toBe('237694124344');
		expect(normalizePhone('+237 6 94 12 43 44', 'CG').digits).toBe('237694124344');
	});

	test('a number with another country code is kept in that country', () => {
		expect(normalizePhone('237694124344', 'CG').country).toBe('CM');
	});

	test.each([
		['24206846349', /too short/],
		['22500000000', /not a valid/],
		['abc', /only digits/],
		['', /empty/],
		['+999 123', /not a valid/],
	])('rejects %s with a reason', (input, reason) => {
		expect(() => normalizePhone(input, 'CG')).toThrow(PhoneNumberError);
		expect(() => normalizePhone(input, 'CG')).toThrow(reason);
	});

	test('formats per provider', () => {
		const phone = normalizePhone('068463499', 'CG');
		expect(formatPhone(phone, 'digits')).toBe('242068463499');
		expect(formatPhone(phone, 'e164')).toBe('+242068463499');
	});
});

describe('splitRecipients', () => {
	test('commas, semicolons and new lines', () => {
		expect(splitRecipients('242068463499, 242050010101;068463499\n+242064504545', 'CG')).toEqual([
			'242068463499',
			'242050010101',
			'068463499',
			'+242064504545',
		]);
	});

	test('spaces inside one number are kept', () => {
		expect(splitRecipients('+242 06 846 34 99', 'CG')).toEqual(['+242 06 846 34 99']);
		expect(splitRecipients('06 846 34 99', 'CG')).toEqual(['06 846 34 99']);
	});

	test('a space-separated list of complete numbers is split', () => {
		expect(splitRecipients('+242068463499 +242064504545 068463499', 'CG')).toEqual(['+242068463499', '+242064504545', '068463499']);
	});

	test('arrays from expressions, numbers and empties', () => {
		expect(splitRecipients(['242068463499', 242050010101, null, ''], 'CG')).toEqual(['242068463499', '242050010101']);
		expect(splitRecipients('', 'CG')).toEqual([]);
	});
});
