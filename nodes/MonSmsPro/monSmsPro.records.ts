import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import type { CountryCode } from 'libphonenumber-js';
import { readProviderCredentials } from '../shared/credentials';
import { formatPhone, normalizePhone, PhoneNumberError, splitRecipients } from '../shared/phone';
import type { ParameterReader, RecordApi, RecordCall, RecordOperation } from '../shared/recordTypes';
import { MAX_PAGE_SIZE } from './assumptions';
import { monSmsProCall, NAME, readEnvelope } from './monSmsPro.api';

const paged = z.object({ totalPage: z.number().optional() }).passthrough();

export const monSmsProRecords: RecordApi = {
	name: NAME,
	credentialType: 'monSmsProApi',
	readCredentials: (raw) => readProviderCredentials(raw, ['apiKey']),
	request: (credentials, call) => monSmsProCall(credentials, call.path, call.body),
	read: (response) => readEnvelope(response, z.unknown(), 'data'),
	readPage(response) {
		const records = readEnvelope(response, z.array(z.unknown()), 'a list');
		// The envelope of a list adds totalCount, count, page, totalPage next to data.
		const { totalPage } = paged.parse(JSON.parse(response.text));
		return { records, totalPages: totalPage };
	},
	pageFields: (page, size) => ({ page, limit: size }),
	maxPageSize: MAX_PAGE_SIZE,
};

/**
 * A text parameter as an expression may give it: a string (trimmed) or a number.
 * Anything else fails naming the field, rather than being sent as "[object Object]".
 */
