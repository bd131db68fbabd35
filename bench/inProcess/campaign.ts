/**
 * What the campaign-safety options cost on a bulk send. Target: Dry Run, Do Not Send
 * To and Idempotency Key each add at most 10% to a 10 000 bulk when on, and nothing
 * measurable when off. The same bulk runs without any of them, with each, and with
 * the three present but off, alternately in one run.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { OptOutList } from '../../nodes/shared/optOut';
import { normalizePhone } from '../../nodes/shared/phone';
import { ENGINE_STATUSES } from '../../nodes/shared/provider';
import { runNode, type WorkflowResult } from '../../test/helpers/n8n';
import { median } from './measure';
import { accessOf, type BenchSimulator, type Provider } from './providers';

/** The bulk's recipients (BENCH_CAMPAIGN_N, 10 000). */
export const CAMPAIGN_N = Number(process.env.BENCH_CAMPAIGN_N ?? 10_000);
/** The Do Not Send To list's numbers (BENCH_OPTOUT_N, 10 000). */
const OPT_OUT_N = Number(process.env.BENCH_OPTOUT_N ?? 10_000);
/** Rounds (BENCH_CAMPAIGN_ROUNDS, 11): a 10 000 bulk takes about 0.2 s, and runs of it spread by a fifth. */
const ROUNDS = Number(process.env.BENCH_CAMPAIGN_ROUNDS ?? 11);
/** An option on: at most this × the bulk without it. */
export const CAMPAIGN_OVER_OFF = 1.1;

export interface CampaignRow {
	/** 'off' (the baseline), the option on, or 'presentButOff'. */
	option: string;
	/** The option's value, in words. */
	setting: string;
	n: number;
	/** Median of ROUNDS runs. */
	ms: number;
	/** The median, over the rounds, of the row's time over the off row's time in the same round. */
	ratio: number;
	/** The lowest and highest of those per-round ratios. */
	ratioSpread: [number, number];
	/** The target of the row, '' where the ratio is only shown. */
	target: string;
	met?: boolean;
	/** Do Not Send To: the option's own work (reading the list, checking every recipient against it), median of ROUNDS, ms. */
	ownMs?: number;
}

interface Variant {
	option: string;
	setting: string;
	options: IDataObject;
	/** Whether the SMS go; otherwise every item is a preview and nothing reaches the simulator. */
	sends: boolean;
}

/** Statuses of an item whose SMS did not go. */
const NOT_SENT: ReadonlySet<unknown> = new Set([...ENGINE_STATUSES, 'failed', 'rejected', 'undelivered']);

/** Throws unless the run output one item per recipient with the status expected and the simulator took the SMS (or none). */
async function check(variant: Variant, { outputs, error }: WorkflowResult, sim: BenchSimulator): Promise<void> {
	const what = `campaign option ${variant.option}`;
	const items: INodeExecutionData[] = outputs[0] ?? [];
	if (error || items.length !== CAMPAIGN_N) throw new Error(`${what}: node run failed, ${items.length} items of ${CAMPAIGN_N}: ${error?.message}`);
	const wrong = items.find(({ json }) => (variant.sends ? NOT_SENT.has(json.status) || json.error !== undefined : json.status !== 'preview'));
	if (wrong) throw new Error(`${what}: an item has the status ${String(wrong.json.status)}${wrong.json.reason ? ` (${String(wrong.json.reason)})` : ''}`);
	await sim.settled();
	const expected = variant.sends ? CAMPAIGN_N : 0;
	if (sim.ledger.length !== expected || (!variant.sends && sim.requests.length)) throw new Error(`${what}: the simulator took ${sim.ledger.length} SMS in ${sim.requests.length} requests, expected ${expected} SMS`);
}

