import type { Dispatcher } from 'undici';

/** The process's HTTP connection pools, for the transport (transport.ts). */
export type Undici = typeof import('undici');

/**
 * undici, loaded at the first request: n8n loads every node file when it starts (a fifth of
 * a second for undici alone), and most n8n processes never send an SMS.
 */
let undici: Promise<Undici> | undefined;
export const loadUndici = async (): Promise<Undici> => await (undici ??= import('undici'));

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
