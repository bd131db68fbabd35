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
	let out = text;
	for (const form of formsOfAll(secrets)) if (out.includes(form)) out = out.split(form).join('***');
	return out;
}

/** Deep copy of a JSON value with every string redacted. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
		return out as T;
	}
	return value;
}
