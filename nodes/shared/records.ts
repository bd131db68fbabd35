import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { Dispatcher } from './dispatch';
import { readEngineSwitches } from './engineSwitches';
import { ItemFailure, toNodeError } from './failures';
import { connectionSettingsFor, readNodeCredentials } from './nodeSettings';
import { OutputItems } from './outputItems';
import { ItemParameterReader } from './parameterReader';
import { asItems, type ParameterReader, type RecordApi, type RecordCall, type RecordOperation } from './recordTypes';
import { fingerprint } from './runLedger';
import { SendGuard } from './sendGuard';
import type { JournalMark } from './sendJournal';
import type { HttpResponse } from './transport';
import { numberFrom, showValue } from './values';

/**
 * Record operations (contacts, groups, senders, lists, balances): one call per
 * input item, or a paged list, over the same dispatcher, guard against doing a
 * write twice, and output items as the SMS engine.
 */

/** Record writes per journal window (a window's marks cost two writes to n8n's database). */
const RECORD_WINDOW = 50;

/** Output of a write an interrupted attempt of this execution had done (the provider's answer was not kept). */
const ALREADY_DONE: IDataObject = { alreadySent: true };

export class RecordRunner {
	private readonly continueOnFail: boolean;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly api: RecordApi,
		private readonly dispatcher: Dispatcher,
		private readonly params: ItemParameterReader,
		private readonly journal: boolean,
		/** An option that cannot be used, under Continue On Fail: every item fails with it. */
		private readonly optionProblem?: string,
	) {
		this.continueOnFail = ctx.continueOnFail();
	}

	static async create(ctx: IExecuteFunctions, api: RecordApi): Promise<RecordRunner> {
		const { credentials, session } = await readNodeCredentials(ctx, api);
		const { transport, limiter, optionProblem } = connectionSettingsFor(ctx, ctx.getNodeParameter('options', 0, {}) as IDataObject, api.requestsPerSecond);
		const switches = readEngineSwitches(ctx);
		const dispatcher = new Dispatcher(api.name, credentials, transport, limiter, session);
		return new RecordRunner(ctx, api, dispatcher, new ItemParameterReader(ctx, switches.plainFieldReads), switches.sendJournal, optionProblem);
	}

	/** Runs the operation for every input item, in order; failures per item as the SMS operations do. */
	async run(operation: RecordOperation): Promise<INodeExecutionData[][]> {
		const items = this.ctx.getInputData();
		const secrets = this.dispatcher.secrets;
		// Every item is checked before anything is sent, as the SMS operations do.
		const problem = this.optionProblem;
		const calls = items.map((_, itemIndex) => (problem ? new ItemFailure(itemIndex, 'input', problem) : this.build(operation, itemIndex)));
		const invalid = calls.find((c): c is ItemFailure => c instanceof ItemFailure);
		if (invalid && !this.continueOnFail) throw toNodeError(this.ctx.getNode(), secrets, invalid);
		const guard = SendGuard.open(this.ctx, { providerName: this.api.name, retryAmbiguous: false, ambiguousText: operation.ambiguousHint ?? '', journal: this.journal });
		const results = operation.together?.wanted(this.reader(0)) ? await this.runTogether(operation, calls, guard) : await this.runEach(operation, calls, guard);
		const output = new OutputItems(this.ctx, this.dispatcher.credentials);
		const out: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
			const result = results[itemIndex];
			if (!(result instanceof ItemFailure)) {
				for (const json of result) out.push(output.item(json, itemIndex));
				continue;
			}
			output.stopOnFailure([result]);
			out.push(output.failure(result));
		}
		return [out];
	}

	/** One call per item, in order; without Continue On Fail the first failure stops the rest. */
	private async runEach(operation: RecordOperation, calls: Array<RecordCall | ItemFailure>, guard: SendGuard): Promise<Array<IDataObject[] | ItemFailure>> {
		const writes = !(operation.read || operation.list);
		let stopped: ItemFailure | undefined;
		const results = await guard.inWindows(calls, {
			concurrency: 1,
			windowSize: RECORD_WINDOW,
			keyOf: (call, itemIndex) => (writes && !(call instanceof ItemFailure) ? writeKey(itemIndex, call) : undefined),
			send: async (call, itemIndex) => {
				if (stopped) return stopped;
				try {
					if (call instanceof ItemFailure) throw call;
					return writes ? await this.runOnce(operation, call, itemIndex, guard, writeKey(itemIndex, call)) : await this.runItem(operation, call, itemIndex);
				} catch (error) {
					const failure = this.failure(error, itemIndex, operation);
					if (!this.continueOnFail) stopped = failure;
					return failure;
				}
			},
			afterInterruption: (call, itemIndex, mark) => (call instanceof ItemFailure || stopped ? undefined : this.afterInterruption(guard, writeKey(itemIndex, call), itemIndex, mark)),
			accepted: (result) => !(result instanceof ItemFailure),
		});
		return results;
	}

	/** The valid items' calls merged into one; its failure is every one of those items' failure. */
	private async runTogether(operation: RecordOperation, calls: Array<RecordCall | ItemFailure>, guard: SendGuard): Promise<Array<IDataObject[] | ItemFailure>> {
		const together = operation.together as NonNullable<RecordOperation['together']>;
		const valid = calls.map((call, itemIndex) => ({ call, itemIndex })).filter((c): c is { call: RecordCall; itemIndex: number } => !(c.call instanceof ItemFailure));
		if (valid.length === 0) return calls as ItemFailure[];
		const merged = together.merge(valid.map((v) => v.call));
		const key = writeKey('together', merged);
		const first = valid[0].itemIndex;
		const [answer] = await guard.inWindows([merged], {
			concurrency: 1,
			windowSize: 1,
			keyOf: () => key,
			send: async (call) => {
				try {
					return await this.runOnce({ ...operation, output: (data) => [{ data } as IDataObject] }, call, first, guard, key);
				} catch (error) {
					return this.failure(error, first, operation);
				}
			},
			afterInterruption: (_, __, mark) => this.afterInterruption(guard, key, first, mark, [{ data: ALREADY_DONE }]),
			accepted: (result) => !(result instanceof ItemFailure),
		});
		if (answer instanceof ItemFailure) {
			return calls.map((call, itemIndex) => (call instanceof ItemFailure ? call : new ItemFailure(itemIndex, answer.kind, answer.message, answer.details)));
		}
		const data = answer[0]?.data;
		return calls.map((call) => (call instanceof ItemFailure ? call : [data === ALREADY_DONE ? { ...ALREADY_DONE } : together.output(data, call)]));
	}

	private reader(itemIndex: number): ParameterReader {
		return <T>(name: string, fallback?: T) => this.params.read(name, itemIndex, fallback);
	}

	private build(operation: RecordOperation, itemIndex: number): RecordCall | ItemFailure {
		try {
			if (operation.list) this.limitOf(this.reader(itemIndex));
			return operation.build(this.reader(itemIndex), this.dispatcher.credentials.defaultCountry);
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
	private async runOnce(operation: RecordOperation, call: RecordCall, itemIndex: number, guard: SendGuard, key: string): Promise<IDataObject[]> {
		const done = guard.accepted<IDataObject[]>(key);
		if (done) return done;
		const held = guard.heldBack(key, itemIndex);
		if (held) throw held;
		try {
			const result = await this.runItem(operation, call, itemIndex);
			guard.markAccepted([key], result);
			return result;
		} catch (error) {
			throw guard.recordFailure(key, this.failure(error, itemIndex, operation));
		}
	}

	/**
	 * A write an interrupted attempt of this execution handled (see sendJournal.ts): done
	 * then, so output as such (the answer was not kept); or started then, so held back.
	 */
	private afterInterruption(guard: SendGuard, key: string, itemIndex: number, mark: JournalMark, done: IDataObject[] = [{ ...ALREADY_DONE }]): IDataObject[] | ItemFailure {
		if (mark === 'started') return guard.recordFailure(key, guard.interrupted(itemIndex));
		guard.markAccepted([key], done);
		return done;
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
		return await this.dispatcher.call((credentials) => this.api.request(credentials, call), read);
	}

	private failure(error: unknown, itemIndex: number, operation: RecordOperation): ItemFailure {
		if (error instanceof ItemFailure) return error;
		const name = this.api.name;
		const ambiguous = `${name} may or may not have done it; it is not sent again in this execution.${operation.ambiguousHint ? ` ${operation.ambiguousHint}` : ''}`;
		return this.dispatcher.failure(error, itemIndex, ambiguous);
	}
}

/** Identifies a write (an item's, or the one merged call) across reruns. */
function writeKey(scope: number | 'together', call: RecordCall): string {
	return fingerprint(['record', scope, call]);
}
