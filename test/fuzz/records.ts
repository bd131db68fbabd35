/**
 * The test's model of Mon SMS PRO's record operations (contacts, groups,
 * senders): generated choices per item, the node's parameters, the verdict on
 * each value, and what the simulator must hold afterwards (nothing written for
 * an item refused on its input).
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { WorkflowResult } from '../helpers/n8n';
import type { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import type { CaseModel, ItemModel, Judgement, Mode } from './harness';
import { fuzzItem, fuzzParam, oddValue, phoneInput, phoneVerdict, recipientsInput, type OddValue, type PhoneInput, type Spec, type Verdict } from './values';

export type RecordOperationName =
	| 'contact:create'
	| 'contact:get'
	| 'contact:update'
	| 'contact:delete'
	| 'contact:getAll'
	| 'group:create'
	| 'group:get'
	| 'group:update'
	| 'group:delete'
	| 'campaign:getAll'
	| 'sender:create'
	| 'sender:getCampaigns';

export const RECORD_OPERATIONS_FUZZED: Array<[RecordOperationName, number]> = [
	['contact:create', 30],
	['contact:get', 12],
	['contact:update', 25],
	['contact:delete', 12],
	['contact:getAll', 12],
	['group:create', 30],
	['group:get', 8],
	['group:update', 20],
	['group:delete', 10],
	['campaign:getAll', 8],
	['sender:create', 20],
	['sender:getCampaigns', 12],
];

const json = (v: unknown): Spec => ({ json: v });
const absent: Spec = { absent: true };
const specValue = (spec: Spec): unknown => ('json' in spec ? spec.json : undefined);

/** A value for a text field of a record (names, descriptions): text, numbers, odd values. */
interface FieldInput {
	spec: Spec;
	odd?: OddValue['kind'];
}
const textField = (samples: unknown[]): fc.Arbitrary<FieldInput> =>
	fc.oneof(
		{ arbitrary: fc.constantFrom(...samples).map((v): FieldInput => ({ spec: json(v) })), weight: 5 },
		{ arbitrary: oddValue.map((o): FieldInput => ({ spec: o.spec, odd: o.kind })), weight: 2 },
	);

type IdInput = { kind: 'seeded'; padded: boolean } | { kind: 'unknown'; spec: Spec } | { kind: 'odd'; odd: OddValue };
const idInput: fc.Arbitrary<IdInput> = fc.oneof(
	{ arbitrary: fc.boolean().map((padded): IdInput => ({ kind: 'seeded', padded })), weight: 4 },
	{ arbitrary: fc.constantFrom(json('ctc_999999'), json('grp_999999'), json('../list'), json('a/b?c#d'), json('😀'), json(42)).map((spec): IdInput => ({ kind: 'unknown', spec })), weight: 2 },
	{ arbitrary: oddValue.map((odd): IdInput => ({ kind: 'odd', odd })), weight: 2 },
);

interface RecordItemChoice {
	phone: PhoneInput;
	contacts: PhoneInput;
	name: FieldInput;
	firstName: FieldInput;
	sex: FieldInput;
	description: FieldInput;
	senderName: FieldInput;
	id: IdInput;
	limit: Spec;
	returnAll: Spec;
}

export interface RecordChoices {
	mode: Mode;
	contactsFrom: 'allItems' | 'eachItem';
	/** Which Update Fields the node has: the same for every item. */
	update: Record<string, boolean>;
	items: RecordItemChoice[];
}

export function recordChoices(operation: RecordOperationName): fc.Arbitrary<RecordChoices> {
	void operation;
	const item: fc.Arbitrary<RecordItemChoice> = fc.record({
		phone: phoneInput('CI'),
		contacts: recipientsInput('CI'),
		name: textField(['Awa Koné', 'Groupe VIP 🎉', 'مرحبا', 'x'.repeat(300), 42, '  Jean  ']),
		firstName: textField(['Awa', '', 7]),
		sex: textField(['M', 'F', 'm', ' f ', 'X', 'male', 1]),
		description: textField(['Clients fidèles', 'Promo de Noël', 12, '']),
		senderName: textField(['SHOP1', 'Boutique', 'AB', 'ABCDEFGHIJKL', 'Ma Boutique', 'ÇA123', 'MONSMSPRO', 'PROMO', 12_345, '  SHOP2  ']),
		id: idInput,
		limit: fc.constantFrom(json(1), json(2), json(50), json('3'), json(' 4 '), json(0), json(-1), json('abc'), json(2.5), json('2.5'), json(''), json(null), json(true), json({}), json([2]), absent),
		returnAll: fc.constantFrom(absent, absent, json(true), json(false)),
	});
	return fc.record({
		mode: fc.constantFrom<Mode>('stop', 'continue', 'continue', 'errorOutput'),
		contactsFrom: fc.constantFrom('allItems' as const, 'eachItem' as const),
		update: fc.record({ name: fc.boolean(), phone: fc.boolean(), sex: fc.boolean(), description: fc.boolean(), contacts: fc.boolean() }),
		items: fc.array(item, { minLength: 1, maxLength: 6 }),
	});
}

