import type { ICredentialsDecrypted, ICredentialTestFunctions, IDataObject, INodeCredentialTestResult } from 'n8n-workflow';
import { ProviderError, type SmsProvider } from './provider';
import { redact } from './redact';
import { DEFAULT_TRANSPORT, sendRequest } from './transport';

/** A credential test waits less than a send: the user is looking at the dialog. */
const TEST_TIMEOUT_MS = 15_000;

/**
 * Checks a credential with the provider's own test request, through the same
 * transport as the sends. The message never holds a secret.
 */
export async function testProviderCredential(provider: SmsProvider, data: IDataObject | undefined): Promise<INodeCredentialTestResult> {
	const test = provider.credentialTest;
	if (!test) return { status: 'Error', message: `${provider.name} has no credential test` };
	let credentials;
	try {
		credentials = provider.readCredentials(data ?? {});
	} catch (error) {
		return { status: 'Error', message: `The ${provider.name} credential is not usable: ${(error as Error).message}` };
	}
	try {
		const response = await sendRequest(test.build(credentials), { ...DEFAULT_TRANSPORT, timeoutMs: TEST_TIMEOUT_MS, maxAttempts: 2 });
		test.judge(response);
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		const message = error instanceof ProviderError ? error.message : `Could not reach ${provider.name} at ${credentials.baseUrl}: ${(error as Error).message}`;
		return { status: 'Error', message: redact(message, credentials.secrets) };
	}
}

/** The node method n8n calls for a credential whose node names it in `testedBy`. */
export function credentialTestMethod(provider: SmsProvider) {
	return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		return await testProviderCredential(provider, credential.data);
	};
}
