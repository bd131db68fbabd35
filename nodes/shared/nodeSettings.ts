import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { RequestLimiter } from './limiter';
import { DEFAULT_TRANSPORT, type TransportSettings } from './transport';

export interface ConnectionSettings {
	transport: TransportSettings;
	limiter: RequestLimiter;
}

/**
 * The transport and pacing a node's Options ask for (CONNECTION_OPTIONS and Max
 * Concurrent Requests, Retry Ambiguous Failures where the node offers them).
 */
export function readConnectionSettings(ctx: IExecuteFunctions, options: IDataObject): ConnectionSettings {
	const timeoutSeconds = Number(options.timeout ?? DEFAULT_TRANSPORT.timeoutMs / 1000);
	return {
		transport: {
			...DEFAULT_TRANSPORT,
			timeoutMs: Math.max(1, timeoutSeconds) * 1000,
			retryAmbiguous: options.retryAmbiguousFailures === true,
			signal: ctx.getExecutionCancelSignal(),
		},
		limiter: new RequestLimiter(Number(options.maxConcurrentRequests ?? 4), Number(options.maxRequestsPerSecond ?? 10)),
	};
}
