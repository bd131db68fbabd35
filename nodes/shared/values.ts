import { types } from 'node:util';
import type { IDataObject } from 'n8n-workflow';

/** How error messages show a parameter value an expression gave (an object, a list, a number …). */

const MAX_SHOWN = 60;

export function cut(text: string): string {
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** A number, or its text as an expression gives it; NaN for anything else (Number() would turn [2] into 2, true into 1). */
export function numberFrom(value: unknown): number {
	return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

/** "a list", "an object", "the boolean" … */
export function valueKind(value: unknown): string {
	return Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'an object' : `the ${typeof value}`;
}

/** The value as JSON (or its text when it has none), cut short. */
export function previewValue(value: unknown): string {
	let shown: string;
	try {
		shown = JSON.stringify(value) ?? String(value);
	} catch {
		shown = String(value);
	}
	return cut(shown);
}

/** Text in quotes, anything else as previewValue: `not "abc"`, `not {}`. */
export function showValue(value: unknown): string {
	return typeof value === 'string' ? `"${cut(value)}"` : previewValue(value);
}

/** An option of the node's Options that cannot be used; the message names it. */
export class OptionError extends Error {}

/** A number option as an expression may give it: a number or its text; unset or empty means the default. */
export function numberOption(options: IDataObject, name: string, label: string, fallback: number, min: number): number {
	const raw = options[name];
	if (raw === undefined || raw === null || raw === '') return fallback;
	const value = numberFrom(raw);
	if (!Number.isFinite(value) || value < min) {
		throw new OptionError(`The option '${label}' must be a number of at least ${min}, not ${showValue(raw)}`);
	}
	return value;
}

/** An object made as a literal (or with no prototype), not a proxy: its own keys are all there is to it. */
export function isPlainObject(value: unknown): value is object {
	if (typeof value !== 'object' || value === null || types.isProxy(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/** A copy of a JSON value (objects and lists copied, strings passed through `text`): parameters read and output items redacted use it. */
export function copyJson(value: unknown, text?: (s: string) => string): unknown {
	if (typeof value === 'string') return text ? text(value) : value;
	if (typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) {
		const out = new Array<unknown>(value.length);
		for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i], text);
		return out;
	}
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) out[key] = copyJson((value as Record<string, unknown>)[key], text);
	return out;
}
