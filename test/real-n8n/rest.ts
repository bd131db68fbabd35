/**
 * n8n's REST API as the editor uses it (session cookie, answers wrapped in `data`), and the
 * polling the tests do against it.
 */

/** One REST call; throws with n8n's answer when it is not 2xx. */
export async function restJson<T>(url: string, cookie: string, init: RequestInit = {}): Promise<T> {
	const res = await fetch(url, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } });
	const text = await res.text();
	if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 2000)}`);
	return (JSON.parse(text) as { data: T }).data;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	retryOf?: string | null;
}

/** The workflow's executions, newest first, as the executions list shows them. */
export async function executionsOf(baseUrl: string, cookie: string, workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	return (await restJson<{ results: ExecutionSummary[] }>(`${baseUrl}/rest/executions?filter=${filter}`, cookie)).results;
}

/** Polls `probe` until it gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
