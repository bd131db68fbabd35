/**
 * n8n's editor in a real browser (headless Chromium driven by playwright-core) with the
 * packed package installed as a community package, against the sandbox simulators, as a
 * newcomer meets it: the sign-in page, the node picker, the example workflows on the
 * canvas, our nodes' parameter panels, and a run started with the Execute workflow button.
 * Every step saves a full-page screenshot in UI_SCREENSHOTS (default test-results/ui).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { INodeProperties, INodePropertyOptions, INodeTypeDescription, UsableAsToolDescription } from 'n8n-workflow';
import type { Browser, Locator, Page } from 'playwright-core';

import { IonSmsGateway } from '../../nodes/IonSmsGateway/IonSmsGateway.node';
import { LmtBulkSms } from '../../nodes/LmtBulkSms/LmtBulkSms.node';
import { MonSmsPro } from '../../nodes/MonSmsPro/MonSmsPro.node';
import { MtnCongoSms } from '../../nodes/MtnCongoSms/MtnCongoSms.node';
import { MtnCongoSmsTrigger } from '../../nodes/MtnCongoSmsTrigger/MtnCongoSmsTrigger.node';
import { OrangeSms } from '../../nodes/OrangeSms/OrangeSms.node';
import { OrangeSmsTrigger } from '../../nodes/OrangeSmsTrigger/OrangeSmsTrigger.node';
import { ensureChromium, launchChromium } from '../real-n8n/browser';
import { projectRoot } from '../real-n8n/communityPackage';
import { EDITOR_HOME_PATH, editorHome } from '../real-n8n/dev';
import { DELIVERY_WEBHOOK, EXAMPLES, examplePath, SANDBOX_OWNER, sandboxCredentials, type Example } from '../real-n8n/examples';
import { preparePackageStack, type PackageStack } from '../real-n8n/packageStack';

const chromium = ensureChromium();
const describeUi = chromium.path ? describe : describe.skip;
if (chromium.path === undefined) process.stdout.write(`[ui] SKIPPED, the editor tests need a browser: ${chromium.reason}\n`);

const shots = resolve(process.env.UI_SCREENSHOTS || join(projectRoot, 'test-results', 'ui'));
let work: string | undefined;
let stack: PackageStack;
let browser: Browser | undefined;
let page: Page;
/** A REST session of the owner, for what the tests check behind the editor's back. */
let cookie: string;

const mtnDescription = new MtnCongoSms().description;
const triggerDescription = new MtnCongoSmsTrigger().description;
const lmtDescription = new LmtBulkSms().description;
const ionDescription = new IonSmsGateway().description;
const mspDescription = new MonSmsPro().description;
const orangeDescription = new OrangeSms().description;
const orangeTriggerDescription = new OrangeSmsTrigger().description;

/** Our icons, as n8n serves them to the editor (light theme). */
const ICON_FILES: Record<string, string> = {
	mtnCongoSms: 'MtnCongoSms/mtnCongo.svg',
	mtnCongoSmsTrigger: 'MtnCongoSms/mtnCongo.svg',
	lmtBulkSms: 'LmtBulkSms/lmtGroup.svg',
	ionSmsGateway: 'IonSmsGateway/ionSmsGateway.svg',
	monSmsPro: 'MonSmsPro/monSmsPro.svg',
	orangeSms: 'OrangeSms/orange.svg',
	orangeSmsTrigger: 'OrangeSms/orange.svg',
};
const iconUrl = (type: string) => `/icons/${stack.pkg.name}/dist/nodes/${ICON_FILES[type]}`;

// --- screenshots and steps ---------------------------------------------------------------

let stepNumber = 0;

/**
 * One step: `work`, then a full-page screenshot `NN-<name>.png`. When it fails:
 * `FAILED-NN-<name>.png`, and the error names the step, the page URL and that file.
 */
async function step(name: string, action: () => Promise<void>): Promise<void> {
	const label = `${String(++stepNumber).padStart(2, '0')}-${name}`;
	try {
		await action();
	} catch (error) {
		const file = join(shots, `FAILED-${label}.png`);
		const saved = await (page ? page.screenshot({ path: file, fullPage: true }) : Promise.reject(new Error('no page'))).then(
			() => `screenshot ${file}`,
			(e: Error) => `no screenshot: ${e.message}`,
		);
		const original = error as Error;
		const wrapped = new Error(`step ${label} failed at ${page?.url()} (${saved}):\n${original.message}`);
		wrapped.stack = [wrapped.message, ...(original.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))].join('\n');
		throw wrapped;
	}
	await settle();
	await page.screenshot({ path: join(shots, `${label}.png`), fullPage: true });
}

/** Lets the page's finite CSS animations and transitions (panels sliding in, dropdowns fading out) end, 2 s at most. */
async function settle(): Promise<void> {
	await page.evaluate(`Promise.race([
		Promise.all(document.getAnimations()
			.filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime))
			.map((animation) => animation.finished.catch(() => undefined))),
		new Promise((resolve) => setTimeout(resolve, 2000)),
	])`);
}

// --- n8n behind the editor -------------------------------------------------------------------

