import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { checkedSends } from './batchMembers';
import { settleClaims } from './idempotencyGate';
import { duplicateResult, partMember, partsSentBefore, planBatches, recipientOf, type BatchMember } from './batchPlan';
import { ItemFailure } from './failures';
import { combineParts } from './longText';
import { ProviderError, type SendJob, type SendOutcome, type SmsOperation } from './provider';
import { acceptedOutcome, resultsFor } from './recipientResults';
import { fingerprint } from './runLedger';
import { ALREADY_SENT, sendFailure, submit, type SendContext } from './sendContext';
import { JOURNAL_WINDOW_ITEMS, type JournalMark } from './sendJournal';

/** What the provider answered for a member's request, with the number of recipients it carried. */
type BatchOutcome = SendOutcome & { batchSize: number };

/** Takes an item's result (or one of its parts'). */
type Settle = (itemIndex: number, result: IDataObject | ItemFailure) => void;

/**
 * Send Bulk and Send Personalized: one recipient per item, all items batched into as few
 * requests as the provider allows. Each item's checked send is let go once its request
 * is answered, so that a large bulk's heap holds its outputs, not its sends as well.
 */
export async function sendBatched(run: SendContext, operation: 'sendBulk' | 'sendPersonalized'): Promise<INodeExecutionData[]> {
	const results: Array<IDataObject | ItemFailure | undefined> = new Array<IDataObject | ItemFailure | undefined>(run.itemCount);
	let live = await checkedSends(run, operation, results);
	// Texts split into numbered parts go in rounds: part r of every item, then part r + 1 of those accepted.
	const partOutputs = new Map<number, IDataObject[]>();
	const partCount = new Map<number, number>();
	let rounds = live.length > 0 ? 1 : 0;
	for (const { itemIndex, parts } of live) {
		if (!parts) continue;
		partCount.set(itemIndex, parts.length);
		rounds = Math.max(rounds, parts.length);
	}
	const settle: Settle = (itemIndex, result) => {
		const count = partCount.get(itemIndex) ?? 1;
		// A text in one SMS (nearly every item) is its own output; parts are gathered, then combined.
		if (count === 1 && !(result instanceof ItemFailure)) {
			results[itemIndex] = result;
			return;
		}
		const done = partOutputs.get(itemIndex) ?? [];
		if (result instanceof ItemFailure) results[itemIndex] = partsSentBefore(result, done.length, count);
		else partOutputs.set(itemIndex, [...done, result]);
	};
	for (let round = 0; round < rounds; round++) {
		// One SMS per item (nearly every bulk): one round of the items as they are.
		const members =
			partCount.size === 0
				? live
				: live.filter((m) => (m.parts?.length ?? 1) > round && !(results[m.itemIndex] instanceof ItemFailure)).map((m) => (m.parts ? partMember(m, m.parts[round], round) : m));
		// Only items with parts still to send are kept for the next round.
		live = partCount.size === 0 ? [] : live.filter((m) => (m.parts?.length ?? 1) > round + 1);
		await sendRound(run, operation, members, settle);
	}
	for (const [itemIndex, outputs] of partOutputs) {
		if (!(results[itemIndex] instanceof ItemFailure)) results[itemIndex] = outputs.length === 1 ? outputs[0] : combineParts(outputs);
	}
	await settleClaims(run, results);
	return run.output.finish(results as Array<IDataObject | ItemFailure>, operation);
}

/**
 * Sends one text per member, members of a group sharing requests; members
 * already accepted in this execution get their earlier answer. Takes the list
 * of members over: each request's members are let go once it is answered.
 */
async function sendRound(run: SendContext, operation: SmsOperation, members: BatchMember[], settle: Settle): Promise<void> {
	const { guard, provider } = run;
	// The members to send stay in the list, in order.
	let toSend = 0;
	for (const member of members) {
		const { itemIndex, to, key } = member;
		const done = guard.accepted<BatchOutcome>(key);
		const held = done ? undefined : guard.heldBack(key, itemIndex, to);
		if (done) settle(itemIndex, run.output.sent(operation, done, to, member.analysis, { batchSize: done.batchSize }));
		else if (held) settle(itemIndex, held);
		else members[toSend++] = member;
	}
	members.length = toSend;
	const { batches, duplicates } = planBatches(members, provider.maxRecipientsPerRequest, run.removeDuplicates);
	members.length = 0;
	// The results duplicates repeat: their first items'.
	const firsts = new Map<number, IDataObject | ItemFailure | undefined>(duplicates.map(([, first]) => [first, undefined]));
	const keep: Settle = (itemIndex, result) => {
		if (firsts.has(itemIndex)) firsts.set(itemIndex, result);
		settle(itemIndex, result);
	};
	const answered = (batch: number, batchResults: Map<number, IDataObject | ItemFailure>): boolean => {
		batches[batch] = [];
		let accepted = true;
		for (const [itemIndex, result] of batchResults) {
			keep(itemIndex, result);
			if (result instanceof ItemFailure) accepted = false;
		}
		return accepted;
	};
	const { concurrency } = run.dispatcher.limiter;
	await guard.inWindows(batches, {
		concurrency,
		windowSize: Math.max(concurrency, Math.ceil(JOURNAL_WINDOW_ITEMS / provider.maxRecipientsPerRequest)),
		// A request of one member (a fan-out) is known by that member's key: one hash less per request.
		keyOf: (batch) => (batch.length === 1 ? batch[0].key : fingerprint(batch.map((m) => m.key))),
		send: async (batch, index) => answered(index, await submitBatch(run, batch)),
		afterInterruption: (batch, index, mark) =>
			mark === 'started' && guard.retryAmbiguous ? undefined : answered(index, new Map(batch.map((m) => [m.itemIndex, afterInterruption(run, operation, m, batch.length, mark)] as const))),
		accepted: (allAccepted) => allAccepted,
	});
	for (const [itemIndex, first] of duplicates) settle(itemIndex, duplicateResult(itemIndex, first, firsts.get(first)));
}

