/**
 * `npm run test:ui`: n8n's editor in a real browser (headless Chromium driven by
 * playwright-core) with the packed package installed (see test/ui/editor.ui.test.ts).
 * One worker: the tests share one n8n, one browser page and their order.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/ui'],
	testMatch: ['**/*.ui.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: { warnOnly: false } }] },
	maxWorkers: 1,
	testTimeout: 180000,
	verbose: true,
};
