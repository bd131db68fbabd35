/**
 * Mon SMS PRO behaviour that nobody documents: our best guesses, kept here so
 * that each is one constant to change. docs/assumptions.md lists them.
 */
import type { SmsStatus } from '../shared/provider';

/** Most contacts one campaign/create may carry (the guide gives no limit). */
export const MAX_CONTACTS_PER_CAMPAIGN = 1000;

/** Scheduled and recurring campaigns start on quarter hours only (documented); the grid in minutes. */
export const SCHEDULE_GRID_MINUTES = 15;

/**
 * Campaign statuses: the guide names none. Ours cover what a campaign can be;
 * an unknown one is kept in providerStatus and reported as pending.
 */
export const CAMPAIGN_STATUS_MAP: Record<string, SmsStatus> = {
	PENDING: 'pending',
	SCHEDULED: 'scheduled',
	ACTIVE: 'scheduled',
	SENDING: 'queued',
	SENT: 'sent',
	COMPLETED: 'sent',
	DONE: 'sent',
	FAILED: 'failed',
	CANCELLED: 'rejected',
	CANCELED: 'rejected',
};
export const UNKNOWN_CAMPAIGN_STATUS = 'pending' as const;

/**
 * What to tell the user for each `error` word Mon SMS PRO answers with. Only
 * `sender-not-found` is documented; the others are the words we expect.
 */
export const ERROR_HINTS: Record<string, string> = {
	unauthenticated: 'Check the API key in the Mon SMS PRO credential (Mon SMS PRO → API section; a new key replaces the old one).',
	'sender-not-found': 'The Sender is not a sender name of your Mon SMS PRO account: pick one from the list, or create it (resource Sender) and wait until Mon SMS PRO accepts it.',
	'sender-not-accepted': 'Mon SMS PRO has not accepted this sender name yet (or refused it): use an accepted sender, or wait for the review.',
	'insufficient-credit': 'Your Mon SMS PRO credit is too low for this campaign (recipients × SMS parts): top it up, then run the workflow again. Nothing was sent.',
	'campaign-not-found': 'No campaign of your account has this ID.',
	'contact-not-found': 'No contact of your account has this ID.',
	'contact-already-exists': 'A contact with this phone number already exists: update it instead (operation Update), or look it up with Get Many.',
	'group-not-found': 'No group of your account has this ID.',
	'too-many-requests': 'Mon SMS PRO asks to slow down: lower Max Requests Per Second in the node options.',
};

/**
 * Mon SMS PRO answers every error at HTTP 200, "server error" included. A refusal
 * is taken as definite (nothing done) unless its words speak of the server.
 */
export const AMBIGUOUS_ERROR_PATTERN = /server|internal|timeout|unavailable/i;

/** Largest page a list serves (the guide gives none). */
export const MAX_PAGE_SIZE = 100;
