/**
 * `npm run bench`: the MTN Congo node inside n8n's WorkflowExecute against the
 * simulator, compared with baselines measured in the same run: the same HTTP
 * requests sent straight with undici, and n8n itself reading one expression
 * parameter per item (which any node pays). The first ratio is what our engine
 * adds on top of those two.
 */
import { Agent, request } from 'undici';
import { closeTransportPools } from '../nodes/shared/transport';
import { runNode } from '../test/helpers/n8n';
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
	const credentials = { mtnCongoSmsApi: { token: sim.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } };
	const agent = new Agent({ keepAliveTimeout: 10_000 });
	const post = async (body: unknown) => {
		const res = await request(sim.baseUrl, {
			method: 'POST',
			dispatcher: agent,
			headers: { authorization: `Token ${sim.token}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify(body),
		});
		await res.body.json();
	};
	const phone = (i: number) => `2420${String(60_000_000 + i)}`;
	const rows: string[] = [];

	const bulkSize = Number(process.env.BENCH_BULK ?? 10_000);
	process.stdout.write(`\nsendBulk, ${bulkSize} recipients (${Math.ceil(bulkSize / 1000)} requests of 1000), ${ROUNDS} rounds\n`);
	const bulkItems = Array.from({ length: bulkSize }, (_, i) => ({ phone: phone(i) }));
	const batches = Array.from({ length: Math.ceil(bulkSize / 1000) }, (_, b) => bulkItems.slice(b * 1000, (b + 1) * 1000));
	const rawBulk = await measure('baseline: undici, hand-built requests', async () => {
		sim.reset();
		await inBatches(batches, 4, async (batch) => await post({ msg: 'Promo', sender: 'BES', receivers: batch.map((i) => i.phone).join(',') }));
	});
	const readBulk = await measure('baseline: n8n reads {{ $json.phone }} per item', async () => {
		const { outputs } = await runNode(bulkItems, { type: 'test.readPhone', parameters: { phone: '={{ $json.phone }}' } });
		if (outputs[0].length !== bulkSize) throw new Error('read run failed');
	});
	const nodeBulk = await measure('node: sendBulk in WorkflowExecute', async () => {
		sim.reset();
		const { outputs, error } = await runNode(bulkItems, {
			type: 'mtnCongoSms',
			parameters: { operation: 'sendBulk', sender: 'BES', phone: '={{ $json.phone }}', message: 'Promo', options: { maxRequestsPerSecond: 0 } },
			credentials,
		});
		if (error || outputs[0].length !== bulkSize) throw new Error(`bulk run failed: ${error?.message}`);
	});
	rows.push(`sendBulk ${bulkSize}: node / (n8n reading the items + raw HTTP) ${(nodeBulk.ms / (readBulk.ms + rawBulk.ms)).toFixed(2)}x; node / raw HTTP ${(nodeBulk.ms / rawBulk.ms).toFixed(1)}x; ${((nodeBulk.ms * 1000) / bulkSize).toFixed(1)} µs per item`);

	const sendSize = Number(process.env.BENCH_SEND ?? 500);
	process.stdout.write(`\nsend, ${sendSize} items (one request each), ${ROUNDS} rounds\n`);
	const sendItems = Array.from({ length: sendSize }, (_, i) => ({ to: phone(i) }));
	const rawSend = await measure('baseline: undici, hand-built requests', async () => {
		sim.reset();
		await inBatches(sendItems, 4, async (item) => await post({ msg: 'Hello', sender: 'BES', receivers: item.to }));
	});
	const readSend = await measure('baseline: n8n reads {{ $json.to }} per item', async () => {
		const { outputs } = await runNode(sendItems, { type: 'test.readPhone', parameters: { phone: '={{ $json.to }}' } });
		if (outputs[0].length !== sendSize) throw new Error('read run failed');
	});
	const nodeSend = await measure('node: send in WorkflowExecute', async () => {
		sim.reset();
		const { outputs, error } = await runNode(sendItems, {
			type: 'mtnCongoSms',
			parameters: { operation: 'send', sender: 'BES', to: '={{ $json.to }}', message: 'Hello', options: { maxRequestsPerSecond: 0 } },
			credentials,
		});
		if (error || outputs[0].length !== sendSize) throw new Error(`send run failed: ${error?.message}`);
	});
	rows.push(`send ${sendSize}: node / (n8n reading the items + raw HTTP) ${(nodeSend.ms / (readSend.ms + rawSend.ms)).toFixed(2)}x; node / raw HTTP ${(nodeSend.ms / rawSend.ms).toFixed(1)}x; ${((nodeSend.ms * 1000) / sendSize).toFixed(1)} µs per item`);

	process.stdout.write(`\nRatios (same machine, same run; lower is better)\n${rows.map((r) => `  ${r}`).join('\n')}\n`);
	await agent.close();
	await closeTransportPools();
	await sim.stop();
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
