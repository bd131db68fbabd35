import type { Dispatcher } from 'undici';

// The process's HTTP connection pools, for the transport (transport.ts).

/** What the transport takes from undici: its agent that honours n8n's proxy settings. */
export interface Undici {
	EnvHttpProxyAgent: typeof import('undici').EnvHttpProxyAgent;
	/** The keys under which the proxy agent keeps its inner agents (undici's lib/core/symbols). */
	symbols: Record<'kNoProxyAgent' | 'kHttpProxyAgent' | 'kHttpsProxyAgent', symbol>;
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
	symbols: 'undici/lib/core/symbols',
} as const;

async function loadAgent(): Promise<Undici> {
	// Specifiers held in a constant: TypeScript types undici's index only.
	const [agent, dispatcher, api, symbols] = (await Promise.all([
		import(UNDICI_MODULES.agent),
		import(UNDICI_MODULES.dispatcher),
		import(UNDICI_MODULES.api),
		import(UNDICI_MODULES.symbols),
	])) as Array<{ default: unknown }>;
	Object.assign((dispatcher.default as { prototype: object }).prototype, api.default);
	return { EnvHttpProxyAgent: agent.default as Undici['EnvHttpProxyAgent'], symbols: symbols.default as Undici['symbols'] };
}

/**
 * undici, loaded at the first request: n8n loads every node file when it starts, and most
 * n8n processes never send an SMS.
 */
let undici: Promise<Undici> | undefined;
/** Once loaded: every request after the first takes it without awaiting. */
let loaded: Undici | undefined;
export const loadUndici = async (): Promise<Undici> => (loaded ??= await (undici ??= loadAgent()));
export const loadedUndici = (): Undici | undefined => loaded;

// One agent per connect timeout: it keeps a keep-alive pool per origin, shared by
// every item and every run of the nodes in this process.
// Each with what its requests are dispatched on: the agent, or its inner agent when no
// proxy is set (directOf).
const pools = new Map<number, { agent: Dispatcher; dispatcher: Dispatcher }>();

export function agentFor(timeoutMs: number, lib: Undici): Dispatcher {
	let pool = pools.get(timeoutMs);
	if (!pool) {
		const agent = new lib.EnvHttpProxyAgent({
			connect: { timeout: timeoutMs },
			keepAliveTimeout: 10_000,
			keepAliveMaxTimeout: 60_000,
			connections: 32,
		});
		pool = { agent, dispatcher: directOf(agent, lib.symbols) };
		pools.set(timeoutMs, pool);
	}
	return pool.dispatcher;
}

/**
 * The proxy agent reads HTTP_PROXY and HTTPS_PROXY once, when it is made. Without either,
 * every request goes through its inner agent whatever NO_PROXY says, yet it parses each
 * request's origin and reads NO_PROXY again (microseconds a request, which a fan-out of
 * one request per recipient feels): its requests then go to that inner agent directly.
 */
function directOf(agent: Dispatcher, symbols: Undici['symbols']): Dispatcher {
	const inner = agent as unknown as Record<symbol, Dispatcher | undefined>;
	const direct = inner[symbols.kNoProxyAgent];
	return direct && inner[symbols.kHttpProxyAgent] === direct && inner[symbols.kHttpsProxyAgent] === direct ? direct : agent;
}

/** Closes the pools (tests and benchmarks; n8n keeps them for the process). */
export async function closeTransportPools(): Promise<void> {
	const all = [...pools.values()];
	pools.clear();
	await Promise.all(all.map(async ({ agent }) => await agent.close()));
}
