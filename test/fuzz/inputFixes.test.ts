/**
 * Unit tests for the input-handling defects the parameter fuzzing found
 * (parameters.fuzz.test.ts), one per fix, in the files that handle the input.
 * Those of engine.ts, records.ts and nodeSettings.ts, run through the nodes: ./engineInputs.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';
import { campaignWindow } from '../../nodes/IonSmsGateway/ionSmsGateway.api';
import { RECORD_OPERATIONS } from '../../nodes/MonSmsPro/monSmsPro.records';
import { mtnCongoProvider } from '../../nodes/MtnCongoSms/mtnCongo.api';
import { normalizePhone, PhoneNumberError } from '../../nodes/shared/phone';
import type { SendJob } from '../../nodes/shared/provider';
import type { ParameterReader } from '../../nodes/shared/recordTypes';
import { toInstant } from '../../nodes/shared/time';

describe('Send At (time.ts toInstant)', () => {
	const iso = (value: unknown, zone = 'Africa/Brazzaville') => toInstant(value, zone).toISOString();

	// Date.UTC and JavaScript's own parser roll these over to the next month: 30 February was scheduled on 2 March.
	test.each(['2030-02-30 10:00', '2030-02-30T10:00:00Z', '2030-13-01 10:00', '2030-11-23T25:00', '2030-11-23T10:61', '2031-02-29T10:00:00+01:00', '31 Feb 2031 10:00 +0100'])(
		'%s is refused: no such day or time',
		(value) => {
			expect(() => toInstant(value, 'UTC')).toThrow(/no such day or time/);
		},
	);

	test('29 February of a leap year and the last second of a day are accepted', () => {
		expect(iso('2028-02-29 10:00', 'UTC')).toBe('2028-02-29T10:00:00.000Z');
		expect(iso('2030-12-31T23:59:59Z')).toBe('2030-12-31T23:59:59.000Z');
	});

	// JavaScript reads these in the server's zone (and 11/12 as 12 November), not the workflow's: refused, not guessed.
	test.each(['11/12/2030 10:00', '2030/11/23 10:00', 'Nov 23, 2030 10:00', '1900000000000', 'tomorrow'])('%s is refused with the forms to use', (value) => {
		expect(() => toInstant(value, 'UTC')).toThrow(/not a date and time in a form read the same everywhere: write it as YYYY-MM-DD HH:MM/);
	});

	test('RFC 2822 with a zone is read at that zone; without one, in the workflow zone', () => {
		expect(iso('Sat, 23 Nov 2030 10:00:00 +0100')).toBe('2030-11-23T09:00:00.000Z');
		expect(iso('23 Nov 2030 10:00 GMT')).toBe('2030-11-23T10:00:00.000Z');
		expect(iso('23 Nov 2030 10:00 EST')).toBe('2030-11-23T15:00:00.000Z');
		expect(iso('23 Nov 2030 10:00', 'America/New_York')).toBe('2030-11-23T15:00:00.000Z');
		expect(iso('Sat Nov 23 2030 10:00:00 GMT+0100 (Central European Standard Time)')).toBe('2030-11-23T09:00:00.000Z');
	});

	test('ISO offsets in every written form; a wall-clock time in the workflow zone', () => {
		expect(iso('2030-11-23T10:00:00+01:00')).toBe('2030-11-23T09:00:00.000Z');
		expect(iso('2030-11-23T10:00:00+0100')).toBe('2030-11-23T09:00:00.000Z');
		expect(iso('2030-11-23T10:00:00+01')).toBe('2030-11-23T09:00:00.000Z');
		expect(iso('2030-11-23T10:00:00.123456789z')).toBe('2030-11-23T10:00:00.123Z');
		expect(iso('2030-11-23 10:00')).toBe('2030-11-23T09:00:00.000Z');
		expect(() => toInstant('2030-11-23T10:00:00+25:00', 'UTC')).toThrow(/no such time zone offset/);
	});

	test('values that are not dates say what they are instead of "Invalid time value" or "no date given"', () => {
		expect(() => toInstant(Number.NaN, 'UTC')).toThrow('NaN is not a date and time');
		expect(() => toInstant(Infinity, 'UTC')).toThrow('Infinity is not a date and time');
		expect(() => toInstant({ at: 1 }, 'UTC')).toThrow('an object ({"at":1}) is not a date and time');
		expect(() => toInstant([1, 2], 'UTC')).toThrow('a list ([1,2]) is not a date and time');
		expect(() => toInstant(true, 'UTC')).toThrow('the boolean (true) is not a date and time');
		expect(() => toInstant(null, 'UTC')).toThrow('no date and time given');
	});
});

describe('MTN Congo External ID (mtnCongo.api.ts validateJob)', () => {
	const job = (externalId: unknown): SendJob => ({ operation: 'send', sender: 'BES', text: 'Hi', recipients: [{ to: '242068463499', itemIndex: 0 }], options: { externalId } as IDataObject });

	// NaN went out as `externalId: null`: MTN refused the request after the item had been judged valid.
	test.each(['abc', 1.5, '12a', {}])('%p is refused naming the External ID', (value) => {
		expect(() => mtnCongoProvider.validateJob!(job(value))).toThrow(/^The External ID \(.*\) is not a whole number/);
	});

	test.each([12, '34', ' 7 ', -5, 0, '', null, undefined])('%p is accepted', (value) => {
		expect(() => mtnCongoProvider.validateJob!(job(value))).not.toThrow();
	});
});

describe('ION SMS Per Day / Minutes Between SMS (ionSmsGateway.api.ts)', () => {
	const job = (options: IDataObject): SendJob => ({
		operation: 'sendScheduled',
		sender: 'ION',
		text: 'Hi',
		recipients: [{ to: '+24106123456', itemIndex: 0 }],
		sendAt: new Date('2030-11-23T10:00:00Z'),
		options,
	});

	// Number([2]) is 2 and Number(true) is 1: an array or a boolean was taken as a count.
	test.each([[[2]], [true], [{}], ['1.5'], [-1]])('SMS Per Day %p is refused', (value) => {
		expect(() => campaignWindow(job({ smsPerDay: value }))).toThrow(/'SMS Per Day' .* must be a whole number of at least 1/);
		expect(() => campaignWindow(job({ minutesBetweenSms: value }))).toThrow(/'Minutes Between SMS' .* must be a whole number of at least 1/);
	});

	test('numbers and their text are accepted', () => {
		expect(campaignWindow(job({ smsPerDay: '3', minutesBetweenSms: 15 }))).toMatchObject({ nbParJour: 3, intervalleMinutes: 15 });
	});
});

describe('Mon SMS PRO records (monSmsPro.records.ts)', () => {
	const reader =
		(values: IDataObject): ParameterReader =>
		<T>(name: string, fallback?: T) =>
			(name in values ? values[name] : fallback) as T;
	const build = (operation: string, values: IDataObject) => RECORD_OPERATIONS[operation].build(reader(values), 'CI');

	// String({}) went out as the ID "[object Object]", and the provider answered "not found".
	test.each([
		['contact:get', 'contactId', 'Contact ID'],
		['contact:delete', 'contactId', 'Contact ID'],
		['group:delete', 'groupId', 'Group ID'],
	])('%s: an object as %s fails naming the field', (operation, name, label) => {
		expect(() => build(operation, { [name]: { id: 1 } })).toThrow(`'${label}' must be text, not an object`);
		expect(() => build(operation, { [name]: ['a'] })).toThrow(`'${label}' must be text, not a list`);
		expect(JSON.stringify(build(operation, { [name]: 42 }))).toMatch(/42/);
	});

	test("Get Campaigns names the field as the editor shows it, 'Sender Name or ID'", () => {
		expect(() => build('sender:getCampaigns', { senderId: '  ' })).toThrow("'Sender Name or ID' is empty");
	});

	// A name that is not text was dropped without a word: the contact was created without it.
	test('contact create: a name field that is not text fails naming it; a number is kept as text', () => {
		expect(() => build('contact:create', { phone: '0700000001', additionalFields: { name: { first: 'Awa' } } })).toThrow("'Name' must be text, not an object");
		expect(() => build('contact:create', { phone: '0700000001', additionalFields: { lastName: true } })).toThrow("'Last Name' must be text, not the boolean true");
		expect(build('contact:create', { phone: '0700000001', additionalFields: { name: 42 } }).body).toMatchObject({ name: '42' });
	});

	test('group create: a description that is not text fails naming it', () => {
		expect(() => build('group:create', { name: 'G', description: { a: 1 }, contacts: '0700000001', contactsFrom: 'eachItem' })).toThrow("'Description' must be text");
	});

	// A numeric column gave a number, ignored: "'Update Fields' holds nothing to change", or the phone silently not updated.
	test('contact update: a phone given as a number is the new phone', () => {
		const call = build('contact:update', { contactId: 'ctc_1', updateFields: { phone: 2250700000001, name: 'Awa' } });
		expect(call.body).toEqual({ name: 'Awa', phone: '2250700000001' });
		expect(() => build('contact:update', { contactId: 'ctc_1', updateFields: { phone: { n: 1 } } })).toThrow(/Invalid phone number in 'Phone'/);
	});

	// A list from an expression was ignored: only a text of numbers was read.
	test('group update: Add Contacts from a list or a number', () => {
		expect(build('group:update', { groupId: 'grp_1', updateFields: { contacts: ['0700000001', '+225 07 00 00 00 02'] } }).body).toEqual({
			contacts: [{ phone: '2250700000001' }, { phone: '2250700000002' }],
		});
		expect(build('group:update', { groupId: 'grp_1', updateFields: { contacts: 2250700000003 } }).body).toEqual({ contacts: [{ phone: '2250700000003' }] });
		expect(() => build('group:update', { groupId: 'grp_1', updateFields: { contacts: [] } })).toThrow("'Update Fields' holds nothing to change");
	});
});

describe('phone.ts normalizePhone', () => {
	// An object or a list was reported as `"" (empty)`.
	test.each([
		[{ phone: '068463499' }, 'an object, not a phone number'],
		[['068463499'], 'a list, not a phone number'],
		[true, 'a boolean, not a phone number'],
	])('%p says what it is', (value, reason) => {
		expect(() => normalizePhone(value, 'CG')).toThrow(PhoneNumberError);
		expect(() => normalizePhone(value, 'CG')).toThrow(reason);
	});
});
