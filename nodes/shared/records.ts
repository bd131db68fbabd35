import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { describeFailure, ItemFailure, toNodeError } from './failures';
import type { RequestLimiter } from './limiter';
import type { CountryCode } from 'libphonenumber-js';
import { connectionSettingsFor, readNodeCredentials } from './nodeSettings';
import { ItemParameterReader } from './parameterReader';
import type { ProviderCredentials } from './provider';
import { redactDeep } from './redact';
import { fingerprint, RunLedger } from './runLedger';
import { sendRequest, type HttpRequest, type HttpResponse, type TransportSettings } from './transport';
import { numberFrom, showValue } from './values';

/**
 * Record operations (contacts, groups, senders, lists, balances): one call per
 * input item, or a paged list, over the same transport, pacing, answer checks,
 * redaction and errors as the SMS engine. A provider with a contact book
 * supplies a RecordApi and one RecordOperation per operation.
 */

/** One call: its path under the Base URL and its fields. */
export interface RecordCall {
	path: string;
	body?: IDataObject;
}

export interface PagedAnswer {
	records: unknown[];
	/** The last page there is (1-based), when the provider says. */
	totalPages?: number;
}

export interface RecordApi {
	name: string;
	credentialType: string;
	readCredentials(raw: IDataObject): ProviderCredentials;
	request(credentials: ProviderCredentials, call: RecordCall): HttpRequest;
	/** The answer's data; throws a ProviderError when the provider refused. */
	read(response: HttpResponse): unknown;
	/** A page of a list: its records and how many pages there are. */
	readPage(response: HttpResponse): PagedAnswer;
	/** The fields that ask for page `page` of `size` records. */
	pageFields(page: number, size: number): IDataObject;
	/** Largest page the provider serves. */
	maxPageSize: number;
}

/** Reads one item's parameters; throws an Error whose message names the field. */
export type ParameterReader = <T = unknown>(name: string, fallback?: T) => T;

export interface RecordOperation {
	/** The call for one item (the credential's default country, for phone numbers). */
	build(read: ParameterReader, defaultCountry: CountryCode): RecordCall;
	/** A list: paged with Return All / Limit, one output item per record. */
	list?: boolean;
	/** Output items from the answer's data (default: the data itself, or each element of an array). */
	output?(data: unknown, read: ParameterReader): IDataObject[];
	/** What to do after an ambiguous failure, for the error text ("Check whether the contact was created"). */
	ambiguousHint?: string;
	/**
	 * Reads change nothing and run again on Retry On Fail. Writes (the default) are
	 * remembered: a rerun outputs what was done instead of doing it twice.
	 */
	read?: boolean;
	/**
	 * One call for all input items (one group of every item's phones), when the
	 * first item's parameters ask for it; each item still gets its own output item.
	 */
	together?: {
		wanted(read: ParameterReader): boolean;
		merge(calls: RecordCall[]): RecordCall;
		/** One item's output from the shared answer and that item's own call. */
		output(data: unknown, call: RecordCall): IDataObject;
	};
}

function asItems(data: unknown): IDataObject[] {
	if (Array.isArray(data)) return data.map((d) => (d !== null && typeof d === 'object' ? (d as IDataObject) : { value: d }));
	if (data !== null && typeof data === 'object') return [data as IDataObject];
	return [{ value: data ?? null }];
}

