/**
 * Refusal explanations (ProviderError's `explain`, sent by the dispatcher): one read per
 * kind of refusal and run, its hint on every refusal of that kind; a failed read keeps the
 * provider's first hint. Over real HTTP on loopback to a small server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dispatcher } from '../../nodes/shared/dispatch';
import { RequestLimiter } from '../../nodes/shared/limiter';
import { ProviderError, type ProviderCredentials, type RefusalExplanation } from '../../nodes/shared/provider';
import { DEFAULT_TRANSPORT, type HttpResponse } from '../../nodes/shared/transport';

let server: http.Server;
let base = '';
const seen: string[] = [];
let accountAnswer = { status: 200, body: '{"expired":"2026-11-30"}' };

beforeAll(async () => {
	server = http.createServer((req, res) => {
		seen.push(req.url ?? '');
		const answer = req.url === '/account' ? accountAnswer : { status: 403, body: '{"refused":true}' };
		res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => await new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
	seen.length = 0;
	accountAnswer = { status: 200, body: '{"expired":"2026-11-30"}' };
});

const credentials = (): ProviderCredentials => ({ baseUrl: base, defaultCountry: 'CI', secrets: ['s3cret'], fields: {} });
const explanation: RefusalExplanation = {
	key: 'account',
	request: (c) => ({ method: 'GET', url: `${c.baseUrl}/account` }),
	hint: (response: HttpResponse) => (response.status === 200 ? `expired on ${JSON.parse(response.text).expired} (s3cret)` : undefined),
};
const refuse = (): never => {
	throw new ProviderError('Provider refused the SMS', { httpStatus: 403, hint: 'the first hint', explain: explanation });
};
const dispatcher = () => new Dispatcher('Provider', credentials(), { ...DEFAULT_TRANSPORT, maxAttempts: 1 }, new RequestLimiter(4, 0));

async function failures(d: Dispatcher, n: number): Promise<ProviderError[]> {
	const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => d.call((c) => ({ method: 'POST', url: `${c.baseUrl}/send/${i}` }), refuse)));
	return settled.map((s) => (s as PromiseRejectedResult).reason as ProviderError);
}

test('five refusals of one kind: one read, and each says what it found', async () => {
	const d = dispatcher();
	const errors = await failures(d, 5);
	expect(errors.map((e) => e.details.hint)).toEqual(Array(5).fill('expired on 2026-11-30 (s3cret)'));
	expect(seen.filter((url) => url === '/account')).toHaveLength(1);
	// The hint reaches the item's error with the secret masked.
	const failure = d.failure(errors[0], 0, '');
	expect(JSON.stringify(failure)).toContain('expired on 2026-11-30');
	expect(JSON.stringify(failure)).not.toContain('s3cret');
});

test('a read that fails keeps the first hint', async () => {
	accountAnswer = { status: 500, body: 'down' };
	const errors = await failures(dispatcher(), 2);
	expect(errors.map((e) => e.details.hint)).toEqual(['the first hint', 'the first hint']);
	expect(seen.filter((url) => url === '/account')).toHaveLength(1);
});
