import { channel } from 'node:diagnostics_channel';

/**
 * The send journal's time, published on a Node.js diagnostics channel (as undici publishes
 * its requests'): nothing is logged or kept, and without a subscriber publishing costs one
 * check. The benchmarks subscribe to measure what the journal adds to a bulk in a real n8n.
 */
export const JOURNAL_CHANNEL = 'n8n-nodes-africa-sms:send-journal';

export interface JournalTiming {
	/** 'write': one write to n8n's store; 'wait': time the sends waited for the journal (a window's marks, written before its first request). */
	kind: 'write' | 'wait';
	ms: number;
}

const journal = channel(JOURNAL_CHANNEL);

/** Whether anyone listens: timing is taken only then. */
export function timingJournal(): boolean {
	return journal.hasSubscribers;
}

export function publishJournalTiming(timing: JournalTiming): void {
	journal.publish(timing);
}
