/**
 * `node dist/test/real-n8n/provision.js`: makes sure the pinned n8n is in the cache
 * (first run: minutes, with a line per step) and prints the versions the e2e tests use.
 */
import { cacheRoot, ensureN8n } from './runtime';

ensureN8n()
	.then((runtime) => {
		process.stdout.write(`[n8n] n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion} (this machine: Node.js ${process.version}); cache ${cacheRoot()}\n`);
	})
	.catch((error: Error) => {
		process.stderr.write(`[n8n] could not provision n8n: ${error.message}\n`);
		process.exit(1);
	});
