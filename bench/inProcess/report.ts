/** The final table of the in-process benchmark, and the same as JSON in .bench/bench-inprocess.json. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../test/helpers/n8n';
import type { CampaignRow } from './campaign';
import type { MemoryRow } from './memory';

/** Issue targets. */
export const TARGETS = {
	/** LMT fan-out (one request per recipient): node time at most this × raw undici's. */
	lmtFanOutOverRaw: 1.25,
	/** Our node's own time per item, beyond n8n's parameter evaluation and the HTTP work. */
	ownMicrosPerItem: 50,
	/** Peak heap growth of a 100 000-recipient bulk over the items' own size: many recipients per request, one per request. */
	peakOverItems: { batched: 12, fanOut: 25 },
};

/** The peak-heap target of a memory row, or undefined for the baseline rows. */
export function memoryTarget(row: { operation: string; n: number; requests: number }): number | undefined {
	if (row.operation !== 'sendBulk') return undefined;
	return row.requests >= row.n ? TARGETS.peakOverItems.fanOut : TARGETS.peakOverItems.batched;
}

export interface TimingRow {
	provider: string;
	operation: string;
	/** 'with plain field reads' / 'without' (engineSwitches: { plainFieldReads: false }), or '' for single runs. */
	variant: string;
	n: number;
	requests: number;
	nodeMs: number;
	rawMs: number;
	readMs: number;
	/** nodeMs / rawMs */
	nodeOverRaw: number;
	/**
	 * (node − n8n-read − raw) / N in µs, as computed; shown clamped at 0. Negative when
	 * the node took less than n8n's read baseline: noise, or a node that does not pay
	 * n8n's expression evaluation per item (plain field reads).
	 */
	ownMicrosPerItem: number;
	/** (node − raw) / N in µs: everything but the HTTP work, n8n's share included; an upper bound of own. */
	beyondHttpMicrosPerItem: number;
	/** The targets that apply to this row and whether each was met. */
	targets: Record<string, boolean>;
	met: boolean;
	/** The most requests each side had under way at once (undici's diagnostics channels). */
	peakInFlight: { node: number; raw: number };
}

function version(pkg: string): string {
	try {
		return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
	} catch {
		return 'unknown';
	}
}

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function timingTable(rows: TimingRow[]): string {
	const header = ['provider', 'operation', 'N', 'requests', 'node ms', 'raw ms', 'n8n-read ms', 'node/raw', 'own µs/item', '(node-raw) µs/item', 'target met'];
	const body = rows.map((r) => [
		r.provider,
		r.variant ? `${r.operation} (${r.variant})` : r.operation,
		String(r.n),
		String(r.requests),
		r.nodeMs.toFixed(1),
		r.rawMs.toFixed(1),
		r.readMs.toFixed(1),
		`${r.nodeOverRaw.toFixed(2)}x`,
		Math.max(0, r.ownMicrosPerItem).toFixed(1),
		r.beyondHttpMicrosPerItem.toFixed(1),
		r.met ? 'yes' : `no (${Object.keys(r.targets).filter((t) => !r.targets[t]).join(', ')})`,
	]);
	return table(header, body, new Set([2, 3, 4, 5, 6, 7, 8, 9]));
}

export function campaignTable(rows: CampaignRow[]): string {
	const header = ['option', 'setting', 'N', 'median ms', 'ratio to off', 'rounds', 'own work ms', 'target met'];
	const body = rows.map((r) => [r.option, r.setting, String(r.n), r.ms.toFixed(1), `${r.ratio.toFixed(2)}x`, `${r.ratioSpread[0].toFixed(2)} to ${r.ratioSpread[1].toFixed(2)}`, r.ownMs === undefined ? '' : r.ownMs.toFixed(1), r.met === undefined ? '' : r.met ? 'yes' : `no (${r.target})`]);
	return table(header, body, new Set([2, 3, 4, 6]));
}

export function memoryTable(rows: MemoryRow[]): string {
	const header = ['provider', 'operation', 'N', 'requests', 'run s', 'items MB', 'peak growth MB', 'peak / items', 'live peak MB', 'held after gc MB', 'after drop MB', 'target met'];
	const body = rows.map((r) => [
		r.provider,
		r.operation,
		String(r.n),
		String(r.requests),
		(r.runMs / 1000).toFixed(1),
		r.itemsMb.toFixed(1),
		r.peakMb.toFixed(1),
		`${r.peakOverItems.toFixed(1)}x`,
		r.livePeakMb.toFixed(1),
		r.heldAfterGcMb.toFixed(1),
		r.afterDropMb.toFixed(1),
		((target) => (target === undefined ? '' : r.peakOverItems <= target ? `yes (≤ ${target}x)` : `no (≤ ${target}x)`))(memoryTarget(r)),
	]);
	return table(header, body, new Set([2, 3, 4, 5, 6, 7, 8, 9, 10]));
}

export function writeReport(report: { rounds: number; fanOutRounds: number; concurrency: number; timing: TimingRow[]; campaign: CampaignRow[]; memory: MemoryRow[]; notes: string[] }): string {
	const file = path.join(ROOT, '.bench', 'bench-inprocess.json');
	mkdirSync(path.dirname(file), { recursive: true });
	const json = {
		date: new Date().toISOString(),
		node: process.version,
		n8nWorkflow: version('n8n-workflow'),
		n8nCore: version('n8n-core'),
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model ?? 'unknown',
		targets: TARGETS,
		ownMicrosPerItemDefinition:
			'(node ms − n8n-read ms − raw ms) × 1000 / N; the table shows negative values as 0 (noise, or a node that skips n8n expression evaluation per item, as with plain field reads); beyondHttpMicrosPerItem = (node ms − raw ms) × 1000 / N bounds it from above',
		...report,
	};
	writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
	return file;
}
