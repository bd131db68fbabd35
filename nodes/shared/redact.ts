/** The forms a secret takes in an echoed request: as is, URL-encoded, form-encoded (space as +). */
function formsOf(secret: string): string[] {
	const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
	// Longest first, so that a form containing another is replaced whole.
	return [...new Set([secret, encodeURIComponent(secret), formEncoded])].sort((a, b) => b.length - a.length);
}

/** Replaces every secret (and its URL- and form-encoded forms) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		for (const form of formsOf(secret)) out = out.split(form).join('***');
	}
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
