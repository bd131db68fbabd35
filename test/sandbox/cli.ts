/**
 * `npm run sandbox`: starts the provider simulators on 127.0.0.1 and prints what
 * to put in the credentials. Ctrl-C stops them.
 *   SANDBOX_PORT=4020 npm run sandbox   (MTN Congo on another port; 0 picks a free one)
 */
import { MtnCongoSimulator } from './mtnCongo.simulator';

async function main(): Promise<void> {
	const port = Number(process.env.SANDBOX_PORT ?? 4010);
	const mtn = await new MtnCongoSimulator({ autoDeliverMs: 2000 }).start(port);
	const lines = [
		'Africa SMS sandbox running (no SMS leaves this machine).',
		'',
		'MTN Congo SMS API (credential "MTN Congo SMS API"):',
		`  Base URL: ${mtn.baseUrl}`,
		`  Token:    ${mtn.token}`,
		'  Messages are delivered 2 s after acceptance; callbacks are posted to callback_url.',
		`  Ledger:   GET ${mtn.url}/__sandbox/state`,
		'',
		'Press Ctrl-C to stop.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = async () => {
		await mtn.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((error: NodeJS.ErrnoException) => {
	const hint = error.code === 'EADDRINUSE' ? ' (the port is taken: set SANDBOX_PORT to another port, or 0 for a free one)' : '';
	process.stderr.write(`The sandbox could not start: ${error.message}${hint}\n`);
	process.exit(1);
});
