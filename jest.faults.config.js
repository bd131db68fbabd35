/**
 * `npm run test:faults`: the fault matrix (test/faults), the providers in two shard files (one per worker), against
 * n8n-core / n8n-workflow 2.x. Prints a table over all providers at the end.
 */
/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/faults'],
	testMatch: ['**/*.faults.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
	setupFiles: ['<rootDir>/test/setup-env.ts'],
	globalSetup: '<rootDir>/test/faults/globalSetup.js',
	globalTeardown: '<rootDir>/test/faults/globalTeardown.js',
	testTimeout: 900_000,
	maxWorkers: 2,
};