/** The bulk send of CAMPAIGN_N items off, with each campaign option on and with them present but off: one warm-up each, then ROUNDS alternated rounds; each option's ratio is the median of its rounds' ratios to the off run of the same round. */
export async function campaignCost(provider: Provider, sim: BenchSimulator): Promise<CampaignRow[]> {
	const access = accessOf(provider.key, sim);
	// Congo numbers outside the recipients' range (+24206…): +242 05 …, written with spaces as pasted
	// from a sheet; each ends with a recipient's last seven digits, so every entry is parsed: the worst case.
	const list = Array.from({ length: OPT_OUT_N }, (_, i) => {
		const d = String(i).padStart(7, '0');
		return `+242 05 ${d.slice(0, 3)} ${d.slice(3, 5)} ${d.slice(5)}`;
	}).join('\n');
	const variants: Variant[] = [
		{ option: 'off', setting: 'no campaign option', options: {}, sends: true },
		{ option: 'dryRun', setting: 'true: nothing sent', options: { dryRun: true }, sends: false },
		{ option: 'doNotSendTo', setting: `${OPT_OUT_N} numbers, none a recipient`, options: { doNotSendTo: list }, sends: true },
		{ option: 'idempotencyKey', setting: '{{ $json.orderId }}, fresh keys', options: { idempotencyKey: '={{ $json.orderId }}' }, sends: true },
		// As n8n saves options added in the editor and left as they come.
		{ option: 'presentButOff', setting: "dryRun false, doNotSendTo '', idempotencyKey ''", options: { dryRun: false, doNotSendTo: '', idempotencyKey: '' }, sends: true },
	];
	process.stdout.write(`\nCampaign-safety options: ${provider.name} sendBulk, ${CAMPAIGN_N} items, ${ROUNDS} rounds alternated\n`);
	let runs = 0;
	const timed = async (variant: Variant): Promise<number> => {
		// Keys new to the store every run: a key sent within the period is skipped, and that run would send nothing.
		const run = runs++;
		const items = Array.from({ length: CAMPAIGN_N }, (_, i) => ({ phone: provider.phone(i), orderId: `r${run}-${i}` }));
		const parameters = { ...provider.bulkParameters, options: { ...(provider.bulkParameters.options as IDataObject), ...variant.options } } as INodeParameters;
		sim.reset();
		global.gc?.();
		const started = process.hrtime.bigint();
		const result = await runNode(items, { type: provider.type, parameters, credentials: provider.credentials(access) });
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		await check(variant, result, sim);
		return ms;
	};
	for (const variant of variants) await timed(variant);
	const times = new Map<string, number[]>(variants.map((v) => [v.option, []]));
	for (let round = 0; round < ROUNDS; round++) {
		// Alternated so that a change in the machine's load touches every variant alike; rotated so that none always follows the same one.
		for (let k = 0; k < variants.length; k++) {
			const variant = variants[(round + k) % variants.length];
			times.get(variant.option)!.push(await timed(variant));
		}
	}
	const offTimes = times.get('off')!;
	// The rounds' ratios spread by more than the option costs: its own work, timed alone, says how much of a run it is.
	const recipients = Array.from({ length: CAMPAIGN_N }, (_, i) => normalizePhone(provider.phone(i), 'CG').digits);
	const listWork = (): number => {
		const started = process.hrtime.bigint();
		const optOut = OptOutList.read(list, 'CG', 'digits')!;
		const matched = recipients.filter((to) => optOut.has(to)).length;
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (matched !== 0) throw new Error(`campaign option doNotSendTo: ${matched} recipients matched a list of other numbers`);
		return ms;
	};
	listWork();
	const listOwnMs = median(Array.from({ length: ROUNDS }, listWork));
	return variants.map(({ option, setting }) => {
		const ms = median(times.get(option)!);
		// Each round's run against the off run of the same round: drift between rounds cancels out.
		const ratios = times.get(option)!.map((t, round) => t / offTimes[round]);
		const ratio = median(ratios);
		const ratioSpread: [number, number] = [Math.min(...ratios), Math.max(...ratios)];
		const judged = option !== 'off' && option !== 'presentButOff';
		const ownMs = option === 'doNotSendTo' ? listOwnMs : undefined;
		const own = ownMs === undefined ? '' : `; own work ${ownMs.toFixed(1)} ms, ${((100 * ownMs) / median(offTimes)).toFixed(1)}% of off`;
		process.stdout.write(`  node: ${`${option} (${setting})`.padEnd(68)} median ${ms.toFixed(1).padStart(8)} ms   ${ratio.toFixed(2)}x off (rounds ${ratioSpread.map((r) => r.toFixed(2)).join(' to ')})${own}\n`);
		return { option, setting, n: CAMPAIGN_N, ms, ratio, ratioSpread, target: judged ? `ratio ≤ ${CAMPAIGN_OVER_OFF}` : '', ...(judged ? { met: ratio <= CAMPAIGN_OVER_OFF } : {}), ...(ownMs === undefined ? {} : { ownMs }) };
	});
}
