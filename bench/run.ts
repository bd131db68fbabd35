/**
 * `npm run bench`: each provider's node (the tests' registry: test/providers/registry.ts)
 * inside n8n's WorkflowExecute against its simulator, compared with baselines
 * measured in the same run: the same HTTP requests sent straight with undici at the
 * same concurrency, and n8n itself reading one expression parameter per item (which
 * any node pays). Then the heap of one 100 000-item bulk send per provider.
 *
 * Knobs: BENCH_ROUNDS (5), BENCH_FAN_OUT_ROUNDS (11, where a request takes one recipient), BENCH_BULK (10 000 recipients where a request takes many),
 * BENCH_LMT (2000, where a request takes one recipient: LMT), BENCH_SEND (500, MTN's Send),
 * BENCH_CAMPAIGN_N (10 000: the MTN Congo bulk the campaign-safety options are timed on), BENCH_CAMPAIGN_ROUNDS (11),
 * BENCH_OPTOUT_N (10 000: the Do Not Send To list of that run),
 * BENCH_MEMORY_N (100 000), BENCH_MEMORY_LMT_N (the memory run of a provider taking one
 * recipient a request: see LMT_MEMORY_N).
 * To profile or compare one part: BENCH_PROVIDERS (provider keys, comma-separated: all),
 * BENCH_PARTS (timing, campaign, memory: all).
 * The table is also written to .bench/bench-inprocess.json.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { fork } from 'node:child_process';
import path from 'node:path';
import { ENGINE_SWITCHES_PARAMETER, type EngineSwitches } from '../nodes/shared/engineSwitches';
import type * as Transport from '../nodes/shared/transport';
import { ROOT, runNode } from '../test/helpers/n8n';
import { CAMPAIGN_N, CAMPAIGN_OVER_OFF, campaignCost } from './inProcess/campaign';
import type { MemoryRow } from './inProcess/memory';
import { inBatches, measureInTurns, RawSender, ROUNDS, type Contender } from './inProcess/measure';
import {
	accessOf,
	assertSameTraffic,
	CONCURRENCY,
	createSimulator,
	MAX_RECIPIENTS,
	NODE_OPTIONS,
	PROVIDERS,
	received,
	WITHOUT_BASELINE,
	type BenchSimulator,
	type Provider,
	type RawRequest,
	type SimAccess,
} from './inProcess/providers';
import { campaignTable, memoryTable, TARGETS, timingTable, writeReport, type TimingRow } from './inProcess/report';

/** n8n loads the nodes from dist/: their connection pools live in dist's transport module, not in .bench's copy. */
const { closeTransportPools } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'transport.js')) as typeof Transport;
const BULK = Number(process.env.BENCH_BULK ?? 10_000);
const LMT_FAN_OUT = Number(process.env.BENCH_LMT ?? 2000);
const SEND = Number(process.env.BENCH_SEND ?? 500);
/** One request per recipient spreads more from run to run (loopback, 2 shared cores): more rounds. */
const FAN_OUT_ROUNDS = Number(process.env.BENCH_FAN_OUT_ROUNDS ?? 11);
const MEMORY_N = Number(process.env.BENCH_MEMORY_N ?? 100_000);
/**
 * LMT takes one recipient per request: its memory run is MEMORY_N requests to
 * loopback at concurrency 4 (100 000 took about 60 s on a shared 2-core machine).
 * BENCH_MEMORY_LMT_N makes it smaller where that is too long; it applies to every
 * provider taking one recipient a request.
 */
const LMT_MEMORY_N = Number(process.env.BENCH_MEMORY_LMT_N ?? MEMORY_N);
const only = (knob: string | undefined) => (knob ? new Set(knob.split(',').map((v) => v.trim())) : undefined);
const CHOSEN = only(process.env.BENCH_PROVIDERS);
const PARTS = only(process.env.BENCH_PARTS);
const runs = (part: 'timing' | 'campaign' | 'memory') => !PARTS || PARTS.has(part);
const BENCHED = PROVIDERS.filter((p) => !CHOSEN || CHOSEN.has(p.key));
/** The provider whose Send (one request per item) is timed too. */
const SEND_PROVIDER = 'mtnCongo';
/** A memory run longer than this is reported, with the knob to shorten it. */
const MEMORY_RUN_BUDGET_MS = 60_000;

