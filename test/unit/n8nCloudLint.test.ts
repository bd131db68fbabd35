/**
 * `npm run lint:n8n-cloud`: the rules n8n's scanner applies for n8n Cloud report only the
 * departures docs/departures.md lists, each still needed (a departure nothing breaks any
 * more is dropped from the list).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

interface Report {
	rule: string;
	file: string;
	line: number;
	message: string;
}

test('the n8n Cloud rules report only the listed departures, each documented and each still needed', () => {
	const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'lint-n8n-cloud.mjs'), '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 20 * 1024 * 1024 });
	const { departures, fresh } = JSON.parse(out) as { departures: Report[]; fresh: Report[] };
	expect(fresh).toEqual([]);
	const script = readFileSync(join(ROOT, 'scripts', 'lint-n8n-cloud.mjs'), 'utf8');
	const listed = [...script.matchAll(/^\t'(@n8n\/community-nodes\/[a-z-]+)':/gm)].map((m) => m[1]);
	expect(listed.length).toBeGreaterThan(0);
	expect([...new Set(departures.map((r) => r.rule))].sort()).toEqual([...listed].sort());
	const doc = readFileSync(join(ROOT, 'docs', 'departures.md'), 'utf8');
	for (const rule of listed) expect({ rule, documented: doc.includes(`| \`${rule.replace('@n8n/community-nodes/', '')}\` |`) }).toEqual({ rule, documented: true });
}, 120_000);

test('no inline eslint-disable in what users install: the scanner ignores them', () => {
	let found = '';
	try {
		found = execFileSync('git', ['grep', '-n', 'eslint-disable', '--', 'nodes', 'credentials'], { cwd: ROOT, encoding: 'utf8' });
	} catch (error) {
		// git grep exits with 1 when nothing matches.
		if ((error as { status?: number }).status !== 1) throw error;
	}
	expect(found.trim()).toBe('');
});
