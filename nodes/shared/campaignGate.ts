import { NodeOperationError } from 'n8n-workflow';
import { ItemFailure } from './failures';
import { SettledItem } from './outputItems';
import type { SendJob, SmsOperation } from './provider';
import type { SendContext } from './sendContext';
import type { TextAnalysis } from './text';

/** What the gate needs of a prepared send: its job (whose recipients it may narrow), its text's analysis, and its SMS segments per recipient. */
export interface GatedSend {
	job: SendJob;
	analysis: TextAnalysis;
	segmentsPerRecipient: number;
}

/**
 * Campaign safety before the first request: recipients on the Do Not Send To list
 * are taken out (an item left with none is settled as "suppressed"), then the run's
 * SMS segments are held against Max SMS Segments Per Execution: over it, nothing
 * is sent (the node stops, or under Continue On Fail every item to send fails).
 */
export function gateSends<T>(run: SendContext, operation: SmsOperation, prepared: Array<T | ItemFailure>, view: (p: T) => GatedSend): Array<T | ItemFailure | SettledItem> {
	const { optOut } = run.campaign;
	let planned = 0;
	const gated = prepared.map((p, itemIndex): T | ItemFailure | SettledItem => {
		if (p instanceof ItemFailure) return p;
		const send = view(p);
		if (optOut) {
			const kept = send.job.recipients.filter((r) => !optOut.has(r.to));
			if (kept.length === 0) return new SettledItem(run.output.suppressed(operation, send.job.recipients.map((r) => r.to).join(','), send.analysis));
			if (kept.length < send.job.recipients.length) {
				run.output.annotate(itemIndex, { suppressed: send.job.recipients.filter((r) => optOut.has(r.to)).map((r) => r.to) });
				send.job.recipients = kept;
			}
		}
		planned += send.segmentsPerRecipient * send.job.recipients.length;
		return p;
	});
	run.plannedSegments = planned;
	if (run.campaign.dryRun) return gated;
	const refusal = run.budget.refusal(planned);
	if (!refusal) {
		run.budget.record(planned);
		return gated;
	}
	if (!run.continueOnFail) throw new NodeOperationError(run.output.node, refusal, { description: 'Raise the option, or send fewer items in this execution.' });
	return gated.map((g, itemIndex) => (g instanceof ItemFailure || g instanceof SettledItem ? g : new ItemFailure(itemIndex, 'input', refusal)));
}
