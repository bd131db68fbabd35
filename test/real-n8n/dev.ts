/**
 * `npm run dev`: the package in a real n8n on 127.0.0.1, against the sandbox simulators,
 * with the example workflows and sandbox credentials imported. Ctrl-C stops everything.
 *
 *   npm run dev                          n8n on 5678, sandbox on 4010 (MTN Congo), 4011 (LMT BulkSMS), 4012 (ION SMS Gateway),
 *                                        4013 (Mon SMS PRO)
 *   npm run dev -- --port 5700 --sandbox-port 4020
 *                                        (LMT, ION and Mon SMS PRO on the sandbox port + 1, + 2, + 3
 *                                        unless --lmt-/--ion-/--msp-sandbox-port say otherwise)
 *   npm run dev -- --fresh               start from an empty n8n (drops .dev/n8n)
 *   npm run dev -- --queue               n8n in queue mode: PostgreSQL and Redis (Debian's packages), main on
 *                                        --port, a webhook processor and two workers; a fresh database each time
 *   npm run dev -- --dir /tmp/dev        keep n8n's data, log and the packed package there instead of .dev
 *   N8N_API_KEY=… npm run dev -- --external http://127.0.0.1:5678
 *                                        sandbox only, credentials and examples sent to a
 *                                        running n8n through its public API
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startSandbox, type SandboxPorts } from '../sandbox/sandbox';
import { installCommunityPackage, packProject, projectRoot, type PackedPackage } from './communityPackage';
import { DELIVERY_WEBHOOK, EXAMPLES, examplePath, SANDBOX_OWNER, sandboxCredentials, type Example } from './examples';
import { claimPort, N8nInstance, type SandboxCredential } from './instance';
import { startQueueCluster } from './queueStack';
import { ensureN8n } from './runtime';

/**
 * The editor link to print: the workflow list (the examples). n8n sends a visitor who is not
 * signed in to /signin?redirect=<this path> and back here after signing in; the bare address
 * would land on whatever n8n opens first (n8n 2.40: its Assistant page).
 */
export const EDITOR_HOME_PATH = '/home/workflows';
export const editorHome = (n8nUrl: string) => `${n8nUrl}${EDITOR_HOME_PATH}`;

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (line: string) => say(`[dev] ${line}`);

async function assertPortFree(port: number, what: string, option: string): Promise<void> {
	await claimPort(port).catch(() => {
		throw new Error(`port ${port} (${what}) is taken: choose another with ${option} <port>`);
	});
}

/** What must stop when `npm run dev` stops, registered as each piece starts; undone last-first. */
const cleanups: Array<() => Promise<void>> = [];
let stopping = false;

async function shutdown(code: number, why: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	step(`${why}: stopping n8n and the sandbox ...`);
	for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => step(`while stopping: ${error.message}`));
	process.exit(code);
}

/**
 * Stops everything on SIGINT and SIGTERM, and when the process that started us goes
 * away. npm runs scripts through `sh -c`, and a shell does not pass signals on: the
 * script `exec`s node so that npm's forwarded signal reaches us; should a shell stay
 * between (run by hand, or killed), we notice being re-parented.
 */
function stopWithParent(): void {
	process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
	process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
	const parent = process.ppid;
	setInterval(() => {
		if (process.ppid !== parent) void shutdown(0, 'npm run dev was stopped');
	}, 250).unref();
}

const fileHash = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Imports the examples not imported yet, or changed since; keeps the user's edits otherwise. */
async function importExamples(n8n: N8nInstance, fresh: boolean): Promise<void> {
	const stateFile = join(n8n.options.userFolder, 'africa-sms-examples.json');
	const state = fresh ? {} : ((await readFile(stateFile, 'utf8').then((t) => JSON.parse(t) as Record<string, string>).catch(() => ({}))) as Record<string, string>);
	for (const example of Object.values(EXAMPLES) as Example[]) {
		const hash = await fileHash(examplePath(example));
		if (state[example.file] === hash) {
			step(`example ${example.file}: already imported (kept as you left it; --fresh re-imports)`);
			continue;
		}
		await n8n.importWorkflow(examplePath(example));
		if (example.publish) await n8n.publish(example.id);
		state[example.file] = hash;
		step(`example ${example.file}: imported${example.publish ? ' and published' : ''}`);
	}
	await writeFile(stateFile, JSON.stringify(state, null, 2));
}

