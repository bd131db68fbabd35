import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const communityRules = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport.rules;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.e2e/**', 'gulpfile.js', 'jest.config.js', 'eslint.config.mjs'] },
	{
		files: ['test/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } },
		plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
		rules: {
			...communityRules,
			// Deliberate departure, explained in the README: undici, zod and
			// libphonenumber-js are runtime dependencies (so no n8n Cloud listing).
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// This rule wants n8n's internal docs slugs; community credentials link a full
			// URL, which @n8n/community-nodes/credential-documentation-url checks instead.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two predate NodeConnectionTypes and ask for the string 'main'; current
			// n8n (and @n8n/community-nodes/node-connection-type-literal) use the constant.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// The engine and the providers' request/answer modules raise internal errors
		// (ItemFailure, ProviderError, TransportError) that SmsEngine turns into
		// NodeApiError/NodeOperationError with itemIndex before anything leaves the node.
		files: ['nodes/shared/**/*.ts', 'nodes/*/*.api.ts', 'nodes/*/*.callback.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
	// Rule exceptions live here, with their reason, not in inline comments (n8n's scanner ignores those).
	{
		// The Operation's default is the first operation each provider offers, computed by the shared builder.
		files: ['nodes/shared/description.ts'],
		rules: { 'n8n-nodes-base/node-param-default-missing': 'off' },
	},
	{
		// The trigger's Secret is shown on purpose: it is part of the callback URL the user copies.
		files: ['nodes/shared/callbackReceiver.ts'],
		rules: { 'n8n-nodes-base/node-param-type-options-password-missing': 'off' },
	},
	{
		// Orange's Authorization Header is base64 of the client ID and secret: a secret as much as the secret itself.
		files: ['credentials/OrangeSmsApi.credentials.ts'],
		rules: { '@n8n/community-nodes/credential-unnecessary-password': 'off' },
	},
];
