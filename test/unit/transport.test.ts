import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { RequestLimiter } from '../../nodes/shared/limiter';
import { DEFAULT_TRANSPORT, parseRetryAfter, sendRequest, TransportError, type HttpRequest } from '../../nodes/shared/transport';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';
import { sleep } from '../helpers/waitUntil';
import { useSimulator } from '../helpers/useSimulator';

const sim = useSimulator(() => new MtnCongoSimulator());

const statusCall = (): HttpRequest => ({
	method: 'POST',
	url: sim().baseUrl,
	headers: { authorization: `Token ${sim().token}` },
	json: { op: 'status', id: '1' },
});
const settings = { ...DEFAULT_TRANSPORT, maxRetryDelayMs: 2000 };

test('answers of any status come back for the provider to judge', async () => {
	const res = await sendRequest(statusCall(), settings);
	expect(res.status).toBe(404);
	expect(JSON.parse(res.text).status).toBe('404');
});

test('429 is retried after Retry-After', async () => {
	sim().injectFault({ kind: 'rateLimit', retryAfterSeconds: 1 });
	const started = Date.now();
	const res = await sendRequest(statusCall(), settings);
	expect(res.status).toBe(404);
	expect(sim().requests).toHaveLength(2);
	expect(sim().requests[1].receivedAt - sim().requests[0].receivedAt).toBeGreaterThanOrEqual(950);
	expect(Date.now() - started).toBeLessThan(5000);
});

test('503 is retried; after the last attempt the 503 is returned', async () => {
	sim().injectFault({ kind: 'status', status: 503, headers: { 'retry-after': '0' } }, 10);
	const res = await sendRequest(statusCall(), { ...settings, maxAttempts: 3 });
	expect(res.status).toBe(503);
	expect(sim().requests).toHaveLength(3);
});

test('a Retry-After longer than allowed is not waited for', async () => {
	sim().injectFault({ kind: 'rateLimit', retryAfterSeconds: 3600 });
	const res = await sendRequest(statusCall(), settings);
	expect(res.status).toBe(429);
	expect(sim().requests).toHaveLength(1);
});

test('500 is not retried unless ambiguous retries are allowed', async () => {
	sim().injectFault({ kind: 'status', status: 500 }, 1);
	expect((await sendRequest(statusCall(), settings)).status).toBe(500);
	expect(sim().requests).toHaveLength(1);
	sim().reset();
	sim().injectFault({ kind: 'status', status: 500 }, 1);
	expect((await sendRequest(statusCall(), { ...settings, retryAmbiguous: true })).status).toBe(404);
	expect(sim().requests).toHaveLength(2);
});

test('a refused connection (nothing sent) is retried', async () => {
	await sim().refuseConnectionsFor(300);
	const started = Date.now();
	const res = await sendRequest(statusCall(), settings);
	expect(res.status).toBe(404);
	// The refused attempts never reached the server; the one that did came after the outage.
	expect(sim().requests).toHaveLength(1);
	expect(sim().requests[0].receivedAt - started).toBeGreaterThanOrEqual(250);
});

test('a connection dropped after sending is ambiguous and not resent', async () => {
	sim().injectFault({ kind: 'drop' });
	const error = await sendRequest(statusCall(), settings).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(TransportError);
	expect((error as TransportError).failure).toBe('ambiguous');
	expect(sim().requests).toHaveLength(1);
});

test('a slow answer times out as ambiguous', async () => {
	sim().injectFault({ kind: 'slow', ms: 1500 });
	const error = await sendRequest(statusCall(), { ...settings, timeoutMs: 300 }).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(TransportError);
	expect((error as TransportError).message).toMatch(/no answer within 0.3 s/);
	expect((error as TransportError).failure).toBe('ambiguous');
	expect(sim().requests).toHaveLength(1);
});

test('nothing listening: connection refused after the allowed attempts', async () => {
	const error = await sendRequest({ ...statusCall(), url: 'http://127.0.0.1:9/x' }, { ...settings, maxAttempts: 2 }).catch((e: unknown) => e);
	expect((error as TransportError).failure).toBe('notSent');
	expect((error as TransportError).message).toMatch(/connection refused \(after 2 attempts\)/);
});

test('keep-alive: sequential requests reuse pooled connections', async () => {
	for (let i = 0; i < 10; i++) await sendRequest(statusCall(), settings);
	expect(sim().requests).toHaveLength(10);
	// undici may open a second socket while the first finishes its answer; never one per request.
	expect(sim().connections).toBeLessThanOrEqual(2);
});

test('form bodies are url-encoded', async () => {
	await sendRequest({ method: 'POST', url: `${sim().url}/form`, form: { a: 'é&b', c: '1' } }, settings);
	expect(sim().requests[0].rawBody).toBe('a=%C3%A9%26b&c=1');
	expect(sim().requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
});

test('Retry-After as seconds or HTTP date', () => {
	expect(parseRetryAfter('2')).toBe(2000);
	expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
	expect(parseRetryAfter('soon')).toBeUndefined();
});

test('the limiter caps concurrency and spaces starts', async () => {
	let active = 0;
	let peak = 0;
	const starts: number[] = [];
	const limiter = new RequestLimiter(3, 20);
	await Promise.all(
		Array.from({ length: 10 }, async () =>
			await limiter.run(async () => {
				starts.push(Date.now());
				active++;
				peak = Math.max(peak, active);
				await sleep(200);
				active--;
			}),
		),
	);
	expect(peak).toBe(3);
	const span = Math.max(...starts) - Math.min(...starts);
	expect(span).toBeGreaterThanOrEqual(9 * 50 - 10);
});

describe('proxies from the environment', () => {
	const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
	let proxy: http.Server;
	const proxied: string[] = [];
	beforeAll(async () => {
		// A minimal forward proxy: requests arrive with the absolute URL.
		proxy = http.createServer((req, res) => {
			proxied.push(req.url ?? '');
			const target = new URL(req.url ?? '');
			const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (up) => {
				res.writeHead(up.statusCode ?? 502, up.headers);
				up.pipe(res);
			});
			req.pipe(upstream);
		});
		// undici tunnels through the proxy with CONNECT.
		proxy.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
			proxied.push(`CONNECT ${req.url}`);
			const [host, port] = String(req.url).split(':');
			const upstream = net.connect(Number(port), host, () => {
				client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
				upstream.write(head);
				upstream.pipe(client);
				client.pipe(upstream);
			});
			upstream.on('error', () => client.destroy());
			client.on('error', () => upstream.destroy());
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		Object.assign(process.env, saved);
		for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
		await new Promise((resolve) => proxy.close(resolve));
	});

	test('HTTP_PROXY is used, NO_PROXY is honoured', async () => {
		process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
		delete process.env.NO_PROXY;
		delete process.env.no_proxy;
		// A timeout not used before gets a new agent, which reads the environment.
		expect((await sendRequest(statusCall(), { ...settings, timeoutMs: 12_345 })).status).toBe(404);
		expect(proxied).toEqual([`CONNECT ${new URL(sim().baseUrl).host}`]);
		process.env.NO_PROXY = '127.0.0.1';
		expect((await sendRequest(statusCall(), { ...settings, timeoutMs: 12_346 })).status).toBe(404);
		expect(proxied).toHaveLength(1);
	});
});
