/**
 * ION SMS Gateway behaviour that nobody documents: our best guesses, kept here so
 * that each is one constant to change. docs/assumptions.md lists them.
 */
import type { SmsStatus } from '../shared/provider';

/** Most numbers one MULDES/MULDESP request may carry (the guide gives no limit). */
export const MAX_NUMBERS_PER_REQUEST = 1000;

/**
 * Longest `corps` ION takes, counted in characters as a person counts them (code
 * points). The limit is ION's; how its server counts an emoji is not known.
 */
export const MAX_TEXT_CHARACTERS = 160;

/** Smallest `intervalleMinutes` MULDESP accepts (the guide gives no minimum). */
export const MIN_INTERVAL_MINUTES = 1;

/**
 * ION reports an empty prepaid balance as HTTP 500 with an `error` text: such a
 * 500 is a definite refusal (nothing was sent), unlike other 500s.
 */
export const BALANCE_REFUSAL_PATTERN = /solde\s+insuffisant|cr[ée]dits?\s+insuffisants?|insufficient\s+(balance|credit)/i;

/**
 * How ION's validation names a number it refuses in a 400 (the guide only says "a
 * validation message"): the node then fails that recipient and sends the others again.
 */
export const REFUSED_NUMBER_PATTERN = /num[ée]ro\s+invalide\s*:\s*(\+?\d+)/i;

/**
 * The submission's `statut`, the only status an API client sees. The guide names
 * the first three; the others are in ION's server code, their meaning guessed.
 */
export const STATUT_MAP: Record<string, SmsStatus> = {
	EN_ATTENTE: 'pending',
	ENVOYE: 'sent',
	ECHEC: 'failed',
	BROUILLON: 'pending',
	EN_COURS: 'queued',
	PARTIEL: 'sent',
	ERREUR: 'failed',
	ANNULE: 'rejected',
};

/** A `statut` not in the table: not final, kept in providerStatus. */
export const UNKNOWN_STATUT = 'pending' as const;
