import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The node parameter that holds the switches; hidden in the editor, set only by benchmarks and tests. */
export const ENGINE_SWITCHES_PARAMETER = 'engineSwitches';

/**
 * Parts of the engine a benchmark turns off to measure what they cost. Both are on
 * for every user; a workflow turns one off with the hidden node parameter
 * `engineSwitches: { plainFieldReads: false }` (or `sendJournal: false`).
 */
export interface EngineSwitches {
	/** Plain field references read straight from the item (parameterReader.ts). */
	plainFieldReads: boolean;
	/** The durable send journal in n8n's deduplication store (sendJournal.ts). */
	sendJournal: boolean;
}

/** Declared on every node (hidden: the editor never shows it), so that n8n keeps it in the workflow. */
export const ENGINE_SWITCHES_PROPERTY: INodeProperties = {
	displayName: 'Engine Switches',
	name: ENGINE_SWITCHES_PARAMETER,
	type: 'hidden',
	default: {},
};

export function readEngineSwitches(ctx: Pick<IExecuteFunctions, 'getNode'>): EngineSwitches {
	const stored = ctx.getNode().parameters[ENGINE_SWITCHES_PARAMETER];
	const set = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
	return { plainFieldReads: set.plainFieldReads !== false, sendJournal: set.sendJournal !== false };
}
