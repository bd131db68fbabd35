import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import type { CountryCode } from 'libphonenumber-js';
import { OptOutList } from './optOut';
import { QuietHours } from './quietHours';
import type { PhoneFormat } from './phone';
import type { ProviderCredentials } from './provider';
import { numberOption, OptionError } from './values';

/**
 * Campaign safety: options of every SMS node's sends that guard a run as a whole
 * (see docs/campaign-safety.md). They are read once per run, from the first item,
 * and are not part of an item's own options (its requests, its ledger keys).
 */
export const RUN_LEVEL_OPTIONS: ReadonlySet<string> = new Set(['dryRun', 'pricePerSegment', 'doNotSendTo', 'maxSegments', 'checkBalance', 'quietHoursStart', 'quietHoursEnd', 'idempotencyPeriod']);

export interface CampaignSettings {
	/** Do everything but send. */
	dryRun: boolean;
	/** For the dry run's cost estimate; undefined: no estimate. */
	pricePerSegment?: number;
	optOut?: OptOutList;
	/** The most SMS segments one execution may send (this node's runs in it); 0: no cap. */
	maxSegments: number;
	/** Read the provider's balance before sending, where it reports one. */
	checkBalance?: boolean;
	quietHours?: QuietHours;
	/** How long an Idempotency Key is remembered. */
	idempotencyPeriodMs: number;
}

export function campaignOptions(sends: string[], checksBalance = false): INodeProperties[] {
	const show = { '/operation': sends };
	const balance: INodeProperties[] = checksBalance
		? [
				{
					displayName: 'Check Balance First',
					name: 'checkBalance',
					type: 'boolean',
					default: false,
					displayOptions: { show },
					description:
						"Whether to read the account's balance before sending: when it is smaller than the SMS segments this run would send, nothing is sent and the node fails, giving both numbers",
				},
			]
		: [];
	return [
		...balance,
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			displayOptions: { show },
			description:
				'Whether to do everything but send: each item shows the text and numbers as they would go, their SMS segments and, with a price, the cost; the first item carries a summary. Nothing reaches the provider.',
		},
		{
			displayName: 'Price Per SMS Segment',
			name: 'pricePerSegment',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 4 },
			default: 0,
			displayOptions: { show },
			description: "What one SMS segment costs you, in your currency: the dry run's items and summary then give an estimated cost",
		},
		{
			displayName: 'Do Not Send To',
			name: 'doNotSendTo',
			type: 'string',
			default: '',
			displayOptions: { show },
			placeholder: "+242068463499, 050010101 or {{ $('Opt-outs').all().map(i => i.json.phone) }}",
			description:
				'Numbers never to send to (an opt-out list), separated by commas or lines, or an expression that gives a list. They are compared as numbers, whatever their spacing or prefix; their items get the status "suppressed". Read once per run.',
		},
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			displayOptions: { show },
			placeholder: '{{ $json.orderId }}',
			description:
				'What the SMS is about, per item (an order, a payment): an item whose key this node already sent within the Idempotency Period, in this or another execution, is not sent again (status "skipped"). Empty: sent as usual.',
		},
		{
			displayName: 'Idempotency Period (Hours)',
			name: 'idempotencyPeriod',
			type: 'number',
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			default: 24,
			displayOptions: { show },
			description: 'How long a key is remembered: at least this long, at most a quarter more',
		},
		{
			displayName: 'Quiet Hours Start',
			name: 'quietHoursStart',
			type: 'string',
			default: '',
			displayOptions: { show },
			placeholder: '21:00',
			description:
				"Start of a daily window (with Quiet Hours End) in which nobody gets an SMS, read in each recipient's country from the number. A send that falls inside it is scheduled for the window's end where the provider schedules at a time of day, else not sent: its item gets the status \"deferred\" and sendAfter, for a Wait node.",
		},
		{
			displayName: 'Quiet Hours End',
			name: 'quietHoursEnd',
			type: 'string',
			default: '',
			displayOptions: { show },
			placeholder: '08:00',
			description: 'End of the quiet window (it may be earlier than the start: 21:00 to 08:00 spans the night)',
		},
		{
			displayName: 'Max SMS Segments Per Execution',
			name: 'maxSegments',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			displayOptions: { show },
			description:
				'A spending cap: when this execution would send more SMS segments than this (counting every run of this node in it), nothing is sent and the node fails, giving both numbers. 0 means no cap.',
		},
	];
}

/** The campaign settings of a run, from the first item's Options; an OptionError names an option that cannot be used. */
export function readCampaignSettings(options: IDataObject, defaultCountry: CountryCode, phoneFormat: PhoneFormat, workflowZone = 'UTC'): CampaignSettings {
	const price = numberOption(options, 'pricePerSegment', 'Price Per SMS Segment', 0, 0);
	return {
		dryRun: options.dryRun === true,
		pricePerSegment: price ? price : undefined,
		optOut: OptOutList.read(options.doNotSendTo, defaultCountry, phoneFormat),
		maxSegments: Math.floor(numberOption(options, 'maxSegments', 'Max SMS Segments Per Execution', 0, 0)),
		checkBalance: options.checkBalance === true,
		quietHours: QuietHours.read(options, defaultCountry, workflowZone),
		idempotencyPeriodMs: numberOption(options, 'idempotencyPeriod', 'Idempotency Period (Hours)', 24, 0.01) * 3_600_000,
	};
}

/** As readCampaignSettings; an option that cannot be used stops the node, or under Continue On Fail comes back as the problem every item fails with. */
export function campaignSettingsFor(
	ctx: IExecuteFunctions,
	options: IDataObject,
	credentials: ProviderCredentials,
	phoneFormat: PhoneFormat,
): { campaign: CampaignSettings; optionProblem?: string } {
	try {
		return { campaign: readCampaignSettings(options, credentials.defaultCountry, phoneFormat, ctx.getTimezone()) };
	} catch (error) {
		if (!(error instanceof OptionError)) throw error;
		if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex: 0 });
		return { campaign: readCampaignSettings({}, credentials.defaultCountry, phoneFormat), optionProblem: error.message };
	}
}