/**
 * Sends one batch. When the provider refuses the whole request because of named
 * recipients, those items fail and the rest is sent again (nothing was sent, so
 * nothing is duplicated). When it answers per recipient, each member gets its own
 * result and nothing is sent again.
 */
async function submitBatch(run: SendContext, batch: BatchMember[]): Promise<Map<number, IDataObject | ItemFailure>> {
	const { guard } = run;
	const out = new Map<number, IDataObject | ItemFailure>();
	let remaining = batch;
	while (remaining.length > 0) {
		// Object.assign over spread: on Node 20 (n8n 1.x) a spread with one more property costs
		// about 0.7 µs against 0.1, twice per request of a fan-out; on Node 24 both are cheap.
		const job: SendJob = Object.assign({}, remaining[0].request, { recipients: remaining.map(recipientOf) });
		let outcome: SendOutcome;
		try {
			outcome = await submit(run, job);
		} catch (error) {
			const rejected = error instanceof ProviderError ? new Set(error.details.rejectedRecipients ?? []) : new Set<string>();
			const named = remaining.filter((m) => rejected.has(m.to));
			const targets = named.length > 0 && named.length < remaining.length ? named : remaining;
			for (const m of targets) out.set(m.itemIndex, guard.recordFailure(m.key, sendFailure(run, error, m.itemIndex, [recipientOf(m)])));
			if (targets === remaining) return out;
			remaining = remaining.filter((m) => !rejected.has(m.to));
			continue;
		}
		const batchSize = remaining.length;
		if (!outcome.recipients) {
			const shared: BatchOutcome = Object.assign({}, outcome, { batchSize });
			guard.markAccepted(remaining.map((m) => m.key), shared);
			for (const m of remaining) out.set(m.itemIndex, run.output.sent(job.operation, shared, m.to, m.analysis, { batchSize }));
			return out;
		}
		const results = resultsFor(outcome, job.recipients.map((r) => r.to), run.provider.name);
		remaining.forEach((m, i) => out.set(m.itemIndex, memberResult(run, m, outcome, results[i], batchSize)));
		return out;
	}
	return out;
}

/** A member's result from an answer that speaks of each recipient. */
function memberResult(run: SendContext, m: BatchMember, outcome: SendOutcome, result: ReturnType<typeof resultsFor>[number], batchSize: number): IDataObject | ItemFailure {
	const { to } = m;
	const name = run.provider.name;
	if (result.result === 'accepted') {
		const own: BatchOutcome = { ...acceptedOutcome(outcome, result), batchSize };
		run.guard.markAccepted([m.key], own);
		return run.output.sent(m.request.operation, own, to, m.analysis, { batchSize });
	}
	if (result.result === 'refused') {
		return new ItemFailure(m.itemIndex, 'provider', `${name} refused ${to}: ${result.reason}`, { to, providerStatus: result.providerStatus });
	}
	return run.guard.recordFailure(
		m.key,
		new ItemFailure(m.itemIndex, 'provider', `${name} did not say whether it accepted ${to}: ${result.reason}`, {
			to,
			ambiguous: true,
			description: `It may have been accepted, so it is not sent again in this execution. Check your ${name} account before sending it again, or turn on the option 'Retry Ambiguous Failures' if duplicates are acceptable.`,
		}),
	);
}

/**
 * A member an interrupted attempt of this execution handled (see sendJournal.ts):
 * accepted then, so reported as such; or started then, so held back as an
 * ambiguous failure. Noted in the run ledger too, so that a later Retry of this
 * execution, which keeps the ledger, does the same.
 */
function afterInterruption(run: SendContext, operation: SmsOperation, member: BatchMember, batchSize: number, mark: JournalMark): IDataObject | ItemFailure {
	const { to } = member;
	if (mark === 'started') return run.guard.recordFailure(member.key, run.guard.interrupted(member.itemIndex, to));
	const outcome: BatchOutcome = { status: 'accepted', messageId: null, providerStatus: '', extra: ALREADY_SENT, batchSize };
	run.guard.markAccepted([member.key], outcome);
	return run.output.sent(operation, outcome, to, member.analysis, { batchSize });
}
