/**
 * The tests' one list of providers. The product's come from PROVIDER_IDS
 * (nodes/providers.ts), each with the `testProvider` its simulator file
 * test/sandbox/<id>.simulator.ts exports: a new provider needs no edit here.
 * A test file may add a provider of its own (registerTestProvider), for itself only
 * (jest loads modules afresh for each test file).
 *
 *   productProviders()        the product's providers, in PROVIDER_IDS order
 *   testProviders()           those, then the test file's own
 *   testProvider(id)          one of them by id (throws for an unknown id)
 *   providerOfNode(nodeType)  the one whose node has this type
 *   registerTestProvider(p)   adds a test-only provider
 */
import { PROVIDER_IDS, type ProviderId } from '../../nodes/providers';
import type { TestProvider, TestSimulator } from './types';

export type { TestCredentials, TestProvider, TestSimulator } from './types';

function load(id: ProviderId): TestProvider {
	// By name, so that a provider's simulator file is found without an import here.
	const file = require(`../sandbox/${id}.simulator`) as { testProvider?: TestProvider };
	const provider = file.testProvider;
	if (!provider) throw new Error(`test/sandbox/${id}.simulator.ts exports no testProvider`);
	if (provider.id !== id) throw new Error(`test/sandbox/${id}.simulator.ts's testProvider has the id "${provider.id}"`);
	return provider;
}

const PRODUCT: readonly TestProvider[] = PROVIDER_IDS.map(load);
const testOnly: TestProvider[] = [];

export function productProviders(): TestProvider[] {
	return [...PRODUCT];
}

export function testProviders(): TestProvider[] {
	return [...PRODUCT, ...testOnly];
}

/** `S`: the provider's simulator class, for a caller that knows which provider it asks for. */
export function testProvider<S extends TestSimulator = TestSimulator>(id: string): TestProvider<S> {
	const provider = testProviders().find((p) => p.id === id);
	if (!provider) throw new Error(`No test provider "${id}"`);
	return provider as unknown as TestProvider<S>;
}

export function providerOfNode(nodeType: string): TestProvider {
	const provider = testProviders().find((p) => p.nodeType === nodeType);
	if (!provider) throw new Error(`No test provider has the node ${nodeType}`);
	return provider;
}

/** Adds a provider defined in the tests; it comes after the product's in testProviders(). */
export function registerTestProvider<S extends TestSimulator>(provider: TestProvider<S>): void {
	if (testProviders().some((p) => p.id === provider.id || p.nodeType === provider.nodeType)) throw new Error(`A provider "${provider.id}" is registered already`);
	testOnly.push(provider as unknown as TestProvider);
}
