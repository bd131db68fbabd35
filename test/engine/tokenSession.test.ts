/**
 * Token sessions (nodes/shared/tokenSession.ts) without n8n: a stand-in for the two
 * things the session asks of n8n, its helper that sends a request with the credential
 * (and so runs the credential's preAuthentication) and getCredentials, over a stored
 * credential that the stand-in preAuthentication updates as n8n's database would be.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { ProviderError, type ProviderCredentials, type ProviderSession } from '../../nodes/shared/provider';
import { TokenSession } from '../../nodes/shared/tokenSession';

const session: ProviderSession = {
	tokenField: 'accessToken',
	probe: () => ({ url: 'http://provider.invalid/contracts', method: 'GET' }),
	tokenRefused: (response) => response.status === 401,
};

/** n8n as the session sees it: `issue` makes the next token (or throws, as a refused login). */
function fakeN8n(stored: IDataObject, issue: () => string) {
	const probes: string[] = [];
	const ctx = {
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { url: string }) => {
				probes.push(options.url);
				// n8n logs in when the stored token is empty or was just refused; the stand-in always does.
				stored.accessToken = issue();
				await new Promise((resolve) => setTimeout(resolve, 5));
				return {};
			},
		},
		getCredentials: async () => ({ ...stored }),
	} as unknown as IExecuteFunctions;
	return { ctx, probes };
}

const credentials = (): ProviderCredentials => ({ baseUrl: 'http://provider.invalid/', defaultCountry: 'CI', secrets: Object.freeze(['client-s3cret']) as string[], fields: {} });
const source = { name: 'Provider', credentialType: 'providerApi', session };

test('a provider without a session has none', () => {
	const { ctx } = fakeN8n({}, () => 't');
	expect(TokenSession.open(ctx, { name: 'P', credentialType: 'p' }, credentials(), {})).toBeUndefined();
});

test('no token stored: the first request waits for one got through n8n; it joins the secrets', async () => {
	const stored: IDataObject = { accessToken: '' };
	const { ctx, probes } = fakeN8n(stored, () => 'tok-1');
	const creds = credentials();
	const opened = TokenSession.open(ctx, source, creds, stored)!;
	expect(probes).toEqual([]);
	await Promise.all([opened.ready(), opened.ready(), opened.ready()]);
	expect(probes).toEqual(['http://provider.invalid/contracts']);
	expect(creds.token).toBe('tok-1');
	expect(creds.secrets).toEqual(['client-s3cret', 'tok-1']);
});

test('a stored token is used as it is; once refused, one renewal serves every request that saw it refused', async () => {
	const stored: IDataObject = { accessToken: 'old' };
	let n = 0;
	const { ctx, probes } = fakeN8n(stored, () => `new-${++n}`);
	const creds = credentials();
	const opened = TokenSession.open(ctx, source, creds, stored)!;
	await opened.ready();
	expect(probes).toHaveLength(0);
	expect(creds.token).toBe('old');
	await Promise.all([opened.renew('old'), opened.renew('old'), opened.renew('old')]);
	expect(probes).toHaveLength(1);
	expect(creds.token).toBe('new-1');
	// A request that saw the old token refused after the renewal: nothing more to do.
	await opened.renew('old');
	expect(probes).toHaveLength(1);
});

test('n8n could not get a token: a definite refusal in words, the secret masked', async () => {
	const stored: IDataObject = { accessToken: '' };
	const { ctx } = fakeN8n(stored, () => {
		throw new Error('login refused for client-s3cret');
	});
	const opened = TokenSession.open(ctx, source, credentials(), stored)!;
	const error = await opened.ready().catch((e: unknown) => e);
	expect(error).toBeInstanceOf(ProviderError);
	expect((error as ProviderError).message).toBe('Provider gave n8n no usable token for this credential: login refused for ***');
	expect((error as ProviderError).details.ambiguous).toBe(false);
});

test('n8n kept the refused token (no new one): said so instead of sending again with it', async () => {
	const stored: IDataObject = { accessToken: 'same' };
	const { ctx } = fakeN8n(stored, () => 'same');
	const opened = TokenSession.open(ctx, source, credentials(), stored)!;
	await expect(opened.renew('same')).rejects.toThrow('Provider refused the token n8n keeps for this credential, and n8n got no new one');
});
