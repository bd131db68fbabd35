import { agentFor, closeTransportPools, loadUndici, UNDICI_MODULES } from '../../nodes/shared/httpAgents';

describe('the transport loads only the agent modules of undici', () => {
	test('every dispatcher gets the request methods, as undici\'s index gives them (the proxy agent opens its tunnel with them)', async () => {
		await loadUndici();
		const Dispatcher = require(UNDICI_MODULES.dispatcher) as { prototype: Record<string, unknown> };
		const api = require(UNDICI_MODULES.api) as Record<string, unknown>;
		expect(Object.keys(api).sort()).toEqual(['connect', 'pipeline', 'request', 'stream', 'upgrade']);
		for (const [name, method] of Object.entries(api)) expect(Dispatcher.prototype[name]).toBe(method);
	});

	test('they are the modules undici exports (an undici upgrade that moves them fails here)', async () => {
		const { EnvHttpProxyAgent, symbols } = await loadUndici();
		const undici = require('undici') as typeof import('undici');
		expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
		expect(require(UNDICI_MODULES.agent)).toBe(undici.EnvHttpProxyAgent);
		expect(require(UNDICI_MODULES.dispatcher)).toBe(undici.Dispatcher);
		expect(new undici.EnvHttpProxyAgent()[symbols.kNoProxyAgent as keyof object]).toBeInstanceOf(undici.Agent);
	});
});

describe('requests go straight to the inner agent only when no proxy is set', () => {
	const names = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy'];
	const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
	afterEach(async () => {
		for (const name of names) if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
		await closeTransportPools();
	});

	test.each([
		['no proxy', 'inner', {}],
		['HTTP_PROXY', 'proxy-aware', { HTTP_PROXY: 'http://127.0.0.1:9' }],
		['https_proxy', 'proxy-aware', { https_proxy: 'http://127.0.0.1:9' }],
	])('%s set: requests go to the %s agent', async (_, expected, env: Record<string, string>) => {
		for (const name of names) delete process.env[name];
		Object.assign(process.env, env);
		const lib = await loadUndici();
		const undici = require('undici') as typeof import('undici');
		// A timeout not used before: a new agent, which reads the environment.
		const dispatcher = agentFor(23_456, lib);
		expect(dispatcher instanceof undici.EnvHttpProxyAgent ? 'proxy-aware' : dispatcher instanceof undici.Agent ? 'inner' : 'other').toBe(expected);
		expect(agentFor(23_456, lib)).toBe(dispatcher);
	});
});
