/**
 * `npm run bench:load`: what loading our package costs a fresh process. n8n requires every
 * node and credential file of package.json's "n8n" section at startup to read their
 * descriptions; the first execution then pays whatever those files left for later.
 * Each row is measured in its own child process (a require is cached once done): the wall
 * time of the require (or of the first call) inside the child, and the heap it leaves after
 * a gc; the median of BENCH_LOAD_RUNS (7) children. Both under the Node running this script
 * and under the Node 24 the real n8n runs on (test/real-n8n/runtime.ts), when provisioned.
 * "Our own": the same files with undici, zod and libphonenumber-js loaded first; "our code":
 * n8n-workflow too, since our files import it and n8n has it loaded before reading any node.
 * The table is also written to .bench/bench-load.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { UNDICI_MODULES } from '../nodes/shared/httpAgents';
import { cacheRoot, NODE_VERSION } from '../test/real-n8n/runtime';

const RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 7);
/** This file runs compiled, as .bench/bench/loadCost.js. */
const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
/** Looked for in require.cache: our three dependencies, and n8n-workflow, which our files import and n8n has loaded already. */
const DEPENDENCIES = ['undici', 'zod', 'libphonenumber-js', 'n8n-workflow'] as const;
const MB = 1024 * 1024;

/** A call timed instead of a require: `member` ('a.b') of the module's exports, called with `args`. */
interface Use {
	module: string;
	member: string;
	args: unknown[];
}

interface Case {
	key: string;
	label: string;
	/** Required before the measure starts. */
	preload: string[];
	/** Required in the measure (when there is no `use`). */
	load: string[];
	use?: Use;
}

interface ChildResult {
	version: string;
	ms: number;
	heapBytes: number;
	/** Whether require.cache holds each dependency afterwards, and how many of our dist files. */
	loaded: Record<(typeof DEPENDENCIES)[number], boolean> & { distFiles: number };
}

/**
 * The child: preloads, then times the requires (or the first call) with the heap after a gc
 * on both sides, and prints what require.cache holds at the end. Plain JS, run with `node -e`.
 */
const CHILD = `
const spec = JSON.parse(process.argv[1]);
const path = require('node:path');
const heap = () => (global.gc(), process.memoryUsage().heapUsed);
for (const file of spec.preload) require(file);
let step = () => { for (const file of spec.load) require(file); };
if (spec.use) {
	const names = spec.use.member.split('.');
	let owner = require(spec.use.module);
	for (const name of names.slice(0, -1)) owner = owner[name];
	const fn = owner[names[names.length - 1]];
	step = () => fn.apply(owner, spec.use.args);
}
const before = heap();
const started = process.hrtime.bigint();
step();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const heapBytes = heap() - before;
const files = Object.keys(require.cache);
const has = (dep) => files.some((file) => file.includes(path.sep + 'node_modules' + path.sep + dep + path.sep));
const loaded = { distFiles: files.filter((file) => file.startsWith(spec.dist + path.sep)).length };
for (const dep of spec.dependencies) loaded[dep] = has(dep);
process.stdout.write(JSON.stringify({ version: process.version, ms, heapBytes, loaded }));
`;

function cases(): Case[] {
	const resolve = (id: string) => require.resolve(id, { paths: [ROOT] });
	const n8n = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } }).n8n;
	const startup = [...n8n.nodes, ...n8n.credentials].map((file) => path.join(ROOT, file));
	const deps = ['undici', 'zod', 'libphonenumber-js/max'].map(resolve);
	const mtnNode = path.join(DIST, 'nodes', 'MtnCongoSms', 'MtnCongoSms.node.js');
	// A delivery report as MTN answers a status request: its zod schema's first parse.
	const statusAnswer = { status: 200, headers: {}, text: JSON.stringify({ resultat: ['242068463499, 1, Livré au téléphone'], status: '200' }) };
	return [
		{ key: 'undici', label: 'undici alone (its index)', preload: [], load: [deps[0]] },
		// What the transport loads at the first request (nodes/shared/httpAgents.ts).
		{ key: 'undiciAgent', label: "  undici's agent modules, as the transport loads them", preload: [], load: Object.values(UNDICI_MODULES).map(resolve) },
		{ key: 'zod', label: 'zod alone', preload: [], load: [deps[1]] },
		{ key: 'libphonenumber', label: 'libphonenumber-js/max alone', preload: [], load: [deps[2]] },
		{ key: 'startup', label: `n8n startup: ${n8n.nodes.length} nodes + ${n8n.credentials.length} credentials`, preload: [], load: startup },
		{ key: 'own', label: '  the same, dependencies loaded first (our own)', preload: deps, load: startup },
		// n8n has its n8n-workflow loaded before it reads any node: what is left is our code alone.
		{ key: 'ownCode', label: '  the same, n8n-workflow loaded first too (our code)', preload: [...deps, resolve('n8n-workflow')], load: startup },
		{
			key: 'firstPhone',
			label: "first normalizePhone('+242068463499', 'CG'), MTN node loaded",
			preload: [mtnNode],
			load: [],
			use: { module: path.join(DIST, 'nodes', 'shared', 'phone.js'), member: 'normalizePhone', args: ['+242068463499', 'CG'] },
		},
		{
			key: 'firstAnswer',
			label: 'first MTN status answer parse (zod), MTN node loaded',
			preload: [mtnNode],
			load: [],
			use: { module: path.join(DIST, 'nodes', 'MtnCongoSms', 'mtnCongo.api.js'), member: 'mtnCongoProvider.parseStatus', args: [statusAnswer, 'm1'] },
		},
	];
}