interface StoredWorkflow {
	id: string;
	name: string;
	versionId: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
}

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
	const res = await fetch(`${stack.n8n.url}/rest${path}`, {
		method,
		headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`${method} /rest${path} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
	return ((await res.json()) as { data: T }).data;
}

const storedWorkflow = (id: string) => rest<StoredWorkflow>('GET', `/workflows/${id}`);

function exampleJson(example: Example): { name: string; nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }> } {
	return JSON.parse(readFileSync(examplePath(example), 'utf8')) as { name: string; nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }> };
}

/** An example's nodes as the canvas shows them (sticky notes apart). */
const exampleNodes = (example: Example) => exampleJson(example).nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');

/** Reads `read()` until `ok` accepts it; the error says what was awaited and what was last seen. */
async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${JSON.stringify(value)}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

// --- the editor's pieces ------------------------------------------------------------------

const canvasNodes = () => page.locator('[data-test-id="canvas-node"]');
const canvasNode = (name: string) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
const ndv = () => page.locator('[data-test-id="ndv"]');

/** Opens a workflow and waits for all its nodes (sticky notes apart) on the canvas. */
async function openWorkflow(id: string, nodeCount: number): Promise<void> {
	await page.goto(`${stack.n8n.url}/workflow/${id}`);
	await canvasNodes().first().waitFor();
	await until(`${nodeCount} nodes on the canvas`, () => canvasNodes().count(), (count) => count === nodeCount);
}

interface ImageState {
	src: string | null;
	naturalWidth: number;
}

/** Waits for an <img> to finish loading (or failing); its src attribute and natural width. */
async function imageState(img: Locator): Promise<ImageState> {
	return img.evaluate(async (element) => {
		const image = element as unknown as { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null; onload: unknown; onerror: unknown };
		if (!image.complete) {
			await new Promise<void>((done) => {
				image.onload = () => done();
				image.onerror = () => done();
				setTimeout(done, 5000);
			});
		}
		return { src: image.getAttribute('src'), naturalWidth: image.naturalWidth };
	});
}

/** What n8n's canvas shows when a node is not fine: issues, a missing node type, a warning, the "?" icon. */
async function nodeProblems(node: Locator): Promise<string[]> {
	const indicators: Array<[string, string]> = [
		['issues indicator', '[data-test-id="node-issues"]'],
		['not installed', '[data-test-id="node-not-installed"]'],
		['warning', '[data-test-id="canvas-node-status-warning"]'],
		['"?" icon (unknown node type)', '[class*="nodeIconPlaceholder"]'],
	];
	const found: string[] = [];
	for (const [what, selector] of indicators) if ((await node.locator(selector).count()) > 0) found.push(what);
	return found;
}

/** The node's own icon on the canvas. */
const nodeIcon = (node: Locator) => imageState(node.locator('.n8n-node-icon img').first());

/** Leaves the open workflow through the editor's menu (as a user goes back to the overview). */
async function goHome(): Promise<void> {
	await page.locator('[data-test-id="project-home-menu-item"]').click();
}

const unsavedChangesDialog = () => page.getByRole('dialog').filter({ hasText: 'Save changes before leaving?' });

/** Back to the overview from a probe workflow: n8n may count the defaults it filled in as a change, so leave without saving if it asks. */
async function leaveProbe(): Promise<void> {
	await goHome();
	const asked = await Promise.race([
		page.waitForURL((url) => url.pathname === EDITOR_HOME_PATH).then(() => false, () => false),
		unsavedChangesDialog().waitFor().then(() => true, () => false),
	]);
	if (asked) await unsavedChangesDialog().getByRole('button', { name: 'Leave without saving' }).click();
	await overviewShown();
}

/** A workflow a test created through the REST API: archived (n8n deletes only archived ones), then deleted. */
async function deleteProbe(id: string): Promise<void> {
	await rest('POST', `/workflows/${id}/archive`).then(async () => await rest('DELETE', `/workflows/${id}`));
}

/** Waits for the overview and its list of workflows. */
async function overviewShown(): Promise<void> {
	await page.waitForURL((url) => url.pathname === '/home/workflows');
	await page.locator('[data-test-id="workflow-card-name"]').first().waitFor();
}

/** The visible parameter labels of the open node's Parameters tab, in order; not the fields set inside a collection such as Options. */
async function parameterLabels(): Promise<string[]> {
	const labels = ndv().locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"] [data-test-id="input-label"] label').filter({ visible: true });
	type Element = { innerText: string; closest(selector: string): unknown };
	const texts = await labels.evaluateAll((elements) =>
		(elements as unknown as Element[]).filter((element) => !element.closest('[class*="_collectionParameter_"]')).map((element) => element.innerText),
	);
	return texts.map((text) => text.split('\n')[0].trim());
}

/**
 * What the panel should show for an operation (of `resource`, for a node with resources): every
 * field declared for it, in order (one "Message" per operation).
 */
function declaredFields(description: INodeTypeDescription, operation: string, resource?: string): string[] {
	const shown = (p: INodeProperties) => {
		const only = p.displayOptions?.show?.operation as string[] | undefined;
		const onlyResource = p.displayOptions?.show?.resource as string[] | undefined;
		return (!only || only.includes(operation)) && (!onlyResource || (resource !== undefined && onlyResource.includes(resource)));
	};
	const names = description.properties.filter((p) => !['resource', 'operation'].includes(p.name) && p.type !== 'notice' && p.type !== 'hidden' && shown(p)).map((p) => p.displayName);
	return [...(resource ? ['Resource'] : []), 'Operation', ...names.filter((name, i) => names.indexOf(name) === i)];
}

/** The Operation list of a node, or with resources the one of `resource`. */
function operationOptions(description: INodeTypeDescription, resource?: string): Array<{ name: string; value: string }> {
	const operation = description.properties.find((p) => p.name === 'operation' && (!resource || (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource)));
	return (operation?.options ?? []) as Array<{ name: string; value: string }>;
}

/** Our node types by name (after the package's prefix). */
const DESCRIPTIONS: Record<string, INodeTypeDescription> = {
	mtnCongoSms: mtnDescription,
	mtnCongoSmsTrigger: triggerDescription,
	lmtBulkSms: lmtDescription,
	ionSmsGateway: ionDescription,
	monSmsPro: mspDescription,
	orangeSms: orangeDescription,
	orangeSmsTrigger: orangeTriggerDescription,
};

/** Reads the first row of the open node's output table: column name -> cell text. */
async function outputRow(): Promise<Record<string, string>> {
	const output = ndv().locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="radio-button-table"]').click();
	const table = output.locator('table').first();
	await table.waitFor();
	const headers = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim());
	const cells = (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map((t) => t.trim());
	expect(cells).toHaveLength(headers.length);
	return Object.fromEntries(headers.map((header, i) => [header, cells[i]]));
}

// --- the suite ------------------------------------------------------------------------------

describeUi(`n8n's editor with the package, in Chromium (${chromium.path ?? 'no browser'})`, () => {
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		for (const file of readdirSync(shots)) if (/^(FAILED-)?\d\d-.*\.png$/.test(file)) rmSync(join(shots, file));
		// n8n 2.x autosaves workflow edits by default; off here so that the panel checks can
		// switch operations and leave without saving, keeping the examples as imported.
		work = mkdtempSync(join(tmpdir(), 'africa-sms-ui-'));
		stack = await preparePackageStack(work, { env: { N8N_WORKFLOWS_AUTOSAVE_DISABLED: 'true' } });
		// Started as `npm run dev` starts it: the examples that listen (the MTN trigger, the order webhook) published.
		cookie = await stack.serve();
		await stack.waitForWebhook(`${DELIVERY_WEBHOOK.id}/delivery`);
		browser = await launchChromium(chromium.path!);
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', locale: 'en-US' });
		page = await context.newPage();
		page.setDefaultTimeout(20_000);
		process.stdout.write(
			`ui: n8n ${stack.n8nVersion} on Node.js ${stack.runtime.nodeVersion}; ${stack.pkg.name}@${stack.pkg.version}; Chromium ${browser.version()} (${chromium.path}); editor ${stack.n8n.url}\n`,
		);
	}, 900_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
		if (stack) writeFileSync(join(shots, 'n8n.log'), stack.logText());
		if (work) rmSync(work, { recursive: true, force: true });
		process.stdout.write(`ui: screenshots (and n8n.log) in ${shots}\n`);
	});

	test('the editor link of `npm run dev`: the sign-in page, then straight to the example workflows', async () => {
		await step('sign-in-page', async () => {
			await page.goto(editorHome(stack.n8n.url));
			await page.waitForURL((url) => url.pathname === '/signin');
			// n8n keeps where the link pointed (encoded twice) to go there after signing in.
			expect(decodeURIComponent(new URL(page.url()).searchParams.get('redirect') ?? '')).toBe(EDITOR_HOME_PATH);
			await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(SANDBOX_OWNER.email);
			await page.locator('[data-test-id="password"] input').fill(SANDBOX_OWNER.password);
		});
		await step('signed-in', async () => {
			await page.locator('[data-test-id="form-submit-button"]').click();
			await page.waitForURL((url) => url.pathname !== '/signin');
			// Not the page n8n 2.40 opens for its bare address (its Assistant, when that module is on).
			const landing = await until('the page n8n opens after signing in', async () => new URL(page.url()).pathname, (path) => ['/assistant', EDITOR_HOME_PATH].includes(path));
			expect(landing).toBe(EDITOR_HOME_PATH);
			await page.waitForLoadState('networkidle');
		});
		await step('overview', async () => {
			await overviewShown();
			// The overview lists the imported examples.
			const listed = await page.locator('[data-test-id="workflow-card-name"]').allInnerTexts();
			expect(listed.map((name) => name.trim()).sort()).toEqual(Object.values(EXAMPLES).map((example) => exampleJson(example).name).sort());
		});
	});

	describe('the node picker of a new workflow', () => {
		const picker = () => page.locator('[data-test-id="node-creator"]');

		/** Searches the picker of a new, empty workflow; resolves the first result once it is `expected` (or fails saying what came first). */
		async function searchFirst(text: string, expected: string): Promise<Locator> {
			await page.goto(`${stack.n8n.url}/workflow/new`);
			await page.locator('[data-test-id="canvas-plus-button"]').waitFor();
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			await picker().locator('[data-test-id="node-creator-search-bar"]').fill(text);
			const first = picker().locator('[data-test-id="item-iterator-item"]').first();
			await until(`"${expected}" as the first result for "${text}"`, async () => (await first.locator('[data-test-id="node-creator-item-name"]').innerText()).trim(), (name) => name === expected);
			return first;
		}

		/** The items of a section (Triggers, Actions) of a node's details, expanding it when collapsed. */
		async function section(name: string): Promise<Locator> {
			const wrapper = picker().locator('[data-category-collapsed]').filter({ has: page.locator(`[data-test-id="node-creator-category-item"][data-keyboard-nav-id="${name}"]`) });
			if ((await wrapper.getAttribute('data-category-collapsed')) === 'true') {
				await wrapper.locator('[data-test-id="node-creator-category-item"]').click();
				await until(`the ${name} section to expand`, () => wrapper.getAttribute('data-category-collapsed'), (state) => state === 'false');
			}
			return wrapper.locator('[data-test-id="item-iterator-item"]');
		}

		async function expectOurIcons(items: Locator, type: string): Promise<void> {
			expect(await items.count()).toBeGreaterThan(0);
			for (const item of await items.all()) {
				const name = (await item.locator('[data-test-id="node-creator-item-name"]').innerText()).trim();
				const icon = await imageState(item.locator('img').first());
				expect({ name, src: icon.src, loaded: icon.naturalWidth > 0 }).toEqual({ name, src: iconUrl(type), loaded: true });
			}
		}

		const names = async (items: Locator) => (await items.locator('[data-test-id="node-creator-item-name"]').allInnerTexts()).map((t) => t.trim());

		test('"MTN" finds MTN Congo SMS, with its five actions and its trigger event', async () => {
			let entry!: Locator;
			await step('picker-search-mtn', async () => {
				entry = await searchFirst('MTN', 'MTN Congo SMS');
				// n8n shows one entry for a node and its trigger, with the trigger's description.
				expect((await entry.locator('[data-test-id="node-creator-item-description"]').innerText()).trim()).toBe(triggerDescription.description);
				await expectOurIcons(entry, 'mtnCongoSms');
			});
			await step('picker-mtn-details', async () => {
				await entry.click();
				await picker().locator('[data-test-id="node-creator-category-item"]').first().waitFor();
				const triggers = await section('Triggers');
				expect(await names(triggers)).toEqual(['On SMS delivery report']);
				await expectOurIcons(triggers, 'mtnCongoSmsTrigger');
				const actions = await section('Actions');
				expect(await names(actions)).toEqual(['Send an SMS', 'Send an SMS to many recipients', 'Send personalized SMS', 'Schedule an SMS', 'Get the status of an SMS']);
				await expectOurIcons(actions, 'mtnCongoSms');
			});
		});

		test('"LMT" finds LMT BulkSMS, with its description and three actions', async () => {
			let entry!: Locator;
			await step('picker-search-lmt', async () => {
				entry = await searchFirst('LMT', 'LMT BulkSMS');
				expect((await entry.locator('[data-test-id="node-creator-item-description"]').innerText()).trim()).toBe('Send SMS in Cameroon with the LMT Group BulkSMS API');
				await expectOurIcons(entry, 'lmtBulkSms');
			});
			await step('picker-lmt-details', async () => {
				await entry.click();
				const actions = await section('Actions');
				expect(await names(actions)).toEqual(['Send an SMS', 'Send an SMS to many recipients', 'Send personalized SMS']);
				await expectOurIcons(actions, 'lmtBulkSms');
			});
		});

		test('"ION SMS" finds ION SMS Gateway, with its description and four actions', async () => {
			let entry!: Locator;
			await step('picker-search-ion', async () => {
				entry = await searchFirst('ION SMS', 'ION SMS Gateway');
				expect((await entry.locator('[data-test-id="node-creator-item-description"]').innerText()).trim()).toBe(ionDescription.description);
				await expectOurIcons(entry, 'ionSmsGateway');
			});
			await step('picker-ion-details', async () => {
				await entry.click();
				const actions = await section('Actions');
				expect(await names(actions)).toEqual(['Send an SMS', 'Send an SMS to many recipients', 'Send personalized SMS', 'Schedule an SMS']);
				await expectOurIcons(actions, 'ionSmsGateway');
			});
		});

		test('"Orange" finds Orange SMS, with its two trigger events and its SMS and account actions', async () => {
			let entry!: Locator;
			await step('picker-search-orange', async () => {
				entry = await searchFirst('Orange', 'Orange SMS');
				// One entry for the node and its trigger, with the trigger's description.
				expect((await entry.locator('[data-test-id="node-creator-item-description"]').innerText()).trim()).toBe(orangeTriggerDescription.description);
				await expectOurIcons(entry, 'orangeSms');
			});
			await step('picker-orange-details', async () => {
				await entry.click();
				await picker().locator('[data-test-id="node-creator-category-item"]').first().waitFor();
				const triggers = await section('Triggers');
				expect(await names(triggers)).toEqual(['On SMS delivery report', 'On incoming SMS']);
				await expectOurIcons(triggers, 'orangeSmsTrigger');
				const actions = await section('Actions');
				const listed = await names(actions);
				expect(listed).toEqual(expect.arrayContaining(['Send an SMS', 'Send an SMS to many recipients', 'Send personalized SMS', 'Get the SMS balance', 'Get the SMS usage', 'Get the bundle purchases']));
				// Orange has neither scheduling nor a status query.
				expect(listed).not.toEqual(expect.arrayContaining(['Schedule an SMS']));
				expect(listed).not.toEqual(expect.arrayContaining(['Get the status of an SMS']));
			});
		});

		test('"Mon SMS" finds Mon SMS PRO, with its description and its actions by resource', async () => {
			let entry!: Locator;
			await step('picker-search-msp', async () => {
				entry = await searchFirst('Mon SMS', 'Mon SMS PRO');
				expect((await entry.locator('[data-test-id="node-creator-item-description"]').innerText()).trim()).toBe(mspDescription.description);
				await expectOurIcons(entry, 'monSmsPro');
			});
			await step('picker-msp-details', async () => {
				await entry.click();
				await picker().locator('[data-test-id="item-iterator-item"]').first().waitFor();
				// A node with resources: n8n lists its actions under one heading per resource.
				const actions = await section('Actions');
				const byResource: Record<string, string[]> = {};
				let heading = '';
				for (const item of await actions.all()) {
					if ((await item.getAttribute('data-keyboard-nav-type')) === 'action') byResource[heading].push((await item.locator('[data-test-id="node-creator-item-name"]').innerText()).trim());
					// The heading's own words (the picker shows them in capitals through CSS).
					else byResource[(heading = ((await item.textContent()) ?? '').trim())] = [];
				}
				expect(byResource).toEqual({
					'Account Actions': ['Get the credit balance'],
					'Campaign Actions': ['Send an SMS', 'Send an SMS to many recipients', 'Send personalized SMS', 'Schedule an SMS', 'Get the status of an SMS', 'Get many campaigns'],
					'Contact Actions': ['Create a contact', 'Delete a contact', 'Get a contact', 'Get many contacts', 'Update a contact'],
					'Group Actions': ['Create a group', 'Delete a group', 'Get a group', 'Get many groups', 'Update a group'],
					'Sender Actions': ['Create a sender name', 'Get the campaigns of a sender', 'Get many sender names'],
				});
				expect(await picker().locator('[data-test-id="node-creator-category-item"][data-keyboard-nav-id="Actions"]').innerText()).toContain('Actions (20)');
				await expectOurIcons(actions.filter({ has: page.locator('[data-test-id="node-creator-item-name"]') }), 'monSmsPro');
			});
		});

		test("AI Agent: our SMS nodes are offered as its tools; the MTN tool's panel shows our Description and Output: Simplified", async () => {
			const toolType = `${stack.pkg.name}.mtnCongoSmsTool`;
			const credential = sandboxCredentials(stack).find((c) => c.type === 'mtnCongoSmsApi')!;
			const probe = await rest<StoredWorkflow>('POST', '/workflows', {
				name: 'UI probe: AI Agent tools (deleted after the test)',
				nodes: [
					{ id: 'd0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
					{ id: 'd0000000-0000-4000-8000-000000000002', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3.1, position: [300, 0], parameters: {} },
					{
						id: 'd0000000-0000-4000-8000-000000000003',
						name: 'MTN Congo SMS Tool',
						type: toolType,
						typeVersion: 1,
						position: [500, 250],
						// As docs/ai-tools.md sets it up: the Sender fixed, To and Message from the model.
						parameters: { operation: 'send', sender: 'MyShop', to: "={{ $fromAI('to', 'the customer phone number') }}", message: "={{ $fromAI('text', 'the SMS text') }}" },
						credentials: { mtnCongoSmsApi: { id: credential.id, name: credential.name } },
					},
				],
				connections: {
					Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
					'MTN Congo SMS Tool': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
				},
				settings: {},
			});
			const select = (parameter: string) => ndv().locator(`[data-test-id="node-parameters"] [data-test-id="parameter-input-${parameter}"]`);
			try {
				await step('ai-agent-tool-on-canvas', async () => {
					await openWorkflow(probe.id, 3);
					const tool = canvasNode('MTN Congo SMS Tool');
					expect(await tool.getAttribute('data-node-type')).toBe(toolType);
					expect(await nodeProblems(tool)).toEqual([]);
					const icon = await nodeIcon(tool);
					expect({ src: icon.src, loaded: icon.naturalWidth > 0 }).toEqual({ src: iconUrl('mtnCongoSms'), loaded: true });
				});
				await step('ai-agent-tools-picker', async () => {
					// The + under the agent's Tool connector opens the picker on the tools an agent takes.
					await page.locator('[data-test-id="canvas-node-input-handle"][data-node-name="AI Agent"][data-connection-type="ai_tool"] [data-test-id="canvas-handle-plus"]').click();
					await picker().locator('[data-test-id="node-creator-search-bar"]').fill('SMS');
					const ours = ['MTN Congo SMS Tool', 'LMT BulkSMS Tool', 'ION SMS Gateway Tool', 'Mon SMS PRO Tool', 'Orange SMS Tool'];
					const listed = await until('our five tools in the results for "SMS"', () => names(picker()), (shown) => ours.every((name) => shown.includes(name)));
					// The triggers are not tools.
					expect(listed.filter((name) => name.includes('Trigger'))).toEqual([]);
				});
				await step('ai-agent-mtn-tool-panel', async () => {
					await page.keyboard.press('Escape');
					await picker().waitFor({ state: 'hidden' });
					await canvasNode('MTN Congo SMS Tool').dblclick();
					await ndv().waitFor();
					expect(await parameterLabels()).toEqual(expect.arrayContaining(['Tool Description', 'Operation', 'Sender', 'To', 'Message', 'Output']));
					// n8n's default for a tool with operations: it writes the Description from the node's own.
					expect(await select('descriptionType').locator('input').inputValue()).toBe('Set Automatically');
					// The tool's Output defaults to Simplified (Raw only outside a tool).
					expect(await select('output').locator('input').inputValue()).toBe('Simplified');
				});
				await step('ai-agent-mtn-tool-description', async () => {
					// Set Manually shows the Description n8n uses, prefilled with ours (the usableAsTool replacement).
					await select('descriptionType').click();
					await page.locator('[data-test-id="parameter-input-item"]').filter({ visible: true }).filter({ hasText: 'Set Manually' }).click();
					const field = select('toolDescription').locator('textarea, input').first();
					await field.waitFor();
					expect(await field.inputValue()).toBe((mtnDescription.usableAsTool as UsableAsToolDescription).replacements?.description);
				});
				await step('ai-agent-left', async () => {
					await ndv().locator('[data-test-id="ndv-close-button"]').click();
					await leaveProbe();
				});
			} finally {
				await deleteProbe(probe.id);
			}
		});
	});

	describe('the example workflows on the canvas', () => {
		test('self-check: the canvas checks see a node with issues, an unknown node and a broken icon', async () => {
			const probe = await rest<StoredWorkflow>('POST', '/workflows', {
				name: 'UI self-check (deleted after the test)',
				nodes: [
					{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Unknown type', type: `${stack.pkg.name}.doesNotExist`, typeVersion: 1, position: [0, 0], parameters: {} },
					{ id: 'b0000000-0000-4000-8000-000000000002', name: 'No credential', type: `${stack.pkg.name}.mtnCongoSms`, typeVersion: 1, position: [300, 0], parameters: { operation: 'send' } },
					{ id: 'b0000000-0000-4000-8000-000000000003', name: 'Unknown version', type: `${stack.pkg.name}.lmtBulkSms`, typeVersion: 99, position: [600, 0], parameters: {} },
				],
				connections: {},
				settings: {},
			});
			try {
				await step('canvas-self-check', async () => {
					await openWorkflow(probe.id, 3);
					expect(await nodeProblems(canvasNode('Unknown type'))).toEqual(expect.arrayContaining(['not installed', '"?" icon (unknown node type)']));
					expect(await nodeProblems(canvasNode('No credential'))).toEqual(['issues indicator']);
					const broken = await nodeIcon(canvasNode('Unknown version'));
					expect(broken.src === iconUrl('lmtBulkSms') && broken.naturalWidth > 0).toBe(false);
				});
			} finally {
				await deleteProbe(probe.id);
			}
		});

		test.each(Object.entries(EXAMPLES))('%s: every node renders without warnings, ours with their icons', async (key, example) => {
			const json = exampleJson(example);
			const nodes = exampleNodes(example);
			await step(`canvas-${key}`, async () => {
				await openWorkflow(example.id, nodes.length);
				expect(await page.locator('[data-test-id="sticky"]').count()).toBe(json.nodes.length - nodes.length);
				for (const node of nodes) {
					const onCanvas = canvasNode(node.name);
					expect({ node: node.name, type: await onCanvas.getAttribute('data-node-type') }).toEqual({ node: node.name, type: node.type });
					expect({ node: node.name, problems: await nodeProblems(onCanvas) }).toEqual({ node: node.name, problems: [] });
					if (node.type.startsWith(`${stack.pkg.name}.`)) {
						const icon = await nodeIcon(onCanvas);
						const type = node.type.slice(stack.pkg.name.length + 1);
						expect({ node: node.name, src: icon.src, loaded: icon.naturalWidth > 0 }).toEqual({ node: node.name, src: iconUrl(type), loaded: true });
						// The subtitle of our SMS nodes names the operation as the Operation list does ("Send Personalized"),
						// not its value; with resources (Mon SMS PRO) the resource's name follows ("Create: Group").
						const operation = node.parameters.operation as string | undefined;
						if (operation) {
							const resource = node.parameters.resource as string | undefined;
							const name = operationOptions(DESCRIPTIONS[type], resource).find((o) => o.value === operation)?.name;
							expect({ node: node.name, operation: name }).toEqual({ node: node.name, operation: expect.any(String) });
							const resourceName = resource ? (DESCRIPTIONS[type].properties.find((p) => p.name === 'resource')?.options as INodePropertyOptions[]).find((o) => o.value === resource)?.name : undefined;
							const subtitle = resource ? `${String(name)}: ${String(resourceName)}` : String(name);
							const shown = (await onCanvas.innerText()).split('\n').map((line) => line.trim());
							expect({ node: node.name, shown }).toEqual({ node: node.name, shown: expect.arrayContaining([subtitle]) });
						}
					}
				}
			});
		});
	});

	describe("our nodes' parameter panels", () => {
		async function openPanel(example: Example, nodeName: string): Promise<void> {
			await openWorkflow(example.id, exampleNodes(example).length);
			await canvasNode(nodeName).dblclick();
			await ndv().waitFor();
		}

		/** Opens the trigger panel's Webhook URLs, production tab: the URL it shows. */
		async function shownProductionUrl(): Promise<string> {
			await ndv().getByText('Webhook URLs', { exact: true }).click();
			await ndv().locator('[data-test-id="radio-button-production"]').click();
			const pattern = new RegExp(`${stack.n8n.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/webhook/\\S+/delivery`);
			const text = await until('the production URL', () => ndv().locator('[data-test-id="node-parameters"]').innerText(), (shown) => pattern.test(shown));
			return pattern.exec(text)![0];
		}

		/** Every operation of the dropdown, in turn: its fields render; the credential stays selected. */
		async function checkOperations(
			example: Example,
			nodeName: string,
			description: INodeTypeDescription,
			credential: string,
			short: string,
			keyFields: Record<string, string[]>,
			resource?: string,
		): Promise<void> {
			const before = await storedWorkflow(example.id);
			const options = operationOptions(description, resource);
			await step(`panel-${short}-operations`, async () => {
				await openPanel(example, nodeName);
				expect(await ndv().locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe(credential);
				await ndv().locator('[data-test-id="parameter-input-operation"]').click();
				const items = page.locator('[data-test-id="parameter-input-item"]').filter({ visible: true });
				await items.first().waitFor();
				const offered = (await items.locator('.option-headline').allInnerTexts()).map((t) => t.trim());
				expect(offered).not.toContain('Custom API Call');
				expect(offered).toEqual(options.map((o) => o.name));
			});
			for (const option of options) {
				await step(`panel-${short}-${option.value}`, async () => {
					const select = ndv().locator('[data-test-id="parameter-input-operation"]');
					const items = page.locator('[data-test-id="parameter-input-item"]').filter({ visible: true });
					if ((await items.count()) === 0) await select.click();
					await items.filter({ has: page.locator('.option-headline').getByText(option.name, { exact: true }) }).click();
					await until(`the dropdown to show ${option.name}`, () => select.locator('input').inputValue(), (value) => value === option.name);
					await until('the dropdown to close', () => items.count(), (count) => count === 0);
					const labels = await parameterLabels();
					expect({ operation: option.value, labels }).toEqual({ operation: option.value, labels: declaredFields(description, option.value, resource) });
					expect(labels).toEqual(expect.arrayContaining(keyFields[option.value]));
					expect(await ndv().locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe(credential);
				});
			}
			await step(`panel-${short}-leave-dialog`, async () => {
				await ndv().locator('[data-test-id="ndv-close-button"]').click();
				await goHome();
				await unsavedChangesDialog().waitFor();
			});
			await step(`panel-${short}-left-without-saving`, async () => {
				await unsavedChangesDialog().getByRole('button', { name: 'Leave without saving' }).click();
				await overviewShown();
				const after = await storedWorkflow(example.id);
				expect(after.versionId).toBe(before.versionId);
				expect(after.nodes.find((n) => n.name === nodeName)?.parameters).toEqual(before.nodes.find((n) => n.name === nodeName)?.parameters);
			});
		}

		test('MTN Congo SMS (campaign example): every operation, no Custom API Call, the sandbox credential', async () => {
			await checkOperations(EXAMPLES.campaign, 'Personalised SMS', mtnDescription, 'MTN Congo (sandbox)', 'mtn', {
				send: ['Sender', 'To', 'Message'],
				sendBulk: ['Sender', 'Phone', 'Message'],
				sendPersonalized: ['Sender', 'Phone', 'Message', 'P1', 'P2', 'P3', 'P4', 'P5'],
				sendScheduled: ['Sender', 'To', 'Message', 'Send At'],
				getStatus: ['Message ID'],
			});
		});

		test('MTN Congo SMS Trigger (delivery tracking 2/2): its event, how to build the callback URL, the secret and production URL it takes', async () => {
			await step('panel-trigger', async () => {
				await openPanel(EXAMPLES.deliveryTrigger, 'MTN delivery update');
				expect(await ndv().locator('[data-test-id="parameter-input-operation"]').count()).toBe(0);
				// Options (Ignore Duplicate Reports, Reports Remembered) shows as an empty collection with its add button.
				expect(await parameterLabels()).toEqual(['Events', 'Secret', 'Options']);
				expect(await ndv().locator('[data-test-id="parameter-input-events"]').innerText()).toContain('Delivery Report');
				const panel = await ndv().locator('[data-test-id="node-parameters"]').innerText();
				expect(panel).toContain('is the Production URL from Webhook URLs above, then ?secret= and the Secret below');
				expect(panel).toContain("Unless you change it, the Secret is this node's webhook ID, shown under the field");
				// The example's own secret, readable: the user copies it into the URL.
				const secret = ndv().locator('[data-test-id="parameter-input-secret"] input');
				expect({ value: await secret.inputValue(), type: await secret.getAttribute('type') }).toEqual({ value: DELIVERY_WEBHOOK.secret, type: 'text' });
			});
			await step('panel-trigger-callback-url', async () => {
				const productionUrl = await shownProductionUrl();
				expect(productionUrl).toBe(`${stack.n8n.url}/webhook/${DELIVERY_WEBHOOK.id}/delivery`);
				// Built as the notice says from what the panel shows, the URL is one the published trigger takes
				// (a report of no recipients: accepted, and nothing started).
				const secret = await ndv().locator('[data-test-id="parameter-input-secret"] input').inputValue();
				const report = async (url: string) => {
					const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"0","resultat":[]}' });
					return { status: res.status, body: (await res.json()) as unknown };
				};
				expect(await report(`${productionUrl}?secret=${secret}`)).toEqual({ status: 200, body: { received: 0 } });
				expect((await report(`${productionUrl}?secret=${secret}x`)).status).toBe(401);
			});
			await step('panel-trigger-closed', async () => {
				const before = await storedWorkflow(EXAMPLES.deliveryTrigger.id);
				await ndv().locator('[data-test-id="ndv-close-button"]').click();
				await goHome();
				// Nothing changed: n8n lets us go without asking.
				await overviewShown();
				expect(await unsavedChangesDialog().count()).toBe(0);
				expect((await storedWorkflow(EXAMPLES.deliveryTrigger.id)).versionId).toBe(before.versionId);
			});
		});

		test('LMT BulkSMS (appointment reminders): every operation, no Custom API Call, the sandbox credential', async () => {
			await checkOperations(EXAMPLES.appointmentReminders, 'Appointment reminder SMS', lmtDescription, 'LMT BulkSMS (sandbox)', 'lmt', {
				send: ['Sender', 'To', 'Message'],
				sendBulk: ['Sender', 'Phone', 'Message'],
				sendPersonalized: ['Sender', 'Phone', 'Message', 'P1', 'P2', 'P3', 'P4', 'P5'],
			});
		});

		test('ION SMS Gateway (promotion window): the by-day notice, every operation, no Custom API Call, the sandbox credential', async () => {
			await step('panel-ion-schedule-notice', async () => {
				await openPanel(EXAMPLES.promoWindow, 'Schedule promotion SMS');
				const panel = await ndv().locator('[data-test-id="node-parameters"]').innerText();
				expect(panel).toContain('ION schedules by day, not by the minute');
				expect(panel).toContain('time of day is not transmitted');
				await ndv().locator('[data-test-id="ndv-close-button"]').click();
				await goHome();
				await overviewShown();
			});
			await checkOperations(EXAMPLES.promoWindow, 'Schedule promotion SMS', ionDescription, 'ION SMS Gateway (sandbox)', 'ion', {
				send: ['Sender', 'To', 'Message'],
				sendBulk: ['Sender', 'Phone', 'Message'],
				sendPersonalized: ['Sender', 'Phone', 'Message', 'P1', 'P2', 'P3', 'P4', 'P5'],
				sendScheduled: ['Sender', 'To', 'Message', 'Send At'],
			});
		});

		test('Mon SMS PRO (credit-checked campaign): the senders loaded from the sandbox, the resources, every campaign operation, the sandbox credential', async () => {
			const openItems = () => page.locator('[data-test-id="parameter-input-item"]').filter({ visible: true });
			/** Opens a dropdown of the panel, reads what it offers, and closes it again. */
			async function offered(parameter: string): Promise<string[]> {
				const select = ndv().locator(`[data-test-id="parameter-input-${parameter}"]`);
				// A dropdown whose options are still loading ignores the click: click again until it opens.
				for (let attempt = 1; ; attempt++) {
					await select.click();
					const opened = await openItems()
						.first()
						.waitFor({ timeout: 5000 })
						.then(() => true)
						.catch(() => false);
					if (opened) break;
					if (attempt === 4) throw new Error(`the ${parameter} dropdown did not open after ${attempt} clicks`);
				}
				const names = (await openItems().allInnerTexts()).map((t) => t.split('\n')[0].trim());
				await select.click();
				await until(`the ${parameter} dropdown to close`, () => openItems().count(), (count) => count === 0);
				return names;
			}
			const before = await storedWorkflow(EXAMPLES.creditCampaign.id);
			await step('panel-msp-senders', async () => {
				await openPanel(EXAMPLES.creditCampaign, 'Personalised campaign');
				expect(await ndv().locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('Mon SMS PRO (sandbox)');
				// The account's sender names with their review status, the ACCEPTED ones (those that send) first.
				expect(await offered('sender')).toEqual(['MONSMSPRO (ACCEPTED)', 'PROMO (PENDING)']);
				expect(await ndv().locator('[data-test-id="parameter-input-sender"] input').inputValue()).toBe('MONSMSPRO (ACCEPTED)');
			});
			await step('panel-msp-resources', async () => {
				expect(await offered('resource')).toEqual(['Account', 'Campaign', 'Contact', 'Group', 'Sender']);
				expect(await ndv().locator('[data-test-id="parameter-input-resource"] input').inputValue()).toBe('Campaign');
				await ndv().locator('[data-test-id="ndv-close-button"]').click();
				await goHome();
				// Only looked: n8n lets us go without asking.
				await overviewShown();
				expect(await unsavedChangesDialog().count()).toBe(0);
				expect((await storedWorkflow(EXAMPLES.creditCampaign.id)).versionId).toBe(before.versionId);
			});
			await checkOperations(
				EXAMPLES.creditCampaign,
				'Personalised campaign',
				mspDescription,
				'Mon SMS PRO (sandbox)',
				'msp',
				{
					send: ['Resource', 'Operation', 'Sender', 'To', 'Message'],
					sendBulk: ['Sender', 'Phone', 'Message'],
					sendPersonalized: ['Sender', 'Phone', 'Message', 'P1', 'P2', 'P3', 'P4', 'P5'],
					sendScheduled: ['Sender', 'To', 'Message', 'Send At'],
					getStatus: ['Campaign ID'],
					getAll: ['Return All', 'Limit'],
				},
				'campaign',
			);
		});

		test("nodes as the picker adds them: an example in every empty Sender; the trigger's Secret shows the webhook ID its callback URL takes", async () => {
			const webhookId = 'c0000000-0000-4000-8000-0000000000aa';
			const senders: Array<[name: string, type: string, credential: string, parameters: Record<string, unknown>]> = [
				['New MTN', 'mtnCongoSms', 'mtnCongoSmsApi', { operation: 'send' }],
				['New LMT', 'lmtBulkSms', 'lmtBulkSmsApi', { operation: 'send' }],
				['New ION', 'ionSmsGateway', 'ionSmsGatewayApi', { operation: 'send' }],
				['New Mon SMS PRO', 'monSmsPro', 'monSmsProApi', { resource: 'campaign', operation: 'send' }],
			];
			const credentialOf = (type: string) => {
				const credential = sandboxCredentials(stack).find((c) => c.type === type)!;
				return { [type]: { id: credential.id, name: credential.name } };
			};
			const node = (n: number, name: string, type: string, parameters: Record<string, unknown>, more: Record<string, unknown>) => ({
				id: `c0000000-0000-4000-8000-00000000000${n}`,
				name,
				type: `${stack.pkg.name}.${type}`,
				typeVersion: 1,
				position: [n * 300, 0],
				parameters,
				...more,
			});
			const probe = await rest<StoredWorkflow>('POST', '/workflows', {
				name: 'UI probe: new nodes (deleted after the test)',
				nodes: [
					// As a saved workflow holds a trigger left at its defaults: no Secret at all.
					node(0, 'New trigger', 'mtnCongoSmsTrigger', {}, { webhookId }),
					...senders.map(([name, type, credential, parameters], i) => node(i + 1, name, type, parameters, { credentials: credentialOf(credential) })),
				],
				connections: {},
				settings: {},
			});
			const open = async (name: string) => {
				if (await ndv().isVisible()) await ndv().locator('[data-test-id="ndv-close-button"]').click();
				await canvasNode(name).dblclick();
				await ndv().waitFor();
			};
			try {
				await step('new-trigger-secret', async () => {
					await openWorkflow(probe.id, senders.length + 1);
					await open('New trigger');
					// Its default, {{ $webhookId }}, shown evaluated under the field: the ID in the node's Production URL.
					const preview = ndv().locator('[data-test-id="parameter-expression-preview-secret"]');
					await until('the Secret shown under its field', async () => (await preview.allInnerTexts()).map((t) => t.trim()), (texts) => texts.includes(webhookId));
					expect(await shownProductionUrl()).toBe(`${stack.n8n.url}/webhook/${webhookId}/delivery`);
				});
				for (const [name, type] of senders) {
					await step(`new-${type}-sender`, async () => {
						await open(name);
						const sender = ndv().locator('[data-test-id="parameter-input-sender"] input').first();
						await sender.waitFor();
						// Mon SMS PRO's Sender is a list its credential loads: "Loading options..." until the sandbox answers.
						const value = await until(`${name}'s Sender`, () => sender.inputValue(), (shown) => shown !== 'Loading options...');
						expect({ node: name, value, placeholder: await sender.getAttribute('placeholder') }).toEqual({ node: name, value: '', placeholder: 'MyShop' });
					});
				}
				await step('new-nodes-left', async () => {
					await ndv().locator('[data-test-id="ndv-close-button"]').click();
					await leaveProbe();
				});
			} finally {
				await deleteProbe(probe.id);
			}
		});
	});

	describe('running an example with the Execute workflow button', () => {
		async function runFromEditor(example: Example, lastNode: string): Promise<void> {
			await openWorkflow(example.id, exampleNodes(example).length);
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			await canvasNode(lastNode).locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 60_000 });
			await page.getByText('Workflow executed successfully').waitFor();
		}

		test('the campaign: the summary counts what the MTN sandbox accepted, and the bad number', async () => {
			stack.mtn.reset();
			await step('run-campaign', async () => {
				await runFromEditor(EXAMPLES.campaign, 'Campaign summary');
				for (const node of ['Start campaign', 'Contacts (CSV)', 'Personalised SMS']) {
					await canvasNode(node).locator('[data-test-id="canvas-node-status-success"]').waitFor();
				}
			});
			await step('run-campaign-summary', async () => {
				await canvasNode('Campaign summary').dblclick();
				const row = await outputRow();
				const accepted = stack.mtn.ledger.map((sms) => sms.to);
				expect(accepted).toHaveLength(4);
				expect({ recipients: row.recipients, accepted: row.accepted, failed: row.failed }).toEqual({ recipients: '5', accepted: String(accepted.length), failed: '1' });
				for (const to of accepted) expect(row.acceptedRecipients).toContain(to);
				expect(row.failures).toContain('06 12');
			});
			await step('run-campaign-p-fields', async () => {
				await ndv().locator('[data-test-id="ndv-close-button"]').click();
				await canvasNode('Personalised SMS').dblclick();
				await ndv().waitFor();
				// With the run's items as input, n8n shows each expression's value under its field. The example
				// sets P1 and P2; P3 … P5 keep their defaults, and its contacts have no p3 … p5: empty, no red "undefined".
				const shown = async (name: string) => (await ndv().locator(`[data-test-id="parameter-expression-preview-${name}"]`).allInnerTexts()).map((t) => t.trim());
				const p1 = await until('the value of P1 for the first contact', () => shown('p1'), (texts) => texts.length === 1 && texts[0] !== '');
				expect(p1[0]).toMatch(/^\p{L}+$/u);
				expect({ p3: await shown('p3'), p4: await shown('p4'), p5: await shown('p5') }).toEqual({ p3: ['[empty]'], p4: ['[empty]'], p5: ['[empty]'] });
				// n8n marks an expression that gives undefined (or fails) as invalid, in red.
				expect(await ndv().locator('[data-test-id="node-parameters"] .cm-invalid-resolvable').count()).toBe(0);
			});
			await ndv().locator('[data-test-id="ndv-close-button"]').click();
		});

		test('the LMT appointment reminders: sent 4, failed 1, as the LMT sandbox received them', async () => {
			stack.lmt.reset();
			await step('run-appointment-reminders', async () => {
				await runFromEditor(EXAMPLES.appointmentReminders, 'Summary');
			});
			await step('run-appointment-reminders-summary', async () => {
				await canvasNode('Summary').dblclick();
				const row = await outputRow();
				expect(stack.lmt.ledger).toHaveLength(4);
				expect({ sent: row.sent, failed: row.failed }).toEqual({ sent: String(stack.lmt.ledger.length), failed: '1' });
				expect(row.failures).toContain('12345');
				expect(row.failures).toContain('Brice Tchami');
			});
			await ndv().locator('[data-test-id="ndv-close-button"]').click();
		});

		test('the ION promotion window: scheduled, with the window ION recorded', async () => {
			stack.ion.reset();
			await step('run-promotion-window', async () => {
				await runFromEditor(EXAMPLES.promoWindow, 'Campaign summary');
			});
			await step('run-promotion-window-summary', async () => {
				await canvasNode('Campaign summary').dblclick();
				const row = await outputRow();
				expect(stack.ion.ledger).toHaveLength(4);
				const { ref, window } = stack.ion.ledger[0];
				expect({ scheduled: row.scheduled, ref: row.ref, recipients: row.recipients }).toEqual({ scheduled: 'true', ref, recipients: '4' });
				expect(row.window).toContain(`${window?.dateDebut} to ${window?.dateFin} (Gabon time)`);
			});
			await ndv().locator('[data-test-id="ndv-close-button"]').click();
		});

		test('the Mon SMS PRO credit-checked campaign: the report gives the credit, the SMS sent and the group', async () => {
			stack.msp.reset();
			const credit = stack.msp.credit;
			await step('run-credit-campaign', async () => {
				await runFromEditor(EXAMPLES.creditCampaign, 'Report');
				for (const node of ['Customers', 'Credit balance', 'Enough credit?', 'Add customers to a group', 'Personalised campaign']) {
					await canvasNode(node).locator('[data-test-id="canvas-node-status-success"]').waitFor();
				}
			});
			await step('run-credit-campaign-report', async () => {
				await canvasNode('Report').dblclick();
				const row = await outputRow();
				const { msp } = stack;
				expect(msp.ledger).toHaveLength(5);
				const spent = msp.ledger.reduce((sum, sms) => sum + sms.segments, 0);
				expect(msp.credit).toBe(credit - spent);
				expect({ credit: row.credit, creditUsed: row.creditUsed, creditLeft: row.creditLeft, sent: row.sent, failed: row.failed }).toEqual({
					credit: String(credit),
					creditUsed: String(spent),
					creditLeft: String(msp.credit),
					sent: '5',
					failed: '0',
				});
				for (const id of msp.campaigns.keys()) expect(row.campaigns).toContain(id);
				const [group, ...more] = msp.groups.values();
				expect(more).toHaveLength(0);
				expect(row.group).toContain(group.id);
				expect(row.group).toContain('Clients fidèles');
			});
			await ndv().locator('[data-test-id="ndv-close-button"]').click();
		});
	});
});
