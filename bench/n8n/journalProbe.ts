/**
 * Loaded into a benchmarked `n8n execute` process (`node --require`): sums what the node's
 * send journal published on its diagnostics channel (nodes/shared/diagnostics.ts) and writes
 * the sums, when the process exits, to the file named by AFRICA_SMS_JOURNAL_PROBE.
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

import { JOURNAL_CHANNEL, type JournalTiming } from '../../nodes/shared/diagnostics';

export interface JournalSums {
	/** Time the sends waited for the journal: its writes before each window. */
	waitMs: number;
	waits: number;
	/** Every write to n8n's store, whether the sends waited for it or not. */
	writeMs: number;
	writes: number;
}

const file = process.env.AFRICA_SMS_JOURNAL_PROBE;
if (file) {
	const sums: JournalSums = { waitMs: 0, waits: 0, writeMs: 0, writes: 0 };
	subscribe(JOURNAL_CHANNEL, (message) => {
		const { kind, ms } = message as JournalTiming;
		if (kind === 'wait') {
			sums.waitMs += ms;
			sums.waits++;
		} else {
			sums.writeMs += ms;
			sums.writes++;
		}
	});
	process.on('exit', () => writeFileSync(file, JSON.stringify(sums)));
}
