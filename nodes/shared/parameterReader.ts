import { types } from 'node:util';
import { isSafeObjectProperty, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { copyJson } from './values';

/**
 * Per-item node parameters, read without n8n's expression engine (~200 µs an
 * item) where that gives exactly what getNodeParameter gives: a parameter
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

/** The field names of a parameter stored as exactly `={{ $json<.name | ["name"]>… }}`, else undefined. */
export function plainFieldPath(stored: unknown): string[] | undefined {
	const reference = plainFieldReference(stored);
	return reference && !reference.orEmpty ? reference.path : undefined;
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

const NOT_DIRECT = Symbol('not direct');

function isPlainObject(value: unknown): value is object {
	if (typeof value !== 'object' || value === null || types.isProxy(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/** The field's value when n8n would give exactly it, else NOT_DIRECT. */
function directValue(json: unknown, { path, orEmpty }: PlainField): unknown {
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

/**
 * Whether n8n's expressions read these very items as `$json`: they read the
 * node's connection input, which is not getInputData() when the node runs as
 * an AI Agent's tool (then `$json` is the agent's item).
 */
function expressionsSee(ctx: IExecuteFunctions, items: INodeExecutionData[]): boolean {
	try {
		const all = (ctx.getWorkflowDataProxy(0).$input as { all(): unknown }).all();
		if (all === items) return true;
		// With binaryMode "combined", $input.all() lists the items' json.
		return Array.isArray(all) && all.length === items.length && all.every((entry, i) => entry === items[i].json);
	} catch {
		return false;
	}
}

/** The stored value at a parameter name or a dotted path of plain names, through own properties; undefined when absent. */
function storedAt(stored: Record<string, unknown>, name: string): unknown {
	let value: unknown = stored;
	for (const key of name.split('.')) {
		if (!/^[A-Za-z0-9_]+$/.test(key) || !isPlainObject(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
		Object.freeze(value);
	}
	return value;
}

interface CollectionField {
	key: string;
	stored: unknown;
	/** Holds an expression: n8n evaluates it for each item. */
	evaluated: boolean;
}

interface CollectionPlan {
	omit: ReadonlySet<string>;
	/** The fields read, or null when none is omitted (the whole collection is read as n8n gives it). */
	fields: CollectionField[] | null;
	/** The value for every item, when nothing in it is evaluated per item. */
	shared?: IDataObject;
}

/** Whether a stored value holds an expression anywhere (n8n evaluates strings that start with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

export class ItemParameterReader {
	private readonly items: INodeExecutionData[];
	/** The field reference of each parameter read so far, or null when n8n evaluates it. */
	private readonly references = new Map<string, PlainField | null>();
	/**
	 * Parameters stored without any expression (a fixed Sender, Message, Options): n8n gives
	 * the same value for every item, so it is asked once; objects are copied per read, as n8n does.
	 */
	private readonly constants = new Map<string, { value: unknown } | null>();
	/** How readCollection reads each collection. */
	private readonly collections = new Map<string, CollectionPlan>();
	private readonly stored: Record<string, unknown>;
	/** The node's parameters as saved (expressions unevaluated). */
	private readonly parameters: Record<string, unknown>;
	/** Whether n8n's `$json` of item i is this.items[i].json; found out at the first plain reference. */
	private sameItems?: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		/** Off only when a benchmark measures what plain field reads save (engineSwitches.ts). */
		plainFieldReads = true,
	) {
		this.items = ctx.getInputData();
		// getNode() copies the node: once per execution, not per read.
		this.parameters = ctx.getNode().parameters;
		this.stored = plainFieldReads ? this.parameters : {};
	}

	read<T>(name: string, itemIndex: number, fallback?: T): T {
		const reference = this.referenceOf(name);
		if (reference) {
			const value = directValue(this.items[itemIndex]?.json, reference);
			if (value !== NOT_DIRECT) return value as T;
		}
		const constant = this.constantOf(name, itemIndex, fallback);
		if (constant) return copyJson(constant.value) as T;
		return this.ctx.getNodeParameter(name, itemIndex, fallback) as T;
	}

	/**
	 * A collection parameter without some of its fields (run-level options, read once
	 * elsewhere): those are not evaluated for each item, as a long list in one of them
	 * would cost its length at every item.
	 */
	readCollection(name: string, itemIndex: number, omit: ReadonlySet<string>): IDataObject {
		const plan = this.collectionPlan(name, itemIndex, omit);
		// Nothing evaluated per item: one frozen value for every item (a bulk of 100 000 kept 100 000 copies).
		if (plan.shared) return plan.shared;
		if (!plan.fields) return this.read<IDataObject>(name, itemIndex, {});
		const value: IDataObject = {};
		for (const { key, stored, evaluated } of plan.fields) {
			// A field without an expression is what n8n would give.
			value[key] = evaluated ? (this.ctx.getNodeParameter(`${name}.${key}`, itemIndex) as IDataObject[string]) : (copyJson(stored) as IDataObject[string]);
		}
		return value;
	}

	/** How readCollection reads a collection, worked out once per node run and set of omitted fields. */
	private collectionPlan(name: string, itemIndex: number, omit: ReadonlySet<string>): CollectionPlan {
		const known = this.collections.get(name);
		if (known?.omit === omit) return known;
		const stored = this.parameters[name];
		const keys = stored && typeof stored === 'object' && !Array.isArray(stored) ? Object.keys(stored) : [];
		let plan: CollectionPlan;
		if (keys.some((key) => omit.has(key))) {
			const fields = keys.filter((key) => !omit.has(key)).map((key) => ({ key, stored: (stored as IDataObject)[key], evaluated: holdsExpression((stored as IDataObject)[key]) }));
			const constant = !fields.some((field) => field.evaluated);
			plan = { omit, fields, shared: constant ? deepFreeze(Object.fromEntries(fields.map(({ key, stored: value }) => [key, copyJson(value)])) as IDataObject) : undefined };
		} else {
			const constant = this.constantOf(name, itemIndex, {});
			plan = { omit, fields: null, shared: constant ? deepFreeze(copyJson(constant.value) as IDataObject) : undefined };
		}
		this.collections.set(name, plan);
		return plan;
	}

	private constantOf(name: string, itemIndex: number, fallback: unknown): { value: unknown } | null {
		let entry = this.constants.get(name);
		if (entry === undefined) {
			// A top-level parameter, or a collection's field ("options.idempotencyKey"), as saved.
			const stored = storedAt(this.stored, name);
			entry = stored !== undefined && !holdsExpression(stored) ? { value: this.ctx.getNodeParameter(name, itemIndex, fallback) } : null;
			this.constants.set(name, entry);
		}
		return entry;
	}

	private referenceOf(name: string): PlainField | null {
		let reference = this.references.get(name);
		if (reference === undefined) {
			// getNodeParameter reads "a.b" as a path into the parameters (a collection's field, say).
			reference = plainFieldReference(storedAt(this.stored, name)) || null;
			if (reference) {
				this.sameItems ??= expressionsSee(this.ctx, this.items);
				if (!this.sameItems) reference = null;
			}
			this.references.set(name, reference);
		}
		return reference;
	}
}