/** Required text fields: blank or missing values fail, and values that are not text (an object) too. */
function requiredText(input: FieldInput, field: string): Judgement {
	if (!input.odd) {
		const v = specValue(input.spec);
		return { field, verdict: String(v ?? '').trim() ? 'ok' : 'bad' };
	}
	if (input.odd === 'absent' || input.odd === 'null' || input.odd === 'blank' || input.odd === 'object') return { field, verdict: 'bad' };
	return { field, verdict: 'any' };
}

/** Optional text fields: what is not text must not be written as "[object Object]". */
function optionalText(input: FieldInput, field: string): Judgement {
	if (input.odd === 'object') return { field, verdict: 'bad' };
	if (input.odd === 'array' || input.odd === 'bool' || input.odd === 'nan' || input.odd === 'datetime' || input.odd === 'jsdate') return { field, verdict: 'any' };
	return { field, verdict: 'ok' };
}

function sexVerdict(input: FieldInput): Judgement {
	const v = specValue(input.spec);
	if (input.odd) return { field: 'Sex', verdict: input.odd === 'absent' || input.odd === 'null' || input.odd === 'blank' ? 'ok' : 'any' };
	if (typeof v !== 'string') return { field: 'Sex', verdict: 'any' };
	return { field: 'Sex', verdict: ['M', 'F', ''].includes(v.trim().toUpperCase()) ? 'ok' : 'bad' };
}

/** Limit, when Return All is off: a whole number of at least 1, or its text; anything else fails the item (nothing listed). */
function limitVerdict(spec: Spec): Verdict {
	const v = specValue(spec);
	if (typeof v === 'number') return Number.isInteger(v) && v >= 1 ? 'ok' : 'bad';
	if (typeof v === 'string') return /^\s*\d+\s*$/.test(v) && Number(v) >= 1 ? 'ok' : 'bad';
	return 'bad';
}

const DISPLAY: Record<string, string> = { contactId: 'Contact ID', groupId: 'Group ID', senderId: 'Sender Name or ID' };

function idJudgement(input: IdInput, field: string, seeded: string): { spec: Spec; judgement: Judgement; accepted: boolean } {
	if (input.kind === 'seeded') return { spec: json(input.padded ? `  ${seeded} ` : seeded), judgement: { field, verdict: 'ok' }, accepted: true };
	if (input.kind === 'unknown') return { spec: input.spec, judgement: { field, verdict: 'ok' }, accepted: false };
	const kind = input.odd.kind;
	return { spec: input.odd.spec, judgement: { field, verdict: kind === 'absent' || kind === 'null' || kind === 'blank' || kind === 'object' ? 'bad' : 'any' }, accepted: false };
}

const civNumbers = (input: PhoneInput, verdict: Verdict): string[] => (verdict === 'ok' ? [...new Set(input.written.map((w) => w.number.e164.slice(1)))] : []);
const acceptedNumber = (n: string) => /^225\d{10}$/.test(n);

export interface Seeded {
	contactId: string;
	groupId: string;
}

export interface BuiltRecordCase {
	model: CaseModel;
	/** Checks what the simulator holds after the run against what the output reports. */
	checkEffects(sim: MonSmsProSimulator, result: WorkflowResult, seeded: Seeded): void;
}

