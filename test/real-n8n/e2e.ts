/**
 * `npm run test:e2e [-- --queue] [jest options]`: provisions the pinned n8n, then runs the
 * end-to-end tests with jest. With `--queue` they run on n8n in queue mode (PostgreSQL and
 * Redis from Debian's packages, installed when missing; main, webhook processor, two workers).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { projectRoot } from './communityPackage';
import { ensureQueueServices } from './queueServices';
import { cacheRoot, ensureN8n } from './runtime';

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const queue = args.includes('--queue');
	const jestArgs = args.filter((a) => a !== '--queue');
	const runtime = await ensureN8n();
	process.stdout.write(`[n8n] n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion} (this machine: Node.js ${process.version}); cache ${cacheRoot()}\n`);
	if (queue) {
		const bins = await ensureQueueServices(join(cacheRoot(), 'queue-services-install.log'), (line) => process.stdout.write(`[queue] ${line}\n`));
		process.stdout.write(`[queue] PostgreSQL ${bins.postgres}, Redis ${bins.redis}\n`);
	}
	const jest = join(projectRoot, 'node_modules', 'jest', 'bin', 'jest.js');
	const child = spawn(process.execPath, [jest, '--config', 'jest.e2e.config.js', ...jestArgs], {
		cwd: projectRoot,
		stdio: 'inherit',
		env: { ...process.env, AFRICA_SMS_E2E_MODE: queue ? 'queue' : 'single' },
	});
	return await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`[e2e] ${error.message}\n`);
		process.exit(1);
	},
);
