import type { IDataObject } from 'n8n-workflow';
import { ItemFailure } from './failures';
import type { Recipient, SendJob, SmsOperation } from './provider';
import { fingerprint } from './runLedger';
import { analyzeText, type TextAnalysis } from './text';

/** What the requests of a group share: everything of a job but its recipients. */
export type SharedRequest = Readonly<Omit<SendJob, 'recipients'>>;

/**
 * An item of a Send Bulk / Send Personalized batch: one recipient, one text. The
 * request's fields are one object per group, not per item: a 100 000-item bulk holds
 * every member until its request is answered.
 */
export interface BatchMember {
	itemIndex: number;
	/** The number, as the provider takes it. */
	to: string;
	/** The recipient with values of its own (a personalised send's, a contact's name), when it has some. */
	own?: Recipient;
	request: SharedRequest;
	analysis: TextAnalysis;
	/** Items of one group can share a request. */
	group: string;
	/** Identifies this item's send across Retry On Fail reruns. */
	key: string;
	/** The text's numbered parts, when it needs more than one SMS. */
	parts?: readonly string[];
}

/**
 * The request groups of one send: items whose sender, text and request options are equal
 * share requests, and one SharedRequest. The last group is also remembered by identity:
 * in a bulk nearly every item repeats the one before, which then costs no JSON.
 */
export class RequestGroups {
	private readonly requests = new Map<string, SharedRequest>();
	private last = { sender: '', text: '', requestOptions: {} as IDataObject, splitBy: '', group: '' };

	/** The item's group and the request it shares; `options` (all of the item's) go with the group's first item. */
	join(operation: SmsOperation, sender: string, text: string, options: IDataObject, requestOptions: IDataObject, splitBy: string[]): { group: string; request: SharedRequest } {
		const last = this.last;
		const split = splitBy.join(',');
		let group: string;
		if (requestOptions === last.requestOptions && sender === last.sender && text === last.text && split === last.splitBy) group = last.group;
		else {
			group = fingerprint([sender, text, requestOptions, splitBy]);
			this.last = { sender, text, requestOptions, splitBy: split, group };
		}
		let request = this.requests.get(group);
		if (!request) this.requests.set(group, (request = { operation, sender, text, options }));
		return { group, request };
	}
}

/** The member's recipient, as a request carries it: a plain one is built when asked for, not kept per item. */
export function recipientOf(member: BatchMember): Recipient {
	return member.own ?? { to: member.to, itemIndex: member.itemIndex };
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
			const dupKey = `${member.group}|${member.to}|${JSON.stringify(member.own?.values ?? [])}`;
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
		request: { ...member.request, text },
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
