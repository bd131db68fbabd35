#!/usr/bin/env node
// `npm run lint:n8n-cloud`: the package against the rules n8n's scanner applies for n8n Cloud
// (eslint.n8n-cloud.config.mjs). Each report is either one of the departures below, which
// docs/departures.md explains, or new; the command fails only on new ones. `--json` prints
// the grouped reports for the tests.
import { ESLint } from 'eslint';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Rule → the files where we keep breaking it on purpose (a prefix ends with '/'). */
export const DEPARTURES = {
	// undici, zod and libphonenumber-js, and Node's own modules (crypto, util).
	'@n8n/community-nodes/no-runtime-dependencies': ['package.json'],
	'@n8n/community-nodes/no-restricted-imports': ['nodes/'],
	// Internal errors (ItemFailure, ProviderError) that the engine turns into NodeApiError/NodeOperationError at the node's edge.
	'@n8n/community-nodes/require-node-api-error': ['nodes/shared/', 'nodes/IonSmsGateway/ionSmsGateway.api.ts', 'nodes/LmtBulkSms/lmtGroup.api.ts', 'nodes/MonSmsPro/monSmsPro.api.ts', 'nodes/MtnCongoSms/mtnCongo.api.ts'],
	// The transport's wait between retries stops when n8n cancels the execution.
	'@n8n/community-nodes/no-restricted-globals': ['nodes/shared/transport.ts'],
	// Orange's Authorization Header is base64 of the client ID and secret.
	'@n8n/community-nodes/credential-unnecessary-password': ['credentials/OrangeSmsApi.credentials.ts'],
};

const listed = (rule, file) => (DEPARTURES[rule] ?? []).some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

export async function lintForN8nCloud() {
	const eslint = new ESLint({ cwd: root, overrideConfigFile: resolve(root, 'eslint.n8n-cloud.config.mjs') });
	const results = await eslint.lintFiles(['nodes', 'credentials', 'package.json']);
	const reports = results.flatMap((r) =>
		r.messages.map((m) => ({ rule: m.ruleId ?? '(eslint)', file: relative(root, r.filePath).split('\\').join('/'), line: m.line, message: m.message })),
	);
	return { departures: reports.filter((r) => listed(r.rule, r.file)), fresh: reports.filter((r) => !listed(r.rule, r.file)) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { departures, fresh } = await lintForN8nCloud();
	if (process.argv.includes('--json')) {
		process.stdout.write(`${JSON.stringify({ departures, fresh })}\n`);
	} else {
		const byRule = new Map();
		for (const r of departures) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + 1);
		process.stdout.write(`n8n Cloud rules: ${departures.length} report(s) of the listed departures (docs/departures.md#n8n-cloud-rules):\n`);
		for (const [rule, n] of byRule) process.stdout.write(`  ${rule}: ${n}\n`);
		if (fresh.length) {
			process.stdout.write(`\n${fresh.length} report(s) not listed as departures:\n`);
			for (const r of fresh) process.stdout.write(`  ${r.file}:${r.line}  ${r.rule}  ${r.message}\n`);
		} else {
			process.stdout.write('Nothing else.\n');
		}
	}
	process.exitCode = fresh.length ? 1 : 0;
}