function textOf(value: unknown, label: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`;
	throw new Error(`'${label}' must be text, not ${kind}`);
}

function required(read: ParameterReader, name: string, label: string): string {
	const value = textOf(read<unknown>(name, ''), label);
	if (!value) throw new Error(`'${label}' is empty`);
	return value;
}

/** A phone as Mon SMS PRO wants it (225…, no +), or an error naming the field. */
export function contactPhone(value: unknown, country: CountryCode, label: string): string {
	let problem: PhoneNumberError;
	try {
		return formatPhone(normalizePhone(value, country), 'digits');
	} catch (error) {
		// normalizePhone throws PhoneNumberError only.
		problem = error as PhoneNumberError;
	}
	throw new Error(`Invalid phone number in '${label}': "${problem.input}" (${problem.reason})`);
}

const NAME_LABELS: Record<string, string> = { name: 'Name', firstName: 'First Name', lastName: 'Last Name' };

/** The name fields of a contact, from the parameters that are set (numbers as text; other values fail). */
function nameFields(fields: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, label] of Object.entries(NAME_LABELS)) {
		const value = textOf(fields[key], label);
		if (value) out[key] = value;
	}
	const sex = textOf(fields.sex, 'Sex').toUpperCase();
	if (sex) {
		if (sex !== 'M' && sex !== 'F') throw new Error(`'Sex' must be M or F, not "${String(fields.sex)}"`);
		out.sex = sex;
	}
	return out;
}

const phonesOf = (call: RecordCall) => ((call.body?.contacts ?? []) as Array<{ phone: string }>).map((c) => c.phone);

const id = (read: ParameterReader, name: string, label: string) => encodeURIComponent(required(read, name, label));

/** The record operations of the node, by `resource:operation`. */
export const RECORD_OPERATIONS: Record<string, RecordOperation> = {
	'contact:create': {
		build: (read, country) => ({
			path: 'contact/create',
			body: { phone: contactPhone(read('phone', ''), country, 'Phone'), ...nameFields(read<IDataObject>('additionalFields', {})) },
		}),
		ambiguousHint: 'Look the contact up (Get Many) before creating it again.',
	},
	'contact:get': { build: (read) => ({ path: `contact/${id(read, 'contactId', 'Contact ID')}` }), read: true },
	'contact:getAll': { build: () => ({ path: 'contact/list' }), list: true },
	'contact:update': {
		build(read, country) {
			const fields = read<IDataObject>('updateFields', {});
			const body = nameFields(fields);
			// A number from a numeric column is a phone too.
			if (fields.phone !== undefined && fields.phone !== null && fields.phone !== '' && !(typeof fields.phone === 'string' && !fields.phone.trim())) {
				body.phone = contactPhone(fields.phone, country, 'Phone');
			}
			if (Object.keys(body).length === 0) throw new Error("'Update Fields' holds nothing to change");
			return { path: `contact/${id(read, 'contactId', 'Contact ID')}/update`, body };
		},
	},
	'contact:delete': {
		build: (read) => ({ path: 'contact/delete', body: { id: required(read, 'contactId', 'Contact ID') } }),
		output: (_data, read) => [{ id: read('contactId', ''), deleted: true }],
	},
	'group:create': {
		build(read, country) {
			const together = read<string>('contactsFrom', 'allItems') === 'allItems';
			const phones = splitRecipients(read<unknown>('contacts', ''), country);
			if (together && phones.length === 0) throw new Error("'Contacts' is empty: with Contacts From set to All Input Items, each item gives its phone number(s)");
			const description = textOf(read<unknown>('description', ''), 'Description');
			return {
				path: 'group/create',
				body: {
					name: required(read, 'name', 'Name'),
					...(description ? { description } : {}),
					contacts: phones.map((p) => ({ phone: contactPhone(p, country, 'Contacts') })),
				},
			};
		},
		together: {
			wanted: (read) => read<string>('contactsFrom', 'allItems') === 'allItems',
			merge(calls) {
				const phones = new Set(calls.flatMap(phonesOf));
				return { path: calls[0].path, body: { ...calls[0].body, contacts: [...phones].map((phone) => ({ phone })) } };
			},
			output(data, call) {
				// The group without any contact list it may echo: each item shows its own numbers.
				const { contacts: _contacts, ...group } = (data !== null && typeof data === 'object' ? data : { value: data }) as IDataObject;
				return { ...group, phones: phonesOf(call) };
			},
		},
		ambiguousHint: 'Look the group up (Get Many) before creating it again.',
	},
	'group:get': { build: (read) => ({ path: `group/${id(read, 'groupId', 'Group ID')}` }), read: true },
	'group:getAll': { build: () => ({ path: 'group/list' }), list: true },
	'group:update': {
		build(read, country) {
			const fields = read<IDataObject>('updateFields', {});
			const body: IDataObject = {};
			for (const [key, label] of [
				['name', 'Name'],
				['description', 'Description'],
			]) {
				const value = textOf(fields[key], label);
				if (value) body[key] = value;
			}
			// Numbers separated by commas or new lines, or a list from an expression.
			const phones = splitRecipients(fields.contacts, country);
			if (phones.length) body.contacts = phones.map((p) => ({ phone: contactPhone(p, country, 'Add Contacts') }));
			if (Object.keys(body).length === 0) throw new Error("'Update Fields' holds nothing to change");
			return { path: `group/${id(read, 'groupId', 'Group ID')}/update`, body };
		},
	},
	'group:delete': {
		build: (read) => ({ path: `group/${id(read, 'groupId', 'Group ID')}/delete` }),
		output: (_data, read) => [{ id: read('groupId', ''), deleted: true }],
	},
	'sender:create': {
		build(read, country) {
			const name = required(read, 'senderName', 'Sender Name');
			if (!/^[A-Za-z0-9]{3,11}$/.test(name)) throw new Error(`'Sender Name' "${name}" must be 3 to 11 letters or digits, without spaces`);
			return { path: 'sender/create', body: { name, description: required(read, 'description', 'Description') } };
		},
	},
	'sender:getAll': { build: () => ({ path: 'sender/list' }), list: true },
	'sender:getCampaigns': { build: (read) => ({ path: `sender/${id(read, 'senderId', 'Sender Name or ID')}/campaign` }), list: true },
	'campaign:getAll': { build: () => ({ path: 'campaign/list' }), list: true },
	'account:getCredit': {
		build: () => ({ path: 'user/credit' }),
		output: (data) => [{ credit: data as number }],
		read: true,
	},
};
