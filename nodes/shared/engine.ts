import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { getCountryCallingCode } from 'libphonenumber-js';
import { describeFailure, ItemFailure, toNodeError } from './failures';
import { mapWithin, type RequestLimiter } from './limiter';
import { combineParts, fitText, SPLIT_OPTION, TextTooLong } from './longText';
import { formatPhone, normalizePhone, PhoneNumberError, splitRecipients } from './phone';
import {
	ProviderError,
	type ProviderCredentials,
	type Recipient,
	type SendJob,
	type SendOutcome,
	type SmsOperation,
	type SmsProvider,
} from './provider';
import { redactDeep } from './redact';
import { connectionSettingsFor, readNodeCredentials } from './nodeSettings';
import { ItemParameterReader } from './parameterReader';
import { fingerprint, RunLedger } from './runLedger';
import { JOURNAL_WINDOW_ITEMS, sendInWindows, SendJournal, type JournalMark } from './sendJournal';
import { analyzeText, transliterateToGsm7, type TextAnalysis } from './text';
import { dayAtOffset, toInstant } from './time';
import { valueKind } from './values';
import { sendRequest, type HttpRequest, type HttpResponse, type TransportSettings } from './transport';

/** An item of a Send Bulk / Send Personalized batch. */
interface BatchMember {
	itemIndex: number;
	job: SendJob;
	analysis: TextAnalysis;
	/** Items of one group can share a request. */
	group: string;
	/** Identifies this item's send across Retry On Fail reruns. */
	key: string;
}

/** What the provider answered for a batch, with the number of recipients it carried. */
type BatchOutcome = SendOutcome & { batchSize: number };

interface EngineSettings {
	transport: TransportSettings;
	limiter: RequestLimiter;
	transliterate: boolean;
	removeDuplicates: boolean;
	/** An option that cannot be used, under Continue On Fail: every item fails with it. */
	optionProblem?: string;
}

const PLACEHOLDER = /:P(\d+)/g;

/** Added to sends an interrupted attempt of this execution had accepted (the provider's answer was not kept). */
const ALREADY_SENT: IDataObject = { alreadySent: true, providerStatus: null };

/**
 * Runs one SMS node for a provider: reads the items, validates them, sends
 * through the provider's request builders, and returns exactly one output item
 * per input item for sends (one per recipient for status).
 */
