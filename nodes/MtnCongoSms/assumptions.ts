/**
 * MTN Congo behaviour that nobody documents: our best guesses, kept here so that
 * each is one constant to change. docs/assumptions.md lists them.
 */

/** The body's `status` field is the truth; a non-2xx HTTP status is a failure as well. */
export const SUCCESS_BODY_STATUSES = ['200', '201'];

/** The cost is only in the French text of `resultat`: "envoyé (coût: 46 crédits)". */
export const COST_PATTERN = /co[uû]t\s*:?\s*(\d+(?:[.,]\d+)?)\s*cr[ée]dits?/i;

/**
 * A number MTN refuses makes it refuse the whole request and name the number:
 * "Erreur MSISDN: 24206846349" (documented once, for one number); we read
 * every number listed after "MSISDN".
 */
export const REJECTED_NUMBERS_PATTERN = /MSISDN\s*:?\s*([\d+][\d+ ,;]*)/i;

/**
 * Status codes not in MTN's table are reported as `pending`: not final, and the
 * code is kept in providerStatus.
 */
export const UNKNOWN_STATUS_CODE = 'pending' as const;

/**
 * How an authentication failure looks: the token header is Django REST
 * Framework's style (`Token <key>`), so we expect its `detail` texts, or a body
 * `status` of "401"/"403" like MTN's other errors. Used by the credential test,
 * which must pass for a valid token whatever the status call for a made-up id answers.
 */
export const AUTH_FAILURE_DETAILS = [
	'Invalid token.',
	'Token invalide.',
	'Authentication credentials were not provided.',
	"Informations d'authentification non fournies.",
];

/** Made-up id for the credential test's status call (sends nothing). */
export const CREDENTIAL_TEST_MESSAGE_ID = '0';

/**
 * The delivery callback's payload is undocumented: we accept the status
 * answer's shape (`resultat` lines "number, code, label", `id`, `externalId`)
 * and a flat per-recipient shape, with these field names tried in order.
 */
export const CALLBACK_FIELDS = {
	messageId: ['id', 'messageId', 'message_id', 'sms_id', 'idSms'],
	externalId: ['externalId', 'external_id'],
	number: ['number', 'msisdn', 'receiver', 'phone', 'to', 'numero', 'destinataire'],
	code: ['code', 'status_code', 'statusCode', 'status', 'statut', 'etat'],
	label: ['label', 'message', 'libelle', 'description', 'status_text', 'detail'],
};
