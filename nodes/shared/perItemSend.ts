import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { chunk, partsSentBefore } from './batchPlan';
import { gateSends } from './campaignGate';
import { settleClaims } from './idempotencyGate';
import { ItemFailure } from './failures';
import { combineParts, segmentsOfParts } from './longText';
import { SettledItem } from './outputItems';
import type { Recipient, SendJob, SendOutcome } from './provider';
import { resultsFor } from './recipientResults';
import { fingerprint } from './runLedger';
import { ALREADY_SENT, sendFailure, submit, type SendContext } from './sendContext';
import { JOURNAL_WINDOW_ITEMS, type JournalMark } from './sendJournal';
import { analyzeText, type TextAnalysis } from './text';

interface PreparedItem {
	job: SendJob;
	analysis: TextAnalysis;
	/** The SMS the text goes as: itself, or its numbered parts. */
	parts: string[];
}

/** What became of one request of an item (one chunk of its numbers). */
interface ChunkResult {
	recipients: Recipient[];
	outcome?: SendOutcome;
	failure?: ItemFailure;
}

/**
 * Send and Send Scheduled: one request per item (several when 'To' holds more
 * numbers than one request carries, or the text goes as numbered parts).
 */
export async function sendPerItem(run: SendContext, operation: 'send' | 'sendScheduled'): Promise<INodeExecutionData[]> {
	const { input } = run;
	const prepared = input.prepareAll(run.itemCount, run.continueOnFail, (itemIndex): PreparedItem => {
		const sender = input.sender(itemIndex);
		const text = input.message(itemIndex);
		const recipients = input.recipientsOfTo(itemIndex);
		const sendAt = operation === 'sendScheduled' ? input.sendAt(itemIndex) : undefined;
		const options = input.options(itemIndex);
		const parts = input.partsOf(text, itemIndex, options, 'Message', operation);
		const job: SendJob = { operation, sender, text: parts.length === 1 ? parts[0] : text, recipients, sendAt, timeZone: input.workflowTimeZone, options };
		input.validate(job, itemIndex);
		return { job, analysis: analyzeText(job.text), parts };
	});

	const gated = await gateSends(run, operation, prepared, {
		recipients: (p) => p.job.recipients,
		keepRecipients: (p, kept) => (p.job.recipients = kept),
		sendAt: (p) => p.job.sendAt,
		analysis: (p) => p.analysis,
		segments: (p) => segmentsOfParts(p.parts, p.analysis) * p.job.recipients.length,
		reschedule: (p, at) => (p.job.sendAt = at),
	});

	// Requests are paced by the limiter inside submit(); items start as slots free.
	const results = await run.guard.inWindows(gated, {
		concurrency: run.dispatcher.limiter.concurrency,
		windowSize: JOURNAL_WINDOW_ITEMS,
		keyOf: (p, itemIndex) => (isSettled(p) ? undefined : fingerprint([p.job.operation, itemIndex, p.job.recipients.map((r) => r.to), p.job.text, p.parts.length, p.job.sender, p.job.sendAt, p.job.options])),
		send: async (p, itemIndex) => (isSettled(p) ? settledResult(p) : await sendItemParts(run, p, itemIndex)),
		afterInterruption: (p, itemIndex, mark) => (isSettled(p) ? settledResult(p) : afterInterruption(run, p, itemIndex, mark)),
		accepted: (result) => !(result instanceof ItemFailure),
	});
	await settleClaims(run, results);
	return run.output.finish(results, operation);
}

function isSettled(p: PreparedItem | ItemFailure | SettledItem): p is ItemFailure | SettledItem {
	return p instanceof ItemFailure || p instanceof SettledItem;
}

function settledResult(p: ItemFailure | SettledItem): IDataObject | ItemFailure {
	return p instanceof SettledItem ? p.json : p;
}

/** An item whose text goes as numbered parts: in order, each only after the previous one was accepted. */
async function sendItemParts(run: SendContext, item: PreparedItem, itemIndex: number): Promise<IDataObject | ItemFailure> {
	if (item.parts.length === 1) return await sendItemJob(run, item.job, item.analysis, itemIndex);
	const outputs: IDataObject[] = [];
	for (const text of item.parts) {
		// Each part's text is in its ledger key, so a rerun skips the parts already accepted.
		const result = await sendItemJob(run, { ...item.job, text }, analyzeText(text), itemIndex);
		if (result instanceof ItemFailure) return partsSentBefore(result, outputs.length, item.parts.length);
		outputs.push(result);
	}
	return combineParts(outputs);
}

async function sendItemJob(run: SendContext, job: SendJob, analysis: TextAnalysis, itemIndex: number): Promise<IDataObject | ItemFailure> {
	const { guard } = run;
	const chunks = chunk(job.recipients, run.provider.maxRecipientsPerRequest);
	const outcomes = await Promise.all(
		chunks.map(async (recipients, chunkIndex): Promise<ChunkResult> => {
			const part: SendJob = { ...job, recipients, ...(chunks.length > 1 ? { itemRecipients: job.recipients.length, requestIndex: chunkIndex } : {}) };
			const key = sendKey(job, itemIndex, chunkIndex, recipients);
			const done = guard.accepted<SendOutcome>(key);
			if (done) return { recipients, outcome: done };
			const held = guard.heldBack(key, itemIndex, recipients.map((r) => r.to).join(','));
			if (held) return { recipients, failure: held };
			try {
				const outcome = await submit(run, part);
				const results = resultsFor(outcome, recipients.map((r) => r.to), run.provider.name);
				// A request with any accepted number is never sent again; one that took none is judged by its numbers.
				if (results.some((r) => r.result === 'accepted')) guard.markAccepted([key], outcome);
				else {
					const unknown = results.find((r) => r.result === 'unknown');
					if (unknown) guard.markUnsure(key, unknown.reason);
				}
				return { recipients, outcome };
			} catch (error) {
				return { recipients, failure: guard.recordFailure(key, sendFailure(run, error, itemIndex, recipients)) };
			}
		}),
	);
	return itemResult(run, job, analysis, itemIndex, outcomes);
}

