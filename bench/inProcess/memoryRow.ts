/**
 * One memory row in a process of its own (run.ts forks it with --expose-gc): the heap of a
 * bulk send is then measured in a heap that no earlier run has grown, fragmented or left
 * garbage in. Arguments: a provider key (or `read` for n8n reading the items alone) and N.
 * The row goes to the parent as an IPC message.
 */
import path from 'node:path';
import type * as Transport from '../../nodes/shared/transport';
import { ROOT } from '../../test/helpers/n8n';
import { providerMemory, readMemory, type MemoryRow } from './memory';
import { PROVIDERS } from './providers';

const { closeTransportPools } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'transport.js')) as typeof Transport;

async function main(): Promise<void> {
	const [what, size, note] = process.argv.slice(2);
	const n = Number(size);
	let row: MemoryRow;
	if (what === 'read') row = await readMemory(n, PROVIDERS[0].phone);
	else {
		const provider = PROVIDERS.find((p) => p.key === what);
		if (!provider) throw new Error(`no provider ${what} in the benchmark`);
		row = await providerMemory(provider, n, note || undefined);
	}
	await closeTransportPools();
	process.send?.(row);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
