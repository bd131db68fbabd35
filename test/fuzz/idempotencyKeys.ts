/**
 * The option Idempotency Key as expressions give it, item by item, on a Send Bulk of
 * valid items: text (with spaces around), a number, a boolean, empty, null, the key of
 * an earlier item written another way, or a value that is not a key (an object, a
 * list). Keys are read as text, trimmed; an empty one means none.
 */
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { WorkflowResult } from '../helpers/n8n';
import { pairedIndex, type Mode } from './harness';
import { encode, type Spec } from './values';

type KeyChoice =
	| { kind: 'fresh'; spaced: boolean; unicode: boolean }
	| { kind: 'number' }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'none'; spec: Spec }
	| { kind: 'repeat'; of: number; asNumber: boolean }
	| { kind: 'bad'; spec: Spec };

export interface KeyChoices {
	mode: Mode;
	keys: KeyChoice[];
}

const keyChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
	{ arbitrary: fc.record({ spaced: fc.boolean(), unicode: fc.boolean() }).map((r): KeyChoice => ({ kind: 'fresh', ...r })), weight: 4 },
	{ arbitrary: fc.constant<KeyChoice>({ kind: 'number' }), weight: 1 },
	{ arbitrary: fc.boolean().map((value): KeyChoice => ({ kind: 'boolean', value })), weight: 1 },
	{ arbitrary: fc.constantFrom<Spec>({ absent: true }, { json: '' }, { json: null }, { json: '   ' }).map((spec): KeyChoice => ({ kind: 'none', spec })), weight: 2 },
	{ arbitrary: fc.record({ of: fc.nat(3), asNumber: fc.boolean() }).map((r): KeyChoice => ({ kind: 'repeat', ...r })), weight: 3 },
	{ arbitrary: fc.constantFrom<Spec>({ json: {} }, { json: ['a'] }, { json: { orderId: 1 } }).map((spec): KeyChoice => ({ kind: 'bad', spec })), weight: 1 },
);

export const keyChoices: fc.Arbitrary<KeyChoices> = fc.record({
	mode: fc.constantFrom<Mode>('stop', 'continue', 'errorOutput'),
	keys: fc.array(keyChoice, { minLength: 1, maxLength: 5 }),
});

export interface KeyCase {
	items: IDataObject[];
	/** What each item's key is once read: the text, '' for none, undefined for a value that is not a key. */
	keys: Array<string | undefined>;
}

/** `run` keeps the keys of one case apart from the others' (n8n's store outlives a case). */
export function keyCase(choices: KeyChoices, phone: (i: number) => string, run: number): KeyCase {
	const keys: Array<string | undefined> = [];
	const items = choices.keys.map((choice, i): IDataObject => {
		let spec: Spec;
		switch (choice.kind) {
			case 'fresh': {
				const text = `${choice.unicode ? 'Commande-é€' : 'order'}-${run}-${i}`;
				spec = { json: choice.spaced ? `  ${text} ` : text };
				keys.push(text);
				break;
			}
			case 'number':
				spec = { json: run * 100 + i };
				keys.push(String(run * 100 + i));
				break;
			case 'boolean':
				// The same key in every case: the test empties n8n's store before each case.
				spec = { json: choice.value };
				keys.push(String(choice.value));
				break;
			case 'none':
				spec = choice.spec;
				keys.push('');
				break;
			case 'repeat': {
				// The key of an earlier item, written as text where it was a number.
				const earlier = choice.of < i ? keys[choice.of] : undefined;
				if (earlier === undefined || earlier === '') {
					spec = { json: `order-${run}-${i}` };
					keys.push(`order-${run}-${i}`);
				} else {
					spec = { json: choice.asNumber && /^\d+$/.test(earlier) ? Number(earlier) : ` ${earlier}` };
					keys.push(earlier);
				}
				break;
			}
			case 'bad':
				spec = choice.spec;
				keys.push(undefined);
				break;
		}
		const value = encode(spec);
		return { phone: phone(i), ...(value !== undefined ? { k: value } : {}) };
	});
	return { items, keys };
}

export type KeyOutcome = { ok: true; sent: number; skipped: number } | { ok: false; problem: string };

/** Judges a first run of `c`: an item repeating an earlier item's key is skipped, a bad key fails naming the option, the rest are sent once. */
export function judgeKeyRun(c: KeyCase, mode: Mode, result: WorkflowResult, requests: number, ledger: string[], phone: (i: number) => string): KeyOutcome {
	const outputs = [...(result.outputs[0] ?? []), ...(result.outputs[1] ?? [])].sort((a, b) => itemOf(a) - itemOf(b));
	const fail = (problem: string): KeyOutcome => ({ ok: false, problem: `${problem}; outputs ${JSON.stringify(outputs.map((o) => o.json)).slice(0, 600)}` });
	const n = c.items.length;
	const digits = (s: string) => s.replace(/\D/g, '');
	const bad = c.keys.flatMap((k, i) => (k === undefined ? [i] : []));
	if (bad.length && mode === 'stop') {
		if (requests > 0) return fail(`a bad key stops the run before any request, yet ${requests} were sent`);
		if (!result.error || !String(result.error.message).includes("'Idempotency Key'")) return fail(`the run should stop naming the option: ${result.error?.message}`);
		if (Number(result.error.context?.itemIndex) !== bad[0]) return fail(`the error should name item ${bad[0]}, not ${String(result.error.context?.itemIndex)}`);
		return { ok: true, sent: 0, skipped: 0 };
	}
	if (result.error) return fail(`the run stopped: ${result.error.message}`);
	if (outputs.length !== n || !outputs.every((o, i) => itemOf(o) === i)) return fail(`${n} items in, ${outputs.length} out, or unpaired`);
	const firstOf = new Map<string, number>();
	const expected: string[] = [];
	let skipped = 0;
	for (let i = 0; i < n; i++) {
		const key = c.keys[i];
		const json = outputs[i].json;
		if (key === undefined) {
			if (!String(json.error).includes("'Idempotency Key'")) return fail(`item ${i} has a bad key, yet it is not failed naming the option`);
			if (mode === 'errorOutput' && !(result.outputs[1] ?? []).includes(outputs[i])) return fail(`item ${i} should be on the error output`);
			continue;
		}
		const first = key ? firstOf.get(key) : undefined;
		if (first !== undefined) {
			skipped++;
			if (json.status !== 'skipped' || json.duplicateOfItem !== first || json.idempotencyKey !== key) return fail(`item ${i} repeats item ${first}'s key ${JSON.stringify(key)}, yet it is ${JSON.stringify([json.status, json.duplicateOfItem, json.idempotencyKey])}`);
			continue;
		}
		if (key) firstOf.set(key, i);
		if (json.status === 'skipped' || json.status === 'failed' || json.error !== undefined) return fail(`item ${i} (key ${JSON.stringify(key)}) is to be sent, yet it is ${String(json.status)} ${String(json.error ?? '')}`);
		expected.push(digits(phone(i)));
	}
	if (JSON.stringify(ledger.map(digits).sort()) !== JSON.stringify(expected.sort())) return fail(`the provider got ${JSON.stringify(ledger)}, not ${JSON.stringify(expected)}`);
	return { ok: true, sent: expected.length, skipped };
}

const itemOf = (o: Pick<INodeExecutionData, 'pairedItem'>): number => pairedIndex(o) ?? -1;
