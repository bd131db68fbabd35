// The rules n8n's package scanner applies to community nodes (the plugin's "recommended",
// n8n Cloud config), as the scanner applies them: inline eslint-disable comments are not
// honoured. `npm run lint:n8n-cloud` reports what a Cloud-verified build would have to
// change; docs/departures.md lists each report that remains, and why.
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', '*.js', '*.mjs'] },
	{ linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } },
		plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
		rules: n8nCommunityNodesPlugin.configs.recommended.rules,
	},
];
