/** The one way the tests wait for something that happens elsewhere (n8n, a child process, a simulator). */

export interface WaitOptions {
	/** How long to keep asking before giving up. */
	timeoutMs: number;
	/** Pause between two asks (default 250 ms). */
	intervalMs?: number;
	/** What is awaited, for the timeout's message; a function to report what the last ask saw. */
	what: string | (() => string);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Asks `condition` until it answers something other than undefined or false, and returns
 * that answer; throws once `timeoutMs` has passed without one (it is asked at least once).
 */
export async function waitUntil<T>(
	condition: () => Promise<T | undefined | false> | T | undefined | false,
	{ timeoutMs, intervalMs = 250, what }: WaitOptions,
): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const answer = await condition();
		if (answer !== undefined && answer !== false) return answer;
		if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'function' ? what() : what}`);
		await sleep(intervalMs);
	}
}
