import type { SendJob } from '../../nodes/shared/provider';

/** A Send of `text` from `sender` to the one number `to` (item 0), with `over` on top. */
export function sendJob(base: { sender: string; text: string; to: string }, over: Partial<SendJob> = {}): SendJob {
	return { operation: 'send', sender: base.sender, text: base.text, recipients: [{ to: base.to, itemIndex: 0 }], options: {}, ...over };
}
