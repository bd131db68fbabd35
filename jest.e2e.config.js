/**
 * `npm run test:e2e`: the packed package inside a real n8n (see test/real-n8n/).
 * One worker: the tests share one n8n and its database, in order.
 * `npm run test:e2e -- --queue` (AFRICA_SMS_E2E_MODE=queue) runs every file on n8n in queue
 * mode; the queue-only tests run only then.
 * @type {import('jest').Config}
 */
const queue = process.env.AFRICA_SMS_E2E_MODE === 'queue';
const QUEUE_ONLY = ['queueMode'];

module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: queue ? ['/node_modules/'] : ['/node_modules/', ...QUEUE_ONLY.map((name) => `/${name}\\.e2e\\.test\\.ts$`)],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
	maxWorkers: 1,
	testTimeout: 180000,
	verbose: true,
};
