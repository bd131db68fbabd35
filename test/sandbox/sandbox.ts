/**
 * Every provider simulator at once, as `npm run sandbox`, `npm run dev` and the
 * real-n8n tests start them: a new provider's simulator is added here only.
 */
import { IonSmsGatewaySimulator } from './ionSmsGateway.simulator';
import { LmtGroupSimulator } from './lmtGroup.simulator';
import { MonSmsProSimulator } from './monSmsPro.simulator';
import { MtnCongoSimulator } from './mtnCongo.simulator';
import type { ProviderSimulator } from './simulator';

export interface SandboxPorts {
	mtn: number;
	lmt: number;
	ion: number;
	msp: number;
}

export interface Sandbox {
	mtn: MtnCongoSimulator;
	lmt: LmtGroupSimulator;
	ion: IonSmsGatewaySimulator;
	msp: MonSmsProSimulator;
	stop(): Promise<void>;
}

/** The error of a simulator that could not start, with the simulator it was (its port's key). */
export type SandboxStartError = NodeJS.ErrnoException & { simulator?: keyof SandboxPorts };

/**
 * Starts the simulators on the given ports (0: a free one). If one cannot start,
 * those already started stop, and the error says which one failed.
 * `autoDeliverMs`: MTN delivers each accepted message after that long.
 */
export async function startSandbox(ports: SandboxPorts = { mtn: 0, lmt: 0, ion: 0, msp: 0 }, options: { autoDeliverMs?: number } = {}): Promise<Sandbox> {
	const started: ProviderSimulator[] = [];
	const start = async <T extends ProviderSimulator>(key: keyof SandboxPorts, simulator: T): Promise<T> => {
		try {
			started.push(await simulator.start(ports[key]));
			return simulator;
		} catch (error) {
			(error as SandboxStartError).simulator = key;
			await Promise.all(started.map(async (s) => await s.stop()));
			throw error;
		}
	};
	const mtn = await start('mtn', new MtnCongoSimulator({ autoDeliverMs: options.autoDeliverMs }));
	const lmt = await start('lmt', new LmtGroupSimulator());
	const ion = await start('ion', new IonSmsGatewaySimulator());
	const msp = await start('msp', new MonSmsProSimulator());
	return { mtn, lmt, ion, msp, stop: async () => void (await Promise.all(started.map(async (s) => await s.stop()))) };
}
