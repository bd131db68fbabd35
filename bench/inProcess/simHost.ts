/**
 * A provider simulator in a child process, for the memory runs: its ledger, contact
 * book and request log grow with every SMS and would otherwise count in the heap
 * measured. Started by memory.ts with the provider key as argument; answers IPC
 * messages {id, cmd: 'reset' | 'summary' | 'stop'}.
 */
import { accessOf, createSimulator, type ProviderKey } from './providers';

interface Command {
	id: number;
	cmd: 'reset' | 'summary' | 'stop';
}

async function main(): Promise<void> {
	const key = process.argv[2] as ProviderKey;
	const sim = await createSimulator(key).start();
	const reply = (message: object) => process.send?.(message);
	process.on('message', (message: Command) => {
		void (async () => {
			if (message.cmd === 'reset') sim.reset();
			if (message.cmd === 'summary') await sim.settled();
			if (message.cmd === 'stop') await sim.stop();
			reply({ id: message.id, requests: sim.requests.length, ledger: sim.ledger.length });
			if (message.cmd === 'stop') process.disconnect();
		})();
	});
	reply({ id: 0, access: accessOf(key, sim) });
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
