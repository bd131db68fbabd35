/**
 * "Fake SMS": a fifth provider that exists only in the tests, made as a provider folder
 * is (an SmsProvider on the shared parts, a node on the shared description and engine),
 * with its simulator and its test facts. registerTestProvider(fakeSmsTestProvider) adds it
 * to the registry for a test file; its node is added to the package's node types of
 * the in-process runs (registerTestNode) before the file's first test (prepare).
 */
import { fromSeam } from '../fromSeam';
import { registerTestNode } from '../../helpers/n8n';
import type { TestProvider } from '../types';
import { fakeSmsProvider } from './fakeSms.api';
import { FakeSmsSimulator } from './fakeSms.simulator';
import { FAKE_OPERATIONS, FakeSms } from './FakeSms.node';

let registered = false;

export const fakeSmsTestProvider: TestProvider<FakeSmsSimulator> = {
	...fromSeam(fakeSmsProvider),
	nodeType: 'fakeSms',
	operations: FAKE_OPERATIONS,
	sentStatus: 'accepted',
	createSimulator: () => new FakeSmsSimulator('fake-k3y+SN/2026=ok'),
	credentials: (sim) => ({ fakeSmsApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, defaultCountry: 'SN' } }),
	secrets: (sim) => [sim.apiKey],
	phone: (i) => `+22177${String(i).padStart(7, '0')}`,
	sender: 'FAKESHOP',
	parameters: {},
	isSend: (req) => req.path === '/api/messages',
	ledgerIdField: 'id',
	prepare: async () => {
		if (!registered) registerTestNode(new FakeSms());
		registered = true;
	},
};
