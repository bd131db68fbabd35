/** The provider list: its keys are the providers' ids, and every node of package.json serves one of them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_IDS, SMS_PROVIDERS } from '../../nodes/providers';

test('each provider is listed under its own id, once', () => {
	expect(Object.entries(SMS_PROVIDERS).map(([key, provider]) => [key, provider.id])).toEqual(PROVIDER_IDS.map((id) => [id, id]));
	expect(new Set(Object.values(SMS_PROVIDERS).map((p) => p.credentialType)).size).toBe(PROVIDER_IDS.length);
});

test("every provider's credential is declared in package.json", () => {
	const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };
	const declared = pkg.n8n.credentials.map((file) => file.replace(/^.*\/(\w+)\.credentials\.js$/, '$1'));
	for (const provider of Object.values(SMS_PROVIDERS)) {
		expect(declared.map((name) => name.charAt(0).toLowerCase() + name.slice(1))).toContain(provider.credentialType);
	}
});
