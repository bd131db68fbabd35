/**
 * What the end-to-end and editor (UI) tests start before their first test: the provider
 * simulators on free loopback ports, a fresh n8n user folder with the packed package
 * installed as n8n installs a community package, the sandbox credentials and every
 * example workflow imported. n8n itself is not started: callers publish what they need
 * first (a running n8n only sees published workflows after a restart), then `n8n.start()`.
 */
import { join } from 'node:path';

import type { IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';
import type { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import type { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import type { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';
import { startSandbox } from '../sandbox/sandbox';
import { installCommunityPackage, packProject, type PackedPackage } from './communityPackage';
import { EXAMPLES, examplePath, sandboxCredentials } from './examples';
import { claimPort, N8nInstance } from './instance';
import { ensureN8n, type N8nRuntime } from './runtime';

export interface PackageStack {
	runtime: N8nRuntime;
	n8n: N8nInstance;
	mtn: MtnCongoSimulator;
	lmt: LmtGroupSimulator;
	ion: IonSmsGatewaySimulator;
	msp: MonSmsProSimulator;
	pkg: PackedPackage;
	/** What `n8n --version` printed. */
	n8nVersion: string;
	/** Every line n8n logged, from every command. */
	logFile: string;
	/** Stops n8n (when started) and the simulators. */
	stop(): Promise<void>;
}

/** Builds the stack in `work` (a fresh folder); the package must be built (dist). `env`: more settings for n8n. */
export async function preparePackageStack(work: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<PackageStack> {
	const runtime = await ensureN8n();
	const logFile = join(work, 'n8n.log');
	const sandbox = await startSandbox();
	const { mtn, lmt, ion, msp } = sandbox;
	let n8n: N8nInstance | undefined;
	const stop = async () => {
		await n8n?.stop();
		await sandbox.stop();
	};
	try {
		n8n = new N8nInstance(runtime, { userFolder: join(work, 'user'), port: await claimPort(), brokerPort: await claimPort(), logFile, env: options.env });
		const pkg = await packProject(work);
		await installCommunityPackage(n8n.options.userFolder, pkg, join(work, 'install.log'));
		const n8nVersion = await n8n.version();
		await n8n.importCredentials(sandboxCredentials(sandbox));
		for (const example of Object.values(EXAMPLES)) await n8n.importWorkflow(examplePath(example));
		return { runtime, n8n, mtn, lmt, ion, msp, pkg, n8nVersion, logFile, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
