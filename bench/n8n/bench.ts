/**
 * `npm run bench:n8n` (and its N = 1000 smoke check in `npm run test:e2e`): our bulk send
 * against n8n's HTTP Request node in the provisioned n8n, the packed package installed as
 * users install it, the simulators on loopback. Every run is a headless `n8n execute` or, in
 * queue mode, the editor's "Execute workflow" run by a worker; the figures are n8n's own node
 * execution times and the peak memory of n8n's process tree (the worker's); the simulators'
 * ledgers must show that each variant sent the same SMS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { installCommunityPackage, packProject } from '../../test/real-n8n/communityPackage';
import { SANDBOX_OWNER, sandboxCredentials } from '../../test/real-n8n/examples';
import { claimPort, N8nInstance } from '../../test/real-n8n/instance';
import type { StackMode } from '../../test/real-n8n/packageStack';
import { startQueueCluster } from '../../test/real-n8n/queueStack';
import { ensureN8n, type N8nRuntime } from '../../test/real-n8n/runtime';
import type { TestSimulator } from '../../test/providers/registry';
import { sandboxProviders } from '../../test/sandbox/sandbox';
import { MAX_RECIPIENTS } from '../inProcess/providers';
import { executeMeasured, executeOnWorker, type ExecuteResult } from './execution';
import { benchProviders, benchWorkflow, httpCredentials, markerOf, VARIANTS, variantsOf, WARM_UP_TAG, type BenchProvider, type BenchWorkflowOptions, type Chain, type ProviderKey, type VariantKey } from './variants';

export interface BenchOptions {
	counts: number[];
	providers: ProviderKey[];
	/** Only these variants (default: every variant a provider has). */
	variants?: VariantKey[];
	/** Every chain of one N in one workflow and one execution (the smoke check); default: one execution per chain. */
	together?: boolean;
	/** Variants (a) and (b) only up to this N (one request per item: at 100 000 each takes many minutes). Default: no limit. */
	perItemUpTo?: number;
	/** Also run our node with its plain field reads off (n8n evaluates `{{ $json.phone }}` per item). */
	withoutPlainFieldReads?: boolean;
	/** Also run our node with its send journal off (what the journal's store writes cost). */
	withoutJournal?: boolean;
	/** Also run our node with the option Idempotency Key on (claims in n8n's deduplication store). */
	withIdempotencyKey?: boolean;
	/** One n8n process (default) or queue mode: main, webhook processor, two workers, PostgreSQL, Redis. */
	mode?: StackMode;
	/** Each variant's chain first on one recipient in the same execution: the measured node time leaves out first-use loading. */
	warmUp?: boolean;
	/** Every run this many times, rounds alternated (run 1, 2, …, then 1, 2, … again); a row is its median round. Default 1. */
	rounds?: number;
	/** A fresh folder for n8n's user folder, the packed package and the logs. */
	work: string;
	log?: (line: string) => void;
}

export interface BenchRow {
	provider: ProviderKey;
	variant: VariantKey | OursVariation;
	label: string;
	n: number;
	requests: number;
	/** n8n's execution time of the variant's nodes (for (c): the packing Code node and the HTTP Request node). */
	nodeMs: number;
	/** `n8n execute` from spawn to exit, n8n's start included. */
	wallMs: number;
	/** Peak RSS of n8n's process tree during the execution; shared by every chain in `together` mode. */
	peakRssMb: number;
	outputItems: number;
	failedItems: number;
	/** Queue mode: the worker that ran it. */
	ranOn?: string;
	/** SMS in the simulator's ledger with the variant's text; `sameSms`: exactly the N recipients, once each. */
	sms: number;
	sameSms: boolean;
	/** `warmUp`: the warm-up chain's own figures (one recipient, first use included); none of them is in the row's other fields. */
	warmUp?: { nodeMs: number; requests: number; sms: number };
	/** One process: the time the sends waited for the send journal, and its writes (the row's execution has one chain). */
	journal?: { waitMs: number; writes: number; writeMs: number };
	/** With several rounds, every round's node time, in order; the row's other figures are its median round's. */
	roundsMs?: number[];
	/** This row's node time / our node's, same provider and N. */
	timeRatio?: number;
	rssRatio?: number;
	error?: string;
}

export interface BenchReport {
	date: string;
	mode: StackMode;
	/** Every variant timed after a warm-up run of its own nodes in the same execution (steady state); false: cold, first use included. */
	warmUp: boolean;
	/** Rounds per row (the row: the median round), when more than one. */
	rounds?: number;
	n8nVersion: string;
	nodeVersion: string;
	cpus: number;
	memoryGiB: number;
	rows: BenchRow[];
}

