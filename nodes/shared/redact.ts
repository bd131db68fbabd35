import { copyJson } from './values';

/** The forms a secret takes in an echoed request: as is, URL-encoded, form-encoded (space as +). */
function formsOf(secret: string): string[] {
	const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
	// Longest first, so that a form containing another is replaced whole.
	return [...new Set([secret, encodeURIComponent(secret), formEncoded])].sort((a, b) => b.length - a.length);
}

/**
 * The forms of each secret of a list, worked out once per list (a node's credential secrets
 * are one list for the whole execution, and every string of every output item is redacted).
 * Keyed by the list itself, so nothing outlives it.
 */
const formsByList = new WeakMap<readonly string[], string[]>();

function formsOfAll(secrets: readonly string[]): string[] {
	let forms = formsByList.get(secrets);
	if (!forms) {
		forms = secrets.filter((secret) => secret && secret.length >= 4).flatMap(formsOf);
		formsByList.set(secrets, forms);
	}
	return forms;
}

/** Replaces every secret (and its URL- and form-encoded forms) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
	return redactWith(formsOfAll(secrets))(text);
}

/** Deep copy of a JSON value with every string redacted. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	return copyJson(value, redactWith(formsOfAll(secrets))) as T;
}

/**
 * Redacts an object built for one output item alone, where it is: its strings in place, its
 * nested values copied (they may be shared with other items). Saves a copy of every item.
 */
export function redactOwn<T extends Record<string, unknown>>(value: T, secrets: readonly string[]): T {
	const text = redactWith(formsOfAll(secrets));
	const own = value as Record<string, unknown>;
	for (const key of Object.keys(own)) own[key] = copyJson(own[key], text);
	return value;
}

/** A string with the forms replaced; one without any is kept as it is (every string of every output item comes here). */
function redactWith(forms: readonly string[]): (text: string) => string {
	return (text) => {
		let out = text;
		for (const form of forms) if (out.includes(form)) out = out.split(form).join('***');
		return out;
	};
}