export function recordCase(operation: RecordOperationName, choices: RecordChoices, seeded: Seeded): BuiltRecordCase {
	const [resource, op] = operation.split(':');
	const parameters: IDataObject = { resource, operation: op, options: { maxRequestsPerSecond: 0 } };
	const list = op === 'getAll' || op === 'getCampaigns';
	const items: ItemModel[] = [];
	const seen = new Set<string>();
	for (const choice of choices.items) {
		const { item: fields, put } = fuzzItem();
		const item = fields as IDataObject;
		const judgements: Judgement[] = [];
		let accepted = true;
		let numbers: string[] = [];
		switch (operation) {
			case 'contact:create': {
				parameters.phone = fuzzParam('phone');
				parameters.additionalFields = { name: fuzzParam('name'), firstName: fuzzParam('firstName'), sex: fuzzParam('sex') };
				put('phone', choice.phone.spec);
				put('name', choice.name.spec);
				put('firstName', choice.firstName.spec);
				put('sex', choice.sex.spec);
				const verdict = phoneVerdict(choice.phone, 'CI', true);
				judgements.push({ field: 'Phone', verdict }, optionalText(choice.name, 'Name'), optionalText(choice.firstName, 'First Name'), sexVerdict(choice.sex));
				numbers = civNumbers(choice.phone, verdict);
				accepted = verdict === 'ok' && numbers.every(acceptedNumber) && !numbers.some((n) => seen.has(n));
				break;
			}
			case 'contact:get':
			case 'contact:delete':
			case 'group:get':
			case 'group:delete': {
				const key = resource === 'contact' ? 'contactId' : 'groupId';
				parameters[key] = fuzzParam(key);
				const id = idJudgement(choice.id, DISPLAY[key], resource === 'contact' ? seeded.contactId : seeded.groupId);
				put(key, id.spec);
				judgements.push(id.judgement);
				// A record deleted by an earlier item is not found by a later one.
				accepted = id.accepted && !(op === 'delete' && seen.has('seeded'));
				if (op === 'delete' && id.accepted) seen.add('seeded');
				break;
			}
			case 'contact:update': {
				parameters.contactId = fuzzParam('contactId');
				const id = idJudgement(choice.id, 'Contact ID', seeded.contactId);
				put('contactId', id.spec);
				judgements.push(id.judgement);
				const fields: IDataObject = {};
				let given = 0;
				let nothingSure = true;
				if (choices.update.name) {
					fields.name = fuzzParam('name');
					put('name', choice.name.spec);
					const j = optionalText(choice.name, 'Name');
					judgements.push(j);
					const v = specValue(choice.name.spec);
					if (typeof v === 'string' ? v.trim() : typeof v === 'number') given++;
					else if (j.verdict !== 'ok' || choice.name.odd) nothingSure = false;
				}
				if (choices.update.sex) {
					fields.sex = fuzzParam('sex');
					put('sex', choice.sex.spec);
					const j = sexVerdict(choice.sex);
					judgements.push(j);
					const v = specValue(choice.sex.spec);
					if (typeof v === 'string' && v.trim()) given++;
					else if (j.verdict !== 'ok') nothingSure = false;
				}
				if (choices.update.phone) {
					fields.phone = fuzzParam('phone');
					put('phone', choice.phone.spec);
					const verdict = phoneVerdict(choice.phone, 'CI', true);
					// A phone given as a JSON number (a numeric column) is a phone all the same.
					if (choice.phone.odd && (choice.phone.odd.why === 'absent' || choice.phone.odd.why === 'null' || choice.phone.odd.why === 'blank')) {
						judgements.push({ field: 'Phone', verdict: 'ok' });
					} else {
						judgements.push({ field: 'Phone', verdict });
						if (verdict === 'ok') given++;
						else nothingSure = false;
					}
					numbers = civNumbers(choice.phone, verdict);
					if (!numbers.every(acceptedNumber)) accepted = false;
				}
				parameters.updateFields = fields;
				if (given === 0) judgements.push({ field: 'Update Fields', verdict: nothingSure ? 'bad' : 'any' });
				accepted &&= id.accepted;
				// The first update may give the contact a phone a later one gives again.
				if (numbers.some((n) => seen.has(n))) accepted = false;
				for (const n of numbers) seen.add(n);
				numbers = [];
				break;
			}
			case 'contact:getAll':
			case 'campaign:getAll':
			case 'sender:getCampaigns': {
				parameters.returnAll = fuzzParam('returnAll');
				parameters.limit = fuzzParam('limit');
				put('returnAll', choice.returnAll);
				put('limit', choice.limit);
				if (specValue(choice.returnAll) !== true) judgements.push({ field: 'Limit', verdict: limitVerdict(choice.limit) });
				if (operation === 'sender:getCampaigns') {
					parameters.senderId = fuzzParam('senderId');
					const id = idJudgement(choice.id, 'Sender Name or ID', 'snd_000001');
					put('senderId', id.spec);
					judgements.push(id.judgement);
					accepted = id.accepted;
				}
				if (judgements.some((j) => j.verdict !== 'ok')) accepted = false;
				break;
			}
			case 'group:create': {
				parameters.name = fuzzParam('name');
				parameters.description = fuzzParam('description');
				parameters.contacts = fuzzParam('contacts');
				parameters.contactsFrom = choices.contactsFrom;
				put('name', choice.name.spec);
				put('description', choice.description.spec);
				put('contacts', choice.contacts.spec);
				judgements.push(requiredText(choice.name, 'Name'), optionalText(choice.description, 'Description'));
				const empty = choice.contacts.odd && ['absent', 'null', 'blank'].includes(choice.contacts.odd.why);
				const emptyArray = choice.contacts.odd?.why === 'array' && Array.isArray(specValue(choice.contacts.spec)) && (specValue(choice.contacts.spec) as unknown[]).length === 0;
				let verdict: Verdict;
				if (empty || emptyArray) verdict = choices.contactsFrom === 'allItems' ? 'bad' : 'ok';
				else verdict = phoneVerdict(choice.contacts, 'CI', false);
				judgements.push({ field: 'Contacts', verdict });
				numbers = civNumbers(choice.contacts, verdict);
				accepted = verdict === 'ok' && numbers.every(acceptedNumber);
				break;
			}
			case 'group:update': {
				parameters.groupId = fuzzParam('groupId');
				const id = idJudgement(choice.id, 'Group ID', seeded.groupId);
				put('groupId', id.spec);
				judgements.push(id.judgement);
				const fields: IDataObject = {};
				let given = 0;
				let nothingSure = true;
				for (const [key, input, field] of [
					['name', choice.name, 'Name'],
					['description', choice.description, 'Description'],
				] as const) {
					if (!choices.update[key]) continue;
					fields[key] = fuzzParam(key);
					put(key, input.spec);
					const j = optionalText(input, field);
					judgements.push(j);
					const v = specValue(input.spec);
					if (typeof v === 'string' ? v.trim() : typeof v === 'number') given++;
					else if (j.verdict !== 'ok' || input.odd) nothingSure = false;
				}
				if (choices.update.contacts) {
					fields.contacts = fuzzParam('contacts');
					put('contacts', choice.contacts.spec);
					const odd = choice.contacts.odd?.why;
					const none = odd === 'array' && Array.isArray(specValue(choice.contacts.spec)) && (specValue(choice.contacts.spec) as unknown[]).length === 0;
					if (odd === 'absent' || odd === 'null' || odd === 'blank' || none) judgements.push({ field: 'Add Contacts', verdict: 'ok' });
					else {
						// A list from an expression is numbers all the same.
						const verdict = phoneVerdict(choice.contacts, 'CI', false);
						judgements.push({ field: 'Add Contacts', verdict });
						if (verdict === 'ok') given++;
						else nothingSure = false;
						if (!civNumbers(choice.contacts, verdict).every(acceptedNumber)) accepted = false;
					}
				}
				parameters.updateFields = fields;
				if (given === 0) judgements.push({ field: 'Update Fields', verdict: nothingSure ? 'bad' : 'any' });
				accepted &&= id.accepted;
				break;
			}
			case 'sender:create': {
				parameters.senderName = fuzzParam('senderName');
				parameters.description = fuzzParam('description');
				put('senderName', choice.senderName.spec);
				put('description', choice.description.spec);
				const name = String(specValue(choice.senderName.spec) ?? '').trim();
				const valid = !choice.senderName.odd && /^[A-Za-z0-9]{3,11}$/.test(name);
				judgements.push({ field: 'Sender Name', verdict: valid ? 'ok' : choice.senderName.odd && !['absent', 'null', 'blank', 'object'].includes(choice.senderName.odd) ? 'any' : 'bad' });
				judgements.push(requiredText(choice.description, 'Description'));
				accepted = valid && !['MONSMSPRO', 'PROMO'].includes(name) && !seen.has(name);
				if (valid) seen.add(name);
				break;
			}
		}
		for (const n of numbers) seen.add(n);
		items.push({ json: item, judgements, numbers: [], providerAccepts: accepted, outputsOnSuccess: 1 });
		// Record numbers live in the simulator's contact book, not its SMS ledger.
		(items[items.length - 1] as ItemModel & { recordNumbers?: string[] }).recordNumbers = numbers;
	}
	const model: CaseModel = {
		items,
		parameters: parameters as INodeParameters,
		mode: choices.mode,
		timezone: 'UTC',
		batchCoupled: operation === 'group:create' && choices.contactsFrom === 'allItems',
		onePerItem: !list,
	};
	return { model, checkEffects: (sim, result) => checkEffects(operation, choices, model, sim, result, seeded) };
}