/** Settings for every `n8n execute`: nothing saved; Code nodes keep n8n's default runner. (n8n prints the run data at log level info.) */
const EXECUTE_ENV: NodeJS.ProcessEnv = {
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'none',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
	EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
};

const timeoutFor = (n: number) => 180_000 + n * 10;

/** Our node again, in a workflow of its own that is the same but for one engine switch (the node's hidden engineSwitches parameter). */
type OursVariation = 'oursEvaluated' | 'oursNoJournal' | 'oursIdempotent';
const OURS_VARIATIONS: Record<OursVariation, { label: string; workflow: BenchWorkflowOptions; option: keyof BenchOptions }> = {
	oursEvaluated: { label: `${VARIANTS.ours}, plain field reads off`, workflow: { engineSwitches: { plainFieldReads: false } }, option: 'withoutPlainFieldReads' },
	oursNoJournal: { label: `${VARIANTS.ours}, send journal off`, workflow: { engineSwitches: { sendJournal: false } }, option: 'withoutJournal' },
	oursIdempotent: { label: `${VARIANTS.ours}, Idempotency Key`, workflow: { idempotencyKey: true }, option: 'withIdempotencyKey' },
};

interface Run {
	workflowId: string;
	n: number;
	chains: Chain[];
	variation?: OursVariation;
}

/** Where the bench's workflows run: one n8n process (`n8n execute`), or queue mode (a worker). */
interface BenchTarget {
	execute(run: Run, timeoutMs: number): Promise<ExecuteResult>;
	stop(): Promise<void>;
}

/** One process: every run a headless `n8n execute`, nothing saved. */
async function singleProcessTarget(runtime: N8nRuntime, options: BenchOptions, setup: (n8n: N8nInstance) => Promise<void>): Promise<BenchTarget> {
	const n8n = new N8nInstance(runtime, {
		userFolder: join(options.work, 'user'),
		port: await claimPort(),
		brokerPort: await claimPort(),
		logFile: join(options.work, 'n8n.log'),
		env: EXECUTE_ENV,
	});
	try {
		await installCommunityPackage(n8n.options.userFolder, await packProject(options.work), join(options.work, 'install.log'));
		await setup(n8n);
	} catch (error) {
		await n8n.stop();
		throw error;
	}
	return {
		execute: (run, timeoutMs) => executeMeasured(n8n, run.workflowId, join(options.work, 'execute.out'), timeoutMs),
		stop: () => n8n.stop(),
	};
}

/** Queue mode (queueStack.ts): every run the editor's "Execute workflow", which a worker runs; n8n saves it in PostgreSQL. */
async function queueTarget(runtime: N8nRuntime, options: BenchOptions, setup: (n8n: N8nInstance) => Promise<void>): Promise<BenchTarget> {
	const queue = await startQueueCluster(runtime, options.work, await packProject(options.work), { beforeStart: setup });
	try {
		const cookie = await queue.main.setupOwner(SANDBOX_OWNER);
		return {
			execute: (run, timeoutMs) => executeOnWorker(queue, cookie, run.workflowId, timeoutMs),
			stop: () => queue.stop(),
		};
	} catch (error) {
		await queue.stop();
		throw error;
	}
}

