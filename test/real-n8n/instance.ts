/**
 * One real n8n: a user folder, its CLI commands (import, execute, publish) and its server,
 * kept local (127.0.0.1, no telemetry) with every line it logs kept in one file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

import { waitUntil } from '../helpers/waitUntil';
import type { N8nRuntime } from './runtime';

export interface N8nInstanceOptions {
	userFolder: string;
	port: number;
	/** n8n's task broker (Code node runners) listens here; its default 5679 would clash between two n8n. */
	brokerPort?: number;
	/** Every line n8n prints, from every command, is appended here. */
	logFile: string;
	env?: NodeJS.ProcessEnv;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface SandboxCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** Listens on 127.0.0.1:port (0: any free port) and lets go; resolves the port, rejects when it is taken. */
export function claimPort(port = 0): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const { port: claimed } = server.address() as { port: number };
			server.close(() => resolve(claimed));
		});
	});
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of live) child.kill('SIGKILL');
});

/** Processes started by the tests die with the test process, however it ends. */
export function stopWithThisProcess(child: ChildProcess): void {
	live.add(child);
	child.once('exit', () => live.delete(child));
}

/** Sends `signal` and resolves once the process has ended; SIGKILL if it is still there after `graceMs`. */
export async function endProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

/** The n8n commands that run as servers, and what each prints once it serves. */
export type N8nServerCommand = 'start' | 'webhook' | 'worker';
const READY: Record<N8nServerCommand, string> = {
	start: 'Editor is now accessible via',
	webhook: 'Webhook listener waiting for requests',
	worker: 'n8n worker is now ready',
};

export class N8nInstance {
	private server?: ChildProcess;
	private serverOutput = '';

	constructor(
		readonly runtime: N8nRuntime,
		readonly options: N8nInstanceOptions,
	) {
		mkdirSync(dirname(options.logFile), { recursive: true });
	}

	/** The server's process id while it runs (the bench samples its memory). */
	get serverPid(): number | undefined {
		return this.server?.pid;
	}

	get url(): string {
		return `http://127.0.0.1:${this.options.port}`;
	}

	env(): NodeJS.ProcessEnv {
		const loopback = '127.0.0.1,localhost,::1';
		// Under jest NODE_ENV is "test", which makes n8n silent and changes how it runs.
		const inherited = { ...process.env };
		for (const name of ['NODE_ENV', 'JEST_WORKER_ID']) delete inherited[name];
		return {
			...inherited,
			PATH: this.runtime.path,
			N8N_USER_FOLDER: this.options.userFolder,
			N8N_PORT: String(this.options.port),
			N8N_RUNNERS_BROKER_PORT: String(this.options.brokerPort ?? this.options.port + 1),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_WEBHOOK_URL: `${this.url}/`,
			N8N_EDITOR_BASE_URL: `${this.url}/`,
			// Plain http on 127.0.0.1: a Secure cookie would not be sent back by every browser.
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			N8N_LOG_LEVEL: 'info',
			NO_PROXY: [process.env.NO_PROXY, loopback].filter(Boolean).join(','),
			no_proxy: [process.env.no_proxy, loopback].filter(Boolean).join(','),
			...this.options.env,
		};
	}

	private log(text: string): void {
		appendFileSync(this.options.logFile, text);
	}

