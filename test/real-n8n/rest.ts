/** n8n's REST API as the editor uses it (session cookie, answers wrapped in `data`). */

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
