import type { RecipientResult, SendOutcome } from './provider';

/**
 * What an answer says of each recipient of its request, in the request's order.
 * An answer without per-recipient results accepted them all; a recipient it
 * leaves out is unknown (it may have been accepted).
 */
export function resultsFor(outcome: SendOutcome, recipients: readonly string[], providerName: string): RecipientResult[] {
	if (!outcome.recipients) return recipients.map((to) => ({ to, result: 'accepted' }));
	const byNumber = new Map(outcome.recipients.map((r) => [r.to, r] as const));
	return recipients.map(
		(to) => byNumber.get(to) ?? { to, result: 'unknown', reason: `${providerName}'s answer does not say whether it accepted this number` },
	);
}

/** The outcome of one accepted recipient: the request's, with what the answer says of that recipient. */
export function acceptedOutcome(outcome: SendOutcome, result: RecipientResult & { result: 'accepted' }): SendOutcome {
	const { recipients: _all, ...shared } = outcome;
	return {
		...shared,
		...(result.status !== undefined ? { status: result.status } : {}),
		...(result.messageId !== undefined ? { messageId: result.messageId } : {}),
		...(result.providerStatus !== undefined ? { providerStatus: result.providerStatus } : {}),
		...(result.extra ? { extra: { ...shared.extra, ...result.extra } } : {}),
	};
}
