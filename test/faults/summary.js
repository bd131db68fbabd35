// Jest globalSetup / globalTeardown of `npm run test:faults`: clears the results, then
// prints one table over every provider's cells.
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const FILE = join(__dirname, '..', '..', '.faults', 'results.jsonl');

function setup() {
	rmSync(FILE, { force: true });
}

function teardown() {
	if (!existsSync(FILE)) return;
	const runs = readFileSync(FILE, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
	const all = runs.flatMap((r) => r.results);
	const properties = [...new Set(all.flatMap((r) => r.violations.map((v) => v.property)))];
	const known = [
		'one output item per input item, paired',
		'no SMS twice',
		'no success the provider never accepted',
		'no accepted SMS reported failed without "may have been sent"',
		'no secret in run data or logs',
		'a later execution sends what certainly was not sent',
		'a later execution resends nothing that was or may have been sent',
	];
	const rows = [['', 'cells', 'keyed', 'held', 'items ok', 'items failed', 'stopped runs']];
	for (const run of runs) {
		const held = run.results.filter((r) => r.violations.length === 0).length;
		const sum = (key) => run.results.reduce((n, r) => n + (key === 'stopped' ? (r.outcome.stopped ? 1 : 0) : r.outcome[key]), 0);
		const keyed = run.results.filter((r) => r.cell.includes(' keyed | ')).length;
		rows.push([run.provider, run.results.length, keyed, held, sum('succeeded'), sum('failed'), sum('stopped')]);
	}
	const held = all.filter((r) => r.violations.length === 0).length;
	rows.push(['all', all.length, all.filter((r) => r.cell.includes(' keyed | ')).length, held, '', '', '']);
	const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
	const line = (r) => r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  ');
	const out = ['', 'Fault matrix', ...rows.map(line), '', `${'Property'.padEnd(68)}violations`];
	for (const p of [...known, ...properties.filter((p) => !known.includes(p))]) {
		out.push(`${p.padEnd(68)}${all.reduce((n, r) => n + r.violations.filter((v) => v.property === p).length, 0)}`);
	}
	process.stdout.write(`${out.join('\n')}\n`);
}

module.exports = { setup, teardown };
