import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { RecipientResult, SendJob, SendOutcome } from './provider';
import type { SendContext } from './sendContext';
import { fillTemplate } from './templates';

/**
 * The option Dry Run: the request of a send is built by the provider as in a real
 * run, counted, and not sent; its items get the status "preview" with the text as
 * it would go.
 */
export function previewSend(run: SendContext, job: SendJob): SendOutcome {
	run.provider.buildSend(job, run.dispatcher.credentials);
	run.dryRunRequests++;
	const outcome: SendOutcome = { status: 'preview', messageId: null, providerStatus: '', extra: { text: job.text } };
	// One request, a text per recipient: each item shows its own.
	if (job.operation === 'sendPersonalized' && run.provider.nativePersonalization) {
		outcome.recipients = job.recipients.map((r): RecipientResult => ({ to: r.to, result: 'accepted', extra: { text: fillTemplate(job.text, r.values ?? []) } }));
	}
	return outcome;
}

const ERRORS_LISTED = 10;

/** 4 decimals, as prices are given. */
const money = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * What a dry run would have done, at a glance: on the first item (`summary`) and as
 * a hint over the output. Preview items get their `estimatedCost` when a price is given.
 */
export function summarizeDryRun(ctx: IExecuteFunctions, run: SendContext, items: INodeExecutionData[]): void {
	const price = run.campaign.pricePerSegment;
	let recipients = 0;
	let segments = 0;
	let suppressed = 0;
	let deferred = 0;
	const failing: IDataObject[] = [];
	items.forEach((item, itemIndex) => {
		const json = item.json;
		if (json.status === 'preview') {
			const count = typeof json.recipientCount === 'number' ? json.recipientCount : 1;
			const itemSegments = Number(json.segments ?? 0) * count;
			recipients += count;
			segments += itemSegments;
			if (price !== undefined) json.estimatedCost = money(itemSegments * price);
		} else if (json.status === 'deferred') {
			deferred++;
		} else if (json.error !== undefined) {
			failing.push({ item: itemIndex, error: json.error });
		}
		if (Array.isArray(json.suppressed)) suppressed += json.suppressed.length;
	});
	const estimatedCost = price !== undefined ? money(segments * price) : undefined;
	const overCap = run.budget.refusal(run.plannedSegments);
	const keysUnchecked = run.input.usesIdempotencyKeys();
	const summary: IDataObject = {
		dryRun: true,
		items: items.length,
		recipients,
		segments,
		requests: run.dryRunRequests,
		failing: failing.length,
		...(failing.length ? { errors: failing.slice(0, ERRORS_LISTED) } : {}),
		suppressed,
		...(deferred ? { deferred } : {}),
		...(keysUnchecked ? { idempotencyKeys: 'not checked in a dry run' } : {}),
		...(estimatedCost !== undefined ? { pricePerSegment: price, estimatedCost } : {}),
		...(overCap ? { overCap: overCap.replace(': nothing was sent', ': a real run would send nothing') } : {}),
	};
	if (items[0]) items[0].json.summary = summary;
	const cost = estimatedCost !== undefined ? `, estimated cost ${estimatedCost}` : '';
	const problems = failing.length ? `; ${failing.length} item(s) would fail (see their error)` : '';
	const repeats = keysUnchecked ? '; Idempotency Keys not checked (a dry run writes nothing, and only a real run claims them)' : '';
	ctx.addExecutionHints?.({
		message: `Dry run, nothing sent: ${recipients} recipient(s), ${segments} SMS segment(s) in ${run.dryRunRequests} request(s)${cost}${problems}${repeats}${overCap ? `; over Max SMS Segments Per Execution` : ''}.`,
		location: 'outputPane',
	});
}
