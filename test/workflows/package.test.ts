/**
 * The built package as n8n's loader sees it, and the credential test as n8n's
 * credentials tester runs it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPackage, testCredential } from '../helpers/n8n';
import { productProviders } from '../providers/registry';
import { useProviderNode } from '../providers/useSimulators';
import type { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

describe('loading in n8n', () => {
	test('runs on the n8n line of this jest project', () => {
		// The "n8n 1.x" project maps n8n-core/n8n-workflow to 1.x for the tests and for the built package.
		const line = process.env.N8N_LINE_UNDER_TEST ?? '2';
		for (const name of ['n8n-core', 'n8n-workflow']) {
			const { version } = require(`${name}/package.json`) as { version: string };
			expect(`${name}@${version}`).toMatch(new RegExp(`^${name}@${line}\\.`));
		}
	});

	test('every node and credential listed in package.json loads, with its icons and codex: a node and a credential per provider, and the MTN trigger', async () => {
		const loader = await loadPackage();
		const providers = productProviders();
		const triggers = providers.flatMap((p) => (p.triggerNodeType ? [p.triggerNodeType] : []));
		expect(Object.keys(loader.nodeTypes).sort()).toEqual([...providers.map((p) => p.nodeType), ...triggers].sort());
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(providers.map((p) => p.credentialType).sort());
		expect(pkg.n8n.nodes).toHaveLength(providers.length + triggers.length);
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(existsSync(path.join(root, file))).toBe(true);
		for (const description of loader.types.nodes) {
			const icon = description.iconUrl as { light: string; dark: string };
			for (const url of [icon.light, icon.dark]) expect(existsSync(path.join(root, url.replace(/^icons\/n8n-nodes-africa-sms\//, '')))).toBe(true);
			expect(description.codex?.categories).toContain('Communication');
		}
		// Usable as AI tools, with a description for the model (test/workflows/aiTool.test.ts).
		for (const { nodeType } of providers) {
			expect(loader.types.nodes.find((n) => n.name === nodeType)?.usableAsTool).toEqual({ replacements: { description: expect.stringMatching(/international form/) } });
		}
	});
});

describe("credential test (MTN Congo's, declared on its credential)", () => {
	const { sim, credentials } = useProviderNode<MtnCongoSimulator>('mtnCongo');

	test('a valid token passes: a status query for a made-up id, no SMS sent', async () => {
		const result = await testCredential('mtnCongoSmsApi', credentials().mtnCongoSmsApi);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests).toHaveLength(1);
		expect(JSON.parse(sim.requests[0].rawBody)).toEqual({ op: 'status', id: '0' });
		expect(sim.requests[0].headers.authorization).toBe(`Token ${sim.token}`);
		expect(sim.ledger).toHaveLength(0);
	});

	test('a base URL without the trailing slash works the same', async () => {
		const result = await testCredential('mtnCongoSmsApi', credentials({ baseUrl: sim.baseUrl.replace(/\/$/, '') }).mtnCongoSmsApi);
		expect(result.status).toBe('OK');
		expect(sim.requests[0].path).toBe('/api/sms/');
	});

	test('a wrong token fails on the 401', async () => {
		const result = await testCredential('mtnCongoSmsApi', credentials({ token: 'not-the-token' }).mtnCongoSmsApi);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/MTN Congo refused the token/);
	});
});