export class RecordRunner {
	private readonly params: ItemParameterReader;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly api: RecordApi,
		private readonly credentials: ProviderCredentials,
		private readonly transport: TransportSettings,
		private readonly limiter: RequestLimiter,
		/** An option that cannot be used, under Continue On Fail: every item fails with it. */
		private readonly optionProblem?: string,
	) {
		this.params = new ItemParameterReader(ctx);
	}

	static async create(ctx: IExecuteFunctions, api: RecordApi): Promise<RecordRunner> {
		const credentials = await readNodeCredentials(ctx, api);
		const { transport, limiter, optionProblem } = connectionSettingsFor(ctx, ctx.getNodeParameter('options', 0, {}) as IDataObject);
		return new RecordRunner(ctx, api, credentials, transport, limiter, optionProblem);
	}

	/** Runs the operation for every input item, in order; failures per item as the SMS operations do. */
	async run(operation: RecordOperation): Promise<INodeExecutionData[][]> {
		const items = this.ctx.getInputData();
		const continueOnFail = this.ctx.continueOnFail();
		// Every item is checked before anything is sent, as the SMS operations do.
		const problem = this.optionProblem;
		const calls = items.map((_, itemIndex) => (problem ? new ItemFailure(itemIndex, 'input', problem) : this.build(operation, itemIndex)));
		const invalid = calls.find((c): c is ItemFailure => c instanceof ItemFailure);
		if (invalid && !continueOnFail) throw toNodeError(this.ctx.getNode(), this.credentials.secrets, invalid);
		const ledger = new RunLedger(this.ctx.getContext('node'), Number(this.ctx.getWorkflowDataProxy(0).$runIndex ?? 0));
		const results = operation.together?.wanted(this.reader(0))
			? await this.runTogether(operation, calls, ledger)
			: await this.runEach(operation, calls, ledger);
		const out: INodeExecutionData[] = [];
		results.forEach((result, itemIndex) => {
			if (!(result instanceof ItemFailure)) {
				for (const json of result) out.push(this.item(json, itemIndex));
				return;
			}
			if (!continueOnFail) throw toNodeError(this.ctx.getNode(), this.credentials.secrets, result);
			const message = result.fullMessage();
			out.push(this.item(this.ctx.getNode().onError === 'continueErrorOutput' ? { error: message } : { error: message, ...(result.details.httpStatus ? { httpStatus: result.details.httpStatus } : {}) }, itemIndex));
		});
		return [out];
	}

	/** One call per item, in order; without Continue On Fail the first failure stops the rest. */
	private async runEach(operation: RecordOperation, calls: Array<RecordCall | ItemFailure>, ledger: RunLedger): Promise<Array<IDataObject[] | ItemFailure>> {
		const results: Array<IDataObject[] | ItemFailure> = [];
		for (let itemIndex = 0; itemIndex < calls.length; itemIndex++) {
			const call = calls[itemIndex];
			try {
				if (call instanceof ItemFailure) throw call;
				results.push(operation.read || operation.list ? await this.runItem(operation, call, itemIndex) : await this.runOnce(operation, call, itemIndex, ledger));
			} catch (error) {
				const failure = this.failure(error, itemIndex, operation);
				results.push(failure);
				if (!this.ctx.continueOnFail()) break;
			}
		}
		return results;
	}

	/** The valid items' calls merged into one; its failure is every one of those items' failure. */
	private async runTogether(operation: RecordOperation, calls: Array<RecordCall | ItemFailure>, ledger: RunLedger): Promise<Array<IDataObject[] | ItemFailure>> {
		const together = operation.together as NonNullable<RecordOperation['together']>;
		const valid = calls.map((call, itemIndex) => ({ call, itemIndex })).filter((c): c is { call: RecordCall; itemIndex: number } => !(c.call instanceof ItemFailure));
		if (valid.length === 0) return calls as ItemFailure[];
		const merged = together.merge(valid.map((v) => v.call));
		let answer: IDataObject[];
		try {
			answer = await this.runOnce({ ...operation, output: (data) => [{ data } as IDataObject] }, merged, valid[0].itemIndex, ledger, 'together');
		} catch (error) {
			const failure = this.failure(error, valid[0].itemIndex, operation);
			return calls.map((call, itemIndex) => (call instanceof ItemFailure ? call : new ItemFailure(itemIndex, failure.kind, failure.message, failure.details)));
		}
		const data = answer[0]?.data;
		return calls.map((call) => (call instanceof ItemFailure ? call : [together.output(data, call)]));
	}

	private reader(itemIndex: number): ParameterReader {
		return <T>(name: string, fallback?: T) => this.params.read(name, itemIndex, fallback);
	}

	private build(operation: RecordOperation, itemIndex: number): RecordCall | ItemFailure {
		try {
			if (operation.list) this.limitOf(this.reader(itemIndex));
			return operation.build(this.reader(itemIndex), this.credentials.defaultCountry);
		} catch (error) {
			if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
			return new ItemFailure(itemIndex, 'input', (error as Error).message);
		}
	}

	/**
	 * A write, once per execution: n8n's Retry On Fail reruns every item, and an
	 * item already done outputs its earlier result; one whose earlier attempt may
	 * have reached the provider is not sent again.
	 */
	private async runOnce(operation: RecordOperation, call: RecordCall, itemIndex: number, ledger: RunLedger, scope: number | 'together' = itemIndex): Promise<IDataObject[]> {
		const key = fingerprint(['record', scope, call]);
		const done = ledger.acceptedOutcome<IDataObject[]>(key);
		if (done) return done;
		const unsure = ledger.unsureAttempt(key);
		if (unsure) {
			throw new ItemFailure(itemIndex, 'provider', `Not sent again: an earlier attempt in this execution may have reached ${this.api.name} (${unsure})`, {
				description: operation.ambiguousHint,
				ambiguous: true,
			});
		}
		try {
			const result = await this.runItem(operation, call, itemIndex);
			ledger.markAccepted([key], result);
			return result;
		} catch (error) {
			const failure = this.failure(error, itemIndex, operation);
			if (failure.details.ambiguous) ledger.markUnsure(key, failure.message);
			throw failure;
		}
	}

	private async runItem(operation: RecordOperation, call: RecordCall, itemIndex: number): Promise<IDataObject[]> {
		const read = this.reader(itemIndex);
		if (!operation.list) {
			const data = await this.call(call, (response) => this.api.read(response));
			return operation.output ? operation.output(data, read) : asItems(data);
		}
		const limit = this.limitOf(read);
		const size = Math.min(this.api.maxPageSize, Number.isFinite(limit) ? limit : this.api.maxPageSize);
		const records: IDataObject[] = [];
		for (let page = 1; records.length < limit; page++) {
			const answer = await this.call({ path: call.path, body: { ...call.body, ...this.api.pageFields(page, size) } }, (response) => this.api.readPage(response));
			records.push(...asItems(answer.records).slice(0, limit - records.length));
			if (answer.records.length === 0 || (answer.totalPages !== undefined ? page >= answer.totalPages : answer.records.length < size)) break;
		}
		return records;
	}

	/** How many records a list returns: all, or Limit (a whole number of at least 1). */
	private limitOf(read: ParameterReader): number {
		if (read<boolean>('returnAll', false) === true) return Infinity;
		const raw = read<unknown>('limit', 50);
		const limit = numberFrom(raw);
		if (!Number.isInteger(limit) || limit < 1) throw new Error(`'Limit' must be a whole number of at least 1, not ${showValue(raw)}`);
		return limit;
	}

	private async call<T>(call: RecordCall, read: (response: HttpResponse) => T): Promise<T> {
		const request = this.api.request(this.credentials, call);
		const response = await this.limiter.run(async () => await sendRequest(request, this.transport));
		return redactDeep(read(response), this.credentials.secrets);
	}

	private failure(error: unknown, itemIndex: number, operation: RecordOperation): ItemFailure {
		if (error instanceof ItemFailure) return error;
		const name = this.api.name;
		const ambiguous = `${name} may or may not have done it; it is not sent again in this execution.${operation.ambiguousHint ? ` ${operation.ambiguousHint}` : ''}`;
		return describeFailure(error, itemIndex, name, ambiguous, this.credentials.secrets);
	}

	private item(json: IDataObject, itemIndex: number): INodeExecutionData {
		return { json: redactDeep(json, this.credentials.secrets), pairedItem: { item: itemIndex } };
	}
}
