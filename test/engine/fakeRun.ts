/**
 * The engine's operation flows without n8n and without HTTP: a minimal stand-in
 * for n8n's execute functions (parameters per item, a node context that lives as
 * long as the FakeRun, as n8n's does across Retry On Fail) and a dispatcher that
 * hands each request to the fake provider's answer function.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import type { RequestDispatcher } from '../../nodes/shared/dispatch';
import { describeFailure } from '../../nodes/shared/failures';
import { SmsOutputItems } from '../../nodes/shared/outputItems';
import { ItemParameterReader } from '../../nodes/shared/parameterReader';
import type { ProviderCredentials, SendJob, SendOutcome, SmsProvider } from '../../nodes/shared/provider';
import type { SendContext } from '../../nodes/shared/sendContext';
import { SegmentBudget } from '../../nodes/shared/segmentBudget';
import { SendGuard } from '../../nodes/shared/sendGuard';
import { SendInput } from '../../nodes/shared/sendInput';
import type { HttpRequest, HttpResponse } from '../../nodes/shared/transport';

export const CREDENTIALS: ProviderCredentials = { baseUrl: 'http://fake.invalid/', defaultCountry: 'CG', secrets: ['fake-secret-token'], fields: { token: 'fake-secret-token' } };

/** What the fake provider answers a request: an outcome, or an error it throws (as parseSend would). */
export type Answer = (job: SendJob) => SendOutcome;

/** A provider defined in the test: requests carry the job itself, answers come from `answer`. */
export function fakeProvider(answer: Answer, overrides: Partial<SmsProvider> = {}): SmsProvider & { jobs: SendJob[] } {
	const jobs: SendJob[] = [];
	return {
		id: 'fake',
		name: 'Fake SMS',
		credentialType: 'fakeSmsApi',
		phoneFormat: 'digits',
		maxRecipientsPerRequest: 3,
		maxPlaceholders: 2,
		nativePersonalization: false,
		readCredentials: () => CREDENTIALS,
		buildSend: (job) => ({ method: 'POST', url: CREDENTIALS.baseUrl, json: job }),
		parseSend: (_response, job) => answer(job),
		jobs,
		...overrides,
	};
}

export interface FakeRunOptions {
	continueOnFail?: boolean;
	retryAmbiguous?: boolean;
	removeDuplicates?: boolean;
	concurrency?: number;
}

export class FakeRun {
	private readonly nodeContext: IDataObject = {};

	constructor(
		readonly provider: SmsProvider & { jobs: SendJob[] },
		/** Each item's node parameters (sender, message, phone, to, p1, options …). */
		readonly parameters: IDataObject[],
		readonly options: FakeRunOptions = {},
	) {}

	/** One run of the node's flow, as n8n would start it (a Retry On Fail is another call on the same FakeRun). */
	context(): SendContext {
		const ctx = this.executeFunctions();
		const params = new ItemParameterReader(ctx, false);
		const { provider } = this;
		const dispatcher: RequestDispatcher = {
			providerName: provider.name,
			credentials: CREDENTIALS,
			limiter: { concurrency: this.options.concurrency ?? 2 },
			async call<T>(build: (credentials: ProviderCredentials) => HttpRequest, read: (response: HttpResponse) => T): Promise<T> {
				provider.jobs.push(build(CREDENTIALS).json as SendJob);
				return read({ status: 200, headers: {}, text: '' });
			},
			failure: (error, itemIndex, ambiguousText, to) => describeFailure(error, itemIndex, provider.name, ambiguousText, CREDENTIALS.secrets, to),
		};
		return {
			provider,
			itemCount: this.parameters.length,
			continueOnFail: this.options.continueOnFail ?? true,
			input: new SendInput(ctx, provider, CREDENTIALS, params, false),
			dispatcher,
			guard: SendGuard.open(ctx, { providerName: provider.name, retryAmbiguous: this.options.retryAmbiguous ?? false, ambiguousText: 'Check the account.', journal: false }),
			output: new SmsOutputItems(ctx, provider.id, CREDENTIALS),
			removeDuplicates: this.options.removeDuplicates ?? false,
			campaign: { dryRun: false, maxSegments: 0, idempotencyPeriodMs: 86_400_000 },
			budget: new SegmentBudget(ctx.getContext('node'), 0, 0),
			plannedSegments: 0,
			dryRunRequests: 0,
			idempotency: { claimed: new Map(), shown: new Map(), held: new Set(), keep: () => undefined, executionId: null, firstSend: async () => undefined },
		};
	}

	private executeFunctions(): IExecuteFunctions {
		const node = { name: 'Fake SMS', type: 'fakeSms', typeVersion: 1, position: [0, 0], parameters: {}, id: 'fake' } as INode;
		const items: INodeExecutionData[] = this.parameters.map(() => ({ json: {} }));
		const fake: Partial<IExecuteFunctions> = {
			getInputData: () => items,
			getNode: () => node,
			getTimezone: () => 'Africa/Brazzaville',
			continueOnFail: () => this.options.continueOnFail ?? true,
			getContext: () => this.nodeContext as never,
			getWorkflowDataProxy: () => ({ $runIndex: 0 }) as never,
			getNodeParameter: ((name: string, itemIndex: number, fallback?: unknown) => this.parameters[itemIndex]?.[name] ?? fallback) as never,
		};
		return fake as IExecuteFunctions;
	}
}

/** The json of each output item. */
export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((i) => i.json);
}