interface Scenario {
	provider: Provider;
	sim: BenchSimulator;
	access: SimAccess;
	operation: string;
	items: IDataObject[];
	/** The item field the n8n-read baseline reads. */
	field: string;
	parameters: INodeParameters;
	raw: RawRequest[];
	/** Bulk operations run the node twice: with and without plain field reads. */
	bothFieldReads: boolean;
}

/**
 * Raw baseline, n8n's read baseline and the node (twice for bulk operations), in
 * turns: one row per node variant. Throws unless every run of the node reached the
 * simulator with the raw baseline's requests and SMS.
 */
async function compare(s: Scenario, sender: RawSender): Promise<TimingRow[]> {
	const { provider, sim, items } = s;
	const n = items.length;
	const what = `${provider.name} ${s.operation}`;
	const rounds = provider.batchSize === 1 ? FAN_OUT_ROUNDS : ROUNDS;
	process.stdout.write(`\n${what}, ${n} items, ${s.raw.length} requests, concurrency ${CONCURRENCY}, ${rounds} rounds in turns\n`);
	const traffic = async () => {
		await sim.settled();
		return received(provider, sim);
	};
	let rawTraffic: Awaited<ReturnType<typeof traffic>> | undefined;
	// The switch is the node's hidden engineSwitches parameter, as a workflow sets it.
	const variants: Array<[string, Partial<EngineSwitches>]> = s.bothFieldReads
		? [
				['with plain field reads', {}],
				['without plain field reads', { plainFieldReads: false }],
			]
		: [['', {}]];
	const contenders: Contender[] = [
		{
			label: 'baseline: undici, hand-built requests',
			run: async () => {
				sim.reset();
				await inBatches(s.raw, CONCURRENCY, async (req) => await sender.send(req));
			},
			after: async () => void (rawTraffic = await traffic()),
		},
		{
			label: `baseline: n8n reads {{ $json.${s.field} }} per item`,
			run: async () => {
				const { outputs } = await runNode(items, { type: 'test.readPhone', parameters: { phone: `={{ $json.${s.field} }}` } });
				if (outputs[0].length !== n) throw new Error('read run failed');
			},
		},
		...variants.map(([variant, switches]): Contender => {
			const parameters = { ...s.parameters, [ENGINE_SWITCHES_PARAMETER]: switches };
			return {
				label: `node: ${s.operation} in WorkflowExecute${variant ? `, ${variant}` : ''}`,
				run: async () => {
					sim.reset();
					const { outputs, error } = await runNode(items, { type: provider.type, parameters, credentials: provider.credentials(s.access) });
					if (error || outputs[0].length !== n) throw new Error(`node run failed: ${error?.message}`);
				},
				// The same requests (URL, headers, bodies) and SMS as the raw baseline, or the comparison means nothing.
				after: async () => assertSameTraffic(`${what}${variant ? ` (${variant})` : ''}`, rawTraffic!, await traffic()),
			};
		}),
	];
	const [raw, read, ...nodes] = await measureInTurns(contenders, rounds);
	const rawPeak = raw.peakInFlight;
	const rows: TimingRow[] = [];
	for (const [v, [variant]] of variants.entries()) {
		const node = nodes[v];
		const nodePeak = node.peakInFlight;
		// Our node's own time per item: what is left of the node's time once n8n's parameter
		// evaluation (the read baseline) and the HTTP work (the raw baseline) are taken out,
		// per item. It is negative when the node took less than the read baseline: noise, or
		// the node not paying n8n's expression evaluation (plain field reads); the table then
		// shows 0 (the JSON keeps the value), next to (node − raw) / N, which bounds it from above.
		const own = ((node.ms - read.ms - raw.ms) * 1000) / n;
		const targets: Record<string, boolean> = { [`own < ${TARGETS.ownMicrosPerItem} µs`]: own < TARGETS.ownMicrosPerItem };
		if (provider.batchSize === 1 && s.operation === 'sendBulk') targets[`node/raw ≤ ${TARGETS.lmtFanOutOverRaw}`] = node.ms / raw.ms <= TARGETS.lmtFanOutOverRaw;
		rows.push({
			provider: provider.name,
			operation: s.operation,
			variant,
			n,
			requests: s.raw.length,
			nodeMs: node.ms,
			rawMs: raw.ms,
			readMs: read.ms,
			nodeOverRaw: node.ms / raw.ms,
			ownMicrosPerItem: own,
			beyondHttpMicrosPerItem: ((node.ms - raw.ms) * 1000) / n,
			targets,
			met: Object.values(targets).every(Boolean),
			peakInFlight: { node: nodePeak, raw: rawPeak },
		});
	}
	const peaks = rows.map((r) => r.peakInFlight.node);
	process.stdout.write(`  same requests and SMS as the raw baseline: yes; most requests under way at once: raw ${rawPeak}, node ${peaks.join(' / ')}\n`);
	if (peaks.some((p) => p !== rawPeak)) process.stdout.write(`  odd: the node and the raw baseline did not have as many requests under way at once\n`);
	return rows;
}

