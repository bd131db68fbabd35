/**
 * Every provider simulator at once, as `npm run sandbox`, `npm run dev` and the
 * real-n8n tests start them: one per provider of the test registry
 * (test/providers/registry.ts), so a new provider's simulator file is all it takes.
 */
import { productProviders, type TestProvider, type TestSimulator } from '../providers/registry';
import type { IonSmsGatewaySimulator } from './ionSmsGateway.simulator';
import type { LmtGroupSimulator } from './lmtGroup.simulator';
import type { MonSmsProSimulator } from './monSmsPro.simulator';
import type { MtnCongoSimulator } from './mtnCongo.simulator';

/** Each simulator's port, by its sandbox key ('mtn', 'lmt' …); 0 or none: a free one. */
export type SandboxPorts = Record<string, number>;

export interface Sandbox {
	/** The simulators in the registry's order, each with its provider. */
	started: Array<{ provider: TestProvider; sim: TestSimulator }>;
	/** Each simulator by its sandbox key. */
	byKey: Record<string, TestSimulator>;
	// The simulators callers reach into (ledgers, callbacks, credit), under their sandbox keys.
	mtn: MtnCongoSimulator;
	lmt: LmtGroupSimulator;
	ion: IonSmsGatewaySimulator;
	msp: MonSmsProSimulator;
	stop(): Promise<void>;
}

/** The sandbox's simulators, without its list and stop(): what a stack built on it passes on. */
export type SandboxSimulators = Omit<Sandbox, 'started' | 'stop'>;

/** The error of a simulator that could not start, with the simulator it was (its port's key). */
export type SandboxStartError = NodeJS.ErrnoException & { simulator?: string };

/** The providers the sandbox runs: those with sandbox facts, in the registry's order. */
export function sandboxProviders(): Array<TestProvider & { sandbox: NonNullable<TestProvider['sandbox']> }> {
	return productProviders().filter((p): p is TestProvider & { sandbox: NonNullable<TestProvider['sandbox']> } => p.sandbox !== undefined);
}

/** What `npm run sandbox` prints of a simulator: the credential to fill in, then its ledger's address. */
export function sandboxDescription(provider: TestProvider, sim: TestSimulator): string[] {
	const { credentialName, describe } = provider.sandbox!;
	const entries = [...describe(sim), ['Ledger', `GET ${sim.url}/__sandbox/state`] as [string, string]];
	// Values line up after the longest field name.
	const width = Math.max(...entries.map((e) => (typeof e === 'string' ? 0 : e[0].length))) + 2;
	return [`${credentialName} (credential "${credentialName}"):`, ...entries.map((e) => (typeof e === 'string' ? `  ${e}` : `  ${`${e[0]}:`.padEnd(width)}${e[1]}`))];
}

/**
 * Starts the simulators on the given ports (0: a free one). If one cannot start,
 * those already started stop, and the error says which one failed.
 * `autoDeliverMs`: MTN delivers each accepted message after that long.
 */
export async function startSandbox(ports: SandboxPorts = {}, options: { autoDeliverMs?: number } = {}): Promise<Sandbox> {
	const started: Sandbox['started'] = [];
	const stopAll = async () => void (await Promise.all(started.map(async ({ sim }) => await sim.stop())));
	for (const provider of sandboxProviders()) {
		const { key } = provider.sandbox;
		try {
			const sim = provider.sandbox.createSimulator(options);
			await sim.start(ports[key] ?? 0);
			started.push({ provider, sim });
		} catch (error) {
			(error as SandboxStartError).simulator = key;
			await stopAll();
			throw error;
		}
	}
	const byKey = Object.fromEntries(started.map(({ provider, sim }) => [provider.sandbox!.key, sim]));
	return { ...(byKey as Pick<Sandbox, 'mtn' | 'lmt' | 'ion' | 'msp'>), started, byKey, stop: stopAll };
}