export class SmsEngine {
	private readonly items: INodeExecutionData[];
	private readonly continueOnFail: boolean;
	private readonly ledger: RunLedger;
	private readonly journal: SendJournal | undefined;
	private readonly params: ItemParameterReader;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly provider: SmsProvider,
		private readonly credentials: ProviderCredentials,
		private readonly settings: EngineSettings,
	) {
		this.items = ctx.getInputData();
		this.params = new ItemParameterReader(ctx);
		this.continueOnFail = ctx.continueOnFail();
		const runIndex = Number(ctx.getWorkflowDataProxy(0).$runIndex ?? 0);
		this.ledger = new RunLedger(ctx.getContext('node'), runIndex);
		this.journal = SendJournal.open(ctx, runIndex, this.ledger.fresh);
	}

	static async create(ctx: IExecuteFunctions, provider: SmsProvider): Promise<SmsEngine> {
		const credentials = await readNodeCredentials(ctx, provider);
		const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
		const { optionProblem, ...connection } = connectionSettingsFor(ctx, options);
		const settings: EngineSettings = {
			...connection,
			optionProblem,
			transliterate: options.transliterate === true,
			removeDuplicates: options.removeDuplicates === true,
		};
		return new SmsEngine(ctx, provider, credentials, settings);
	}

	async run(operation: SmsOperation): Promise<INodeExecutionData[][]> {
		// Options that cannot be used (Continue On Fail is on, else create() stopped): every item fails with why, nothing is sent.
		const problem = this.settings.optionProblem;
		if (problem) return [this.items.map((_, itemIndex) => this.failureItem(new ItemFailure(itemIndex, 'input', problem), operation))];
		switch (operation) {
			case 'send':
			case 'sendScheduled':
				return [await this.sendPerItem(operation)];
			case 'sendBulk':
			case 'sendPersonalized':
				return [await this.sendBatched(operation)];
			case 'getStatus':
				return [await this.getStatus()];
			default:
				throw new NodeOperationError(this.ctx.getNode(), `The operation "${String(operation)}" is not supported by ${this.provider.name}`);
		}
	}

	// ---------- reading and checking items ----------

	private param<T>(name: string, itemIndex: number, fallback?: T): T {
		return this.params.read(name, itemIndex, fallback);
	}

	/** A text parameter as an expression may give it: text, a number, a date; an object or a list is refused. */
	private textParam(name: string, label: string, itemIndex: number): string {
		const raw = this.param<unknown>(name, itemIndex, '');
		if (raw === null || raw === undefined) return '';
		if (typeof raw === 'string') return raw;
		// Dates from expressions ({{ $now }}, a Luxon DateTime or Duration, a Date) as ISO text, as n8n shows them.
		if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? String(raw) : raw.toISOString();
		if (isLuxonValue(raw)) return raw.toISO() ?? String(raw);
		if (Array.isArray(raw) || Object.prototype.toString.call(raw) === '[object Object]') {
			throw new ItemFailure(itemIndex, 'input', `'${label}' must be text, not ${valueKind(raw)}`, {
				description: 'Pick the field that holds the text in the expression, e.g. {{ $json.message }}.',
			});
		}
		return String(raw);
	}

	private readText(itemIndex: number): string {
		const raw = this.textParam('message', 'Message', itemIndex);
		const text = this.settings.transliterate ? transliterateToGsm7(raw) : raw;
		// Checked after transliterating: invisible characters may be all there was.
		if (!text.trim()) throw new ItemFailure(itemIndex, 'input', 'The Message is empty');
		return text;
	}

	private readSender(itemIndex: number): string {
		const sender = this.textParam('sender', 'Sender', itemIndex).trim();
		if (!sender) throw new ItemFailure(itemIndex, 'input', 'The Sender is empty');
		const max = this.provider.maxSenderLength;
		if (max && sender.length > max) {
			throw new ItemFailure(itemIndex, 'input', `The Sender "${sender}" has ${sender.length} characters; ${this.provider.name} allows at most ${max}`);
		}
		return sender;
	}

	private readOptions(itemIndex: number): IDataObject {
		return this.param<IDataObject>('options', itemIndex, {});
	}

	private toRecipient(raw: unknown, itemIndex: number, field: string): string {
		try {
			return formatPhone(normalizePhone(raw, this.credentials.defaultCountry), this.provider.phoneFormat);
		} catch (error) {
			if (error instanceof PhoneNumberError) {
				const country = this.credentials.defaultCountry;
				throw new ItemFailure(itemIndex, 'input', `Invalid phone number in '${field}': "${error.input}" (${error.reason})`, {
					description: `Write numbers in international form (+${getCountryCallingCode(country)} …) or as national numbers of the credential's default country (${country}).`,
					to: error.input,
				});
			}
			throw error;
		}
	}

	private readSendAt(itemIndex: number): Date {
		const raw = this.param<unknown>('sendAt', itemIndex, '');
		let date: Date;
		try {
			date = toInstant(raw, this.ctx.getTimezone());
		} catch (error) {
			throw new ItemFailure(itemIndex, 'input', `Invalid 'Send At': ${(error as Error).message}`);
		}
		const byDay = this.provider.scheduleByDay;
		if (byDay) {
			// Days, not instants: today is a valid first day whatever the hour.
			const day = dayAtOffset(date, byDay.utcOffsetMinutes);
			const today = dayAtOffset(new Date(), byDay.utcOffsetMinutes);
			if (day < today) {
				throw new ItemFailure(itemIndex, 'input', `'Send At' gives ${day} (${byDay.zoneName}) as the first day, which is in the past: it is ${today} there now`, {
					description: `${this.provider.name} schedules by day: pick today or a later day.`,
				});
			}
			return date;
		}
		if (date.getTime() <= Date.now()) {
			throw new ItemFailure(itemIndex, 'input', `'Send At' (${date.toISOString()}) is in the past`, {
				description: 'Pick a date and time in the future, or use the Send operation to send now.',
			});
		}
		return date;
	}

	/**
	 * The SMS to send for a text: the text itself, or for providers that refuse
	 * long texts, its numbered parts when the user allows it (else the item fails).
	 */
	private partsOf(text: string, itemIndex: number, options: IDataObject, field: string, operation: SmsOperation): string[] {
		const maxCharacters = this.provider.maxTextCharacters;
		if (!maxCharacters) return [text];
		try {
			return fitText(text, {
				maxCharacters,
				providerName: this.provider.name,
				split: options[SPLIT_OPTION] === true,
				transliterated: this.settings.transliterate,
				field,
				// Each part would be scheduled on its own, and nothing makes (1/2) arrive before (2/2).
				noSplitBecause:
					operation === 'sendScheduled'
						? `a scheduled text is not split into numbered SMS, as ${this.provider.name} would schedule each part on its own, in no guaranteed order`
						: undefined,
			});
		} catch (error) {
			if (error instanceof TextTooLong) throw new ItemFailure(itemIndex, 'input', error.message, { description: error.description });
			throw error;
		}
	}

	private validate(job: SendJob, itemIndex: number): void {
		try {
			this.provider.validateJob?.(job);
		} catch (error) {
			throw new ItemFailure(itemIndex, 'input', (error as Error).message);
		}
	}

	/** Runs `read` for every item; failures are kept per item and thrown up front without Continue On Fail. */
	private prepareAll<T>(read: (itemIndex: number) => T): Array<T | ItemFailure> {
		const prepared = this.items.map((_, itemIndex) => {
			try {
				return read(itemIndex);
			} catch (error) {
				if (error instanceof ItemFailure) return error;
				if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
				return new ItemFailure(itemIndex, 'input', (error as Error).message);
			}
		});
		const firstFailure = prepared.find((p): p is ItemFailure => p instanceof ItemFailure);
		// Nothing is sent while an item is invalid, unless failed items are to be output.
		if (firstFailure && !this.continueOnFail) throw toNodeError(this.ctx.getNode(), this.credentials.secrets, firstFailure);
		return prepared;
	}

	// ---------- send: one request per item (several when `to` is long) ----------

	private async sendPerItem(operation: 'send' | 'sendScheduled'): Promise<INodeExecutionData[]> {
		const prepared = this.prepareAll((itemIndex) => {
			const sender = this.readSender(itemIndex);
			const text = this.readText(itemIndex);
			const numbers = splitRecipients(this.param<unknown>('to', itemIndex, ''), this.credentials.defaultCountry);
			if (numbers.length === 0) throw new ItemFailure(itemIndex, 'input', "'To' holds no phone number");
			const seen = new Set<string>();
			const recipients: Recipient[] = [];
			for (const n of numbers) {
				const to = this.toRecipient(n, itemIndex, 'To');
				if (!seen.has(to)) recipients.push({ to, itemIndex });
				seen.add(to);
			}
			const sendAt = operation === 'sendScheduled' ? this.readSendAt(itemIndex) : undefined;
			const options = this.readOptions(itemIndex);
			const parts = this.partsOf(text, itemIndex, options, 'Message', operation);
			const job: SendJob = { operation, sender, text: parts.length === 1 ? parts[0] : text, recipients, sendAt, timeZone: this.ctx.getTimezone(), options };
			this.validate(job, itemIndex);
			return { job, analysis: analyzeText(job.text), parts };
		});

		// Requests are paced by the limiter inside submit(); items start as slots free.
		const results = await sendInWindows(this.journal, prepared, {
			concurrency: this.settings.limiter.concurrency,
			windowSize: JOURNAL_WINDOW_ITEMS,
			keyOf: (p, itemIndex) => (p instanceof ItemFailure ? undefined : fingerprint([p.job.operation, itemIndex, p.job.recipients.map((r) => r.to), p.job.text, p.parts.length, p.job.sender, p.job.sendAt, p.job.options])),
			send: async (p, itemIndex) => (p instanceof ItemFailure ? p : await this.sendItemParts(p.job, p.parts, p.analysis, itemIndex)),
			afterInterruption: (p, itemIndex, mark) => (p instanceof ItemFailure ? p : this.itemAfterInterruption(p.job, p.parts, p.analysis, itemIndex, mark)),
			accepted: (result) => !(result instanceof ItemFailure),
		});
		return this.finish(results, operation);
	}

	/** An item whose text goes as numbered parts: in order, each only after the previous one was accepted. */
	private async sendItemParts(job: SendJob, parts: string[], analysis: TextAnalysis, itemIndex: number): Promise<IDataObject | ItemFailure> {
		if (parts.length === 1) return await this.sendItemJob(job, analysis, itemIndex);
		const outputs: IDataObject[] = [];
		for (const text of parts) {
			// Each part's text is in its ledger key, so a rerun skips the parts already accepted.
			const result = await this.sendItemJob({ ...job, text }, analyzeText(text), itemIndex);
			if (result instanceof ItemFailure) return partsSentBefore(result, outputs.length, parts.length);
			outputs.push(result);
		}
		return combineParts(outputs);
	}

	private async sendItemJob(job: SendJob, analysis: TextAnalysis, itemIndex: number): Promise<IDataObject | ItemFailure> {
		const chunks = chunk(job.recipients, this.provider.maxRecipientsPerRequest);
		const outcomes = await Promise.all(
			chunks.map(async (recipients, chunkIndex) => {
				const part: SendJob = { ...job, recipients, ...(chunks.length > 1 ? { itemRecipients: job.recipients.length, requestIndex: chunkIndex } : {}) };
				const key = this.sendKey(job, itemIndex, chunkIndex, recipients);
				const done = this.ledger.acceptedOutcome<SendOutcome>(key);
				if (done) return { recipients, outcome: done };
				const held = this.heldBack(key, itemIndex, recipients);
				if (held) return { recipients, failure: held };
				try {
					const outcome = await this.submit(part);
					this.ledger.markAccepted([key], outcome);
					return { recipients, outcome };
				} catch (error) {
					return { recipients, failure: this.recordFailure(key, this.failureFrom(error, itemIndex, recipients)) };
				}
			}),
		);
		// Per number: its status, or why its request failed (where a provider takes one number per request).
		const recipients = outcomes.flatMap((o) =>
			o.recipients.map((r) => (o.outcome ? { to: r.to, status: o.outcome.status } : { to: r.to, status: 'failed', error: o.failure?.message ?? null })),
		);
		const failed = outcomes.find((o) => o.failure);
		if (failed?.failure) {
			const sentParts = outcomes.filter((o) => o.outcome).length;
			if (sentParts === 0) return failed.failure;
			const f = failed.failure;
			const failedParts = outcomes.length - sentParts;
			const also = failedParts > 1 ? ` (${failedParts - 1} more of this item's requests failed too)` : '';
			return new ItemFailure(
				itemIndex,
				f.kind,
				`${f.message}${also}; ${sentParts} of ${outcomes.length} requests of this item were accepted and are not resent on retry`,
				{ ...f.details, recipients },
			);
		}
		const first = outcomes[0].outcome as SendOutcome;
		const messageIds = outcomes.map((o) => (o.outcome as SendOutcome).messageId);
		return this.output(job.operation, first, job.recipients.map((r) => r.to).join(','), analysis, {
			// Providers that give no id (null) have no ids to list.
			...(messageIds.length > 1 && messageIds.some((id) => id !== null) ? { messageIds } : {}),
			recipients,
			recipientCount: job.recipients.length,
			...(job.sendAt ? { sendAt: job.sendAt.toISOString() } : {}),
		});
	}

	/** Identifies one request of an item (one part of its text, one chunk of its numbers) across reruns. */
	private sendKey(job: SendJob, itemIndex: number, chunkIndex: number, recipients: Recipient[]): string {
		return fingerprint([job.operation, itemIndex, chunkIndex, recipients.map((r) => r.to), job.text, job.sender, job.sendAt, job.options]);
	}

	// ---------- sendBulk / sendPersonalized: all items, batched ----------

	private async sendBatched(operation: 'sendBulk' | 'sendPersonalized'): Promise<INodeExecutionData[]> {
		const personalized = operation === 'sendPersonalized';
		const maxPlaceholders = this.provider.maxPlaceholders ?? 5;
		const prepared = this.prepareAll((itemIndex) => {
			const sender = this.readSender(itemIndex);
			const template = this.readText(itemIndex);
			const to = this.toRecipient(this.param<unknown>('phone', itemIndex, ''), itemIndex, 'Phone');
			const options = this.readOptions(itemIndex);
			const recipient: Recipient = { to, itemIndex };
			let rendered = template;
			if (personalized) {
				const used = [...template.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
				const beyond = used.find((n) => n < 1 || n > maxPlaceholders);
				if (beyond !== undefined) {
					throw new ItemFailure(itemIndex, 'input', `The Message uses :P${beyond}; ${this.provider.name} fills :P1 to :P${maxPlaceholders} only`);
				}
				const count = used.length ? Math.max(...used) : 0;
				recipient.values = [];
				for (let n = 1; n <= count; n++) {
					const value = this.textParam(`p${n}`, `P${n}`, itemIndex);
					recipient.values.push(this.settings.transliterate ? transliterateToGsm7(value) : value);
				}
				rendered = template.replace(PLACEHOLDER, (_, n: string) => recipient.values?.[Number(n) - 1] ?? '');
				if (typeof options.email === 'string' && options.email.trim()) recipient.email = options.email.trim();
			}
			const parts = this.partsOf(rendered, itemIndex, options, personalized ? 'Message (filled for this item)' : 'Message', operation);
			// Providers without per-recipient texts get the rendered text, one text per request.
			const native = personalized && this.provider.nativePersonalization;
			if (native && parts.length > 1) {
				throw new ItemFailure(itemIndex, 'input', `The Message (filled for this item) is too long, and ${this.provider.name}'s personalised sends cannot be split into numbered SMS`);
			}
			// The recipient's name for providers with a contact book: the item's, not the request's.
			const nameOption = this.provider.recipientNameOption;
			const name = nameOption ? options[nameOption] : undefined;
			if (typeof name === 'string' && name.trim()) recipient.name = name.trim();
			const text = native ? template : parts.length === 1 ? parts[0] : rendered;
			const job: SendJob = { operation, sender, text, recipients: [recipient], options };
			this.validate(job, itemIndex);
			// The recipient's name, and in personalised sends its e-mail, belong to this recipient, not to the request.
			const requestOptions = { ...options };
			if (nameOption) delete requestOptions[nameOption];
			if (personalized) delete requestOptions.email;
			const group = fingerprint([sender, text, requestOptions, Boolean(recipient.email)]);
			// What identifies this item's send across Retry On Fail reruns.
			const key = fingerprint([operation, itemIndex, group, recipient]);
			return { member: { itemIndex, job, analysis: analyzeText(native ? rendered : text), group, key }, parts };
		});

		const results: Array<IDataObject | ItemFailure | undefined> = prepared.map((p) => (p instanceof ItemFailure ? p : undefined));
		const live = prepared.filter((p): p is Exclude<typeof p, ItemFailure> => !(p instanceof ItemFailure));
		// Texts split into numbered parts go in rounds: part r of every item, then part r + 1 of those accepted.
		const partOutputs = new Map<number, IDataObject[]>();
		const partCount = new Map(live.map((p) => [p.member.itemIndex, p.parts.length]));
		let rounds = 0;
		for (const count of partCount.values()) rounds = Math.max(rounds, count);
		for (let round = 0; round < rounds; round++) {
			const members = live
				.filter((p) => p.parts.length > round && !(results[p.member.itemIndex] instanceof ItemFailure))
				.map(({ member, parts }) => (parts.length === 1 ? member : partMember(member, parts[round], round)));
			for (const [itemIndex, result] of await this.sendRound(operation, members)) {
				const done = partOutputs.get(itemIndex) ?? [];
				if (result instanceof ItemFailure) results[itemIndex] = partsSentBefore(result, done.length, partCount.get(itemIndex) ?? 1);
				else partOutputs.set(itemIndex, [...done, result]);
			}
		}
		for (const [itemIndex, outputs] of partOutputs) {
			if (!(results[itemIndex] instanceof ItemFailure)) results[itemIndex] = outputs.length === 1 ? outputs[0] : combineParts(outputs);
		}
		return this.finish(results as Array<IDataObject | ItemFailure>, operation);
	}

	/**
	 * Sends one text per member, members of a group sharing requests; members
	 * already accepted in this execution get their earlier answer.
	 */
	private async sendRound(operation: SmsOperation, members: BatchMember[]): Promise<Map<number, IDataObject | ItemFailure>> {
		const results = new Map<number, IDataObject | ItemFailure>();
		const groups = new Map<string, BatchMember[]>();
		const firstFor = new Map<string, number>();
		const duplicates: Array<[number, number]> = [];
		for (const member of members) {
			const { itemIndex, job, key } = member;
			const done = this.ledger.acceptedOutcome<BatchOutcome>(key);
			if (done) {
				results.set(itemIndex, this.output(operation, done, job.recipients[0].to, member.analysis, { batchSize: done.batchSize }));
				continue;
			}
			const held = this.heldBack(key, itemIndex, job.recipients);
			if (held) {
				results.set(itemIndex, held);
				continue;
			}
			if (this.settings.removeDuplicates) {
				const dupKey = `${member.group}|${job.recipients[0].to}|${JSON.stringify(job.recipients[0].values ?? [])}`;
				const first = firstFor.get(dupKey);
				if (first !== undefined) {
					duplicates.push([itemIndex, first]);
					continue;
				}
				firstFor.set(dupKey, itemIndex);
			}
			const grouped = groups.get(member.group) ?? [];
			grouped.push(member);
			groups.set(member.group, grouped);
		}

		const batches = [...groups.values()].flatMap((grouped) => chunk(grouped, this.provider.maxRecipientsPerRequest));
		const { concurrency } = this.settings.limiter;
		const sent = await sendInWindows(this.journal, batches, {
			concurrency,
			windowSize: Math.max(concurrency, Math.ceil(JOURNAL_WINDOW_ITEMS / this.provider.maxRecipientsPerRequest)),
			keyOf: (batch) => fingerprint(batch.map((m) => m.key)),
			send: async (batch) => await this.submitBatch(batch),
			afterInterruption: (batch, _, mark) =>
				mark === 'started' && this.settings.transport.retryAmbiguous ? undefined : new Map(batch.map((m) => [m.itemIndex, this.afterInterruption(operation, m, batch.length, mark)] as const)),
			accepted: (batchResults) => [...batchResults.values()].every((r) => !(r instanceof ItemFailure)),
		});
		for (const batchResults of sent) for (const [itemIndex, result] of batchResults) results.set(itemIndex, result);
		for (const [itemIndex, first] of duplicates) {
			const original = results.get(first);
			results.set(
				itemIndex,
				original instanceof ItemFailure
					? new ItemFailure(itemIndex, original.kind, `${original.message} (same recipient as item ${first})`, original.details)
					: { ...(original as IDataObject), duplicateOf: first },
			);
		}
		return results;
	}

	/**
	 * Sends one batch. When the provider refuses the whole request because of
	 * named recipients, those items fail and the rest is sent again (nothing was
	 * sent, so nothing is duplicated).
	 */
	private async submitBatch(batch: BatchMember[]): Promise<Map<number, IDataObject | ItemFailure>> {
		const out = new Map<number, IDataObject | ItemFailure>();
		let remaining = batch;
		while (remaining.length > 0) {
			const job: SendJob = { ...remaining[0].job, recipients: remaining.map((m) => m.job.recipients[0]) };
			try {
				const outcome: BatchOutcome = { ...(await this.submit(job)), batchSize: remaining.length };
				this.ledger.markAccepted(remaining.map((m) => m.key), outcome);
				for (const m of remaining) {
					out.set(m.itemIndex, this.output(job.operation, outcome, m.job.recipients[0].to, m.analysis, { batchSize: outcome.batchSize }));
				}
				return out;
			} catch (error) {
				const rejected = error instanceof ProviderError ? new Set(error.details.rejectedRecipients ?? []) : new Set<string>();
				const named = remaining.filter((m) => rejected.has(m.job.recipients[0].to));
				const targets = named.length > 0 && named.length < remaining.length ? named : remaining;
				for (const m of targets) out.set(m.itemIndex, this.recordFailure(m.key, this.failureFrom(error, m.itemIndex, m.job.recipients)));
				if (targets === remaining) return out;
				remaining = remaining.filter((m) => !rejected.has(m.job.recipients[0].to));
			}
		}
		return out;
	}

	// ---------- getStatus ----------

	private async getStatus(): Promise<INodeExecutionData[]> {
		const { provider } = this;
		if (!provider.buildStatus || !provider.parseStatus) {
			throw new NodeOperationError(this.ctx.getNode(), `${provider.name} offers no status query`);
		}
		const prepared = this.prepareAll((itemIndex) => {
			const label = provider.messageIdLabel ?? 'Message ID';
			const messageId = this.textParam('messageId', label, itemIndex).trim();
			if (!messageId) throw new ItemFailure(itemIndex, 'input', `'${label}' is empty`);
			return messageId;
		});
		const results = await mapWithin(prepared, this.settings.limiter.concurrency, async (p, itemIndex) => {
			if (p instanceof ItemFailure) return p;
			try {
				return await this.call(provider.buildStatus!(p, this.credentials), (response) => provider.parseStatus!(response, p));
			} catch (error) {
				return this.failureFrom(error, itemIndex, []);
			}
		});
		const firstFailure = results.find((r): r is ItemFailure => r instanceof ItemFailure);
		if (firstFailure && !this.continueOnFail) throw toNodeError(this.ctx.getNode(), this.credentials.secrets, firstFailure);
		const out: INodeExecutionData[] = [];
		results.forEach((r, itemIndex) => {
			if (r instanceof ItemFailure) {
				out.push(this.failureItem(r, 'getStatus'));
				return;
			}
			for (const { extra, ...report } of r) {
				out.push(this.item({ provider: provider.id, operation: 'getStatus', ...report, ...extra }, itemIndex));
			}
		});
		return out;
	}

	// ---------- shared pieces ----------

	/**
	 * One request through the limiter and the transport. What the provider says is
	 * redacted here, before anything keeps it (output, the run ledger, errors).
	 */
	private async call<T>(request: HttpRequest, parse: (response: HttpResponse) => T): Promise<T> {
		const response = await this.settings.limiter.run(async () => await sendRequest(request, this.settings.transport));
		return redactDeep(parse(response), this.credentials.secrets);
	}

	private async submit(job: SendJob): Promise<SendOutcome> {
		return await this.call(this.provider.buildSend(job, this.credentials), (response) => this.provider.parseSend(response, job));
	}

	/** The contract's output item: the shared fields first, then the provider's and the operation's. */
	private output(operation: SmsOperation, outcome: SendOutcome, to: string, analysis: TextAnalysis, more: IDataObject): IDataObject {
		return {
			provider: this.provider.id,
			operation,
			status: outcome.status,
			messageId: outcome.messageId,
			to,
			encoding: analysis.encoding,
			segments: analysis.segments,
			characters: analysis.characters,
			providerStatus: outcome.providerStatus,
			...outcome.extra,
			...more,
		};
	}

	/**
	 * An earlier attempt in this execution may have reached the provider: unless
	 * the user accepts duplicates, the send is not repeated and fails again, saying why.
	 */
	private heldBack(key: string, itemIndex: number, recipients: Recipient[]): ItemFailure | undefined {
		const unsure = this.ledger.unsureAttempt(key);
		if (!unsure || this.settings.transport.retryAmbiguous) return undefined;
		return this.notSentAgain(itemIndex, recipients, `an earlier attempt in this execution may have reached ${this.provider.name} (${unsure})`);
	}

	/**
	 * A send that an earlier attempt of this execution handled before its process died (see
	 * sendJournal.ts): accepted then, so reported as such; or started then, so held back as
	 * an ambiguous failure (the caller sends it instead when the user accepts duplicates).
	 * Noted in the run ledger too, so that a later Retry of this execution, which keeps the
	 * ledger, does the same.
	 */
	private afterInterruption(operation: SmsOperation, member: BatchMember, batchSize: number, mark: JournalMark): IDataObject | ItemFailure {
		if (mark === 'started') return this.recordFailure(member.key, this.interruptedSend(member.itemIndex, member.job.recipients));
		const outcome: BatchOutcome = { status: 'accepted', messageId: null, providerStatus: '', extra: ALREADY_SENT, batchSize };
		this.ledger.markAccepted([member.key], outcome);
		return this.output(operation, outcome, member.job.recipients[0].to, member.analysis, { batchSize });
	}

	/** The same for an item of Send / Send Scheduled, whose text parts and number chunks are each a ledger entry; undefined: send it. */
	private itemAfterInterruption(job: SendJob, parts: string[], analysis: TextAnalysis, itemIndex: number, mark: JournalMark): IDataObject | ItemFailure | undefined {
		const keys = parts.flatMap((text) => chunk(job.recipients, this.provider.maxRecipientsPerRequest).map((recipients, chunkIndex) => this.sendKey({ ...job, text }, itemIndex, chunkIndex, recipients)));
		if (mark === 'started') {
			if (this.settings.transport.retryAmbiguous) return undefined;
			const failure = this.interruptedSend(itemIndex, job.recipients);
			for (const key of keys) this.recordFailure(key, failure);
			return failure;
		}
		const outcome: SendOutcome = { status: job.sendAt ? 'scheduled' : 'accepted', messageId: null, providerStatus: '', extra: ALREADY_SENT };
		this.ledger.markAccepted(keys, outcome);
		return this.output(job.operation, outcome, job.recipients.map((r) => r.to).join(','), analysis, {
			recipientCount: job.recipients.length,
			...(job.sendAt ? { sendAt: job.sendAt.toISOString() } : {}),
		});
	}

	private interruptedSend(itemIndex: number, recipients: Recipient[]): ItemFailure {
		return this.notSentAgain(itemIndex, recipients, `an earlier attempt of this execution was interrupted (its n8n process stopped) while sending it, so it may have reached ${this.provider.name}`);
	}

	/** An ambiguous failure for a send held back because an earlier attempt may have reached the provider. */
	private notSentAgain(itemIndex: number, recipients: Recipient[], why: string): ItemFailure {
		return new ItemFailure(itemIndex, 'provider', `Not sent again: ${why}`, {
			description: this.ambiguousDescription(),
			to: recipients.map((r) => r.to).join(',') || undefined,
			ambiguous: true,
		});
	}

	private recordFailure(key: string, failure: ItemFailure): ItemFailure {
		if (failure.details.ambiguous) this.ledger.markUnsure(key, failure.message);
		return failure;
	}

	private ambiguousDescription(): string {
		const name = this.provider.name;
		return `${name} may or may not have received the request, so it was not sent again (that could send the SMS twice). Check your ${name} account before retrying, or turn on the option 'Retry Ambiguous Failures' if duplicates are acceptable.`;
	}

	private failureFrom(error: unknown, itemIndex: number, recipients: Recipient[]): ItemFailure {
		const to = recipients.map((r) => r.to).join(',') || undefined;
		return describeFailure(error, itemIndex, this.provider.name, this.ambiguousDescription(), this.credentials.secrets, to);
	}

	private item(json: IDataObject, itemIndex: number): INodeExecutionData {
		return { json: redactDeep(json, this.credentials.secrets), pairedItem: { item: itemIndex } };
	}

	/**
	 * A failed item. On the regular output it keeps the full output shape with
	 * status "failed". For "continue using error output", n8n routes an item by its
	 * json: only `{ error }` is routed by both n8n 1.x and 2.x (2.x would also take
	 * `details`, 1.x would leave such an item on the success output); n8n then adds
	 * the input item's fields.
	 */
	private failureItem(failure: ItemFailure, operation: SmsOperation): INodeExecutionData {
		const { httpStatus, providerStatus, to, recipients } = failure.details;
		const error = failure.fullMessage();
		if (this.ctx.getNode().onError === 'continueErrorOutput') return this.item({ error }, failure.itemIndex);
		return this.item(
			{
				provider: this.provider.id,
				operation,
				status: 'failed',
				messageId: null,
				to: to ?? null,
				providerStatus: providerStatus ?? null,
				error,
				...(httpStatus ? { httpStatus } : {}),
				...(recipients ? { recipients } : {}),
			},
			failure.itemIndex,
		);
	}

	private finish(results: Array<IDataObject | ItemFailure>, operation: SmsOperation): INodeExecutionData[] {
		const firstFailure = results.find((r): r is ItemFailure => r instanceof ItemFailure);
		if (firstFailure && !this.continueOnFail) throw toNodeError(this.ctx.getNode(), this.credentials.secrets, firstFailure);
		return results.map((r, itemIndex) => (r instanceof ItemFailure ? this.failureItem(r, operation) : this.item(r, itemIndex)));
	}
}

