import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { getCountryCallingCode } from 'libphonenumber-js/max';
import { RUN_LEVEL_OPTIONS } from './campaignOptions';

const NOT_REQUEST_OPTIONS: ReadonlySet<string> = new Set([...RUN_LEVEL_OPTIONS, 'idempotencyKey']);
import { ItemFailure, toNodeError } from './failures';
import { fitText, SPLIT_OPTION, TextTooLong } from './longText';
import type { ItemParameterReader } from './parameterReader';
import { formatPhone, normalizePhone, PhoneNumberError, splitRecipients } from './phone';
import type { ProviderCredentials, Recipient, SendJob, SmsOperation, SmsProvider } from './provider';
import { transliterateToGsm7 } from './text';
import { dayAtOffset, toInstant } from './time';
import { valueKind } from './values';

/**
 * Reads and checks the parameters of a send, item by item. Every problem is an
 * ItemFailure that names the item and the field.
 */
export class SendInput {
	private readonly timeZone: string;
	private keyIsSet?: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly provider: SmsProvider,
		private readonly credentials: ProviderCredentials,
		private readonly params: ItemParameterReader,
		/** The option Transliterate: texts and values reduced to GSM-7. */
		readonly transliterate: boolean,
	) {
		this.timeZone = ctx.getTimezone();
	}

	/** The workflow's time zone, for Send At and messages that show times. */
	get workflowTimeZone(): string {
		return this.timeZone;
	}

	param<T>(name: string, itemIndex: number, fallback?: T): T {
		return this.params.read(name, itemIndex, fallback);
	}

	/** A text parameter as an expression may give it: text, a number, a date; an object or a list is refused. */
	text(name: string, label: string, itemIndex: number): string {
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

	/** A value that goes into the SMS text (a placeholder's), transliterated when the user asks. */
	smsText(name: string, label: string, itemIndex: number): string {
		const value = this.text(name, label, itemIndex);
		return this.transliterate ? transliterateToGsm7(value) : value;
	}

	message(itemIndex: number): string {
		const text = this.smsText('message', 'Message', itemIndex);
		// Checked after transliterating: invisible characters may be all there was.
		if (!text.trim()) throw new ItemFailure(itemIndex, 'input', 'The Message is empty');
		return text;
	}

	sender(itemIndex: number): string {
		const sender = this.text('sender', 'Sender', itemIndex).trim();
		if (!sender) {
			if (this.provider.optionalSender) return '';
			throw new ItemFailure(itemIndex, 'input', 'The Sender is empty');
		}
		const max = this.provider.maxSenderLength;
		if (max && sender.length > max) {
			throw new ItemFailure(itemIndex, 'input', `The Sender "${sender}" has ${sender.length} characters; ${this.provider.name} allows at most ${max}`);
		}
		return sender;
	}

	/** The item's own options: the run-level ones (campaign safety) are read once, elsewhere, and the Idempotency Key is not a request's. */
	options(itemIndex: number): IDataObject {
		return this.params.readCollection('options', itemIndex, NOT_REQUEST_OPTIONS);
	}

	/** Whether the node sets the option Idempotency Key (most do not: n8n is then not asked for it item by item). */
	usesIdempotencyKeys(): boolean {
		return (this.keyIsSet ??= ((this.ctx.getNode().parameters.options ?? {}) as IDataObject).idempotencyKey !== undefined);
	}

	/** The option Idempotency Key of an item: text, a number; empty means none. */
	idempotencyKey(itemIndex: number): string {
		if (!this.usesIdempotencyKeys()) return '';
		const raw = this.param<unknown>('options.idempotencyKey', itemIndex, '');
		if (raw === null || raw === undefined) return '';
		if (typeof raw === 'string') return raw.trim();
		if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
		throw new ItemFailure(itemIndex, 'input', `The option 'Idempotency Key' must be text or a number, not ${valueKind(raw)}`, {
			description: 'Pick the field that identifies what the SMS is about, e.g. {{ $json.orderId }}.',
		});
	}

	/** One number, as the provider wants it. */
	recipient(raw: unknown, itemIndex: number, field: string): string {
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

	/** The numbers of 'To', each once, in their order. */
	recipientsOfTo(itemIndex: number): Recipient[] {
		const numbers = splitRecipients(this.param<unknown>('to', itemIndex, ''), this.credentials.defaultCountry);
		if (numbers.length === 0) throw new ItemFailure(itemIndex, 'input', "'To' holds no phone number");
		const seen = new Set<string>();
		const recipients: Recipient[] = [];
		for (const n of numbers) {
			const to = this.recipient(n, itemIndex, 'To');
			if (!seen.has(to)) recipients.push({ to, itemIndex });
			seen.add(to);
		}
		return recipients;
	}

	sendAt(itemIndex: number): Date {
		const raw = this.param<unknown>('sendAt', itemIndex, '');
		let date: Date;
		try {
			date = toInstant(raw, this.timeZone);
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
	partsOf(text: string, itemIndex: number, options: IDataObject, field: string, operation: SmsOperation): string[] {
		const maxCharacters = this.provider.maxTextCharacters;
		if (!maxCharacters) return [text];
		try {
			return fitText(text, {
				maxCharacters,
				providerName: this.provider.name,
				split: options[SPLIT_OPTION] === true,
				transliterated: this.transliterate,
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

	/** The provider's own checks of a job it could not send. */
	validate(job: SendJob, itemIndex: number): void {
		try {
			this.provider.validateJob?.(job);
		} catch (error) {
			throw new ItemFailure(itemIndex, 'input', (error as Error).message);
		}
	}

	/**
	 * Runs `read` for every item; a failure is kept for its item. Without Continue On
	 * Fail the first one stops the node before anything is sent.
	 */
	prepareAll<T>(itemCount: number, continueOnFail: boolean, read: (itemIndex: number) => T): Array<T | ItemFailure> {
		const prepared: Array<T | ItemFailure> = [];
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			try {
				prepared.push(read(itemIndex));
			} catch (error) {
				if (error instanceof ItemFailure) prepared.push(error);
				else if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
				else prepared.push(new ItemFailure(itemIndex, 'input', (error as Error).message));
			}
		}
		const firstFailure = prepared.find((p): p is ItemFailure => p instanceof ItemFailure);
		if (firstFailure && !continueOnFail) throw toNodeError(this.ctx.getNode(), this.credentials.secrets, firstFailure);
		return prepared;
	}
}

/** A Luxon DateTime or Duration (n8n's own copy of Luxon, so not checked with instanceof). */
function isLuxonValue(value: unknown): value is { toISO(): string | null } {
	const v = value as { isLuxonDateTime?: unknown; isLuxonDuration?: unknown; toISO?: unknown } | null;
	return typeof v === 'object' && v !== null && (v.isLuxonDateTime === true || v.isLuxonDuration === true) && typeof v.toISO === 'function';
}
