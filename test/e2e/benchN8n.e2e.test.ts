/**
 * `npm run bench:n8n` as a smoke check: N = 1000, every provider and every variant in one
 * workflow and one `n8n execute`. It checks that the variants run and send the same SMS
 * (the simulators' ledgers), and prints the table; no time is asserted (times are for
 * `npm run bench:n8n`, one execution per variant). In queue mode the execution runs on a worker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { benchTable, runN8nBench } from '../../bench/n8n/bench';
import { stackModeFromEnv } from '../real-n8n/packageStack';

const N = 1000;
const mode = stackModeFromEnv();

test(`bench:n8n with N = ${N} (${mode === 'queue' ? 'queue mode, on a worker' : 'one process'}): every variant runs and sends the same ${N} SMS`, async () => {
	const work = mkdtempSync(join(tmpdir(), 'africa-sms-bench-smoke-'));
	const report = await runN8nBench({ counts: [N], providers: ['mtn', 'lmt', 'ion', 'msp'], together: true, mode, work, log: () => undefined });
	process.stdout.write(`bench:n8n smoke (${mode}; one execution for every variant; ${work})\n${benchTable(report)}\n`);
	expect(report.mode).toBe(mode);
	const ranOn = [...new Set(report.rows.map((r) => r.ranOn))];
	if (mode === 'queue') expect(ranOn).toEqual([expect.stringMatching(/^worker-\d$/)]);
	else expect(ranOn).toEqual([undefined]);

	const seen = report.rows.map((r) => ({ provider: r.provider, variant: r.variant, error: r.error, sms: r.sms, sameSms: r.sameSms }));
	const expected = (provider: string, variants: string[]) => variants.map((variant) => ({ provider, variant, error: undefined, sms: N, sameSms: true }));
	expect(seen).toEqual([
		...expected('mtn', ['ours', 'perItem', 'batched', 'packed']),
		...expected('lmt', ['ours', 'perItem', 'batched']),
		...expected('ion', ['ours', 'perItem', 'batched', 'packed']),
		...expected('msp', ['ours', 'perItem', 'batched', 'packed']),
	]);
	const requests = Object.fromEntries(report.rows.map((r) => [`${r.provider} ${r.variant}`, r.requests]));
	expect(requests).toEqual({
		'mtn ours': 1, 'mtn perItem': N, 'mtn batched': N, 'mtn packed': 1,
		'lmt ours': N, 'lmt perItem': N, 'lmt batched': N,
		'ion ours': 1, 'ion perItem': N, 'ion batched': N, 'ion packed': 1,
		'msp ours': 1, 'msp perItem': N, 'msp batched': N, 'msp packed': 1,
	});
	// Our node: one output item per input item, none failed.
	for (const row of report.rows.filter((r) => r.variant === 'ours')) expect({ provider: row.provider, items: row.outputItems, failed: row.failedItems }).toEqual({ provider: row.provider, items: N, failed: 0 });
}, 900_000);