/** Each simulator's port option, in the order of the default ports (the first + 0, + 1, + 2). */
const SANDBOX_PORT_OPTIONS: Array<{ key: keyof SandboxPorts; label: string; option: string }> = [
	{ key: 'mtn', label: 'MTN Congo sandbox', option: '--sandbox-port' },
	{ key: 'lmt', label: 'LMT BulkSMS sandbox', option: '--lmt-sandbox-port' },
	{ key: 'ion', label: 'ION SMS Gateway sandbox', option: '--ion-sandbox-port' },
	{ key: 'msp', label: 'Mon SMS PRO sandbox', option: '--msp-sandbox-port' },
];

/** MTN delivers each accepted message this long after acceptance, and posts its callback. */
const AUTO_DELIVER_MS = 2000;

async function assertSandboxPortsFree(ports: SandboxPorts): Promise<void> {
	const chosen = SANDBOX_PORT_OPTIONS.filter(({ key }) => ports[key] !== 0);
	for (const a of chosen) {
		const clash = chosen.find((b) => b !== a && ports[b.key] === ports[a.key]);
		if (clash) throw new Error(`${a.option} and ${clash.option} are both ${ports[a.key]}: each simulator needs its own port`);
	}
	for (const { key, label, option } of SANDBOX_PORT_OPTIONS) await assertPortFree(ports[key], label, option);
}

function banner(lines: string[]): void {
	say();
	for (const line of lines) say(line);
	say();
}

