/**
 * What Orange's SMS API does that no Orange page or public client states: each
 * value here is our assumption, listed in docs/assumptions.md.
 */

/** One address per send: Orange's guide shows one, clients loop; several in one call is undocumented. */
export const MAX_ADDRESSES_PER_REQUEST = 1;

/** Orange enforces a rate per API without publishing it; integrators repeat 5 SMS per second. */
export const DEFAULT_REQUESTS_PER_SECOND = 5;

/** The token endpoint of Orange's current OAuth (v3, tokens of one hour); v2 is the legacy one. */
export const TOKEN_PATH = 'oauth/v3/token';

/** Sender names: at most 11 letters, digits or spaces (one public client checks so; Orange's page is unread). */
export const MAX_SENDER_NAME_LENGTH = 11;
export const SENDER_NAME_PATTERN = /^[A-Za-z0-9 ]{1,11}$/;

/** The policy error's variable when the account's bundle has expired (seen in one real answer). */
export const EXPIRED_CONTRACT_PATTERN = /expired/i;

/** A contract's `availableUnits` count SMS segments (one unit per segment sent): Check Balance First compares them with the run's segments. */
export const UNITS_PER_SEGMENT = 1;

/** Orange's 2.0 sender number of a country: its calling code followed by 0000 (confirmed for some countries by a public client). */
export const COUNTRY_SENDER_SUFFIX = '0000';

/**
 * Orange's delivery statuses (the OneAPI set every integration uses; Orange's list is in
 * guide text nobody could read) and ours. DeliveryImpossible does not prove the SMS never
 * arrives (a phone off the network for a day may still get it): it stays `undelivered`,
 * with Orange's word kept in providerStatus.
 */
export const DELIVERY_STATUS_MAP: Record<string, 'delivered' | 'sent' | 'undelivered' | 'queued' | 'pending'> = {
	DeliveredToTerminal: 'delivered',
	DeliveredToNetwork: 'sent',
	DeliveryImpossible: 'undelivered',
	MessageWaiting: 'queued',
	DeliveryUncertain: 'pending',
};
