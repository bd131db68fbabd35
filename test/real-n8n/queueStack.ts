/**
 * n8n in queue mode, as a business that outgrows one process runs it: PostgreSQL and Redis
 * (queueServices.ts), a main instance (editor, REST API, triggers), a webhook processor
 * and two workers. Each instance has its own user folder with the packed package installed
 * as n8n installs a community package; all share the database, the queue and
 * N8N_ENCRYPTION_KEY. Production webhooks go to the webhook processor; executions, manual
 * ones included (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS), run on the workers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse as parseFlatted } from 'flatted';

import { installCommunityPackage, type PackedPackage } from './communityPackage';
import { claimPort, N8nInstance, type ExecutionResult } from './instance';
import { startQueueServices, type QueueServices } from './queueServices';
import { waitUntil } from '../helpers/waitUntil';
import { restJson } from './rest';
import type { N8nRuntime } from './runtime';

export const QUEUE_WORKERS = 2;

export interface QueueCluster {
	main: N8nInstance;
	webhook: N8nInstance;
	workers: N8nInstance[];
	/** main, webhook processor, workers. */
	instances: N8nInstance[];
	services: QueueServices;
	/** Runs a workflow as the editor's "Execute workflow" does (on a worker), to its end. */
	executeManually(workflowId: string, cookie: string, timeoutMs?: number): Promise<ExecutionResult>;
	/** Starts a manual execution and resolves its id at once. */
	startManually(workflowId: string, cookie: string): Promise<string>;
	/** Waits until n8n records an end for the execution (any status but new, running, waiting). */
	waitForExecution(executionId: string, cookie: string, timeoutMs?: number): Promise<StoredExecution>;
	/** Publishes a workflow through the REST API, as the editor's Publish button does: main registers its webhooks at once. */
	activate(workflowId: string, cookie: string): Promise<void>;
	/** n8n's Retry of a failed or crashed execution (with the workflow as it was); resolves the new execution's id. */
	retry(executionId: string, cookie: string): Promise<string>;
	/** The worker whose log says it started this execution. */
	workerOf(executionId: string): N8nInstance | undefined;
	/** Starts a worker or the webhook processor again (after crash()). */
	restart(instance: N8nInstance): Promise<void>;
	stop(): Promise<void>;
}

/** An execution as n8n's REST API gives it, with its run data unflattened. */
export interface StoredExecution extends ExecutionResult {
	id: string;
	status: string;
	mode: string;
	retryOf?: string | null;
	retrySuccessId?: string | null;
}

const ENDED = (status: string) => !['new', 'running', 'waiting', 'unknown'].includes(status);

