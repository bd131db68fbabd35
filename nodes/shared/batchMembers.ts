import type { IDataObject } from 'n8n-workflow';
import { recipientOf, RequestGroups, type BatchMember } from './batchPlan';
import { gateSends, type SendAccess } from './campaignGate';
import { ItemFailure } from './failures';
import { segmentsOfParts } from './longText';
import { SettledItem } from './outputItems';
import type { Recipient } from './provider';
import { fingerprint } from './runLedger';
import type { SendContext } from './sendContext';
import { fillTemplate, placeholderCount } from './templates';
import { analyzeText } from './text';

/** Every item checked and through the campaign gate: the sends left, the others' results set. */
export async function checkedSends(run: SendContext, operation: 'sendBulk' | 'sendPersonalized', results: Array<IDataObject | ItemFailure | undefined>): Promise<BatchMember[]> {
	const groups = new RequestGroups();
	const prepared = run.input.prepareAll(run.itemCount, run.continueOnFail, (itemIndex) => prepareMember(run, operation, itemIndex, groups));
	const gated = await gateSends(run, operation, prepared, MEMBER_ACCESS);
	const live: BatchMember[] = [];
	gated.forEach((p, itemIndex) => {
		if (p instanceof ItemFailure) results[itemIndex] = p;
		else if (p instanceof SettledItem) results[itemIndex] = p.json;
		else live.push(p);
	});
	return live;
}

/** What the campaign gate reads of a member. */
const MEMBER_ACCESS: SendAccess<BatchMember> = {
	recipients: (member) => [recipientOf(member)],
	// A member has one recipient: Do Not Send To keeps it whole or settles it.
	keepRecipients: () => undefined,
	sendAt: (member) => member.request.sendAt,
	analysis: (member) => member.analysis,
	segments: (member) => (member.parts ? segmentsOfParts(member.parts, member.analysis) : member.analysis.segments),
	reschedule: (member, at) => {
		member.request = { ...member.request, sendAt: at };
		member.group = fingerprint([member.group, at.toISOString()]);
	},
};

/** One item's recipient, text and request group, checked. */
function prepareMember(run: SendContext, operation: 'sendBulk' | 'sendPersonalized', itemIndex: number, groups: RequestGroups): BatchMember {
	const { input, provider } = run;
	const personalized = operation === 'sendPersonalized';
	const sender = input.sender(itemIndex);
	const template = input.message(itemIndex);
	const to = input.recipient(input.param<unknown>('phone', itemIndex, ''), itemIndex, 'Phone');
	const options = input.options(itemIndex);
	const recipient: Recipient = { to, itemIndex };
	let rendered = template;
	if (personalized) {
		const count = placeholderCount(template, provider.maxPlaceholders, provider.name);
		recipient.values = [];
		for (let n = 1; n <= count; n++) recipient.values.push(input.smsText(`p${n}`, `P${n}`, itemIndex));
		rendered = fillTemplate(template, recipient.values);
	}
	// Values of the recipient's own (a contact's name, an e-mail copy's address) belong to it, not to the request.
	let requestOptions = options;
	let hasOwnValues = false;
	const splitBy: string[] = [];
	for (const own of provider.recipientOptions ?? []) {
		if (!own.operations.includes(operation) || !(own.option in options)) continue;
		const value = options[own.option];
		if (typeof value === 'string' && value.trim()) {
			recipient[own.field] = value.trim();
			hasOwnValues = true;
			if (own.splitsRequests) splitBy.push(own.field);
		}
		if (requestOptions === options) requestOptions = { ...options };
		delete requestOptions[own.option];
	}
	const parts = input.partsOf(rendered, itemIndex, options, personalized ? 'Message (filled for this item)' : 'Message', operation);
	// Providers without per-recipient texts get the rendered text, one text per request.
	const native = personalized && provider.nativePersonalization;
	if (native && parts.length > 1) {
		throw new ItemFailure(itemIndex, 'input', `The Message (filled for this item) is too long, and ${provider.name}'s personalised sends cannot be split into numbered SMS`);
	}
	const text = native ? template : parts.length === 1 ? parts[0] : rendered;
	input.validate({ operation, sender, text, recipients: [recipient], options }, itemIndex);
	const { group, request } = groups.join(operation, sender, text, options, requestOptions, splitBy);
	// What identifies this item's send across Retry On Fail reruns.
	const key = fingerprint([operation, itemIndex, group, recipient]);
	const member: BatchMember = { itemIndex, to, request, analysis: analyzeText(native ? rendered : text), group, key };
	if (recipient.values || hasOwnValues) member.own = recipient;
	if (parts.length > 1) member.parts = parts;
	return member;
}
