import type { Dispatcher } from 'undici';

// The process's HTTP connection pools, for the transport (transport.ts).

/** What the transport takes from undici: its agent that honours n8n's proxy settings. */
export interface Undici {
	EnvHttpProxyAgent: typeof import('undici').EnvHttpProxyAgent;
}

/**
 * The agent's own modules, with only what they need (36 files): undici's index loads 110
 * (fetch, WebSocket, caches, mocks), 90 to 130 ms of a first request against 36 ms. The
 * index also puts the request methods on every dispatcher, which the proxy agent uses to
 * open its tunnel: done here the same way. undici is pinned in package.json;
 * test/unit/httpAgents.test.ts checks these are the modules undici exports.
 */
export const UNDICI_MODULES = {
	agent: 'undici/lib/dispatcher/env-http-proxy-agent',
	dispatcher: 'undici/lib/dispatcher/dispatcher',
	api: 'undici/lib/api',
} as const;

async function loadAgent(): Promise<Undici> {
	// Specifiers held in a constant: TypeScript types undici's index only.
	const [agent, dispatcher, api] = (await Promise.all([import(UNDICI_MODULES.agent), import(UNDICI_MODULES.dispatcher), import(UNDICI_MODULES.api)])) as Array<{ default: unknown }>;
	Object.assign((dispatcher.default as { prototype: object }).prototype, api.default);
	return { EnvHttpProxyAgent: agent.default as Undici['EnvHttpProxyAgent'] };
}

/**
 * undici, loaded at the first request: n8n loads every node file when it starts, and most
 * n8n processes never send an SMS.
 */
let undici: Promise<Undici> | undefined;
export const loadUndici = async (): Promise<Undici> => await (undici ??= loadAgent());

// One agent per connect timeout: it keeps a keep-alive pool per origin, shared by
// every item and every run of the nodes in this process.
const agents = new Map<number, Dispatcher>();

export function agentFor(timeoutMs: number, lib: Undici): Dispatcher {
	let agent = agents.get(timeoutMs);
	if (!agent) {
		agent = new lib.EnvHttpProxyAgent({
			connect: { timeout: timeoutMs },
			keepAliveTimeout: 10_000,
			keepAliveMaxTimeout: 60_000,
			connections: 32,
		});
		agents.set(timeoutMs, agent);
	}
	return agent;
}

/** Closes the pools (tests and benchmarks; n8n keeps them for the process). */
export async function closeTransportPools(): Promise<void> {
	const all = [...agents.values()];
	agents.clear();
	await Promise.all(all.map(async (a) => await a.close()));
}
