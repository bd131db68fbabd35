import { closeTransportPools } from '../../nodes/shared/transport';
import { cellName, cellsFor, PROPERTIES, runCells, saveResults, type ProviderSpec } from './matrix';
import { PROVIDERS } from './providers';

/** Cells run at once per provider, each on its own simulator. */
const CONCURRENCY = Number(process.env.FAULTS_CONCURRENCY ?? 6);

/**
 * The providers of one shard (every `count`-th of the registry from `shard`): jest runs the
 * shard files on its workers side by side, and a new provider joins without a file of its own.
 */
export function runShard(shard: number, count: number): void {
	afterAll(async () => await closeTransportPools());
	const providers = Object.values(PROVIDERS).filter((_, i) => i % count === shard);
	for (const provider of providers) runProviderMatrix(provider);
}

/** One jest test per provider: all its cells, then a table, then zero violations expected. */
function runProviderMatrix(provider: ProviderSpec): void {
	test(`${provider.label}: every sending operation × fault × position × Retry/Continue On Fail`, async () => {
		// FAULTS_FILTER (a regular expression over cell names) runs a part, while working on it.
		const filter = process.env.FAULTS_FILTER ? new RegExp(process.env.FAULTS_FILTER) : undefined;
		const cells = cellsFor(provider).filter((cell) => !filter || filter.test(cellName(cell)));
		const started = Date.now();
		const results = await runCells(cells, provider, CONCURRENCY);
		saveResults(provider.label, results);
		const failing = results.filter((r) => r.violations.length > 0);
		const counts = PROPERTIES.map((p) => `${p}: ${results.reduce((n, r) => n + r.violations.filter((v) => v.property === p).length, 0)}`);
		process.stdout.write(
			`${provider.label}: ${results.length} cells in ${((Date.now() - started) / 1000).toFixed(1)} s, ${results.length - failing.length} held; violations: ${counts.join(', ')}\n`,
		);
		// The ledger check sees duplicates: where they are allowed (Retry Ambiguous Failures after
		// a 500 that came after the provider acted), the transport's resend makes some.
		const allowing = results.filter((r) => r.cell.endsWith('retry ambiguous'));
		const allowed = allowing.reduce((n, r) => n + r.duplicates, 0);
		process.stdout.write(`${provider.label}: ${allowed} duplicate SMS where Retry Ambiguous Failures allows them\n`);
		if (allowing.some((r) => r.cell.includes('500 after acting'))) expect(allowed).toBeGreaterThan(0);
		expect(results.filter((r) => !r.faultFired).map((r) => r.cell)).toEqual([]);
		expect(failing.slice(0, 25).map((r) => ({ cell: r.cell, violations: r.violations }))).toEqual([]);
	});
}
