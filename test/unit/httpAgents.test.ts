import { loadUndici, UNDICI_MODULES } from '../../nodes/shared/httpAgents';

describe('the transport loads only the agent modules of undici', () => {
	test('every dispatcher gets the request methods, as undici\'s index gives them (the proxy agent opens its tunnel with them)', async () => {
		await loadUndici();
		const Dispatcher = require(UNDICI_MODULES.dispatcher) as { prototype: Record<string, unknown> };
		const api = require(UNDICI_MODULES.api) as Record<string, unknown>;
		expect(Object.keys(api).sort()).toEqual(['connect', 'pipeline', 'request', 'stream', 'upgrade']);
		for (const [name, method] of Object.entries(api)) expect(Dispatcher.prototype[name]).toBe(method);
	});

	test('they are the modules undici exports (an undici upgrade that moves them fails here)', async () => {
		const { EnvHttpProxyAgent } = await loadUndici();
		const undici = require('undici') as typeof import('undici');
		expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
		expect(require(UNDICI_MODULES.agent)).toBe(undici.EnvHttpProxyAgent);
		expect(require(UNDICI_MODULES.dispatcher)).toBe(undici.Dispatcher);
	});
});
