/**
 * `npm run bench`: the MTN Congo, LMT BulkSMS and ION SMS Gateway nodes inside n8n's
 * WorkflowExecute against their simulators, compared with baselines measured in
 * the same run: the same HTTP requests sent straight with undici, and n8n itself
 * reading one expression parameter per item (which any node pays). The first
 * ratio is what our engine adds on top of those two.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Agent, request } from 'undici';
import { closeTransportPools } from '../nodes/shared/transport';
import { runNode } from '../test/helpers/n8n';
import { IonSmsGatewaySimulator } from '../test/sandbox/ionSmsGateway.simulator';
import { LmtGroupSimulator } from '../test/sandbox/lmtGroup.simulator';
import { MtnCongoSimulator } from '../test/sandbox/mtnCongo.simulator';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Measure {
	ms: number;
	heapMb: number;
}

async function measure(label: string, fn: () => Promise<void>): Promise<Measure> {
	await fn(); // warm-up: JIT, pools, module loading
	const times: number[] = [];
	let heap = 0;
	for (let i = 0; i < ROUNDS; i++) {
		global.gc?.();
		const before = process.memoryUsage().heapUsed;
		const started = process.hrtime.bigint();
		await fn();
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
		heap = Math.max(heap, (process.memoryUsage().heapUsed - before) / 1024 / 1024);
	}
	times.sort((a, b) => a - b);
	const ms = times[Math.floor(times.length / 2)];
	process.stdout.write(`  ${label.padEnd(44)} median ${ms.toFixed(1).padStart(8)} ms   heap +${heap.toFixed(1)} MB\n`);
	return { ms, heapMb: heap };
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) await fn(items[next++]);
		}),
	);
}

async function main(): Promise<void> {
	const sim = await new MtnCongoSimulator().start();
	const lmtSim = await new LmtGroupSimulator().start();
	const ionSim = await new IonSmsGatewaySimulator().start();
	const agent = new Agent({ keepAliveTimeout: 10_000 });
	const post = async (body: IDataObject) => {
		const res = await request(sim.baseUrl, {
			method: 'POST',
			dispatcher: agent,
			headers: { authorization: `Token ${sim.token}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify(body),
		});
		await res.body.json();
	};
	const postForm = async (form: IDataObject) => {
		const res = await request(`${lmtSim.baseUrl}push`, {
			method: 'POST',
			dispatcher: agent,
			headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
			body: new URLSearchParams({ api_key: lmtSim.apiKey, password: lmtSim.password, ...(form as Record<string, string>) }).toString(),
		});
		await res.body.json();
	};
	const postIon = async (body: IDataObject) => {
		const res = await request(`${ionSim.baseUrl}muldes`, {
			method: 'POST',
			dispatcher: agent,
			headers: { 'x-api-key': ionSim.apiKey, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify(body),
		});
		await res.body.json();
	};
	const mtn = { type: 'mtnCongoSms', sim, send: post, credentials: { mtnCongoSmsApi: { token: sim.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } } };
	const lmt = {
		type: 'lmtBulkSms',
		sim: lmtSim,
		send: postForm,
		credentials: { lmtBulkSmsApi: { apiKey: lmtSim.apiKey, password: lmtSim.password, baseUrl: lmtSim.baseUrl, defaultCountry: 'CM' } },
	};
	const ion = {
		type: 'ionSmsGateway',
		sim: ionSim,
		send: postIon,
		credentials: { ionSmsGatewayApi: { apiKey: ionSim.apiKey, baseUrl: ionSim.baseUrl, defaultCountry: 'GA' } },
	};
	const phone = (i: number) => `2420${String(60_000_000 + i)}`;
	const cameroon = (i: number) => `2376${String(70_000_000 + i)}`;

	/** One scenario: hand-built requests, n8n reading the items, then the node; returns the ratio line. */
	const compare = async (
		name: string,
		items: IDataObject[],
		field: string,
		rawBodies: IDataObject[],
		parameters: INodeParameters,
		target: typeof mtn | typeof lmt | typeof ion = mtn,
	) => {
		process.stdout.write(`\n${name}, ${ROUNDS} rounds\n`);
		const raw = await measure('baseline: undici, hand-built requests', async () => {
			target.sim.reset();
			await inBatches(rawBodies, 4, target.send);
		});
		const read = await measure(`baseline: n8n reads {{ $json.${field} }} per item`, async () => {
			const { outputs } = await runNode(items, { type: 'test.readPhone', parameters: { phone: `={{ $json.${field} }}` } });
			if (outputs[0].length !== items.length) throw new Error('read run failed');
		});
		const node = await measure(`node: ${String(parameters.operation)} in WorkflowExecute`, async () => {
			target.sim.reset();
			const { outputs, error } = await runNode(items, { type: target.type, parameters: { ...parameters, options: { maxRequestsPerSecond: 0 } }, credentials: target.credentials });
			if (error || outputs[0].length !== items.length) throw new Error(`node run failed: ${error?.message}`);
		});
		const perItem = ((node.ms * 1000) / items.length).toFixed(1);
		return `${name}: node / (n8n reading the items + raw HTTP) ${(node.ms / (read.ms + raw.ms)).toFixed(2)}x; node / raw HTTP ${(node.ms / raw.ms).toFixed(1)}x; ${perItem} µs per item`;
	};

	const bulkSize = Number(process.env.BENCH_BULK ?? 10_000);
	const bulkItems = Array.from({ length: bulkSize }, (_, i) => ({ phone: phone(i) }));
	const bulkBodies = Array.from({ length: Math.ceil(bulkSize / 1000) }, (_, b) => ({
		msg: 'Promo',
		sender: 'BES',
		receivers: bulkItems.slice(b * 1000, (b + 1) * 1000).map((i) => i.phone).join(','),
	}));
	const gabon = (i: number) => `+24106${String(100_000 + i).slice(-6)}`;
	const ionItems = Array.from({ length: bulkSize }, (_, i) => ({ phone: gabon(i % 1_000_000) }));
	const ionBodies = Array.from({ length: Math.ceil(bulkSize / 1000) }, (_, b) => ({
		emetteur: 'BES',
		corps: 'Promo',
		numeros: ionItems.slice(b * 1000, (b + 1) * 1000).map((i) => i.phone),
	}));
	const lmtSize = Number(process.env.BENCH_LMT ?? 2000);
	const lmtItems = Array.from({ length: lmtSize }, (_, i) => ({ phone: cameroon(i) }));
	const sendSize = Number(process.env.BENCH_SEND ?? 500);
	const sendItems = Array.from({ length: sendSize }, (_, i) => ({ to: phone(i) }));
	const rows = [
		await compare(`sendBulk, ${bulkSize} recipients (${bulkBodies.length} requests)`, bulkItems, 'phone', bulkBodies, {
			operation: 'sendBulk',
			sender: 'BES',
			phone: '={{ $json.phone }}',
			message: 'Promo',
		}),
		await compare(
			`send, ${sendSize} items (one request each)`,
			sendItems,
			'to',
			sendItems.map((item) => ({ msg: 'Hello', sender: 'BES', receivers: item.to })),
			{ operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hello' },
		),
		await compare(
			`LMT sendBulk, ${lmtSize} recipients (one request each)`,
			lmtItems,
			'phone',
			lmtItems.map((item) => ({ message: 'Promo', sender: 'BES', phone: item.phone, flag: 'short_sms' })),
			{ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Promo' },
			lmt,
		),
		await compare(
			`ION sendBulk, ${bulkSize} recipients (${ionBodies.length} requests)`,
			ionItems,
			'phone',
			ionBodies,
			{ operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Promo' },
			ion,
		),
	];

	process.stdout.write(`\nRatios (same machine, same run; lower is better)\n${rows.map((r) => `  ${r}`).join('\n')}\n`);
	await agent.close();
	await closeTransportPools();
	await sim.stop();
	await lmtSim.stop();
	await ionSim.stop();
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