export async function startQueueCluster(
	runtime: N8nRuntime,
	work: string,
	pkg: PackedPackage,
	options: {
		env?: NodeJS.ProcessEnv;
		/** The editor's port (default: any free port). */
		mainPort?: number;
		/** Runs once the package is installed everywhere, before any n8n starts (imports, publishing). */
		beforeStart?: (main: N8nInstance) => Promise<void>;
		progress?: (line: string) => void;
	} = {},
): Promise<QueueCluster> {
	const progress = options.progress ?? (() => {});
	const services = await startQueueServices(join(work, 'queue-services.log'), progress);
	const instances: N8nInstance[] = [];
	const stop = async () => {
		// Workers first: they finish or drop their jobs while the database and Redis still answer.
		for (const instance of [...instances].reverse()) await instance.stop();
		await services.stop();
	};
	try {
		const webhookPort = await claimPort();
		const mainPort = options.mainPort ?? (await claimPort());
		const webhookUrl = `http://127.0.0.1:${webhookPort}`;
		const shared: NodeJS.ProcessEnv = {
			...services.env,
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_WEBHOOK_URL: `${webhookUrl}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${mainPort}/`,
			...options.env,
		};
		const make = async (name: string, port: number, env: NodeJS.ProcessEnv = {}) => {
			const instance = new N8nInstance(runtime, {
				userFolder: join(work, name),
				port,
				brokerPort: await claimPort(),
				logFile: join(work, `${name}.log`),
				env: { ...shared, ...env },
			});
			await installCommunityPackage(instance.options.userFolder, pkg, join(work, `install-${name}.log`));
			instances.push(instance);
			return instance;
		};
		progress('installing the package into main, webhook processor and workers ...');
		// Production webhooks are for the webhook processor only, as in n8n's scaling guide.
		const main = await make('main', mainPort, { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
		const webhook = await make('webhook', webhookPort);
		const workers: N8nInstance[] = [];
		for (let i = 1; i <= QUEUE_WORKERS; i++) {
			const healthPort = await claimPort();
			workers.push(await make(`worker-${i}`, await claimPort(), { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) }));
		}
		await options.beforeStart?.(main);
		progress('starting main, then the webhook processor and the workers ...');
		await main.start();
		await Promise.all([webhook.start(120_000, 'webhook'), ...workers.map((w) => w.start(120_000, 'worker'))]);

		const startManually = async (workflowId: string, cookie: string) => {
			const workflow = await restJson<{ nodes: Array<{ name: string; type: string }> }>(`${main.url}/rest/workflows/${workflowId}`, cookie);
			const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
			if (!trigger) throw new Error(`workflow ${workflowId} has no Manual Trigger`);
			const started = await restJson<{ executionId?: string; waitingForWebhook?: boolean }>(`${main.url}/rest/workflows/${workflowId}/run`, cookie, {
				method: 'POST',
				body: JSON.stringify({ triggerToStartFrom: { name: trigger.name } }),
			});
			if (!started.executionId) throw new Error(`n8n started no execution of ${workflowId}: ${JSON.stringify(started)}`);
			return started.executionId;
		};
		const waitForExecution = async (executionId: string, cookie: string, timeoutMs = 300_000): Promise<StoredExecution> => {
			type Stored = Omit<StoredExecution, 'data'> & { data: string };
			const execution = await waitUntil(
				async () => {
					const found = await restJson<Stored>(`${main.url}/rest/executions/${executionId}`, cookie);
					return ENDED(found.status) && found;
				},
				{ timeoutMs, intervalMs: 200, what: `execution ${executionId} to end` },
			);
			return { ...execution, data: parseFlatted(execution.data) as ExecutionResult['data'] };
		};
		return {
			main,
			webhook,
			workers,
			instances,
			services,
			startManually,
			waitForExecution,
			async executeManually(workflowId, cookie, timeoutMs) {
				const execution = await waitForExecution(await startManually(workflowId, cookie), cookie, timeoutMs);
				if (execution.status !== 'success') {
					const error = execution.data.resultData.error as { message: string; description?: string } | undefined;
					throw new Error(`execution ${execution.id} of ${workflowId} ended ${execution.status}: ${error?.message ?? 'no error recorded'}${error?.description ? `\n${error.description}` : ''}`);
				}
				return execution;
			},
			async activate(workflowId, cookie) {
				const { versionId } = await restJson<{ versionId: string }>(`${main.url}/rest/workflows/${workflowId}`, cookie);
				await restJson(`${main.url}/rest/workflows/${workflowId}/activate`, cookie, { method: 'POST', body: JSON.stringify({ versionId }) });
			},
			async retry(executionId, cookie) {
				const retried = await restJson<{ id: string }>(`${main.url}/rest/executions/${executionId}/retry`, cookie, { method: 'POST', body: JSON.stringify({ loadWorkflow: false }) });
				return String(retried.id);
			},
			workerOf(executionId) {
				return workers.find((w) => readFileSync(w.options.logFile, 'utf8').includes(`Worker started execution ${executionId} `));
			},
			async restart(instance) {
				await instance.start(120_000, instance === webhook ? 'webhook' : 'worker');
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
