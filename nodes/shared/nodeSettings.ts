import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { RequestLimiter } from './limiter';
import { DEFAULT_REQUESTS_PER_SECOND } from './nodeOptions';
import type { ProviderCredentials, ProviderSession } from './provider';
import { TokenSession } from './tokenSession';
import { DEFAULT_TRANSPORT, type TransportSettings } from './transport';
import { numberOption, OptionError } from './values';

export interface ConnectionSettings {
	transport: TransportSettings;
	limiter: RequestLimiter;
}

/**
 * The transport and pacing a node's Options ask for (CONNECTION_OPTIONS and Max
 * Concurrent Requests, Retry Ambiguous Failures where the node offers them).
 * Throws an OptionError for a value that cannot be used.
 */
export function readConnectionSettings(ctx: IExecuteFunctions, options: IDataObject, requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND): ConnectionSettings {
	const timeoutSeconds = numberOption(options, 'timeout', 'Timeout (Seconds)', DEFAULT_TRANSPORT.timeoutMs / 1000, 0.001);
	const concurrency = Math.floor(numberOption(options, 'maxConcurrentRequests', 'Max Concurrent Requests', 4, 1));
	const perSecond = numberOption(options, 'maxRequestsPerSecond', 'Max Requests Per Second', requestsPerSecond, 0);
	return {
		transport: {
			...DEFAULT_TRANSPORT,
			timeoutMs: Math.max(1, timeoutSeconds) * 1000,
			retryAmbiguous: options.retryAmbiguousFailures === true,
			signal: ctx.getExecutionCancelSignal(),
		},
		limiter: new RequestLimiter(concurrency, perSecond),
	};
}

/**
 * The settings the node's Options ask for. An option that cannot be used stops the
 * node (item 0); under Continue On Fail the default settings come back with the
 * problem, and the caller fails every item with it.
 */
export function connectionSettingsFor(ctx: IExecuteFunctions, options: IDataObject, requestsPerSecond?: number): ConnectionSettings & { optionProblem?: string } {
	try {
		return readConnectionSettings(ctx, options, requestsPerSecond);
	} catch (error) {
		if (!(error instanceof OptionError)) throw error;
		if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex: 0 });
		return { ...readConnectionSettings(ctx, {}, requestsPerSecond), optionProblem: error.message };
	}
}

/** The node's credential, read by the provider (engine) or its record API; unusable ones stop the node. */
export interface NodeCredentials {
	credentials: ProviderCredentials;
	/** For providers whose requests carry a token got with the credential. */
	session?: TokenSession;
}

/** The node's credential as the provider reads it, with its token for providers with a session. */
export async function readNodeCredentials(
	ctx: IExecuteFunctions,
	source: { credentialType: string; name: string; session?: ProviderSession; readCredentials(raw: IDataObject): ProviderCredentials },
): Promise<NodeCredentials> {
	const raw = (await ctx.getCredentials(source.credentialType)) as IDataObject;
	let credentials: ProviderCredentials;
	try {
		credentials = source.readCredentials(raw);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `The ${source.name} credential is not usable: ${(error as Error).message}`);
	}
	return { credentials, session: TokenSession.open(ctx, source, credentials, raw) };
}