export async function runN8nBench(options: BenchOptions): Promise<BenchReport> {
	const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
	const mode = options.mode ?? 'single';
	if (options.counts.some((n) => n > MAX_RECIPIENTS)) throw new Error(`bench:n8n takes N up to ${MAX_RECIPIENTS} (the test providers' numbers); got ${options.counts.join(', ')}`);
	const runtime = await ensureN8n((line) => log(`[n8n] ${line}`));
	// The registry's simulators (credit for any run: each run starts from it again), by the providers' sandbox keys.
	const sims: Record<ProviderKey, TestSimulator> = {};
	let target: BenchTarget | undefined;
	try {
		for (const p of sandboxProviders()) sims[p.sandbox.key] = await p.createSimulator().start();
		const all = benchProviders(sims);
		const providers = options.providers.map((key) => {
			if (!all[key]) throw new Error(`bench:n8n knows no provider "${key}"; it knows ${Object.keys(all).join(', ')}`);
			return all[key];
		});
		const variants = (p: BenchProvider, n: number) =>
			variantsOf(p).filter((v) => (!options.variants || options.variants.includes(v)) && !((v === 'perItem' || v === 'batched') && n > (options.perItemUpTo ?? Infinity)));

		const runs: Run[] = [];
		const workflows: object[] = [];
		const add = (n: number, ps: BenchProvider[], vs: (p: BenchProvider) => VariantKey[], variation?: OursVariation) => {
			const id = `AfSmsBench${String(workflows.length).padStart(6, '0')}`;
			const { workflow, chains } = benchWorkflow(id, ps, vs, n, { ...(variation ? OURS_VARIATIONS[variation].workflow : {}), warmUp: options.warmUp });
			workflows.push(workflow);
			runs.push({ workflowId: id, n, chains, ...(variation ? { variation } : {}) });
		};
		for (const n of options.counts) {
			if (options.together) {
				add(n, providers, (p) => variants(p, n));
				continue;
			}
			for (const provider of providers) {
				for (const variant of variants(provider, n)) {
					add(n, [provider], () => [variant]);
					if (variant !== 'ours') continue;
					for (const [variation, { option }] of Object.entries(OURS_VARIATIONS)) {
						if (options[option]) add(n, [provider], () => ['ours'], variation as OursVariation);
					}
				}
			}
		}
		const file = join(options.work, 'bench-workflows.json');
		writeFileSync(file, JSON.stringify(workflows));
		const setup = async (n8n: N8nInstance) => {
			await n8n.importCredentials([...sandboxCredentials({ byKey: sims }), ...httpCredentials(all)]);
			await n8n.importWorkflow(file);
		};
		target = await (mode === 'queue' ? queueTarget : singleProcessTarget)(runtime, options, setup);

		// One execution of a run: a row per chain.
		const measureRun = async (run: Run): Promise<BenchRow[]> => {
			const rows: BenchRow[] = [];
			for (const sim of Object.values(sims)) sim.reset();
			if (!target) throw new Error('bench:n8n: no n8n to run on');
			const result = await target.execute(run, timeoutFor(run.n * run.chains.length));
			for (const chain of run.chains) {
				const provider = all[chain.provider];
				const sim = sims[chain.provider];
				// The warm-up's text is the measured one plus WARM_UP_TAG: its requests carry the marker too, and the tag tells them apart.
				const marker = markerOf(chain.variant);
				const warm = chain.warmUp;
				const ofChain = sim.requests.filter((r) => r.rawBody.includes(marker));
				const warmUpRequests = warm ? ofChain.filter((r) => r.rawBody.includes(WARM_UP_TAG)).length : 0;
				// The ledger: exact texts, so the warm-up's SMS are left out of `sent`.
				const sent = sim.ledger.filter((s) => s.text === chain.message).map((s) => s.to);
				const expected = new Set(Array.from({ length: run.n }, (_, i) => provider.phone(i)));
				const last = result.nodes[chain.lastNode];
				// A failed warm-up stops the run before the measured nodes: its error is the row's.
				const nodeError = [...(warm?.timedNodes ?? []), ...chain.timedNodes].map((name) => result.nodes[name]?.error).find(Boolean);
				const nodeMsOf = (names: string[]) => names.reduce((sum, name) => sum + (result.nodes[name]?.executionTime ?? 0), 0);
				const row: BenchRow = {
					provider: chain.provider,
					variant: run.variation ?? chain.variant,
					label: run.variation ? OURS_VARIATIONS[run.variation].label : VARIANTS[chain.variant],
					n: run.n,
					requests: ofChain.length - warmUpRequests,
					nodeMs: nodeMsOf(chain.timedNodes),
					wallMs: result.wallMs,
					peakRssMb: result.peakRssMb,
					outputItems: last?.items ?? 0,
					failedItems: last?.failedItems ?? 0,
					...(result.ranOn ? { ranOn: result.ranOn } : {}),
					...(result.journal && run.chains.length === 1 ? { journal: { waitMs: result.journal.waitMs, writes: result.journal.writes, writeMs: result.journal.writeMs } } : {}),
					sms: sent.length,
					sameSms: sent.length === run.n && new Set(sent).size === run.n && sent.every((to) => expected.has(to)),
					...(warm ? { warmUp: { nodeMs: nodeMsOf(warm.timedNodes), requests: warmUpRequests, sms: sim.ledger.filter((s) => s.text === warm.message).length } } : {}),
					...(nodeError || (!last && result.error) ? { error: nodeError ?? result.error } : {}),
				};
				rows.push(row);
				const warmUpNote = row.warmUp ? `  (warm-up: ${(row.warmUp.nodeMs / 1000).toFixed(2)} s, ${row.warmUp.requests} requests, ${row.warmUp.sms} SMS)` : '';
				log(`  ${provider.name.padEnd(16)} ${row.label.padEnd(48)} N=${String(run.n).padStart(6)}  ${(row.nodeMs / 1000).toFixed(2).padStart(8)} s  ${row.peakRssMb.toFixed(0).padStart(5)} MB  ${row.requests} requests, ${row.sms} SMS${row.sameSms ? '' : ' (NOT the expected SMS)'}${warmUpNote}${row.error ? `  error: ${row.error}` : ''}`);
			}
			return rows;
		};

		// Rounds alternated, so that a slow spell of the machine does not fall on one variant only.
		const rounds = Math.max(1, options.rounds ?? 1);
		const byRound: BenchRow[][] = [];
		for (let round = 0; round < rounds; round++) {
			if (rounds > 1) log(`round ${round + 1} of ${rounds}`);
			const rows: BenchRow[] = [];
			for (const run of runs) rows.push(...(await measureRun(run)));
			byRound.push(rows);
		}
		const rows = byRound[0].map((_, i) => medianRound(byRound.map((rows) => rows[i])));
		for (const row of rows) {
			const ours = rows.find((r) => r.provider === row.provider && r.n === row.n && r.variant === 'ours');
			if (ours && ours.nodeMs > 0) row.timeRatio = row.nodeMs / ours.nodeMs;
			if (ours && ours.peakRssMb > 0) row.rssRatio = row.peakRssMb / ours.peakRssMb;
		}
		return {
			date: new Date().toISOString(),
			mode,
			warmUp: options.warmUp ?? false,
			...(rounds > 1 ? { rounds } : {}),
			n8nVersion: runtime.n8nVersion,
			nodeVersion: runtime.nodeVersion,
			cpus: cpus().length,
			memoryGiB: Math.round(totalmem() / 2 ** 30),
			rows,
		};
	} finally {
		await target?.stop();
		await Promise.all(Object.values(sims).map(async (sim) => await sim.stop()));
	}
}

