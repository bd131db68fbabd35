import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { directValue, NOT_DIRECT, plainFieldReference, type PlainField } from './plainFieldReference';
import { copyJson, isPlainObject } from './values';

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

/**
 * Per-item node parameters as getNodeParameter gives them, without n8n's expression engine
 * where that gives the same: plain field references (plainFieldReference.ts) read from the
 * item, and parameters stored without an expression asked once.
 */
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
