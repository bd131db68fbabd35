import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';
import { parseAnswer } from '../shared/answers';
import type { RecordApi, RecordOperation } from '../shared/recordTypes';
import type { HttpResponse } from '../shared/transport';
import { adminRequest, CONTRACTS_PATH, ORANGE_NAME, orangeProvider, orangeRefusal, unexpectedShape } from './orange.api';
import { contractItems } from './orange.contracts';

/**
 * The account resource: Orange's read-only admin calls (contracts, usage,
 * purchases), with the credential's token. Nothing here is paged.
 */
export const orangeAccount: RecordApi = {
	name: ORANGE_NAME,
	credentialType: orangeProvider.credentialType,
	readCredentials: orangeProvider.readCredentials,
	session: orangeProvider.session,
	requestsPerSecond: orangeProvider.requestsPerSecond,
	request: (credentials, call) => adminRequest(credentials, call.path, (call.body ?? {}) as Record<string, string>),
	read(response: HttpResponse): unknown {
		if (response.status !== 200) throw orangeRefusal(response, 'the request');
		return parseAnswer(ORANGE_NAME, response, z.unknown(), 'JSON');
	},
	readPage: () => ({ records: [] }),
	pageFields: () => ({}),
	maxPageSize: 1,
};

/** One item per contract (per country): units left, status, expiry. */
function balanceItems(data: unknown): IDataObject[] {
	const items = contractItems(data);
	if (!items) throw unexpectedShape('the contracts');
	return items;
}

const statistics = z.object({
	partnerStatistics: z
		.object({
			statistics: z.array(
				z.object({
					service: z.string().optional(),
					serviceStatistics: z.array(z.object({ country: z.string(), countryStatistics: z.array(z.object({ usage: z.number() }).passthrough()) })),
				}),
			),
		})
		.passthrough(),
});

/** One item per country and app: SMS used (usage) and requests counted (nbEnforcements). */
export function usageItems(data: unknown): IDataObject[] {
	const parsed = statistics.safeParse(data);
	if (!parsed.success) throw unexpectedShape('the statistics');
	return parsed.data.partnerStatistics.statistics.flatMap((s) =>
		s.serviceStatistics.flatMap((c) => c.countryStatistics.map((entry) => ({ service: s.service ?? null, country: c.country, appid: null, ...entry }) as IDataObject)),
	);
}

/** One item per purchase; the legacy `{purchaseOrders: […]}` too. */
export function purchaseItems(data: unknown): IDataObject[] {
	if (Array.isArray(data)) return data as IDataObject[];
	const legacy = z.object({ purchaseOrders: z.array(z.record(z.unknown())) }).safeParse(data);
	if (legacy.success) return legacy.data.purchaseOrders as IDataObject[];
	throw unexpectedShape('the purchase orders');
}

/** The country filter: an ISO alpha-3 code, or empty for every country. */
function countryQuery(read: <T>(name: string, fallback?: T) => T): Record<string, string> {
	const country = String(read<string>('country', '') ?? '').trim().toUpperCase();
	if (country && !/^[A-Z]{3}$/.test(country)) throw new Error(`'Country' must be a three-letter code such as CIV, not "${country}"`);
	return country ? { country } : {};
}

export const ACCOUNT_OPERATIONS: Record<string, RecordOperation> = {
	getBalance: { read: true, build: (read) => ({ path: CONTRACTS_PATH, body: countryQuery(read) }), output: balanceItems },
	getUsage: {
		read: true,
		build: (read) => {
			const appid = String(read<string>('appId', '') ?? '').trim();
			return { path: 'sms/admin/v1/statistics', body: { ...countryQuery(read), ...(appid ? { appid } : {}) } };
		},
		output: usageItems,
	},
	getPurchases: { read: true, build: (read) => ({ path: 'sms/admin/v1/purchaseorders', body: countryQuery(read) }), output: purchaseItems },
};