async function runLocal(options: { port: number; sandboxPorts: SandboxPorts; fresh: boolean }, pkg: PackedPackage, devDir: string): Promise<void> {
	const brokerPort = options.port + 1;
	await assertPortFree(options.port, 'n8n', '--port');
	await assertPortFree(brokerPort, "n8n's task broker, n8n port + 1", '--port');
	for (const { key, option } of SANDBOX_PORT_OPTIONS) {
		const port = options.sandboxPorts[key];
		if (port === options.port || port === brokerPort) throw new Error(`${option} ${port} clashes with n8n (--port ${options.port} and its task broker on ${brokerPort})`);
	}
	await assertSandboxPortsFree(options.sandboxPorts);
	const runtime = await ensureN8n((line) => step(line));
	const userFolder = join(devDir, 'n8n');
	if (options.fresh) await rm(userFolder, { recursive: true, force: true });
	const logFile = join(devDir, 'n8n.log');
	const n8n = new N8nInstance(runtime, { userFolder, port: options.port, brokerPort, logFile });

	step(`installing ${pkg.name}@${pkg.version} into ${relative(projectRoot, userFolder)}/.n8n/nodes as a community package ...`);
	await installCommunityPackage(userFolder, pkg, join(devDir, 'install.log'));
	const sandbox = await startSandbox(options.sandboxPorts, { autoDeliverMs: AUTO_DELIVER_MS });
	cleanups.push(async () => await sandbox.stop());
	const { mtn, lmt, ion, msp } = sandbox;
	step(`sandbox: MTN Congo simulator on ${mtn.url}, LMT BulkSMS on ${lmt.url}, ION SMS Gateway on ${ion.url}, Mon SMS PRO on ${msp.url}`);
	step('importing the sandbox credentials ...');
	await n8n.importCredentials(sandboxCredentials(sandbox));
	await importExamples(n8n, options.fresh);

	step(`starting n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion} (log: ${relative(projectRoot, logFile)}) ...`);
	cleanups.push(async () => await n8n.stop());
	n8n.onUnexpectedExit = (code) => void shutdown(1, `n8n stopped by itself (exit ${code}); see ${logFile}`);
	await n8n.start();
	await n8n.waitForWebhook(`${DELIVERY_WEBHOOK.id}/delivery`);
	await n8n.waitForWebhook('order-shipped');
	let login = `${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password}`;
	try {
		await n8n.setupOwner(SANDBOX_OWNER);
	} catch {
		login = 'the owner account you set up in this n8n (run with --fresh to reset it)';
	}
	const event = JSON.stringify({ orderId: 'CMD-1', customer: { name: 'Ama', phone: '06 846 34 99' }, carrier: 'DHL', trackingUrl: 'https://suivi.example.cg/CMD-1' });
	const workflowUrl = (example: Example) => `${n8n.url}/workflow/${example.id}`;
	banner([
		`n8n ${runtime.n8nVersion} with ${pkg.name}@${pkg.version} is running against the sandbox: no SMS leaves this machine.`,
		'',
		`  Editor: ${editorHome(n8n.url)}   (the example workflows, once signed in)`,
		`  Login:  ${login}`,
		'',
		'Open first (n8n asks you to log in, then shows it):',
		`  ${workflowUrl(EXAMPLES.campaign)}`,
		'  the personalised campaign: click "Execute workflow" under the canvas, then open "Campaign summary".',
		'Then, the same way:',
		`  ${workflowUrl(EXAMPLES.appointmentReminders)}   LMT BulkSMS appointment reminders (Cameroon)`,
		`  ${workflowUrl(EXAMPLES.promoWindow)}   ION SMS Gateway promotion window (Gabon, scheduled by day)`,
		`  ${workflowUrl(EXAMPLES.creditCampaign)}   Mon SMS PRO campaign after a credit check (Côte d'Ivoire)`,
		`  ${workflowUrl(EXAMPLES.deliverySend)}   delivery tracking (1/2); MTN's delivery reports start`,
		`  ${workflowUrl(EXAMPLES.deliveryTrigger)}/executions   (2/2) 2 s later`,
		`  ${workflowUrl(EXAMPLES.orderShipped)}   order shipped. It listens on a webhook, so`,
		'  "Execute workflow" waits for a call: pick "Try it: run manually" in that button\'s menu, or call',
		`  curl -X POST ${n8n.url}/webhook/order-shipped -H 'content-type: application/json' -d '${event}'`,
		'',
		'Sandbox (what each simulator received: its /__sandbox/state):',
		`  MTN Congo at ${mtn.baseUrl} (credential "MTN Congo (sandbox)"); ${mtn.url}/__sandbox/state`,
		`  LMT BulkSMS at ${lmt.baseUrl} (credential "LMT BulkSMS (sandbox)"); ${lmt.url}/__sandbox/state`,
		`  ION SMS Gateway at ${ion.baseUrl} (credential "ION SMS Gateway (sandbox)"); ${ion.url}/__sandbox/state`,
		`  Mon SMS PRO at ${msp.baseUrl} (credential "Mon SMS PRO (sandbox)"); ${msp.url}/__sandbox/state`,
		'Ctrl-C stops n8n and the sandbox.',
	]);
}

