/**
 * `npm run sandbox`: starts the provider simulators on 127.0.0.1 and prints what
 * to put in the credentials. Ctrl-C stops them.
 *   SANDBOX_PORT=4020 npm run sandbox       (MTN Congo on another port; 0 picks a free one)
 *   SANDBOX_LMT_PORT=4021 npm run sandbox   (LMT BulkSMS on another port; 0 picks a free one)
 */
import { LmtGroupSimulator } from './lmtGroup.simulator';
import { MtnCongoSimulator } from './mtnCongo.simulator';
import type { ProviderSimulator } from './simulator';

const started: ProviderSimulator[] = [];

async function main(): Promise<void> {
	const port = Number(process.env.SANDBOX_PORT ?? 4010);
	const lmtPort = Number(process.env.SANDBOX_LMT_PORT ?? 4011);
	const mtn = await new MtnCongoSimulator({ autoDeliverMs: 2000 }).start(port);
	started.push(mtn);
	const lmt = await startLmt(lmtPort);
	started.push(lmt);
	const lines = [
		'Africa SMS sandbox running (no SMS leaves this machine).',
		'',
		'MTN Congo SMS API (credential "MTN Congo SMS API"):',
		`  Base URL: ${mtn.baseUrl}`,
		`  Token:    ${mtn.token}`,
		'  Messages are delivered 2 s after acceptance; callbacks are posted to callback_url.',
		`  Ledger:   GET ${mtn.url}/__sandbox/state`,
		'',
		'LMT BulkSMS API (credential "LMT BulkSMS API"):',
		`  Base URL:        ${lmt.baseUrl}`,
		`  API Key:         ${lmt.apiKey}`,
		`  Password:        ${lmt.password}`,
		'  Default Country: CM',
		`  Ledger:          GET ${lmt.url}/__sandbox/state`,
		'',
		'Press Ctrl-C to stop.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = async () => {
		await Promise.all(started.map((sim) => sim.stop()));
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

async function startLmt(port: number): Promise<LmtGroupSimulator> {
	try {
		return await new LmtGroupSimulator().start(port);
	} catch (error) {
		(error as { sandboxPortVariable?: string }).sandboxPortVariable = 'SANDBOX_LMT_PORT';
		throw error;
	}
}

main().catch(async (error: NodeJS.ErrnoException & { sandboxPortVariable?: string }) => {
	await Promise.all(started.map((sim) => sim.stop()));
	const variable = error.sandboxPortVariable ?? 'SANDBOX_PORT';
	const hint = error.code === 'EADDRINUSE' ? ` (the port is taken: set ${variable} to another port, or 0 for a free one)` : '';
	process.stderr.write(`The sandbox could not start: ${error.message}${hint}\n`);
	process.exit(1);
});
