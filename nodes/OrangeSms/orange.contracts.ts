import { z } from 'zod';
import type { IDataObject } from 'n8n-workflow';

/** Orange's SMS contracts (one per country): their answer read, and what a refused send says of them. */

const contract = z
	.object({
		country: z.string(),
		offerName: z.string().optional(),
		availableUnits: z.number(),
		status: z.string().optional(),
		expirationDate: z.string().optional(),
	})
	.passthrough();
const legacyContracts = z.object({
	partnerContracts: z.object({
		contracts: z.array(
			z.object({
				service: z.string().optional(),
				serviceContracts: z.array(z.object({ country: z.string(), service: z.string().optional(), availableUnits: z.number(), expires: z.string().optional() }).passthrough()),
			}),
		),
	}),
});

/** One item per contract: units left, status, expiry; the legacy answer read into the same fields. Undefined for any other shape. */
export function contractItems(data: unknown): IDataObject[] | undefined {
	const current = z.array(contract).safeParse(data);
	if (current.success) return current.data.map((c) => ({ ...c, status: c.status ?? null, expirationDate: c.expirationDate ?? null }) as IDataObject);
	const legacy = legacyContracts.safeParse(data);
	if (legacy.success) {
		return legacy.data.partnerContracts.contracts.flatMap((group) =>
			group.serviceContracts.map((c) => ({ ...c, offerName: c.service ?? group.service ?? null, status: null, expirationDate: c.expires ?? null }) as IDataObject),
		);
	}
	return undefined;
}

const BUY = 'buy one in the Orange Developer portal (Orange Money or airtime), then run again.';

/** The day part of an ISO date, else the text as Orange wrote it. */
function day(date: string): string {
	return /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : date;
}

/**
 * Why the bundle of `country` (alpha-3) cannot send, from the contracts answer:
 * missing, expired (with its date) or empty. Undefined when the contracts do not say.
 */
export function bundleHint(data: unknown, country: string, now = Date.now()): string | undefined {
	const items = contractItems(data);
	if (!items) return undefined;
	const mine = items.find((c) => c.country === country);
	if (!mine) return `Your Orange account has no SMS bundle for ${country}: ${BUY}`;
	const expires = typeof mine.expirationDate === 'string' ? mine.expirationDate : '';
	if (mine.status === 'EXPIRED' || (expires && Date.parse(expires) <= now)) {
		return `The Orange SMS bundle for ${country} expired${expires ? ` on ${day(expires)}` : ''}: ${BUY}`;
	}
	if (typeof mine.availableUnits === 'number' && mine.availableUnits <= 0) return `The Orange SMS bundle for ${country} has no units left: ${BUY}`;
	return undefined;
}

/** The SMS units the bundle of `country` can still send: none when it has expired or there is none. Undefined for an answer of another shape. */
export function unitsLeft(data: unknown, country: string, now = Date.now()): number | undefined {
	const items = contractItems(data);
	if (!items) return undefined;
	const mine = items.find((c) => c.country === country);
	if (!mine) return 0;
	const expires = typeof mine.expirationDate === 'string' ? mine.expirationDate : '';
	if (mine.status === 'EXPIRED' || (expires && Date.parse(expires) <= now)) return 0;
	return typeof mine.availableUnits === 'number' ? mine.availableUnits : 0;
}
