import type { IDataObject } from 'n8n-workflow';
import { ItemFailure } from './failures';
import type { SendJob } from './provider';
import { analyzeText, type TextAnalysis } from './text';

/** An item of a Send Bulk / Send Personalized batch: one recipient, one text. */
export interface BatchMember {
	itemIndex: number;
	job: SendJob;
	analysis: TextAnalysis;
	/** Items of one group can share a request. */
	group: string;
	/** Identifies this item's send across Retry On Fail reruns. */
	key: string;
	/** The text's numbered parts, when it needs more than one SMS. */
	parts?: readonly string[];
}

export interface BatchPlan {
	/** The requests to send, each at most the provider's recipients per request, members of one group only. */
	batches: BatchMember[][];
	/** [item, the earlier item it repeats]: not sent, given the earlier one's result. */
	duplicates: Array<[number, number]>;
}

/**
 * Groups members into requests. With `removeDuplicates`, a member with the same
 * recipient and values as an earlier member of its group is not sent.
 */
export function planBatches(members: readonly BatchMember[], maxRecipients: number, removeDuplicates: boolean): BatchPlan {
	// Each group's requests, filled in item order.
	const groups = new Map<string, BatchMember[][]>();
	const firstFor = new Map<string, number>();
	const duplicates: Array<[number, number]> = [];
	for (const member of members) {
		if (removeDuplicates) {
			const recipient = member.job.recipients[0];
			const dupKey = `${member.group}|${recipient.to}|${JSON.stringify(recipient.values ?? [])}`;
			const first = firstFor.get(dupKey);
			if (first !== undefined) {
				duplicates.push([member.itemIndex, first]);
				continue;
			}
			firstFor.set(dupKey, member.itemIndex);
		}
		const requests = groups.get(member.group);
		const last = requests?.[requests.length - 1];
		if (last && last.length < maxRecipients) last.push(member);
		else if (requests) requests.push([member]);
		else groups.set(member.group, [[member]]);
	}
	return { batches: [...groups.values()].flat(), duplicates };
}

/** The result of a duplicate: its first item's, saying so. */
export function duplicateResult(itemIndex: number, first: number, original: IDataObject | ItemFailure | undefined): IDataObject | ItemFailure {
	return original instanceof ItemFailure
		? new ItemFailure(itemIndex, original.kind, `${original.message} (same recipient as item ${first})`, original.details)
		: { ...(original as IDataObject), duplicateOf: first };
}

/** A member's part `round` of a text sent as numbered SMS: its own text, group and ledger key. */
export function partMember(member: BatchMember, text: string, round: number): BatchMember {
	return {
		...member,
		job: { ...member.job, text },
		analysis: analyzeText(text),
		group: `${member.group}:${round}`,
		key: `${member.key}:${round}`,
	};
}

/** The failure of a part after earlier parts of the same text were accepted: says what went out. */
export function partsSentBefore(failure: ItemFailure, accepted: number, total: number): ItemFailure {
	if (accepted === 0) return failure;
	const what = accepted === 1 ? `part 1 of the ${total} numbered SMS was` : `parts 1 to ${accepted} of the ${total} numbered SMS were`;
	return new ItemFailure(
		failure.itemIndex,
		failure.kind,
		`${failure.message}; ${what} accepted and ${accepted === 1 ? 'is' : 'are'} not resent on retry, the later parts were not sent`,
		failure.details,
	);
}

export function chunk<T>(list: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}
