/**
 * `npm run sandbox`: starts the provider simulators on 127.0.0.1 and prints what
 * to put in the credentials. Ctrl-C stops them.
 *   SANDBOX_PORT=4020 npm run sandbox       (MTN Congo on another port; 0 picks a free one)
 *   SANDBOX_LMT_PORT=4021 npm run sandbox   (LMT BulkSMS on another port; 0 picks a free one)
 *   SANDBOX_ION_PORT=4022 npm run sandbox   (ION SMS Gateway on another port; 0 picks a free one)
 *   SANDBOX_MSP_PORT=4023 npm run sandbox   (Mon SMS PRO on another port; 0 picks a free one)
 */
import { sandboxDescription, sandboxProviders, startSandbox, type SandboxPorts, type SandboxStartError } from './sandbox';

async function main(): Promise<void> {
	const providers = sandboxProviders();
	const ports: SandboxPorts = Object.fromEntries(providers.map(({ sandbox }) => [sandbox.key, Number(process.env[sandbox.portVariable] ?? sandbox.port)]));
	const sandbox = await startSandbox(ports, { autoDeliverMs: 2000 });
	const lines = ['Africa SMS sandbox running (no SMS leaves this machine).', ''];
	for (const { provider, sim } of sandbox.started) lines.push(...sandboxDescription(provider, sim), '');
	lines.push('Press Ctrl-C to stop.');
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
	const providers = sandboxProviders();
	const variable = (providers.find((p) => p.sandbox.key === error.simulator) ?? providers[0]).sandbox.portVariable;
	const hint = error.code === 'EADDRINUSE' ? ` (the port is taken: set ${variable} to another port, or 0 for a free one)` : '';
	process.stderr.write(`The sandbox could not start: ${error.message}${hint}\n`);
	process.exit(1);
});
