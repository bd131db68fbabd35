import type { INodeExecutionData } from 'n8n-workflow';
import { ItemFailure } from './failures';
import { mapWithin } from './limiter';
import { ambiguousSendText, type SendContext } from './sendContext';

/** Get Status (for providers with buildStatus and parseStatus): one query per item, one output item per recipient the provider reports. */
export async function getStatus(run: SendContext): Promise<INodeExecutionData[]> {
	const { provider, input, dispatcher } = run;
	const label = provider.messageIdLabel ?? 'Message ID';
	const prepared = input.prepareAll(run.itemCount, run.continueOnFail, (itemIndex) => {
		const messageId = input.text('messageId', label, itemIndex).trim();
		if (!messageId) throw new ItemFailure(itemIndex, 'input', `'${label}' is empty`);
		return messageId;
	});
	const results = await mapWithin(prepared, dispatcher.limiter.concurrency, async (p, itemIndex) => {
		if (p instanceof ItemFailure) return p;
		try {
			return await dispatcher.call((credentials) => provider.buildStatus!(p, credentials), (response) => provider.parseStatus!(response, p));
		} catch (error) {
			return dispatcher.failure(error, itemIndex, ambiguousSendText(provider.name));
		}
	});
	run.output.stopOnFailure(results);
	const out: INodeExecutionData[] = [];
	results.forEach((r, itemIndex) => {
		if (r instanceof ItemFailure) {
			out.push(run.output.failed(r, 'getStatus'));
			return;
		}
		for (const { extra, ...report } of r) out.push(run.output.item({ provider: provider.id, operation: 'getStatus', ...report, ...extra }, itemIndex));
	});
	return out;
}
