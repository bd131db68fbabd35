import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { sendBatched } from './batchSend';
import { campaignSettingsFor } from './campaignOptions';
import { summarizeDryRun } from './dryRun';
import { Dispatcher } from './dispatch';
import { readEngineSwitches } from './engineSwitches';
import { ItemFailure } from './failures';
import { connectionSettingsFor, readNodeCredentials } from './nodeSettings';
import { SmsOutputItems } from './outputItems';
import { ItemParameterReader } from './parameterReader';
import { sendPerItem } from './perItemSend';
import type { SmsOperation, SmsProvider } from './provider';
import { ambiguousSendText, type SendContext } from './sendContext';
import { SegmentBudget } from './segmentBudget';
import { SendGuard } from './sendGuard';
import { SendInput } from './sendInput';
import { getStatus } from './statusQuery';
import { openIdempotency } from './idempotencyRun';
import { readOutputShape, simplify } from './outputShape';

/**
 * Runs one SMS node for a provider: reads the items, validates them, sends
 * through the provider's request builders, and returns exactly one output item
 * per input item for sends (one per recipient for status).
 */
export class SmsEngine {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly context: SendContext,
		/** An option that cannot be used, under Continue On Fail: every item fails with it. */
		private readonly optionProblem: string | undefined,
	) {}

	static async create(ctx: IExecuteFunctions, provider: SmsProvider): Promise<SmsEngine> {
		const { credentials, session } = await readNodeCredentials(ctx, provider);
		const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
		const connection = connectionSettingsFor(ctx, options, provider.requestsPerSecond);
		const { transport, limiter } = connection;
		const { campaign, optionProblem: campaignProblem } = campaignSettingsFor(ctx, options, credentials, provider.phoneFormat);
		const optionProblem = connection.optionProblem ?? campaignProblem;
		const switches = readEngineSwitches(ctx);
		const params = new ItemParameterReader(ctx, switches.plainFieldReads);
		const guard = SendGuard.open(ctx, {
			providerName: provider.name,
			retryAmbiguous: transport.retryAmbiguous,
			ambiguousText: ambiguousSendText(provider.name),
			// A dry run sends nothing, so it leaves no mark in n8n's database.
			journal: switches.sendJournal && !campaign.dryRun,
		});
		const run: SendContext = {
			provider,
			itemCount: ctx.getInputData().length,
			// A dry run shows every item that would fail instead of stopping at the first.
			continueOnFail: ctx.continueOnFail() || campaign.dryRun,
			input: new SendInput(ctx, provider, credentials, params, options.transliterate === true),
			dispatcher: new Dispatcher(provider.name, credentials, transport, limiter, session),
			guard,
			output: new SmsOutputItems(ctx, provider.id, credentials, campaign.dryRun),
			removeDuplicates: options.removeDuplicates === true,
			campaign,
			budget: new SegmentBudget(ctx.getContext('node'), guard.runIndex, campaign.maxSegments),
			plannedSegments: 0,
			dryRunRequests: 0,
			idempotency: openIdempotency(ctx, campaign.idempotencyPeriodMs, guard.runIndex),
		};
		return new SmsEngine(ctx, run, optionProblem);
	}

	async run(operation: SmsOperation): Promise<INodeExecutionData[][]> {
		const items = await this.runOperation(operation);
		return [readOutputShape(this.ctx) === 'simplified' ? simplify(items) : items];
	}

	private async runOperation(operation: SmsOperation): Promise<INodeExecutionData[]> {
		const run = this.context;
		// Options that cannot be used (Continue On Fail is on, else create() stopped): every item fails with why, nothing is sent.
		if (this.optionProblem) {
			const problem = this.optionProblem;
			return Array.from({ length: run.itemCount }, (_, itemIndex) => run.output.failed(new ItemFailure(itemIndex, 'input', problem), operation));
		}
		switch (operation) {
			case 'send':
			case 'sendScheduled':
				return this.afterSends(await sendPerItem(run, operation));
			case 'sendBulk':
			case 'sendPersonalized':
				return this.afterSends(await sendBatched(run, operation));
			case 'getStatus':
				if (!run.provider.buildStatus || !run.provider.parseStatus) break;
				return await getStatus(run);
		}
		throw new NodeOperationError(this.ctx.getNode(), `The operation "${String(operation)}" is not supported by ${run.provider.name}`);
	}

	private afterSends(items: INodeExecutionData[]): INodeExecutionData[] {
		if (this.context.campaign.dryRun) summarizeDryRun(this.ctx, this.context, items);
		return items;
	}
}