/** Queue mode: a throw-away PostgreSQL and Redis, main (the editor) on --port, a webhook processor and two workers. */
async function runQueue(options: { port: number; sandboxPorts: SandboxPorts }, pkg: PackedPackage, devDir: string): Promise<void> {
	await assertPortFree(options.port, 'n8n', '--port');
	await assertSandboxPortsFree(options.sandboxPorts);
	const runtime = await ensureN8n((line) => step(line));
	const work = join(devDir, 'queue');
	await rm(work, { recursive: true, force: true });
	const sandbox = await startSandbox(options.sandboxPorts, { autoDeliverMs: AUTO_DELIVER_MS });
	cleanups.push(async () => await sandbox.stop());
	const { mtn, lmt, ion, msp } = sandbox;
	step(`sandbox: MTN Congo simulator on ${mtn.url}, LMT BulkSMS on ${lmt.url}, ION SMS Gateway on ${ion.url}, Mon SMS PRO on ${msp.url}`);
	step('starting PostgreSQL and Redis, installing the package into main, a webhook processor and two workers ...');
	const cluster = await startQueueCluster(runtime, work, pkg, {
		mainPort: options.port,
		progress: step,
		beforeStart: async (main) => {
			await main.importCredentials(sandboxCredentials(sandbox));
			for (const example of Object.values(EXAMPLES) as Example[]) {
				await main.importWorkflow(examplePath(example));
				if (example.publish) await main.publish(example.id);
			}
		},
	});
	cleanups.push(async () => await cluster.stop());
	for (const instance of cluster.instances) instance.onUnexpectedExit = (code) => void shutdown(1, `an n8n process stopped by itself (exit ${code}); see ${instance.options.logFile}`);
	await cluster.webhook.waitForWebhook(`${DELIVERY_WEBHOOK.id}/delivery`);
	await cluster.webhook.waitForWebhook('order-shipped');
	await cluster.main.setupOwner(SANDBOX_OWNER);
	const { main, webhook, workers, services } = cluster;
	banner([
		`n8n ${runtime.n8nVersion} in queue mode with ${pkg.name}@${pkg.version}, against the sandbox: no SMS leaves this machine.`,
		'',
		`  Editor (main):      ${editorHome(main.url)}   login ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password}`,
		`  Webhook processor:  ${webhook.url}/webhook/…   (production webhooks and MTN's delivery reports)`,
		`  Workers:            ${workers.length}, running every execution, manual ones included`,
		`  PostgreSQL 127.0.0.1:${services.postgres.port} (database n8n, user n8n), Redis 127.0.0.1:${services.redis.port}`,
		`  Logs:               ${relative(projectRoot, work)}/{main,webhook,worker-1,worker-2}.log`,
		'',
		`Open ${main.url}/workflow/${EXAMPLES.campaign.id} and click "Execute workflow": a worker runs it.`,
		`curl -X POST ${webhook.url}/webhook/order-shipped -H 'content-type: application/json' -d '{"orderId":"CMD-1","customer":{"name":"Ama","phone":"06 846 34 99"},"carrier":"DHL","trackingUrl":"https://suivi.example.cg/CMD-1"}'`,
		'The database lives only as long as this command. Ctrl-C stops n8n, PostgreSQL, Redis and the sandbox.',
	]);
}

