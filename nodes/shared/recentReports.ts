import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

export const DEFAULT_REMEMBERED = 1000;
/** Trigger nodes (workflow + node) whose recent reports this process keeps. */
const MAX_TRACKED_NODES = 200;
const MAX_READABLE_KEY = 80;

interface NodeMemory {
	/** Reports let through, oldest first. */
	seen: Set<string>;
	/** Of those, the ones whose execution n8n has not yet confirmed (by answering). */
	pending: Set<string>;
}

/**
 * Per workflow and trigger node, in this process.
 *
 * Static data alone cannot stop two duplicates that arrive together: n8n (live-webhooks.ts)
 * loads a fresh copy of the workflow and its static data for every webhook request and
 * saves that whole copy afterwards, so concurrent requests each see the other's report as
 * new, and the last save wins (dropping what the others added). The check and the marking
 * below run without any await in between, so within one n8n process only the first of
 * several identical reports gets through; static data carries the list across restarts.
 */
const memory = new Map<string, NodeMemory>();

/** A report's key from its parts (message, recipient, status …); long ones are hashed, as the list is saved on every callback. */
export function reportKey(parts: Array<string | number | null | undefined>): string {
	const key = parts.map((part) => part ?? '').join('|');
	return key.length <= MAX_READABLE_KEY ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}

function memoryFor(owner: string, persisted: string[]): NodeMemory {
	let node = memory.get(owner);
	if (node) {
		memory.delete(owner);
	} else {
		node = { seen: new Set(persisted), pending: new Set() };
		if (memory.size >= MAX_TRACKED_NODES) memory.delete(memory.keys().next().value as string);
	}
	memory.set(owner, node);
	return node;
}

function trimOldest({ seen, pending }: NodeMemory, bound: number): void {
	for (const key of seen) {
		if (seen.size <= bound) return;
		seen.delete(key);
		pending.delete(key);
	}
}

/**
 * Drops the reports already seen (in this process or in the saved list) and records the
 * new ones, keeping the newest `bound`. `stored` is the node's static data.
 */
export function dropSeenReports<R>(
	owner: string,
	stored: IDataObject,
	statuses: R[],
	bound: number,
	/** The report's key; undefined: never taken for a duplicate. */
	keyOf: (report: R) => string | undefined,
): { fresh: R[]; duplicates: number; recorded: string[] } {
	const persisted = Array.isArray(stored.recentReports) ? stored.recentReports.filter((k): k is string => typeof k === 'string') : [];
	const saved = new Set(persisted);
	const node = memoryFor(owner, persisted);
	const fresh: R[] = [];
	const recorded: string[] = [];
	let duplicates = 0;
	for (const status of statuses) {
		const key = keyOf(status);
		if (key !== undefined && (node.seen.has(key) || saved.has(key))) {
			duplicates++;
			continue;
		}
		if (key !== undefined) {
			node.seen.add(key);
			node.pending.add(key);
			recorded.push(key);
		}
		fresh.push(status);
	}
	trimOldest(node, bound);
	// The union with what was loaded: what another n8n process saved survives this save, and
	// what a lost save dropped is written again. Pending reports are left out: their execution
	// may still fail. Written on duplicates too, as n8n 2.40 does not save the static data of a
	// webhook() whose execution it starts when the workflow already had some (see docs/reliability.md).
	const confirmed = [...node.seen].filter((key) => !node.pending.has(key));
	const merged = [...new Set([...persisted, ...confirmed])].slice(-bound);
	if (merged.length !== persisted.length || merged.some((key, i) => key !== persisted[i])) stored.recentReports = merged;
	return { fresh, duplicates, recorded };
}

/**
 * Once n8n has answered the request that recorded `keys`: kept when n8n answered below 500
 * (the execution is recorded), forgotten otherwise (n8n could not record it, or the
 * connection dropped), so that the provider's next post is not taken for a duplicate.
 */
export function settleReports(owner: string, keys: string[], executionRecorded: boolean): void {
	const node = memory.get(owner);
	if (!node) return;
	for (const key of keys) {
		node.pending.delete(key);
		if (!executionRecorded) node.seen.delete(key);
	}
}