	/** Runs one n8n CLI command to its end. */
	cli(args: string[], timeoutMs = 120_000): Promise<CliResult> {
		this.log(`\n$ n8n ${args.join(' ')}\n`);
		return new Promise((resolve, reject) => {
			const child = spawn(this.runtime.node, [this.runtime.n8nBin, ...args], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
			stopWithThisProcess(child);
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				this.log(chunk.toString());
			});
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
				this.log(chunk.toString());
			});
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	private async cliOk(args: string[], timeoutMs?: number): Promise<CliResult> {
		const result = await this.cli(args, timeoutMs);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${(result.stderr || result.stdout).slice(-3000)}`);
		return result;
	}

	async version(): Promise<string> {
		return (await this.cliOk(['--version'])).stdout.trim().split('\n').pop() ?? '';
	}

	async importCredentials(credentials: SandboxCredential[]): Promise<void> {
		// n8n encrypts what it imports; the clear-text file does not stay behind.
		const file = join(this.options.userFolder, 'import-credentials.json');
		await writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
		try {
			await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			await rm(file, { force: true });
		}
	}

	async importWorkflow(file: string): Promise<void> {
		await this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/** `n8n execute --id --rawOutput`: the run's data, as n8n prints it. */
	async execute(workflowId: string): Promise<ExecutionResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const start = result.stdout.search(/^\{/m);
		if (result.code !== 0 || start < 0) {
			throw new Error(`n8n execute --id=${workflowId} failed (exit ${result.code}):\n${(result.stdout + result.stderr).slice(-4000)}`);
		}
		return JSON.parse(result.stdout.slice(start)) as ExecutionResult;
	}

	/** Marks the workflow published; a running server only sees it after a restart. */
	async publish(workflowId: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${workflowId}`]);
	}

	/**
	 * `n8n start` (or, in queue mode, `n8n webhook` / `n8n worker`), resolved once n8n says it serves
	 * (published webhooks may still be registering: waitForWebhook).
	 */
	async start(timeoutMs = 120_000, command: N8nServerCommand = 'start'): Promise<void> {
		this.log(`\n$ n8n ${command}\n`);
		const child = spawn(this.runtime.node, [this.runtime.n8nBin, command], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
		this.server = child;
		stopWithThisProcess(child);
		this.serverOutput = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`n8n did not start within ${timeoutMs / 1000} s; see ${this.options.logFile}`)), timeoutMs);
			const onData = (chunk: Buffer) => {
				this.serverOutput += chunk.toString();
				this.log(chunk.toString());
				if (this.serverOutput.includes(READY[command])) {
					clearTimeout(timer);
					resolve();
				}
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', onData);
			child.on('error', reject);
			child.on('exit', (code) => {
				clearTimeout(timer);
				if (this.server === child) this.onUnexpectedExit?.(code);
				reject(new Error(`n8n exited (code ${code}) before it was ready; see ${this.options.logFile}:\n${this.serverOutput.slice(-3000)}`));
			});
		});
	}

	/**
	 * Published workflows' webhooks are registered some seconds after the editor is up.
	 * Waits until n8n knows the path, probing with a GET: a webhook that only takes POST
	 * answers "not registered for GET requests" once registered, "not registered" before.
	 */
	async waitForWebhook(path: string, timeoutMs = 60_000): Promise<void> {
		await waitUntil(
			async () => {
				const res = await fetch(`${this.url}/webhook/${path}`);
				return res.status !== 404 || /not registered for \w+ requests/.test(await res.text());
			},
			{ timeoutMs, what: `n8n to know webhook ${path} (see ${this.options.logFile})` },
		);
	}

	/** Kills the server as a crash would (SIGKILL: no shutdown, nothing saved); resolves once it is gone. */
	async crash(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (child) await endProcess(child, 'SIGKILL');
	}

	/** Called if the server stops by itself (not through stop()). */
	onUnexpectedExit?: (code: number | null) => void;

	async stop(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (child) await endProcess(child, 'SIGTERM');
	}

	/** Claims the fresh instance for an owner (what the editor's setup page does); returns the session cookie. */
	async setupOwner(owner: { email: string; password: string; firstName: string; lastName: string }): Promise<string> {
		const res = await fetch(`${this.url}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
		if (res.status === 400) return this.login(owner.email, owner.password);
		if (!res.ok) throw new Error(`owner setup answered ${res.status}: ${await res.text()}`);
		return sessionCookie(res);
	}

	async login(email: string, password: string): Promise<string> {
		const res = await fetch(`${this.url}/rest/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailOrLdapLoginId: email, password }) });
		if (!res.ok) throw new Error(`login answered ${res.status}: ${await res.text()}`);
		return sessionCookie(res);
	}
}

function sessionCookie(res: Response): string {
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('n8n set no n8n-auth cookie');
	return cookie.split(';')[0];
}

/** Every line these n8n processes logged, one log after the other. */
export function logsOf(instances: N8nInstance[]): string {
	return instances.map((i) => readFileSync(i.options.logFile, 'utf8')).join('\n');
}

/** The part of n8n's run data the tests read. */
export interface ExecutionResult {
	finished?: boolean;
	status?: string;
	data: {
		resultData: {
			error?: { message: string };
			runData: Record<string, Array<{ error?: { message: string }; data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
		};
	};
}

/** The items a node put on its outputs in its last run (all outputs, in order). */
export function nodeOutput(result: ExecutionResult, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = result.data.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(result.data.resultData.runData).join(', ')}`);
	const run = runs[runs.length - 1];
	if (run.error) throw new Error(`node "${nodeName}" failed: ${run.error.message}`);
	return (run.data?.main[output] ?? []).map((item) => item.json);
}
