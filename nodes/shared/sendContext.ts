import type { IDataObject } from 'n8n-workflow';
import type { CampaignSettings } from './campaignOptions';
import { previewSend } from './dryRun';
import type { RequestDispatcher } from './dispatch';
import type { ItemFailure } from './failures';
import type { SmsOutputItems } from './outputItems';
import type { Recipient, SendJob, SendOutcome, SmsProvider } from './provider';
import type { SendGuard } from './sendGuard';
import type { IdempotencyRun } from './idempotencyRun';
import type { SegmentBudget } from './segmentBudget';
import type { SendInput } from './sendInput';

/** What every operation flow of the SMS engine works with, for one run of a node. */
export interface SendContext {
	provider: SmsProvider;
	itemCount: number;
	continueOnFail: boolean;
	input: SendInput;
	dispatcher: RequestDispatcher;
	guard: SendGuard;
	output: SmsOutputItems;
	/** The option Remove Duplicates (batch sends). */
	removeDuplicates: boolean;
	/** Dry run, opt-out list, spending cap (campaignOptions.ts). */
	campaign: CampaignSettings;
	budget: SegmentBudget;
	/** The SMS segments this run would send (campaignGate.ts). */
	plannedSegments: number;
	/** The requests a dry run built and did not send. */
	dryRunRequests: number;
	idempotency: IdempotencyRun;
}

/** Added to sends an interrupted attempt of this execution had accepted (the provider's answer was not kept). */
export const ALREADY_SENT: IDataObject = { alreadySent: true, providerStatus: null };

/** What a person should do after an ambiguous failure of a send. */
export function ambiguousSendText(providerName: string): string {
	return `${providerName} may or may not have received the request, so it was not sent again (that could send the SMS twice). Check your ${providerName} account before retrying, or turn on the option 'Retry Ambiguous Failures' if duplicates are acceptable.`;
}

/** One send request: built and read by the provider, sent by the dispatcher. */
export async function submit(run: SendContext, job: SendJob): Promise<SendOutcome> {
	const { provider, dispatcher } = run;
	if (run.campaign.dryRun) return previewSend(run, job);
	return await dispatcher.call((credentials) => provider.buildSend(job, credentials), (response) => provider.parseSend(response, job));
}

/** A failed send of an item's recipients, in words a person can act on. */
export function sendFailure(run: SendContext, error: unknown, itemIndex: number, recipients: readonly Recipient[]): ItemFailure {
	return run.dispatcher.failure(error, itemIndex, ambiguousSendText(run.provider.name), recipients.map((r) => r.to).join(','));
}