/** Node 24 where runtime.ts's ensureNode installs it (found here, never installed). */
function node24(): string | undefined {
	const platform = ({ linux: 'linux', darwin: 'darwin', win32: 'win' } as Record<string, string | undefined>)[process.platform];
	if (!platform) return undefined;
	const bin = path.join(cacheRoot(), `node-${NODE_VERSION}`, 'node_modules', `node-${platform}-${process.arch}`, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
	return existsSync(bin) ? bin : undefined;
}

function runChild(node: string, c: Case): ChildResult {
	const spec = { ...c, dist: DIST, dependencies: DEPENDENCIES };
	const child = spawnSync(node, ['--expose-gc', '-e', CHILD, JSON.stringify(spec)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
	if (child.error || child.status !== 0) {
		throw new Error(`${c.label} under ${node} failed (${child.error?.message ?? `exit ${child.status ?? child.signal}`}):\n${child.stderr}`);
	}
	return JSON.parse(child.stdout) as ChildResult;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Row {
	key: string;
	label: string;
	ms: number;
	heapMb: number;
	runsMs: number[];
	loaded: ChildResult['loaded'];
}

/** RUNS rounds over every case, in turn, so that a slow spell of the machine spreads over all rows. */
function measureNode(node: string, all: Case[]): { version: string; node: string; rows: Row[] } {
	const results = all.map(() => [] as ChildResult[]);
	for (let run = 0; run < RUNS; run++) all.forEach((c, i) => results[i].push(runChild(node, c)));
	const rows = all.map((c, i) => ({
		key: c.key,
		label: c.label,
		ms: median(results[i].map((r) => r.ms)),
		heapMb: median(results[i].map((r) => r.heapBytes)) / MB,
		runsMs: results[i].map((r) => Number(r.ms.toFixed(2))),
		loaded: results[i][0].loaded,
	}));
	return { version: results[0][0].version, node, rows };
}

const loadedText = (l: ChildResult['loaded']) => [...DEPENDENCIES.filter((d) => l[d]), `${l.distFiles} dist files`].join(', ');

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function main(): void {
	const all = cases();
	const nodes = [process.execPath];
	const other = node24();
	if (!other) process.stdout.write(`note: Node ${NODE_VERSION} (the real n8n's) is not provisioned under ${cacheRoot()}: measuring ${process.version} only\n`);
	else if (other !== process.execPath && process.versions.node !== NODE_VERSION) nodes.push(other);
	process.stdout.write(`bench:load: ${all.length} rows × ${RUNS} fresh processes (BENCH_LOAD_RUNS) under ${nodes.join(' and ')}\n`);
	const measured = nodes.map((node) => measureNode(node, all));

	const header = ['loaded', ...measured.flatMap((m) => [`${m.version} ms`, `${m.version} heap MB`]), 'in require.cache after'];
	const body = all.map((c, i) => [c.label, ...measured.flatMap((m) => [m.rows[i].ms.toFixed(1), m.rows[i].heapMb.toFixed(2)]), loadedText(measured[0].rows[i].loaded)]);
	process.stdout.write(`\nMedian of ${RUNS} fresh processes; heap: heapUsed after a gc, after minus before\n\n${table(header, body)}\n\n`);
	for (const m of measured) {
		const row = (key: string) => m.rows.find((r) => r.key === key) as Row;
		const startup = row('startup');
		const own = row('own');
		const code = row('ownCode');
		process.stdout.write(
			`${m.version}: n8n startup share ${startup.ms.toFixed(1)} ms, ${startup.heapMb.toFixed(2)} MB; our own (dependencies loaded first) ${own.ms.toFixed(1)} ms, ${own.heapMb.toFixed(2)} MB; our code (n8n-workflow too) ${code.ms.toFixed(1)} ms, ${code.heapMb.toFixed(2)} MB\n`,
		);
	}
	const file = path.join(ROOT, '.bench', 'bench-load.json');
	mkdirSync(path.dirname(file), { recursive: true });
	writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, measured }, null, 2)}\n`);
	process.stdout.write(`\nJSON: ${file}\n`);
}

try {
	main();
} catch (error) {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
}
