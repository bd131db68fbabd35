/**
 * `npm run bench:n8n [-- --n=1000,10000,100000 --providers=mtn,lmt,ion,msp (default: all) --variants=ours,perItem,batched,packed
 *   --per-item-up-to=10000 --out=FILE --queue --without-reads-off --with-idempotency-key --warm-up --rounds=3]`
 * One n8n process by default (`n8n execute`); `--queue`: n8n in queue mode, every execution on
 * a worker. Either way also our node with plain field reads off and with its send journal off
 * (the node's hidden engineSwitches parameter, set in the workflow).
 * `--with-idempotency-key`: also our node with the option Idempotency Key on (a new key per item and execution).
 * Cold by default: in one process, each execution is a fresh `n8n execute`, so a variant's node
 * time includes its first-use loading (our node's undici, n8n's HTTP Request code).
 * `--warm-up`: each variant's chain runs first on one recipient in the same execution (its own
 * text, not counted), and only the run on N is timed: the steady state.
 * `--rounds=R`: every execution R times, rounds alternated; a row is its median round (single
 * runs of a row vary by up to a third on a shared machine).
 * Prints one table (variant, N, requests, node time, peak RSS, ratios to our node) and writes
 * it as JSON (default .bench/bench-n8n.json) for a later run to compare with.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { sandboxProviders } from '../test/sandbox/sandbox';
import { benchTable, runN8nBench, writeReport } from './n8n/bench';
import type { ProviderKey, VariantKey } from './n8n/variants';

function flag(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);

async function main(): Promise<void> {
	const counts = (list(flag('n')) ?? ['1000', '10000', '100000']).map(Number);
	if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--n takes whole numbers, e.g. --n=1000,10000; got ${flag('n')}`);
	// Default: every provider the sandbox runs (the tests' registry).
	const providers: ProviderKey[] = list(flag('providers')) ?? sandboxProviders().map((p) => p.sandbox.key);
	const variants = list(flag('variants')) as VariantKey[] | undefined;
	const perItemUpTo = Number(flag('per-item-up-to') ?? 10_000);
	const queue = process.argv.includes('--queue');
	const warmUp = process.argv.includes('--warm-up');
	const rounds = Number(flag('rounds') ?? 1);
	if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a whole number, e.g. --rounds=3; got ${flag('rounds')}`);
	const out = resolve(flag('out') ?? join('.bench', queue ? 'bench-n8n-queue.json' : 'bench-n8n.json'));
	const work = mkdtempSync(join(tmpdir(), 'africa-sms-bench-n8n-'));
	process.stdout.write(
		`bench:n8n: N = ${counts.join(', ')}; providers ${providers.join(', ')}; (a) and (b) up to N = ${perItemUpTo} (--per-item-up-to); ${queue ? 'queue mode (workers)' : 'one process'}; ${warmUp ? 'warm-up run first (--warm-up)' : 'cold (no --warm-up)'}; ${rounds} round${rounds > 1 ? 's, rows the median' : ''}; work folder ${work}\n`,
	);
	// --without-reads-off: no "plain field reads off" row (n8n evaluating every item: a minute a run at 100 000).
	const withoutPlainFieldReads = !process.argv.includes('--without-reads-off');
	const report = await runN8nBench({ counts, providers, variants, perItemUpTo, work, mode: queue ? 'queue' : 'single', withoutPlainFieldReads, withoutJournal: true, withIdempotencyKey: process.argv.includes('--with-idempotency-key'), warmUp, rounds });
	process.stdout.write(`\nn8n ${report.n8nVersion}${queue ? ' in queue mode' : ''}, Node.js ${report.nodeVersion}, ${report.cpus} cores, ${report.memoryGiB} GiB, ${report.date}\n`);
	process.stdout.write(`node time: n8n's own execution time of the variant's nodes; × ours: that time / our node's (same provider and N)\n`);
	process.stdout.write(
		report.warmUp
			? `warm-up: each variant after a warm-up run of its own nodes in the same execution (one recipient, another text; its requests and SMS not counted): the steady state\n\n`
			: `cold: no warm-up run${queue ? '' : ' (each variant in a fresh process, its first-use loading included)'}; --warm-up for the steady state\n\n`,
	);
	process.stdout.write(`${benchTable(report)}\n\nJSON: ${out}\n`);
	writeReport(report, out);
	if (report.rows.some((r) => !r.sameSms && !r.error)) process.exitCode = 1;
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
