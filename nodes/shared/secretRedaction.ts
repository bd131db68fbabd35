const MASK = '***';
/** Shorter secrets would mask ordinary values (a secret "1" would blank every 1). */
const MIN_LITERAL_LENGTH = 4;

/**
 * The forms the secret takes once a provider echoes the callback URL back: as typed, URL- or
 * form-encoded, in upper- or lower-case hex, and encoded twice (a URL inside a URL).
 */
function secretForms(secret: string): string[] {
	const once = [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
	const twice = once.slice(1).map(encodeURIComponent);
	const forms = [...once, ...twice].flatMap((form) => [form, form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())]);
	// Longest first, so that a form containing another is masked whole.
	return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** `secret=` in a URL, plain or encoded, whatever its value (a wrong or old secret included). */
const SECRET_PARAM = /([?&;]secret=)[^&#\s"'<>]*/gi;
const ENCODED_SECRET_PARAM = /((?:%3F|%26|%3B)secret%3D)(?:(?!%26)[^&#\s"'<>])*/gi;

export function redactText(text: string, forms: string[]): string {
	let out = text.replace(SECRET_PARAM, `$1${MASK}`).replace(ENCODED_SECRET_PARAM, `$1${MASK}`);
	for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
	return out;
}

/** A copy of a parsed payload with the secret masked in every string, keys included. */
export function redactSecret<T>(value: T, secret: string): T {
	const forms = secret.length >= MIN_LITERAL_LENGTH ? secretForms(secret) : [];
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return redactText(v, forms);
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [redactText(k, forms), walk(inner)]));
		return v;
	};
	return walk(value) as T;
}
