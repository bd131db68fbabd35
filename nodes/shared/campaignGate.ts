import { ItemFailure, toNodeError } from './failures';
import { releaseAllClaims, settleSentKeys } from './idempotencyGate';
import { SettledItem } from './outputItems';
import type { Recipient, SmsOperation } from './provider';
import type { SendContext } from './sendContext';
import { segmentsText } from './segmentBudget';
import type { TextAnalysis } from './text';

/**
 * What the gate reads of a prepared send: functions of the send rather than a view object
 * per send, which a 100 000-item bulk would allocate whether any option is on or not.
 */
export interface SendAccess<T> {
	recipients(p: T): readonly Recipient[];
	/** Do Not Send To took some of the send's recipients out: these are left. */
	keepRecipients(p: T, kept: Recipient[]): void;
	sendAt(p: T): Date | undefined;
	analysis(p: T): TextAnalysis;
	/** The SMS segments the send costs, all its recipients together. */
	segments(p: T): number;
	/** Sets the send's Send At (quiet hours), keeping apart in requests what goes at different times. */
	reschedule(p: T, at: Date): void;
}

/**
 * Campaign safety before the first request: recipients on the Do Not Send To list
 * are taken out (an item left with none is settled as "suppressed"); a send that falls
 * in the quiet hours of a recipient's country is scheduled for their end, or settled as
 * "deferred" where the provider cannot schedule it; then the run's
 * SMS segments are held against Max SMS Segments Per Execution and, with Check
 * Balance First, the provider's balance: short of either, nothing is sent (the node
 * stops, or under Continue On Fail every item to send fails).
 */
export async function gateSends<T>(run: SendContext, operation: SmsOperation, prepared: Array<T | ItemFailure>, send: SendAccess<T>): Promise<Array<T | ItemFailure | SettledItem>> {
	const { optOut, quietHours } = run.campaign;
	const now = new Date();
	const screened: Array<T | ItemFailure | SettledItem> = optOut || quietHours ? prepared.map((p, itemIndex) => (p instanceof ItemFailure ? p : screen(run, operation, send, p, itemIndex, now))) : prepared;
	const gated = await settleSentKeys(run, operation, screened, (p) => ({ to: send.recipients(p).map((r) => r.to).join(','), analysis: send.analysis(p) }));
	let planned = 0;
	for (const g of gated) if (!(g instanceof ItemFailure || g instanceof SettledItem)) planned += send.segments(g);
	run.plannedSegments = planned;
	if (run.campaign.dryRun || planned === 0) return gated;
	const refusal = run.budget.refusal(planned);
	if (refusal) return await refuseAll(run, gated, new ItemFailure(0, 'input', refusal, { description: 'Raise the option, or send fewer items in this execution.' }));
	const short = run.campaign.checkBalance ? await balanceShortfall(run, planned) : undefined;
	if (short) return await refuseAll(run, gated, short);
	run.budget.record(planned);
	return gated;
}

/** Do Not Send To and quiet hours on one send: the send (its recipients narrowed, or rescheduled), or its settled output. */
function screen<T>(run: SendContext, operation: SmsOperation, access: SendAccess<T>, p: T, itemIndex: number, now: Date): T | SettledItem {
	const { optOut, quietHours } = run.campaign;
	let recipients = access.recipients(p);
	if (optOut) {
		const kept = recipients.filter((r) => !optOut.has(r.to));
		if (kept.length === 0) return new SettledItem(run.output.suppressed(operation, recipients.map((r) => r.to).join(','), access.analysis(p)));
		if (kept.length < recipients.length) {
			run.output.annotate(itemIndex, { suppressed: recipients.filter((r) => optOut.has(r.to)).map((r) => r.to) });
			access.keepRecipients(p, kept);
			recipients = kept;
		}
	}
	const sendAt = access.sendAt(p);
	if (quietHours && !(sendAt && run.provider.scheduleByDay)) {
		const at = sendAt ?? now;
		let end: Date | undefined;
		for (const r of recipients) {
			const until = quietHours.endFor(r.to, at);
			if (until && (!end || until > end)) end = until;
		}
		if (end) {
			const to = recipients.map((r) => r.to).join(',');
			if (!run.provider.scheduleAt) return new SettledItem(run.output.deferred(operation, to, access.analysis(p), end, quietHours.label));
			const when = run.provider.scheduleAt(end);
			access.reschedule(p, when);
			run.output.annotate(itemIndex, { sendAt: when.toISOString(), quietHours: quietHours.label });
		}
	}
	return p;
}

/** Nothing is sent: the node stops with why, or under Continue On Fail every item to send fails with it. */
async function refuseAll<T>(run: SendContext, gated: Array<T | ItemFailure | SettledItem>, why: ItemFailure): Promise<Array<T | ItemFailure | SettledItem>> {
	await releaseAllClaims(run);
	if (!run.continueOnFail) throw toNodeError(run.output.node, run.dispatcher.credentials.secrets, why);
	return gated.map((g, itemIndex) => (g instanceof ItemFailure || g instanceof SettledItem ? g : new ItemFailure(itemIndex, why.kind, why.message, why.details)));
}

/** The option Check Balance First: why the account cannot pay for `planned` segments, or undefined when it can. */
async function balanceShortfall(run: SendContext, planned: number): Promise<ItemFailure | undefined> {
	const { balance, name } = run.provider;
	if (!balance) return undefined;
	let left: number;
	try {
		left = await run.dispatcher.call((credentials) => balance.request(credentials), (response) => balance.segmentsLeft(response, run.dispatcher.credentials));
	} catch (error) {
		const failure = run.dispatcher.failure(error, 0, 'Nothing was sent.');
		return new ItemFailure(0, failure.kind, `Could not read the ${name} balance (Check Balance First), so nothing was sent: ${failure.message}`, failure.details);
	}
	if (left >= planned) return undefined;
	return new ItemFailure(0, 'provider', `${name} reports ${left} ${balance.unit(run.dispatcher.credentials)} left; this run needs ${segmentsText(planned)}: nothing was sent`, {
		description: `Top up the ${name} account, or send fewer items.`,
	});
}