/** The round whose node time is the median, with every round's time; an error or wrong SMS in any round stays on the row. */
function medianRound(samples: BenchRow[]): BenchRow {
	if (samples.length === 1) return samples[0];
	const sorted = [...samples].sort((a, b) => a.nodeMs - b.nodeMs);
	const median = sorted[Math.floor((sorted.length - 1) / 2)];
	const wrong = samples.find((r) => r.error || !r.sameSms);
	return { ...median, roundsMs: samples.map((r) => r.nodeMs), ...(wrong ? { sameSms: false, sms: wrong.sms, ...(wrong.error ? { error: wrong.error } : {}) } : {}) };
}

/** The plain table: one line per variant and N; with a warm-up, the node time is the steady state and a last column the warm-up's (one recipient, first use included). */
export function benchTable(report: BenchReport): string {
	const rounds = (report.rounds ?? 1) > 1;
	const journal = report.rows.some((r) => r.journal);
	const header = [
		'provider',
		'variant',
		'N',
		'requests',
		`${rounds ? 'median ' : ''}node time${report.warmUp ? ' (warm)' : ''}`,
		'× ours',
		'peak RSS',
		'× ours',
		'SMS',
		...(journal ? ['journal wait (writes)'] : []),
		...(report.warmUp ? ['warm-up run'] : []),
		...(rounds ? ['rounds'] : []),
	];
	const lines = report.rows.map((r) => [
		r.provider,
		r.label,
		String(r.n),
		String(r.requests),
		r.error && !r.nodeMs ? 'failed' : `${(r.nodeMs / 1000).toFixed(2)} s`,
		r.timeRatio === undefined ? '' : `${r.timeRatio.toFixed(1)}×`,
		`${r.peakRssMb.toFixed(0)} MB`,
		r.rssRatio === undefined ? '' : `${r.rssRatio.toFixed(2)}×`,
		r.error ? `error: ${r.error.slice(0, 80)}` : r.sameSms ? `${r.sms} ok` : `${r.sms} WRONG`,
		...(journal ? [r.journal ? `${r.journal.waitMs.toFixed(0)} ms, ${((100 * r.journal.waitMs) / Math.max(r.nodeMs, 1)).toFixed(1)}% (${r.journal.writes})` : ''] : []),
		...(report.warmUp ? [r.warmUp ? `${(r.warmUp.nodeMs / 1000).toFixed(2)} s, ${r.warmUp.sms} SMS` : ''] : []),
		...(rounds ? [(r.roundsMs ?? []).map((ms) => (ms / 1000).toFixed(2)).join(' / ')] : []),
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
	return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

export function writeReport(report: BenchReport, file: string): void {
	mkdirSync(join(file, '..'), { recursive: true });
	writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
