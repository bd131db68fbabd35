/**
 * What the end-to-end and editor (UI) tests start before their first test: the provider
 * simulators on free loopback ports, a fresh n8n with the packed package installed as n8n
 * installs a community package, the sandbox credentials and every example workflow imported.
 *
 * - One process (default): n8n is not started; callers run workflows headless
 *   (`execute`), then `serve()` publishes and starts n8n (a running n8n only sees
 *   published workflows after a restart).
 * - Queue mode (`mode: 'queue'`, see queueStack.ts): PostgreSQL, Redis, a main instance,
 *   a webhook processor and two workers, all started here; `execute` runs a workflow as
 *   the editor's "Execute workflow" does, which n8n hands to a worker.
 */
import { join } from 'node:path';

import { startSandbox, type SandboxSimulators } from '../sandbox/sandbox';
import { installCommunityPackage, packProject, type PackedPackage } from './communityPackage';
import { EXAMPLES, examplePath, SANDBOX_OWNER, sandboxCredentials } from './examples';
import { claimPort, logsOf, N8nInstance, type ExecutionResult } from './instance';
import { startQueueCluster, type QueueCluster } from './queueStack';
import { ensureN8n, type N8nRuntime } from './runtime';

/** How n8n runs: one process on SQLite, or queue mode (main, webhook processor, workers, PostgreSQL, Redis). */
export type StackMode = 'single' | 'queue';

/** `npm run test:e2e -- --queue` sets this for the test files. */
export const stackModeFromEnv = (): StackMode => (process.env.AFRICA_SMS_E2E_MODE === 'queue' ? 'queue' : 'single');

/** The stack, and the sandbox's simulators (stack.mtn …, stack.byKey). */
export interface PackageStack extends SandboxSimulators {
	mode: StackMode;
	runtime: N8nRuntime;
	/** The instance with the editor and REST API (queue mode: the main instance). */
	n8n: N8nInstance;
	/** Every n8n process of the stack, the main one first. */
	instances: N8nInstance[];
	/** Where production webhooks are served (queue mode: the webhook processor). */
	webhookUrl: string;
	queue?: QueueCluster;
	pkg: PackedPackage;
	/** What `n8n --version` printed. */
	n8nVersion: string;
	/** Runs a workflow to its end and returns its run data; rejects, with n8n's error, when it failed. */
	execute(workflowId: string): Promise<ExecutionResult>;
	/** Publishes the examples that listen (webhooks, the trigger) and serves them; resolves the owner's session cookie. */
	serve(): Promise<string>;
	/** Waits until the webhook server knows a production webhook path. */
	waitForWebhook(path: string): Promise<void>;
	/** Every line every n8n process logged. */
	logText(): string;
	/** Stops n8n (when started), the queue services and the simulators. */
	stop(): Promise<void>;
}

const LISTENING_EXAMPLES = Object.values(EXAMPLES).filter((e) => e.publish);

/** Builds the stack in `work` (a fresh folder); the package must be built (dist). `env`: more settings for n8n. */
export async function preparePackageStack(work: string, options: { env?: NodeJS.ProcessEnv; mode?: StackMode } = {}): Promise<PackageStack> {
	const mode = options.mode ?? 'single';
	const runtime = await ensureN8n();
	const sandbox = await startSandbox();
	const { started: _started, stop: _stop, ...simulators } = sandbox;
	let cluster: QueueCluster | undefined;
	let single: N8nInstance | undefined;
	const stop = async () => {
		await single?.stop();
		await cluster?.stop();
		await sandbox.stop();
	};
	try {
		const pkg = await packProject(work);
		const credentials = sandboxCredentials(sandbox);
		const importAll = async (n8n: N8nInstance) => {
			await n8n.importCredentials(credentials);
			for (const example of Object.values(EXAMPLES)) await n8n.importWorkflow(examplePath(example));
		};
		/** What both modes share; `instances` from the main (or only) one on. */
		const common = (instances: N8nInstance[]) => ({
			mode,
			runtime,
			n8n: instances[0],
			instances,
			...simulators,
			pkg,
			logText: () => logsOf(instances),
			stop,
		});
		if (mode === 'queue') {
			const queue = await startQueueCluster(runtime, work, pkg, {
				env: options.env,
				beforeStart: async (main) => {
					await importAll(main);
					for (const example of LISTENING_EXAMPLES) await main.publish(example.id);
				},
			});
			cluster = queue;
			const cookie = await queue.main.setupOwner(SANDBOX_OWNER);
			return {
				...common(queue.instances),
				queue,
				webhookUrl: queue.webhook.url,
				n8nVersion: await queue.main.version(),
				execute: (workflowId) => queue.executeManually(workflowId, cookie),
				serve: async () => cookie,
				waitForWebhook: (path) => queue.webhook.waitForWebhook(path),
			};
		}
		const n8n = new N8nInstance(runtime, { userFolder: join(work, 'user'), port: await claimPort(), brokerPort: await claimPort(), logFile: join(work, 'n8n.log'), env: options.env });
		single = n8n;
		await installCommunityPackage(n8n.options.userFolder, pkg, join(work, 'install.log'));
		const n8nVersion = await n8n.version();
		await importAll(n8n);
		return {
			...common([n8n]),
			webhookUrl: n8n.url,
			n8nVersion,
			execute: (workflowId) => n8n.execute(workflowId),
			serve: async () => {
				for (const example of LISTENING_EXAMPLES) await n8n.publish(example.id);
				await n8n.start();
				return await n8n.setupOwner(SANDBOX_OWNER);
			},
			waitForWebhook: (path) => n8n.waitForWebhook(path),
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
