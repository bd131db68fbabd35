import { closeTransportPools } from '../../nodes/shared/transport';
import type { ProviderSimulator } from '../sandbox/simulator';

/**
 * For a jest test file: the simulator `create` makes, started on a free port before the
 * file's tests, reset before each test, and stopped after them (with the transport's
 * pooled connections to it). The returned function gives the started simulator.
 */
export function useSimulator<S extends ProviderSimulator & { reset(): void }>(create: () => S): () => S {
	let sim: S | undefined;
	beforeAll(async () => {
		sim = await create().start();
	});
	beforeEach(() => sim?.reset());
	afterAll(async () => {
		await sim?.stop();
		await closeTransportPools();
	});
	return () => {
		if (!sim) throw new Error('the simulator is started in beforeAll: read it inside a test or hook');
		return sim;
	};
}