/** A Luxon DateTime or Duration (n8n's own copy of Luxon, so not checked with instanceof). */
function isLuxonValue(value: unknown): value is { toISO(): string | null } {
	const v = value as { isLuxonDateTime?: unknown; isLuxonDuration?: unknown; toISO?: unknown } | null;
	return typeof v === 'object' && v !== null && (v.isLuxonDateTime === true || v.isLuxonDuration === true) && typeof v.toISO === 'function';
}

/** A member's part `round` of a text sent as numbered SMS: its own text, group and ledger key. */
function partMember(member: BatchMember, text: string, round: number): BatchMember {
	return {
		...member,
		job: { ...member.job, text },
		analysis: analyzeText(text),
		group: `${member.group}:${round}`,
		key: `${member.key}:${round}`,
	};
}

/** The failure of a part after earlier parts of the same text were accepted: says what went out. */
function partsSentBefore(failure: ItemFailure, accepted: number, total: number): ItemFailure {
	if (accepted === 0) return failure;
	const what = accepted === 1 ? `part 1 of the ${total} numbered SMS was` : `parts 1 to ${accepted} of the ${total} numbered SMS were`;
	return new ItemFailure(
		failure.itemIndex,
		failure.kind,
		`${failure.message}; ${what} accepted and ${accepted === 1 ? 'is' : 'are'} not resent on retry, the later parts were not sent`,
		failure.details,
	);
}

function chunk<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}
