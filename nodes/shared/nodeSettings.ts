import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { RequestLimiter } from './limiter';
import { DEFAULT_TRANSPORT, type TransportSettings } from './transport';
import { showValue } from './values';

export interface ConnectionSettings {
	transport: TransportSettings;
	limiter: RequestLimiter;
}

/** An option of the node's Options that cannot be used; the message names it. */
export class OptionError extends Error {}

/** A number option as an expression may give it: a number or its text; unset or empty means the default. */
function numberOption(options: IDataObject, name: string, label: string, fallback: number, min: number): number {
	const raw = options[name];
	if (raw === undefined || raw === null || raw === '') return fallback;
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
	if (!Number.isFinite(value) || value < min) {
		throw new OptionError(`The option '${label}' must be a number of at least ${min}, not ${showValue(raw)}`);
	}
	return value;
}

/**
 * The transport and pacing a node's Options ask for (CONNECTION_OPTIONS and Max
 * Concurrent Requests, Retry Ambiguous Failures where the node offers them).
 * Throws an OptionError for a value that cannot be used.
 */
export function readConnectionSettings(ctx: IExecuteFunctions, options: IDataObject): ConnectionSettings {
	const timeoutSeconds = numberOption(options, 'timeout', 'Timeout (Seconds)', DEFAULT_TRANSPORT.timeoutMs / 1000, 0.001);
	const concurrency = Math.floor(numberOption(options, 'maxConcurrentRequests', 'Max Concurrent Requests', 4, 1));
	const perSecond = numberOption(options, 'maxRequestsPerSecond', 'Max Requests Per Second', 10, 0);
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

/** The settings, or the option problem and default settings (Continue On Fail then fails every item with it). */
export function connectionSettingsOrProblem(ctx: IExecuteFunctions, options: IDataObject): ConnectionSettings & { optionProblem?: string } {
	try {
		return readConnectionSettings(ctx, options);
	} catch (error) {
		if (!(error instanceof OptionError)) throw error;
		return { ...readConnectionSettings(ctx, {}), optionProblem: error.message };
	}
}
