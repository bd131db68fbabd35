/**
 * `npm run test:e2e`: the packed package inside a real n8n (see test/real-n8n/).
 * One worker: the tests share one n8n and its database, in order.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
	maxWorkers: 1,
	testTimeout: 180000,
	verbose: true,
};