/** Nothing is written for an item that failed; what the output reports was written. */
function checkEffects(operation: RecordOperationName, choices: RecordChoices, model: CaseModel, sim: MonSmsProSimulator, result: WorkflowResult, seeded: Seeded): void {
	const outputs = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])];
	const succeeded = outputs.filter((o) => typeof o.json.error !== 'string');
	const problem = (message: string) => {
		throw new Error(`${operation}: ${message}\n${JSON.stringify(model.items.map((i) => i.json)).slice(0, 1500)}\n${JSON.stringify(outputs.map((o) => o.json)).slice(0, 1500)}`);
	};
	if (operation === 'contact:create') {
		const created = [...sim.contacts.values()].filter((c) => c.id !== seeded.contactId).map((c) => c.phone);
		const reported = new Set(succeeded.map((o) => String(o.json.phone)));
		for (const phone of created) if (!reported.has(phone)) problem(`the contact ${phone} was created, but no output item reports it`);
		if (created.length !== reported.size) problem(`${created.length} contacts created, ${reported.size} reported`);
	}
	if (operation === 'group:create') {
		const groups = [...sim.groups.values()].filter((g) => g.id !== seeded.groupId);
		const expected = choices.contactsFrom === 'allItems' ? (succeeded.length > 0 ? 1 : 0) : succeeded.length;
		if (groups.length !== expected) problem(`${groups.length} groups created, expected ${expected}`);
		const allowed = new Set(
			model.items.flatMap((item, i) => (outputs.some((o) => pairedIndex(o.pairedItem) === i && typeof o.json.error !== 'string') ? ((item as ItemModel & { recordNumbers?: string[] }).recordNumbers ?? []) : [])),
		);
		const reportedPhones = succeeded.flatMap((o) => (Array.isArray(o.json.phones) ? (o.json.phones as string[]) : []));
		for (const phone of reportedPhones) allowed.add(phone);
		for (const group of groups) {
			for (const contactId of group.contactIds) {
				const phone = sim.contacts.get(contactId)?.phone ?? '';
				// Numbers the test could not pin down (national forms of other countries) are reported in `phones`.
				if (!allowed.has(phone) && choices.contactsFrom === 'allItems') problem(`the group holds ${phone}, which no successful item gave`);
			}
		}
	}
	if (operation === 'sender:create') {
		const created = [...sim.senders.values()].map((s) => s.name).filter((n) => n !== 'MONSMSPRO' && n !== 'PROMO');
		const reported = succeeded.map((o) => String(o.json.name));
		if (created.sort().join() !== [...new Set(reported)].sort().join()) problem(`senders created ${JSON.stringify(created)}, reported ${JSON.stringify(reported)}`);
	}
	if (operation === 'contact:delete' || operation === 'group:delete') {
		const gone = operation === 'contact:delete' ? !sim.contacts.has(seeded.contactId) : !sim.groups.has(seeded.groupId);
		const reported = succeeded.some((o) => String(o.json.id).trim() === (operation === 'contact:delete' ? seeded.contactId : seeded.groupId));
		if (gone !== reported) problem(`the seeded record ${gone ? 'is' : 'is not'} deleted, but the output ${reported ? 'reports' : 'does not report'} it`);
	}
}

function pairedIndex(paired: unknown): number | undefined {
	const first = Array.isArray(paired) ? paired[0] : paired;
	return typeof first === 'object' && first !== null ? (first as { item: number }).item : undefined;
}
