/**
 * `npm test`: unit and in-process n8n tests, twice for the n8n tests:
 * - "n8n 2.x": n8n-core / n8n-workflow 2.40 (the versions inside n8n 2.40.7);
 * - "n8n 1.x": the same workflow tests with n8n-core 1.122 / n8n-workflow 1.120 (the
 *   versions inside n8n 1.123) in their place, for both the tests and the built package.
 * End-to-end tests need a provisioned n8n: `npm run test:e2e`; the editor tests also a browser: `npm run test:ui`.
 */
const base = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/ui/', '<rootDir>/test/faults/'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
	setupFiles: ['<rootDir>/test/setup-env.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 60000,
	// n8n-core 1.x leaves a handle open after its tests (not ours: the 2.x project exits cleanly alone).
	forceExit: true,
	projects: [
		{ ...base, displayName: 'n8n 2.x', roots: ['<rootDir>/test'] },
		{
			...base,
			displayName: 'n8n 1.x',
			roots: ['<rootDir>/test/workflows'],
			setupFiles: [...base.setupFiles, '<rootDir>/test/setup-n8n1.ts'],
			moduleNameMapper: {
				'^n8n-core(/.*)?$': '<rootDir>/node_modules/n8n-core-v1$1',
				'^n8n-workflow(/.*)?$': '<rootDir>/node_modules/n8n-workflow-v1$1',
			},
		},
	],
};