/** One memory row, measured in a process of its own (inProcess/memoryRow.ts). */
async function memoryRow(what: string, n: number, note?: string): Promise<MemoryRow> {
	const child = fork(path.join(__dirname, 'inProcess', 'memoryRow.js'), [what, String(n), note ?? ''], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let row: MemoryRow | undefined;
	child.on('message', (message: MemoryRow) => (row = message));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	if (code !== 0 || !row) throw new Error(`the memory run of ${what} (N ${n}) failed (exit code ${code})`);
	return row;
}

async function main(): Promise<void> {
	const sizes = { BENCH_BULK: BULK, BENCH_LMT: LMT_FAN_OUT, BENCH_SEND: SEND, BENCH_MEMORY_N: MEMORY_N, BENCH_MEMORY_LMT_N: LMT_MEMORY_N, BENCH_CAMPAIGN_N: CAMPAIGN_N };
	for (const [knob, n] of Object.entries(sizes)) if (n > MAX_RECIPIENTS) throw new Error(`${knob} is ${n}: at most ${MAX_RECIPIENTS} recipients (the test providers' numbers)`);
	const notes: string[] = [];
	if (WITHOUT_BASELINE.length) notes.push(`not timed, no raw baseline in bench/inProcess/providers.ts: ${WITHOUT_BASELINE.join(', ')}`);
	const sender = new RawSender();
	const sims = Object.fromEntries(await Promise.all(PROVIDERS.map(async (p) => [p.key, await createSimulator(p.key).start()]))) as Record<string, BenchSimulator>;
	const scenario = (provider: Provider): Scenario => {
		const sim = sims[provider.key];
		const access = accessOf(provider.key, sim);
		const items = Array.from({ length: provider.batchSize === 1 ? LMT_FAN_OUT : BULK }, (_, i) => ({ phone: provider.phone(i) }));
		const raw = provider.bulkRequests(access, items.map((i) => i.phone));
		return { provider, sim, access, operation: 'sendBulk', items, field: 'phone', parameters: provider.bulkParameters, raw, bothFieldReads: true };
	};
	// Send, one request per item, on MTN Congo: the raw baseline is MTN's Send Bulk request of one recipient.
	const sendScenario = (provider: Provider): Scenario => {
		const sim = sims[provider.key];
		const access = accessOf(provider.key, sim);
		const items = Array.from({ length: SEND }, (_, i) => ({ to: provider.phone(i) }));
		const { phone: _bulkPhone, ...bulk } = provider.bulkParameters;
		return {
			provider,
			sim,
			access,
			operation: 'send',
			items,
			field: 'to',
			parameters: { ...bulk, operation: 'send', to: '={{ $json.to }}' },
			raw: items.flatMap((item) => provider.bulkRequests(access, [item.to])),
			bothFieldReads: false,
		};
	};

	const timing: TimingRow[] = [];
	for (const provider of runs('timing') ? BENCHED : []) {
		timing.push(...(await compare(scenario(provider), sender)));
		if (provider.key === SEND_PROVIDER) timing.push(...(await compare(sendScenario(provider), sender)));
	}
	const campaignProvider = PROVIDERS.find((p) => p.key === SEND_PROVIDER)!;
	const campaign = runs('campaign') ? await campaignCost(campaignProvider, sims[campaignProvider.key]) : [];
	await sender.close();
	await Promise.all(Object.values(sims).map(async (sim) => await sim.stop()));

	process.stdout.write(`\nRatios (same machine, same run; lower is better)\n`);
	for (const r of timing) {
		const perItem = ((r.nodeMs * 1000) / r.n).toFixed(1);
		process.stdout.write(
			`  ${r.provider} ${r.operation}, ${r.n} items (${r.requests} requests)${r.variant ? `, ${r.variant}` : ''}: node / (n8n reading the items + raw HTTP) ${(r.nodeMs / (r.readMs + r.rawMs)).toFixed(2)}x; node / raw HTTP ${r.nodeOverRaw.toFixed(2)}x; ${perItem} µs per item, own ${Math.max(0, r.ownMicrosPerItem).toFixed(1)} µs\n`,
		);
	}

	process.stdout.write(`\nCampaign-safety options on a ${campaignProvider.name} bulk, ratio to the same bulk without them (target: each option on ≤ ${CAMPAIGN_OVER_OFF}x)\n${campaignTable(campaign)}\n`);

	process.stdout.write(`\nMemory of one bulk send (each row in a process of its own, its simulator in another; heap sampled every 20 ms)\n`);
	const memory: MemoryRow[] = runs('memory') ? [await memoryRow('read', MEMORY_N)] : [];
	// The long runs (one request per recipient) last.
	for (const provider of runs('memory') ? [...BENCHED].sort((a, b) => Number(a.batchSize === 1) - Number(b.batchSize === 1)) : []) {
		const n = provider.batchSize === 1 ? LMT_MEMORY_N : MEMORY_N;
		const note = n !== MEMORY_N ? `(N ${n}, not ${MEMORY_N}: BENCH_MEMORY_LMT_N)` : undefined;
		if (note) notes.push(`LMT memory run: ${n} items ${note}`);
		const row = await memoryRow(provider.key, n, note);
		if (row.runMs > MEMORY_RUN_BUDGET_MS) notes.push(`${provider.name} memory run took ${(row.runMs / 1000).toFixed(0)} s for ${n} items (budget ${MEMORY_RUN_BUDGET_MS / 1000} s): set BENCH_MEMORY_${provider.batchSize === 1 ? 'LMT_' : ''}N lower`);
		memory.push(row);
	}
	await closeTransportPools();

	process.stdout.write(`\nIn-process benchmark, ${ROUNDS} rounds in turns (median; ${FAN_OUT_ROUNDS} where a request takes one recipient), concurrency ${CONCURRENCY} on both sides, node Options ${JSON.stringify(NODE_OPTIONS)}\n`);
	process.stdout.write(`own µs/item = (node − n8n-read − raw) / N, shown as 0 when negative; (node − raw) / N bounds it from above. Targets: own < ${TARGETS.ownMicrosPerItem} µs/item; LMT fan-out node/raw ≤ ${TARGETS.lmtFanOutOverRaw}.\n\n`);
	process.stdout.write(`${timingTable(timing)}\n\n${memoryTable(memory)}\n`);
	for (const note of notes) process.stdout.write(`note: ${note}\n`);
	const file = writeReport({ rounds: ROUNDS, fanOutRounds: FAN_OUT_ROUNDS, concurrency: CONCURRENCY, timing, campaign, memory, notes });
	process.stdout.write(`\nJSON: ${file}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