/** The item's output from its requests: every number accepted, or a failure that says which went out. */
function itemResult(run: SendContext, job: SendJob, analysis: TextAnalysis, itemIndex: number, outcomes: ChunkResult[]): IDataObject | ItemFailure {
	const name = run.provider.name;
	// Per number: its status, or why it was not accepted.
	const recipients: IDataObject[] = [];
	let refused = 0;
	let unknown = 0;
	let firstReason: string | undefined;
	for (const o of outcomes) {
		if (!o.outcome) {
			for (const r of o.recipients) recipients.push({ to: r.to, status: 'failed', error: o.failure?.message ?? null });
			continue;
		}
		for (const r of resultsFor(o.outcome, o.recipients.map((x) => x.to), name)) {
			if (r.result === 'accepted') recipients.push({ to: r.to, status: r.status ?? o.outcome.status, ...(r.messageId !== undefined ? { messageId: r.messageId } : {}) });
			else {
				if (r.result === 'refused') refused++;
				else unknown++;
				firstReason ??= r.reason;
				recipients.push({ to: r.to, status: r.result === 'refused' ? 'rejected' : 'failed', error: r.reason });
			}
		}
	}
	const failed = outcomes.find((o) => o.failure);
	if (failed?.failure) {
		const sentParts = outcomes.filter((o) => o.outcome).length;
		if (sentParts === 0) return failed.failure;
		const f = failed.failure;
		const failedParts = outcomes.length - sentParts;
		const also = failedParts > 1 ? ` (${failedParts - 1} more of this item's requests failed too)` : '';
		return new ItemFailure(itemIndex, f.kind, `${f.message}${also}; ${sentParts} of ${outcomes.length} requests of this item were accepted and are not resent on retry`, {
			...f.details,
			recipients,
		});
	}
	if (refused + unknown > 0) {
		const total = job.recipients.length;
		const accepted = total - refused - unknown;
		const notAccepted = refused + unknown === 1 ? '1 number' : `${refused + unknown} numbers`;
		return new ItemFailure(
			itemIndex,
			'provider',
			`${name} did not accept ${notAccepted} of ${total} (${firstReason})${accepted > 0 ? `; the ${accepted} accepted ${accepted === 1 ? 'is' : 'are'} not resent on retry` : ''}`,
			{
				recipients,
				to: job.recipients.map((r) => r.to).join(','),
				...(unknown > 0 ? { ambiguous: true, description: `${unknown === 1 ? 'One number' : `${unknown} numbers`} may have been accepted. ${ambiguousNote(name)}` } : {}),
			},
		);
	}
	const first = outcomes[0].outcome as SendOutcome;
	const messageIds = outcomes.map((o) => (o.outcome as SendOutcome).messageId);
	return run.output.sent(job.operation, first, job.recipients.map((r) => r.to).join(','), analysis, {
		// Providers that give no id (null) have no ids to list.
		...(messageIds.length > 1 && messageIds.some((id) => id !== null) ? { messageIds } : {}),
		recipients,
		recipientCount: job.recipients.length,
		...(job.sendAt ? { sendAt: job.sendAt.toISOString() } : {}),
	});
}

function ambiguousNote(name: string): string {
	return `Check your ${name} account before sending to them again.`;
}

/** Identifies one request of an item (one part of its text, one chunk of its numbers) across reruns. */
function sendKey(job: SendJob, itemIndex: number, chunkIndex: number, recipients: Recipient[]): string {
	return fingerprint([job.operation, itemIndex, chunkIndex, recipients.map((r) => r.to), job.text, job.sender, job.sendAt, job.options]);
}

/**
 * An item that an interrupted attempt of this execution handled (see sendJournal.ts):
 * accepted then, so reported as such; or started then, so held back as an ambiguous
 * failure (undefined: send it, as the user accepts duplicates). Noted in the run
 * ledger too, so that a later Retry of this execution, which keeps the ledger, does the same.
 */
function afterInterruption(run: SendContext, item: PreparedItem, itemIndex: number, mark: JournalMark): IDataObject | ItemFailure | undefined {
	const { job, parts } = item;
	const { guard } = run;
	const keys = parts.flatMap((text) => chunk(job.recipients, run.provider.maxRecipientsPerRequest).map((recipients, chunkIndex) => sendKey({ ...job, text }, itemIndex, chunkIndex, recipients)));
	const to = job.recipients.map((r) => r.to).join(',');
	if (mark === 'started') {
		if (guard.retryAmbiguous) return undefined;
		const failure = guard.interrupted(itemIndex, to);
		for (const key of keys) guard.recordFailure(key, failure);
		return failure;
	}
	const outcome: SendOutcome = { status: job.sendAt ? 'scheduled' : 'accepted', messageId: null, providerStatus: '', extra: ALREADY_SENT };
	guard.markAccepted(keys, outcome);
	return run.output.sent(job.operation, outcome, to, item.analysis, {
		recipientCount: job.recipients.length,
		...(job.sendAt ? { sendAt: job.sendAt.toISOString() } : {}),
	});
}
