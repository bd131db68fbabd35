/**
 * `npm run sandbox`: starts the provider simulators on 127.0.0.1 and prints what
 * to put in the credentials. Ctrl-C stops them.
 *   SANDBOX_PORT=4020 npm run sandbox       (MTN Congo on another port; 0 picks a free one)
 *   SANDBOX_LMT_PORT=4021 npm run sandbox   (LMT BulkSMS on another port; 0 picks a free one)
 *   SANDBOX_ION_PORT=4022 npm run sandbox   (ION SMS Gateway on another port; 0 picks a free one)
 *   SANDBOX_MSP_PORT=4023 npm run sandbox   (Mon SMS PRO on another port; 0 picks a free one)
 */
import { startSandbox, type SandboxPorts, type SandboxStartError } from './sandbox';

/** The environment variable that sets each simulator's port. */
const PORT_VARIABLES: Record<keyof SandboxPorts, string> = { mtn: 'SANDBOX_PORT', lmt: 'SANDBOX_LMT_PORT', ion: 'SANDBOX_ION_PORT', msp: 'SANDBOX_MSP_PORT' };

async function main(): Promise<void> {
	const ports = { mtn: Number(process.env.SANDBOX_PORT ?? 4010), lmt: Number(process.env.SANDBOX_LMT_PORT ?? 4011), ion: Number(process.env.SANDBOX_ION_PORT ?? 4012), msp: Number(process.env.SANDBOX_MSP_PORT ?? 4013) };
	const sandbox = await startSandbox(ports, { autoDeliverMs: 2000 });
	const { mtn, lmt, ion, msp } = sandbox;
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
		'ION SMS Gateway API (credential "ION SMS Gateway API"):',
		`  Base URL:        ${ion.baseUrl}`,
		`  API Key:         ${ion.apiKey}`,
		'  Default Country: GA',
		'  Postpaid (no balance limit); POST /__sandbox/balance {"balance": 0} makes it refuse for lack of credit.',
		`  Ledger:          GET ${ion.url}/__sandbox/state`,
		'',
		'Mon SMS PRO API (credential "Mon SMS PRO API"):',
		`  Base URL:        ${msp.baseUrl}`,
		`  API Key:         ${msp.apiKey}`,
		'  Default Country: CI',
		`  Credit ${msp.credit}; senders MONSMSPRO (accepted) and PROMO (pending); POST /__sandbox/credit {"credit": n} changes it.`,
		`  Ledger:          GET ${msp.url}/__sandbox/state`,
		'',
		'Press Ctrl-C to stop.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

// startSandbox has stopped whatever it had started.
main().catch((error: SandboxStartError) => {
	const variable = PORT_VARIABLES[error.simulator ?? 'mtn'];
	const hint = error.code === 'EADDRINUSE' ? ` (the port is taken: set ${variable} to another port, or 0 for a free one)` : '';
	process.stderr.write(`The sandbox could not start: ${error.message}${hint}\n`);
	process.exit(1);
});
