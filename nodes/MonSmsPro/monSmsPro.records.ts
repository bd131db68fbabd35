import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import type { CountryCode } from 'libphonenumber-js';
import { readProviderCredentials } from '../shared/credentials';
import { formatPhone, normalizePhone, PhoneNumberError, splitRecipients } from '../shared/phone';
import type { ParameterReader, RecordApi, RecordCall, RecordOperation } from '../shared/records';
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

function required(read: ParameterReader, name: string, label: string): string {
	const value = String(read<unknown>(name, '') ?? '').trim();
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

/** The name fields of a contact, from the parameters that are set. */
function nameFields(fields: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const key of ['name', 'firstName', 'lastName']) {
		const value = typeof fields[key] === 'string' ? (fields[key] as string).trim() : '';
		if (value) out[key] = value;
	}
	const sex = typeof fields.sex === 'string' ? fields.sex.trim().toUpperCase() : '';
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
			if (typeof fields.phone === 'string' && fields.phone.trim()) body.phone = contactPhone(fields.phone, country, 'Phone');
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
			const description = String(read<unknown>('description', '') ?? '').trim();
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
			for (const key of ['name', 'description']) if (typeof fields[key] === 'string' && (fields[key] as string).trim()) body[key] = (fields[key] as string).trim();
			if (typeof fields.contacts === 'string' && fields.contacts.trim()) {
				body.contacts = splitRecipients(fields.contacts, country).map((p) => ({ phone: contactPhone(p, country, 'Add Contacts') }));
			}
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
	'sender:getCampaigns': { build: (read) => ({ path: `sender/${id(read, 'senderId', 'Sender ID')}/campaign` }), list: true },
	'campaign:getAll': { build: () => ({ path: 'campaign/list' }), list: true },
	'account:getCredit': {
		build: () => ({ path: 'user/credit' }),
		output: (data) => [{ credit: data as number }],
		read: true,
	},
};
