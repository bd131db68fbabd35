import { isSafeObjectProperty } from 'n8n-workflow';
import { isPlainObject } from './values';

/**
 * Plain field references: per-item parameters read without n8n's expression engine (~200 µs
 * an item) where that gives exactly what getNodeParameter gives. A parameter
 * stored as nothing but a field reference (`={{ $json.phone }}`,
 * `={{ $json["a b"].c }}`) is taken from the item when the field holds a
 * string, a finite number, a boolean or null, reached through own properties
 * of plain objects. A reference ending in `?? ''` (the P fields' default) also
 * gives '' for a last field that is missing, undefined or null. n8n returns such a value unchanged, with either expression
 * engine (Expression.resolveSimpleParameterValue; getNodeParameter's
 * cleanupParameterData only touches objects; our parameters declare no
 * validateType). Every other parameter, and every item whose value is of
 * another kind, goes through getNodeParameter.
 */
// n8n's sandbox refuses these names (n8n-workflow utils.ts, 2.40 and 1.120); the
// installed n8n's own list is asked too, in case it has grown.
const REFUSED_BY_N8N = new Set([
	'__proto__', 'prototype', 'constructor', 'getPrototypeOf', 'setPrototypeOf', 'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors', 'defineProperty', 'defineProperties', 'mainModule', 'binding', '_linkedBinding',
	'_load', 'prepareStackTrace', '__lookupGetter__', '__lookupSetter__', '__defineGetter__', '__defineSetter__',
	'caller', 'callee', 'arguments', 'getBuiltinModule', 'dlopen', 'execve', 'loadEnvFile',
]);

// Kept narrow on purpose: names JavaScript (and n8n's parser) has always read as identifiers.
const IDENTIFIER = /^[A-Za-z_$\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F][0-9A-Za-z_$\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]*/;
// A quoted name without escapes, quotes, brackets, braces or line breaks: the literal is the name.
const QUOTED = /^(["'])([^"'`\\{}()[\]\u0000-\u001F\u007F\u2028\u2029]*)\1/;
const SPACE = /^[ \t\n\r]*/;
// n8n throws for any ".constructor" in an expression, even inside a quoted name.
const CONSTRUCTOR = /\.\s*constructor/;

function usableName(name: string): boolean {
	// A bare `$` has rules of its own in n8n's sandbox.
	if (name === '$' || REFUSED_BY_N8N.has(name) || name in Object.prototype) return false;
	return typeof isSafeObjectProperty !== 'function' || isSafeObjectProperty(name);
}

/** A plain field reference: the field names, and whether it ends in `?? ''`. */
export interface PlainField {
	path: string[];
	orEmpty: boolean;
}

// `?? ''` or `?? ""` closing the expression.
const OR_EMPTY = /[ \t\n\r]*\?\?[ \t\n\r]*(?:''|"")[ \t\n\r]*$/;

/** The field reference of a parameter stored as exactly `={{ $json<.name | ["name"]>… }}`, optionally followed by `?? ''`. */
export function plainFieldReference(stored: unknown): PlainField | undefined {
	if (typeof stored !== 'string' || !stored.startsWith('={{') || !stored.endsWith('}}') || CONSTRUCTOR.test(stored)) return undefined;
	const body = stored.slice(3, -2);
	const orEmpty = OR_EMPTY.exec(body);
	const path = fieldPath(orEmpty ? body.slice(0, orEmpty.index) : body);
	return path ? { path, orEmpty: orEmpty !== null } : undefined;
}

function fieldPath(expression: string): string[] | undefined {
	let rest = expression.replace(SPACE, '');
	if (!rest.startsWith('$json')) return undefined;
	rest = rest.slice(5);
	const path: string[] = [];
	for (rest = rest.replace(SPACE, ''); rest !== ''; rest = rest.replace(SPACE, '')) {
		let match: RegExpExecArray | null;
		if (rest.startsWith('.') && (match = IDENTIFIER.exec(rest.slice(1).replace(SPACE, '')))) {
			path.push(match[0]);
			rest = rest.slice(1).replace(SPACE, '').slice(match[0].length);
		} else if (rest.startsWith('[') && (match = QUOTED.exec(rest.slice(1).replace(SPACE, '')))) {
			path.push(match[2]);
			rest = rest.slice(1).replace(SPACE, '').slice(match[0].length).replace(SPACE, '');
			if (!rest.startsWith(']')) return undefined;
			rest = rest.slice(1);
		} else {
			return undefined;
		}
	}
	return path.length > 0 && path.every(usableName) ? path : undefined;
}

/** What directValue gives where n8n's expression engine must read the parameter. */
export const NOT_DIRECT = Symbol('not direct');

/** The field's value when n8n would give exactly it, else NOT_DIRECT. */
export function directValue(json: unknown, { path, orEmpty }: PlainField): unknown {
	let value = json;
	for (let i = 0; i < path.length; i++) {
		if (!isPlainObject(value)) return NOT_DIRECT;
		// Own enumerable data properties only: what n8n's VM engine sees too (it lists Object.keys).
		const field = Object.getOwnPropertyDescriptor(value, path[i]);
		// A missing last field is undefined to n8n (usableName keeps out Object.prototype's names).
		if (!field) return orEmpty && i === path.length - 1 ? '' : NOT_DIRECT;
		if (!field.enumerable || !('value' in field)) return NOT_DIRECT;
		value = field.value;
	}
	if (orEmpty && (value === undefined || value === null)) return '';
	if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	return NOT_DIRECT;
}