/** Sends the sandbox credentials and the examples to a running n8n through its public API. */
async function runExternal(url: string, sandboxPorts: SandboxPorts, pkg: PackedPackage): Promise<void> {
	await assertSandboxPortsFree(sandboxPorts);
	const sandbox = await startSandbox(sandboxPorts, { autoDeliverMs: AUTO_DELIVER_MS });
	cleanups.push(async () => await sandbox.stop());
	const { mtn, lmt, ion, msp } = sandbox;
	const base = url.replace(/\/+$/, '');
	const apiKey = process.env.N8N_API_KEY;
	const lines = [
		'Sandbox (what each simulator received: its /__sandbox/state):',
		`  MTN Congo at ${mtn.baseUrl} (token ${mtn.token}); ${mtn.url}/__sandbox/state`,
		`  LMT BulkSMS at ${lmt.baseUrl} (API key ${lmt.apiKey}, password ${lmt.password}, default country CM); ${lmt.url}/__sandbox/state`,
		`  ION SMS Gateway at ${ion.baseUrl} (API key ${ion.apiKey}, default country GA); ${ion.url}/__sandbox/state`,
		`  Mon SMS PRO at ${msp.baseUrl} (API key ${msp.apiKey}, default country CI); ${msp.url}/__sandbox/state`,
		'',
	];
	if (apiKey) {
		const api = async (path: string, body: unknown) => {
			const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': apiKey }, body: JSON.stringify(body) });
			if (!res.ok) throw new Error(`${base}/api/v1${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
			return (await res.json()) as { id: string };
		};
		const ids = new Map<string, string>();
		for (const credential of sandboxCredentials(sandbox) as SandboxCredential[]) {
			const created = await api('/credentials', { name: credential.name, type: credential.type, data: credential.data });
			ids.set(credential.id, created.id);
		}
		for (const example of Object.values(EXAMPLES) as Example[]) {
			const workflow = JSON.parse(await readFile(examplePath(example), 'utf8')) as { name: string; nodes: Array<{ credentials?: Record<string, { id: string }> }>; connections: unknown; settings: unknown };
			for (const node of workflow.nodes) for (const ref of Object.values(node.credentials ?? {})) ref.id = ids.get(ref.id) ?? ref.id;
			const created = await api('/workflows', { name: workflow.name, nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings });
			if (example.publish) await api(`/workflows/${created.id}/activate`, {}).catch((error: Error) => step(`could not publish ${example.file}: ${error.message}`));
			step(`example ${example.file}: created in ${base}`);
		}
		lines.push('The sandbox credentials and the examples were created in that n8n (running this again creates copies).');
	} else {
		lines.push(
			'Set N8N_API_KEY (Settings > n8n API in that n8n) to have the credentials and the examples created there;',
			'or import examples/*.json by hand and create the "MTN Congo SMS API", "LMT BulkSMS API", "ION SMS Gateway API" and "Mon SMS PRO API" credentials with the values above.',
		);
	}
	lines.push(
		'',
		`The package is packed at ${pkg.tarball}. That n8n loads it once it is in its community nodes folder:`,
		`  cd ~/.n8n/nodes && npm install ${pkg.tarball}   (then restart n8n)`,
		'The external n8n must run on this machine to reach the sandbox on 127.0.0.1. Ctrl-C stops the sandbox.',
	);
	banner(lines);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '5678' },
			'sandbox-port': { type: 'string', default: '4010' },
			'lmt-sandbox-port': { type: 'string' },
			'ion-sandbox-port': { type: 'string' },
			'msp-sandbox-port': { type: 'string' },
			fresh: { type: 'boolean', default: false },
			queue: { type: 'boolean', default: false },
			external: { type: 'string' },
			dir: { type: 'string' },
		},
	});
	const port = Number(values.port);
	const sandboxPort = Number(values['sandbox-port']);
	// LMT and ION next to MTN unless told otherwise (0: all on free ports).
	const portOption = (value: string | undefined, offset: number) => (value === undefined ? (sandboxPort === 0 ? 0 : sandboxPort + offset) : Number(value));
	const sandboxPorts = { mtn: sandboxPort, lmt: portOption(values['lmt-sandbox-port'], 1), ion: portOption(values['ion-sandbox-port'], 2), msp: portOption(values['msp-sandbox-port'], 3) };
	if (![port, ...Object.values(sandboxPorts)].every(Number.isInteger)) throw new Error('--port and the --…sandbox-port options take a port number');
	stopWithParent();
	const devDir = values.dir ? resolve(values.dir) : join(projectRoot, '.dev');
	if (!existsSync(join(projectRoot, 'dist', 'nodes'))) throw new Error('the package is not built: run `npm run build` (npm run dev does it)');
	step('packing the package (npm pack) ...');
	const pkg = await packProject(join(devDir, 'package'));
	if (values.external) await runExternal(values.external, sandboxPorts, pkg);
	else if (values.queue) await runQueue({ port, sandboxPorts }, pkg, devDir);
	else await runLocal({ port, sandboxPorts, fresh: values.fresh ?? false }, pkg, devDir);
}

// Run as `npm run dev`; imported (by the editor tests, for the link above), it starts nothing.
if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`[dev] ${error.message}\n`);
		void shutdown(1, 'stopped after the error above');
	});
}
