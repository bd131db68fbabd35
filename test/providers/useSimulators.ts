/**
 * For a jest test file (or a describe block): a started simulator per provider of the
 * registry (or of the providers given), reset before each test, stopped after the file
 * (test/helpers/useSimulator.ts), and the node under test for a provider against its simulator.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeCredentialTestResult, INodeParameters } from 'n8n-workflow';
import { runAsText, runNode, testCredentialWithNode, type NodeUnderTest, type WorkflowResult } from '../helpers/n8n';
import { expectNoSecretIn } from '../helpers/secrets';
import { useSimulator } from '../helpers/useSimulator';
import { testProvider, testProviders } from './registry';
import type { TestCredentials, TestProvider, TestSimulator } from './types';

export interface Simulators {
	/** The provider's simulator (started before the file's first test); `S` its class, for a caller that knows it. */
	sim<S extends TestSimulator = TestSimulator>(provider: TestProvider | string): S;
	/** The provider's node against its simulator: its credentials and the parameters every operation needs, then these. */
	node(provider: TestProvider | string, parameters: INodeParameters, settings?: NodeUnderTest['settings']): NodeUnderTest;
}

export function useSimulators(providers: Array<TestProvider | string> = testProviders()): Simulators {
	const list = providers.map((p) => (typeof p === 'string' ? testProvider(p) : p));
	// Before the simulators start: a test-only provider registers its node.
	beforeAll(async () => {
		for (const provider of list) await provider.prepare?.();
	});
	// Made now, started before the first test: a file may keep them in constants.
	const made = new Map(list.map((provider) => [provider.id, provider.createSimulator()]));
	for (const simulator of made.values()) useSimulator(() => simulator);
	const sim = <S extends TestSimulator>(provider: TestProvider | string): S => {
		const id = typeof provider === 'string' ? provider : provider.id;
		const found = made.get(id);
		if (!found) throw new Error(`No simulator runs for "${id}" in this file`);
		return found as S;
	};
	return {
		sim,
		node(provider, parameters, settings = {}) {
			const p = typeof provider === 'string' ? testProvider(provider) : provider;
			return { type: p.nodeType, parameters: { ...p.parameters, ...parameters }, credentials: p.credentials(sim(p)), settings };
		},
	};
}

export interface ProviderNode<S extends TestSimulator> {
	provider: TestProvider<S>;
	/** The simulator (started before the file's first test). */
	sim: S;
	/** The node's credentials against the simulator, with these fields changed. */
	credentials(overrides?: IDataObject): TestCredentials;
	/**
	 * Runs the provider's node (with the parameters every operation needs) against the
	 * simulator. No form of the credential's secrets (nor of `secrets`, nor of a value
	 * tried in place of a secret field) may be in what n8n records of the run: output, errors, context.
	 */
	run(items: IDataObject[], parameters: INodeParameters, settings?: NodeUnderTest['settings'], more?: { timezone?: string; credentials?: IDataObject; secrets?: string[] }): Promise<WorkflowResult>;
	/** Tests the credential (these fields changed) as n8n does for a node that names it in `testedBy`; no secret may be in the answer. */
	checkCredential(overrides?: IDataObject): Promise<INodeCredentialTestResult>;
}

/** One provider's simulator and node, for a test file of its own or a block of one; `secrets`: more values to look for in every run. */
export function useProviderNode<S extends TestSimulator = TestSimulator>(provider: TestProvider | string, secrets: string[] = []): ProviderNode<S> {
	const p = typeof provider === 'string' ? testProvider<S>(provider) : (provider as unknown as TestProvider<S>);
	const simulators = useSimulators([p as unknown as TestProvider]);
	const sim = simulators.sim<S>(p.id);
	const credentials = (overrides: IDataObject = {}): TestCredentials => {
		const all = p.credentials(sim);
		return { ...all, [p.credentialType]: { ...all[p.credentialType], ...(overrides as ICredentialDataDecryptedObject) } };
	};
	/** The secrets of a run: the credential's, those given, and the values tried in place of the secret fields. */
	const secretsWith = (overrides: IDataObject = {}, more: string[] = []) => {
		const fields = p.credentials(sim)[p.credentialType];
		const tried = Object.keys(overrides).filter((name) => p.secrets(sim).includes(String(fields[name])));
		return [...p.secrets(sim), ...secrets, ...more, ...tried.map((name) => String(overrides[name]))];
	};
	return {
		provider: p,
		sim,
		credentials,
		async run(items, parameters, settings = {}, more = {}) {
			const node = { type: p.nodeType, parameters: { ...p.parameters, ...parameters }, credentials: credentials(more.credentials), settings, timezone: more.timezone };
			const result = await runNode(items, node);
			expectNoSecretIn(runAsText(result), secretsWith(more.credentials, more.secrets));
			return result;
		},
		async checkCredential(overrides = {}) {
			const result = await testCredentialWithNode(p.credentialType, credentials(overrides)[p.credentialType]);
			expectNoSecretIn(JSON.stringify(result), secretsWith(overrides));
			return result;
		},
	};
}
